import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { simpleParser } from "mailparser";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { createMailUser, errorCode, signedHeaders, waitForMail, type MailUser } from "@mary/kit/testing";
import { deliver, imapOf, newMember, startHarness, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  // A short lease, so a test can make an attempt's outcome "unknown" without waiting two minutes.
  h = await startHarness({ env: { INBOX_SEND_LEASE_MS: "1000", INBOX_SEND_WAIT_MS: "20000" } });
});
afterAll(async () => {
  await h?.stop();
});

const DRAFT_FIELDS = `id state subject body messageIdHeader inReplyTo replyToMessageId sendError sentAt
  toAddresses { name email } ccAddresses { name email } account { id address }`;
const DRAFT_REPLY = `mutation ($id: ID!, $instructions: String) { draftReply(messageId: $id, instructions: $instructions) { ${DRAFT_FIELDS} } }`;
const CREATE_DRAFT = `mutation ($input: CreateDraftInput!) { createDraft(input: $input) { ${DRAFT_FIELDS} } }`;
const UPDATE_DRAFT = `mutation ($id: ID!, $input: UpdateDraftInput!) { updateDraft(id: $id, input: $input) { ${DRAFT_FIELDS} } }`;
const DELETE_DRAFT = `mutation ($id: ID!) { deleteDraft(id: $id) }`;
const SEND = `mutation ($id: ID!) { sendDraft(id: $id) { id state sentAt sendError } }`;
const DRAFT = `query ($id: ID!) { draft(id: $id) { ${DRAFT_FIELDS} } }`;
const DRAFTS = `query ($first: Int, $after: String) { drafts(first: $first, after: $after) {
  edges { node { id subject } } pageInfo { hasNextPage endCursor } } }`;

interface Mailbox {
  member: AuthenticatedPrincipal;
  user: MailUser;
  accountId: string;
}

async function mailbox(): Promise<Mailbox> {
  const member = newMember();
  const user = await createMailUser();
  return { member, user, accountId: await h.connect(member, user) };
}

/** Every message in a folder of the user's mailbox, parsed, with its flags. */
async function folder(user: MailUser, path: string) {
  const client = await imapOf(user);
  try {
    const lock = await client.getMailboxLock(path);
    try {
      const found = [];
      for await (const message of client.fetch("1:*", { source: true, flags: true }, { uid: false })) {
        found.push({ parsed: await simpleParser(message.source!), flags: message.flags, source: message.source! });
      }
      return found;
    } finally {
      lock.release();
    }
  } catch (error) {
    if (String(error).includes("empty") || (error as { responseText?: string }).responseText) return [];
    throw error;
  } finally {
    await client.logout();
  }
}

const withId = async (user: MailUser, path: string, messageId: string) =>
  (await folder(user, path)).filter((message) => message.parsed.messageId === `<${messageId}>`);

/** A message from `sender` in the recipient's inbox, synced; returns its id in Mary. */
async function received(to: Mailbox, sender: MailUser, extra: Parameters<typeof deliver>[0] = { to: "" }) {
  const messageId = await deliver({
    from: `Ada Lovelace <${sender.address}>`,
    subject: "Quarterly plan",
    text: "Can we meet on Tuesday?\n\nAda",
    references: ["root@ada.test"],
    ...extra,
    to: to.user.address,
  });
  await waitForMail(to.user, messageId);
  await h.sync(to.accountId);
  const [row] = await h.sql<{ id: string }>(`select id from messages where account_id = ? and message_id_header = ?`, [
    to.accountId,
    messageId,
  ]);
  return { id: row!.id, messageId };
}

describe("draftReply", () => {
  test("writes LOCAL's reply to the sender: Re: once, threaded, Message-ID fixed at the account's domain", async () => {
    const me = await mailbox();
    const ada = await createMailUser();
    const original = await received(me, ada);
    const { draftReply } = await h.ok(me.member, DRAFT_REPLY, { id: original.id, instructions: "Tuesday works." });
    expect(draftReply).toMatchObject({
      state: "DRAFT",
      subject: "Re: Quarterly plan",
      toAddresses: [{ name: "Ada Lovelace", email: ada.address }],
      ccAddresses: [],
      inReplyTo: original.messageId,
      replyToMessageId: original.id,
      account: { id: me.accountId, address: me.user.address },
      sendError: null,
      sentAt: null,
    });
    expect(draftReply.messageIdHeader).toMatch(new RegExp(`^[0-9a-f-]{36}@${me.user.address.split("@")[1]}$`));
    expect(draftReply.body).toMatch(/^Hi Ada,\n\nTuesday works\.\n\nBest regards,\n/);
    expect(draftReply.body).toContain("> Can we meet on Tuesday?");
    const [row] = await h.sql(`select "references" from drafts where id = ?`, [draftReply.id]);
    expect(row!.references).toEqual(["root@ada.test", original.messageId]);

    // Replying to a reply keeps one "Re:"; Reply-To wins over From.
    const second = await received(me, ada, {
      to: "",
      subject: "Re: Quarterly plan",
      headers: { "Reply-To": "Team <team@ada.test>" },
    });
    const { draftReply: again } = await h.ok(me.member, DRAFT_REPLY, { id: second.id });
    expect(again).toMatchObject({
      subject: "Re: Quarterly plan",
      toAddresses: [{ name: "Team", email: "team@ada.test" }],
    });
    expect(again.body).toMatch(/^Hi Ada,\n\nThank you for your message\./);
  });

  test("another member's or workspace's message is NOT_FOUND; long instructions are BAD_USER_INPUT; nothing is saved", async () => {
    const me = await mailbox();
    const original = await received(me, await createMailUser());
    for (const other of [newMember(me.member.workspaceId), newMember()]) {
      expect(errorCode(await h.call(other, DRAFT_REPLY, { id: original.id }))).toBe("NOT_FOUND");
    }
    expect(errorCode(await h.call(me.member, DRAFT_REPLY, { id: original.id, instructions: "x".repeat(2001) }))).toBe(
      "BAD_USER_INPUT",
    );
    const [{ n }] = (await h.sql<{ n: number }>(`select count(*)::int as n from drafts where account_id = ?`, [
      me.accountId,
    ])) as [{ n: number }];
    expect(n).toBe(0);
  });
});

describe("drafts", () => {
  test("are created, listed, changed while DRAFT, deleted; bad input changes nothing", async () => {
    const me = await mailbox();
    const { createDraft: draft } = await h.ok(me.member, CREATE_DRAFT, {
      input: {
        accountId: me.accountId,
        to: [{ email: " Bob@Example.com ", name: "Bob" }, { email: "bob@example.com" }],
        subject: "Line\r\nbreak",
        body: "Hello",
      },
    });
    expect(draft).toMatchObject({
      state: "DRAFT",
      subject: "Line break",
      toAddresses: [{ name: "Bob", email: "bob@example.com" }],
      body: "Hello",
    });
    const { updateDraft } = await h.ok(me.member, UPDATE_DRAFT, {
      id: draft.id,
      input: { cc: [{ email: "carol@example.com" }], body: "Hello again" },
    });
    expect(updateDraft).toMatchObject({
      subject: "Line break",
      body: "Hello again",
      ccAddresses: [{ email: "carol@example.com", name: null }],
    });
    for (const input of [
      { to: [{ email: "not an address" }] },
      { subject: "x".repeat(999) },
      { to: Array.from({ length: 101 }, (_, i) => ({ email: `p${i}@example.com` })) },
    ]) {
      expect(
        errorCode(await h.call(me.member, UPDATE_DRAFT, { id: draft.id, input })),
        JSON.stringify(input).slice(0, 50),
      ).toBe("BAD_USER_INPUT");
    }
    expect((await h.ok(me.member, DRAFT, { id: draft.id })).draft).toMatchObject({
      body: "Hello again",
      subject: "Line break",
    });
    expect((await h.ok(me.member, DRAFTS, { first: 10 })).drafts.edges.map((edge: any) => edge.node.id)).toEqual([
      draft.id,
    ]);
    expect((await h.ok(me.member, DELETE_DRAFT, { id: draft.id })).deleteDraft).toBe(draft.id);
    expect(errorCode(await h.call(me.member, DRAFT, { id: draft.id }))).toBe("NOT_FOUND");
    // An account that is not the caller's is NOT_FOUND.
    const stranger = await mailbox();
    expect(errorCode(await h.call(me.member, CREATE_DRAFT, { input: { accountId: stranger.accountId } }))).toBe(
      "NOT_FOUND",
    );
    // A draft without recipients is not sent, and stays a DRAFT.
    const { createDraft: empty } = await h.ok(me.member, CREATE_DRAFT, { input: { accountId: me.accountId } });
    expect(errorCode(await h.call(me.member, SEND, { id: empty.id }))).toBe("BAD_USER_INPUT");
    expect((await h.ok(me.member, DRAFT, { id: empty.id })).draft.state).toBe("DRAFT");
  });

  test("another member's or workspace's drafts are unreachable by id", async () => {
    const me = await mailbox();
    const { createDraft: draft } = await h.ok(me.member, CREATE_DRAFT, {
      input: { accountId: me.accountId, to: [{ email: "x@example.com" }], body: "mine" },
    });
    for (const other of [newMember(me.member.workspaceId), newMember()]) {
      expect(errorCode(await h.call(other, DRAFT, { id: draft.id }))).toBe("NOT_FOUND");
      expect(errorCode(await h.call(other, UPDATE_DRAFT, { id: draft.id, input: { body: "theirs" } }))).toBe(
        "NOT_FOUND",
      );
      expect(errorCode(await h.call(other, SEND, { id: draft.id }))).toBe("NOT_FOUND");
      expect(errorCode(await h.call(other, DELETE_DRAFT, { id: draft.id }))).toBe("NOT_FOUND");
      expect((await h.ok(other, DRAFTS)).drafts.edges).toEqual([]);
      const entities = await h.ok(
        other,
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Draft { id body } } }`,
        {
          r: [{ __typename: "Draft", id: draft.id }],
        },
      );
      expect(entities._entities).toEqual([null]);
    }
    const [row] = await h.sql(`select body, state from drafts where id = ?`, [draft.id]);
    expect(row).toEqual({ body: "mine", state: "DRAFT" });
  });
});

describe("sendDraft against the real mail server", () => {
  test("a reply arrives once with correct threading headers, even when sendDraft is called twice at once or retried", async () => {
    const me = await mailbox();
    const ada = await createMailUser();
    const original = await received(me, ada);
    const { draftReply: draft } = await h.ok(me.member, DRAFT_REPLY, { id: original.id, instructions: "Yes." });

    const [first, second] = await Promise.all([
      h.ok(me.member, SEND, { id: draft.id }),
      h.ok(me.member, SEND, { id: draft.id }),
    ]);
    // The loser waited for the winner's outcome.
    expect([first.sendDraft.state, second.sendDraft.state]).toEqual(["SENT", "SENT"]);
    expect(first.sendDraft.sendError).toBeNull();
    // A retry after a lost answer returns it as it is.
    const retried = await h.ok(me.member, SEND, { id: draft.id });
    expect(retried.sendDraft).toEqual(first.sendDraft);
    // A request abandoned mid-flight, then retried, sends nothing more either.
    const aborted = new AbortController();
    const flight = fetch(h.app.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...signedHeaders(me.member) },
      body: JSON.stringify({ query: SEND, variables: { id: draft.id } }),
      signal: aborted.signal,
    }).catch(() => null);
    aborted.abort();
    await flight;
    await h.ok(me.member, SEND, { id: draft.id });

    const inbox = await withId(ada, "INBOX", draft.messageIdHeader);
    expect(inbox).toHaveLength(1);
    const [delivered] = inbox;
    expect(delivered!.parsed.inReplyTo).toBe(`<${original.messageId}>`);
    expect(delivered!.parsed.references).toEqual(["<root@ada.test>", `<${original.messageId}>`]);
    expect(delivered!.parsed.subject).toBe("Re: Quarterly plan");
    expect(delivered!.parsed.from?.value[0]?.address).toBe(me.user.address);
    expect(delivered!.parsed.text).toContain("Yes.");

    // Saved once in the sender's Sent folder, read, with the same message the recipient got.
    const sent = await withId(me.user, "Sent", draft.messageIdHeader);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.flags?.has("\\Seen")).toBe(true);
    const body = (source: Buffer) => source.toString("utf8").split("\r\n\r\n").slice(1).join("\r\n\r\n");
    expect(body(sent[0]!.source)).toBe(body(delivered!.source));
    expect(sent[0]!.parsed.references).toEqual(delivered!.parsed.references);
  });

  test("an attempt whose outcome is unknown is checked against Sent: found there, it is not sent again", async () => {
    const me = await mailbox();
    const bob = await createMailUser();
    const { createDraft: draft } = await h.ok(me.member, CREATE_DRAFT, {
      input: { accountId: me.accountId, to: [{ email: bob.address }], subject: "Once", body: "Only once." },
    });
    expect((await h.ok(me.member, SEND, { id: draft.id })).sendDraft.state).toBe("SENT");
    // As if the process had died after sending, before recording it.
    await h.sql(
      `update drafts set state = 'SENDING', sent_at = null, send_started_at = now() - interval '1 hour' where id = ?`,
      [draft.id],
    );
    const resumed = await h.ok(me.member, SEND, { id: draft.id });
    expect(resumed.sendDraft.state).toBe("SENT");
    expect(await withId(bob, "INBOX", draft.messageIdHeader)).toHaveLength(1);
    expect(await withId(me.user, "Sent", draft.messageIdHeader)).toHaveLength(1);
  });

  test("an unknown outcome not found in Sent is sent; a SENDING within its lease is waited for, not sent", async () => {
    const me = await mailbox();
    const bob = await createMailUser();
    const { createDraft: draft } = await h.ok(me.member, CREATE_DRAFT, {
      input: { accountId: me.accountId, to: [{ email: bob.address }], subject: "Lost", body: "Never went out." },
    });
    // Another process took it a moment ago: this call waits, then takes over once the 1 s lease passes.
    await h.sql(`update drafts set state = 'SENDING', send_started_at = now() where id = ?`, [draft.id]);
    const started = Date.now();
    const { sendDraft } = await h.ok(me.member, SEND, { id: draft.id });
    expect(sendDraft.state).toBe("SENT");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await withId(bob, "INBOX", draft.messageIdHeader)).toHaveLength(1);
  });

  test("a permanent refusal (5xx) is FAILED with the reason and nothing sent; a server not reachable is FAILED, then sends", async () => {
    const me = await mailbox();
    const { createDraft: refused } = await h.ok(me.member, CREATE_DRAFT, {
      input: { accountId: me.accountId, to: [{ email: "nobody-here@mary.test" }], subject: "Bounce", body: "x" },
    });
    const failed = (await h.ok(me.member, SEND, { id: refused.id })).sendDraft;
    expect(failed.state).toBe("FAILED");
    expect(failed.sendError).toMatch(/^The SMTP server refused the message: 5\d\d/);
    expect(await withId(me.user, "Sent", refused.messageIdHeader)).toHaveLength(0);
    // FAILED is editable: fixed, it sends.
    const bob = await createMailUser();
    await h.ok(me.member, UPDATE_DRAFT, { id: refused.id, input: { to: [{ email: bob.address }] } });
    expect((await h.ok(me.member, SEND, { id: refused.id })).sendDraft).toMatchObject({
      state: "SENT",
      sendError: null,
    });
    expect(await withId(bob, "INBOX", refused.messageIdHeader)).toHaveLength(1);
    // A SENT draft cannot be changed.
    expect(errorCode(await h.call(me.member, UPDATE_DRAFT, { id: refused.id, input: { body: "later" } }))).toBe(
      "BAD_USER_INPUT",
    );

    // The SMTP server unreachable (nothing listens on port 9): FAILED, retryable, nothing sent.
    const { createDraft: later } = await h.ok(me.member, CREATE_DRAFT, {
      input: { accountId: me.accountId, to: [{ email: bob.address }], subject: "Later", body: "y" },
    });
    const [{ smtp_port: port }] = (await h.sql<{ smtp_port: number }>(
      `select smtp_port from mail_accounts where id = ?`,
      [me.accountId],
    )) as [{ smtp_port: number }];
    await h.sql(`update mail_accounts set smtp_port = 9 where id = ?`, [me.accountId]);
    const down = (await h.ok(me.member, SEND, { id: later.id })).sendDraft;
    expect(down.state).toBe("FAILED");
    expect(down.sendError).toMatch(/could not be reached.*nothing was sent/);
    await h.sql(`update mail_accounts set smtp_port = ? where id = ?`, [port, me.accountId]);
    expect((await h.ok(me.member, SEND, { id: later.id })).sendDraft.state).toBe("SENT");
    expect(await withId(bob, "INBOX", later.messageIdHeader)).toHaveLength(1);
  });
});
