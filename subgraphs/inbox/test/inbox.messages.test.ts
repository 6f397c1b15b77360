import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMailUser, errorCode } from "@mary/kit/testing";
import pg from "pg";
import { SEARCH_VECTOR } from "../src/services/message.service.ts";
import { deliver, imapOf, newMember, startHarness, type Harness, type OutgoingMail } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const MESSAGES = `query ($filter: MessageFilter, $first: Int, $after: String) {
  messages(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id subject seen flagged folder { path role } } }
    pageInfo { hasNextPage endCursor } } }`;
const subjects = (data: any) => data.messages.edges.map((edge: any) => edge.node.subject);

/** A member with a synced mailbox holding the given mail. */
async function mailbox(mails: Omit<OutgoingMail, "to">[] = []) {
  const user = await createMailUser();
  const me = newMember();
  const accountId = await h.connect(me, user);
  for (const mail of mails) await deliver({ ...mail, to: user.address });
  await h.sync(accountId);
  return { user, me, accountId };
}

describe("messages through the inbox subgraph", () => {
  test("newest first, paged, filtered; a message reads its bodies, people, thread, folder and attachments", async () => {
    const { me, accountId } = await mailbox([
      { subject: "first", from: "ada@analytical.test", text: "one" },
      {
        subject: "second",
        from: "Bob <BOB@bytes.test>",
        cc: "carol@bytes.test",
        text: "two",
        html: '<p>two <script>x()</script><a href="https://bytes.test">site</a></p>',
        attachments: [{ filename: "notes.txt", content: "hello attachment", contentType: "text/plain" }],
      },
    ]);
    // Distinct send times (SMTP delivery within one second shares a Date).
    await h.sql(
      `update messages set sent_at = sent_at - interval '1 hour' where subject = 'first' and account_id = ?`,
      [accountId],
    );
    const page1 = await h.ok(me, MESSAGES, { first: 1 });
    expect(subjects(page1)).toEqual(["second"]);
    expect(page1.messages.pageInfo.hasNextPage).toBe(true);
    const page2 = await h.ok(me, MESSAGES, { first: 1, after: page1.messages.pageInfo.endCursor });
    expect(subjects(page2)).toEqual(["first"]);
    expect(page2.messages.pageInfo.hasNextPage).toBe(false);
    expect(subjects(await h.ok(me, MESSAGES, { filter: { folder: "INBOX", unread: true } }))).toEqual([
      "second",
      "first",
    ]);
    expect(subjects(await h.ok(me, MESSAGES, { filter: { folder: "ARCHIVE" } }))).toEqual([]);

    const id = page1.messages.edges[0].node.id;
    const { message } = await h.ok(
      me,
      `query ($id: ID!) { message(id: $id) { subject snippet textBody htmlBody from { email name } to { email } cc { email }
        thread { subject messageCount messages { edges { node { subject } } } } account { id } folder { role }
        attachments { part filename contentType size content } } }`,
      { id },
    );
    expect(message).toMatchObject({
      subject: "second",
      snippet: "two",
      textBody: "two",
      from: { email: "bob@bytes.test", name: "Bob" },
      cc: [{ email: "carol@bytes.test" }],
      thread: { subject: "second", messageCount: 1, messages: { edges: [{ node: { subject: "second" } }] } },
      account: { id: accountId },
      folder: { role: "INBOX" },
      attachments: [{ filename: "notes.txt", contentType: "text/plain" }],
    });
    expect(message.htmlBody).toContain(
      '<a href="https://bytes.test" target="_blank" rel="noopener noreferrer">site</a>',
    );
    expect(message.htmlBody).not.toContain("script");
    expect(Buffer.from(message.attachments[0].content, "base64").toString()).toBe("hello attachment");
    // One attachment by its part, without fetching the others; an unknown part is null.
    const one = await h.ok(
      me,
      `query ($id: ID!, $part: String!) { message(id: $id) { attachment(part: $part) { filename content } none: attachment(part: "99") { part } } }`,
      { id, part: message.attachments[0].part },
    );
    expect(one.message.attachment.filename).toBe("notes.txt");
    expect(Buffer.from(one.message.attachment.content, "base64").toString()).toBe("hello attachment");
    expect(one.message.none).toBeNull();
  });

  test("search is ranked full text over subject and body, or an address", async () => {
    const { me, accountId } = await mailbox([
      { subject: "Invoice for March", text: "Please pay the invoice. The invoice is attached." },
      { subject: "Lunch", text: "Shall we talk about the invoice over lunch?" },
      { subject: "Unrelated", from: "dora@explorer.test", text: "Nothing here" },
    ]);
    const search = async (text: string, first = 10, after?: string) =>
      (await h.ok(me, MESSAGES, { filter: { search: text, accountId }, first, after })).messages;
    expect((await search("invoices")).edges.map((e: any) => e.node.subject)).toEqual(["Invoice for March", "Lunch"]);
    const first = await search("invoice", 1);
    expect(first.edges.map((e: any) => e.node.subject)).toEqual(["Invoice for March"]);
    const rest = await search("invoice", 1, first.pageInfo.endCursor);
    expect(rest.edges.map((e: any) => e.node.subject)).toEqual(["Lunch"]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect((await search("DORA@explorer.test")).edges.map((e: any) => e.node.subject)).toEqual(["Unrelated"]);
    expect((await search("-lunch invoice")).edges.map((e: any) => e.node.subject)).toEqual(["Invoice for March"]);
    expect(errorCode(await h.call(me, MESSAGES, { filter: { search: "  " } }))).toBe("BAD_USER_INPUT");
  });

  test("the search uses the full-text index (the list's expression is the index's)", async () => {
    const db = new pg.Client({ connectionString: h.env.INBOX_DATABASE_URL });
    await db.connect();
    try {
      // With sequential scans discouraged, the planner uses the index if (and only if) the expressions match.
      await db.query("set enable_seqscan = off");
      const { rows } = await db.query(
        `explain select id from messages m where ${SEARCH_VECTOR} @@ websearch_to_tsquery('english', 'invoice')`,
      );
      expect(rows.map((row) => row["QUERY PLAN"]).join("\n")).toContain("messages_search_index");
    } finally {
      await db.end();
    }
  });

  test("mark, flag, archive and move are written to the IMAP server first, then to Mary", async () => {
    const { user, me } = await mailbox([{ subject: "a" }, { subject: "b" }]);
    const list = await h.ok(me, MESSAGES, {});
    const [a, b] = list.messages.edges.map((e: any) => e.node.id);
    const MARK = `mutation ($ids: [ID!]!, $seen: Boolean!) { markMessages(ids: $ids, seen: $seen) { id seen } }`;
    expect((await h.ok(me, MARK, { ids: [a, b], seen: true })).markMessages).toEqual([
      { id: a, seen: true },
      { id: b, seen: true },
    ]);
    await h.ok(me, `mutation ($ids: [ID!]!) { flagMessages(ids: $ids, flagged: true) { id } }`, { ids: [a] });
    const imap = await imapOf(user);
    try {
      const flags = async (path: string) => {
        const lock = await imap.getMailboxLock(path);
        try {
          const out: Record<string, string[]> = {};
          for await (const m of imap.fetch("1:*", { envelope: true, flags: true }))
            out[m.envelope!.subject!] = [...m.flags!].sort();
          return out;
        } finally {
          lock.release();
        }
      };
      const before = await flags("INBOX");
      expect(before[list.messages.edges[0].node.subject]).toEqual(["\\Flagged", "\\Seen"]);
      expect(before[list.messages.edges[1].node.subject]).toEqual(["\\Seen"]);

      const { archiveMessages } = await h.ok(
        me,
        `mutation ($ids: [ID!]!) { archiveMessages(ids: $ids) { id folder { role } } }`,
        { ids: [a] },
      );
      expect(archiveMessages).toEqual([{ id: a, folder: { role: "ARCHIVE" } }]);
      expect(Object.keys(await flags("Archive"))).toEqual([list.messages.edges[0].node.subject]);
      expect(Object.keys(await flags("INBOX"))).toEqual([list.messages.edges[1].node.subject]);

      const { mailAccounts } = await h.ok(me, `{ mailAccounts { edges { node { folders { id path role } } } } }`);
      const trash = mailAccounts.edges[0].node.folders.find((f: any) => f.role === "TRASH");
      const { moveMessages } = await h.ok(
        me,
        `mutation ($ids: [ID!]!, $f: ID!) { moveMessages(ids: $ids, folderId: $f) { id folder { path } } }`,
        { ids: [a, b], f: trash.id },
      );
      expect(moveMessages).toEqual([
        { id: a, folder: { path: "Trash" } },
        { id: b, folder: { path: "Trash" } },
      ]);
      expect(Object.keys(await flags("Trash")).sort()).toEqual(["a", "b"]);
      // Mary's rows match the server: a sync finds nothing to change, and the ids stay.
      const accountId = (await h.sql(`select account_id from messages where id = ?`, [a]))[0]!.account_id;
      expect(await h.sync(accountId)).toMatchObject({ added: 0, moved: 0, removed: 0, flagsChanged: 0 });
      expect((await h.ok(me, MESSAGES, {})).messages.edges.map((e: any) => e.node.id).sort()).toEqual([a, b].sort());

      // The server refuses (the folder is gone there): a clear error, the rows unchanged.
      await imap.mailboxDelete("Trash");
      const refused = await h.call(me, `mutation ($ids: [ID!]!) { flagMessages(ids: $ids, flagged: false) { id } }`, {
        ids: [a],
      });
      expect(errorCode(refused)).toBe("BAD_USER_INPUT");
      expect((await h.sql(`select flagged from messages where id = ?`, [a]))[0]!.flagged).toBe(true);
    } finally {
      await imap.logout();
    }
  });

  test("another workspace's and a colleague's mail are unreachable by id, and lists never show them", async () => {
    const { me, accountId } = await mailbox([{ subject: "private" }]);
    const colleague = newMember(me.workspaceId);
    const stranger = newMember();
    const [row] = await h.sql<{ id: string; thread_id: string; folder_id: string }>(
      `select id, thread_id, folder_id from messages where account_id = ?`,
      [accountId],
    );
    const { id, thread_id, folder_id } = row!;
    for (const other of [colleague, stranger]) {
      expect(errorCode(await h.call(other, `query ($id: ID!) { message(id: $id) { id } }`, { id }))).toBe("NOT_FOUND");
      expect(errorCode(await h.call(other, `query ($id: ID!) { thread(id: $id) { id } }`, { id: thread_id }))).toBe(
        "NOT_FOUND",
      );
      expect(
        errorCode(await h.call(other, `query ($id: ID!) { mailAccount(id: $id) { id } }`, { id: accountId })),
      ).toBe("NOT_FOUND");
      expect(subjects(await h.ok(other, MESSAGES, { filter: { accountId } }))).toEqual([]);
      expect(subjects(await h.ok(other, MESSAGES, { filter: { search: "private" } }))).toEqual([]);
      expect(
        errorCode(
          await h.call(other, `mutation ($ids: [ID!]!) { markMessages(ids: $ids, seen: true) { id } }`, { ids: [id] }),
        ),
      ).toBe("NOT_FOUND");
      expect(
        errorCode(
          await h.call(other, `mutation ($ids: [ID!]!, $f: ID!) { moveMessages(ids: $ids, folderId: $f) { id } }`, {
            ids: [id],
            f: folder_id,
          }),
        ),
      ).toBe("NOT_FOUND");
      const { _entities } = await h.ok(
        other,
        `query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Message { id } ... on MailAccount { id } ... on Correspondent { messages { edges { node { id } } } } } }`,
        {
          r: [
            { __typename: "Message", id },
            { __typename: "MailAccount", id: accountId },
            { __typename: "Correspondent", email: "x@y.test" },
          ],
        },
      );
      expect(_entities).toEqual([null, null, { messages: { edges: [] } }]);
    }
    expect((await h.sql(`select seen from messages where id = ?`, [id]))[0]!.seen).toBe(false);
  });

  test("Contact.messages (with the contact's emails from crm) and Correspondent.messages are the caller's mail with those addresses", async () => {
    const { me } = await mailbox([
      { subject: "from ada", from: "ada@analytical.test" },
      { subject: "from bob", from: "bob@bytes.test" },
      { subject: "to nobody", from: "eve@else.test" },
    ]);
    const { _entities } = await h.ok(
      me,
      `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Contact { messages { edges { node { subject } } } }
      ... on Correspondent { messages { edges { node { subject } } } } } }`,
      {
        r: [
          {
            __typename: "Contact",
            id: "00000000-0000-4000-8000-000000000001",
            emails: ["ada@analytical.test", "bob@bytes.test"],
          },
          { __typename: "Correspondent", email: "bob@bytes.test" },
        ],
      },
    );
    const names = (entity: any) => entity.messages.edges.map((e: any) => e.node.subject).sort();
    expect(names(_entities[0])).toEqual(["from ada", "from bob"]);
    expect(names(_entities[1])).toEqual(["from bob"]);
  });
});
