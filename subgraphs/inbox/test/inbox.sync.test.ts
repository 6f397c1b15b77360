import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMailUser } from "@mary/kit/testing";
import type { MessageTriage } from "../src/services/sync.service.ts";
import { deliver, imapOf, newMember, rawMessage, startHarness, type Harness } from "./harness.ts";

/** A stand-in for triage (another part of inbox): mail with List-Unsubscribe is a newsletter. */
const triaged: string[][] = [];
const triage: MessageTriage = {
  triage: async (_account, messages) => {
    triaged.push(messages.map((m) => m.subject));
    return messages.map((m) =>
      m.headers["list-unsubscribe"]
        ? { category: "NEWSLETTER", urgency: "LOW", reason: "Has List-Unsubscribe", source: "PROVIDER" }
        : { category: "OTHER", urgency: "NORMAL", reason: "Nothing special", source: "PROVIDER" },
    );
  },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ triage });
});
afterAll(async () => {
  await h?.stop();
});

const rowsOf = (accountId: string) =>
  h.sql<{
    id: string;
    subject: string;
    thread_id: string;
    folder: string;
    uid: number;
    seen: boolean;
    flagged: boolean;
    category: string | null;
  }>(
    `select m.id, m.subject, m.thread_id, f.path as folder, m.uid::int as uid, m.seen, m.flagged, m.category
     from messages m join mail_folders f on f.id = m.folder_id where m.account_id = ? order by m.sent_at, m.subject`,
    [accountId],
  );

describe("the inbox database", () => {
  test("migrations produce exactly the schema the entities describe", async () => {
    const diff = await h.app.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe("");
  });
});

describe("sync against the real mail server", () => {
  test("mail delivered over SMTP is stored, threaded and triaged; a second sync adds nothing", async () => {
    const user = await createMailUser();
    const me = newMember();
    const accountId = await h.connect(me, user);
    const root = await deliver({ to: user.address, subject: "Quarterly plan", text: "Here is the plan." });
    await deliver({ to: user.address, subject: "Re: Quarterly plan", inReplyTo: root, references: [root] });
    await deliver({
      to: user.address,
      subject: "Weekly digest",
      headers: { "List-Unsubscribe": "<mailto:unsub@news.test>" },
    });
    // The sync connecting queued may have run already; this one then finds the rest.
    await h.sync(accountId);
    const rows = await rowsOf(accountId);
    expect(rows.map((r) => [r.subject, r.folder, r.category])).toEqual([
      ["Quarterly plan", "INBOX", "OTHER"],
      ["Re: Quarterly plan", "INBOX", "OTHER"],
      ["Weekly digest", "INBOX", "NEWSLETTER"],
    ]);
    expect(rows[0]!.thread_id).toBe(rows[1]!.thread_id);
    expect(rows[2]!.thread_id).not.toBe(rows[0]!.thread_id);
    const [thread] = await h.sql(`select subject, message_count from threads where id = ?`, [rows[0]!.thread_id]);
    expect(thread).toEqual({ subject: "Quarterly plan", message_count: 2 });
    const [account] = await h.sql(`select sync_state, sync_error, last_synced_at from mail_accounts where id = ?`, [
      accountId,
    ]);
    expect(account).toMatchObject({ sync_state: "IDLE", sync_error: null });
    expect(account!.last_synced_at).not.toBeNull();

    const second = await h.sync(accountId);
    expect(second).toMatchObject({ added: 0, moved: 0, removed: 0 });
    expect(await rowsOf(accountId)).toEqual(rows);
  });

  test("a parent synced after its reply joins the reply's thread; a message naming two threads merges them", async () => {
    const user = await createMailUser();
    const accountId = await h.connect(newMember(), user);
    const imap = await imapOf(user);
    try {
      await imap.append(
        "INBOX",
        rawMessage({
          from: "a@x.test",
          to: user.address,
          subject: "Re: lunch",
          text: "yes",
          messageId: "reply@x.test",
        }).replace("\r\n\r\n", "\r\nIn-Reply-To: <root@x.test>\r\n\r\n"),
      );
      await imap.append(
        "INBOX",
        rawMessage({ from: "b@x.test", to: user.address, subject: "Other", text: "other", messageId: "other@x.test" }),
      );
      await h.sync(accountId);
      let rows = await rowsOf(accountId);
      expect(new Set(rows.map((r) => r.thread_id)).size).toBe(2);
      await imap.append(
        "INBOX",
        rawMessage({ from: "c@x.test", to: user.address, subject: "lunch", text: "lunch?", messageId: "root@x.test" }),
      );
      await h.sync(accountId);
      rows = await rowsOf(accountId);
      const thread = (subject: string) => rows.find((r) => r.subject === subject)!.thread_id;
      expect(thread("lunch")).toBe(thread("Re: lunch"));
      expect(thread("Other")).not.toBe(thread("lunch"));
      // Names both root and other: the two threads become one.
      await imap.append(
        "INBOX",
        rawMessage({
          from: "d@x.test",
          to: user.address,
          subject: "Both",
          text: "both",
          messageId: "both@x.test",
        }).replace("\r\n\r\n", "\r\nReferences: <root@x.test> <other@x.test>\r\n\r\n"),
      );
      await h.sync(accountId);
      rows = await rowsOf(accountId);
      expect(new Set(rows.map((r) => r.thread_id)).size).toBe(1);
      const threads = await h.sql(`select message_count from threads where account_id = ?`, [accountId]);
      expect(threads).toEqual([{ message_count: 4 }]);
    } finally {
      await imap.logout();
    }
  });

  test("another client's flags, moves and deletions reach Mary; a moved message keeps its id and triage", async () => {
    const user = await createMailUser();
    const accountId = await h.connect(newMember(), user);
    for (const subject of ["one", "two", "three"]) await deliver({ to: user.address, subject });
    await h.sync(accountId);
    const all = await rowsOf(accountId);
    const before = ["one", "two", "three"].map((subject) => all.find((r) => r.subject === subject)!);
    await h.sql(`update messages set category = 'FYI', triage_source = 'USER' where id = ?`, [before[1]!.id]);
    const imap = await imapOf(user);
    try {
      const lock = await imap.getMailboxLock("INBOX");
      try {
        await imap.messageFlagsAdd(String(before[0]!.uid), ["\\Seen", "\\Flagged"], { uid: true });
        await imap.messageMove(String(before[1]!.uid), "Archive", { uid: true });
        await imap.messageDelete(String(before[2]!.uid), { uid: true });
      } finally {
        lock.release();
      }
    } finally {
      await imap.logout();
    }
    const report = await h.sync(accountId);
    expect(report).toMatchObject({ added: 0, moved: 1, removed: 1, flagsChanged: 1 });
    const after = (await rowsOf(accountId)).sort((a, b) => a.subject.localeCompare(b.subject));
    expect(after.map((r) => [r.id, r.subject, r.folder, r.seen, r.flagged, r.category])).toEqual([
      [before[0]!.id, "one", "INBOX", true, true, "OTHER"],
      [before[1]!.id, "two", "Archive", false, false, "FYI"],
    ]);
    expect(await h.sql(`select count(*)::int as n from threads where account_id = ?`, [accountId])).toEqual([{ n: 2 }]);
  });

  test("a changed UIDVALIDITY resyncs the folder: rows keep their ids, those gone are dropped", async () => {
    const user = await createMailUser();
    const accountId = await h.connect(newMember(), user);
    const imap = await imapOf(user);
    try {
      const messages = ["keep-1", "keep-2", "gone"].map((id) =>
        rawMessage({ from: "a@x.test", to: user.address, subject: id, text: id, messageId: `${id}@x.test` }),
      );
      await imap.mailboxCreate("Projects");
      for (const raw of messages) await imap.append("Projects", raw);
      await h.sync(accountId);
      const before = await rowsOf(accountId);
      expect(before.map((r) => r.folder)).toEqual(["Projects", "Projects", "Projects"]);
      const [folder] = await h.sql(`select uid_validity from mail_folders where account_id = ? and path = 'Projects'`, [
        accountId,
      ]);
      // A new folder of the same name: a new UIDVALIDITY, and the messages at other UIDs.
      await imap.mailboxDelete("Projects");
      await imap.mailboxCreate("Projects");
      await imap.append(
        "Projects",
        rawMessage({ from: "a@x.test", to: user.address, subject: "new", text: "new", messageId: "new@x.test" }),
      );
      await imap.append("Projects", messages[1]!);
      await imap.append("Projects", messages[0]!);
      await h.sync(accountId);
      const after = await rowsOf(accountId);
      const [resynced] = await h.sql(
        `select uid_validity from mail_folders where account_id = ? and path = 'Projects'`,
        [accountId],
      );
      expect(resynced!.uid_validity).not.toBe(folder!.uid_validity);
      const byId = new Map(after.map((r) => [r.subject, r]));
      expect([...byId.keys()].sort()).toEqual(["keep-1", "keep-2", "new"]);
      expect(byId.get("keep-1")!.id).toBe(before.find((r) => r.subject === "keep-1")!.id);
      expect(byId.get("keep-2")!.id).toBe(before.find((r) => r.subject === "keep-2")!.id);
      expect(byId.get("keep-1")!.uid).toBe(3);
      expect(await h.sync(accountId)).toMatchObject({ added: 0, removed: 0 });
    } finally {
      await imap.logout();
    }
  });

  test("the first sync reads only the last syncDays days", async () => {
    const user = await createMailUser();
    const imap = await imapOf(user);
    try {
      const old = new Date(Date.now() - 20 * 86_400_000);
      await imap.append(
        "INBOX",
        rawMessage({
          from: "a@x.test",
          to: user.address,
          subject: "old",
          text: "old",
          messageId: "old@x.test",
          date: old,
        }),
        [],
        old,
      );
      await imap.append(
        "INBOX",
        rawMessage({
          from: "a@x.test",
          to: user.address,
          subject: "recent",
          text: "recent",
          messageId: "recent@x.test",
        }),
      );
    } finally {
      await imap.logout();
    }
    const accountId = await h.connect(newMember(), user, { syncDays: 7 });
    await h.sync(accountId);
    expect((await rowsOf(accountId)).map((r) => r.subject)).toEqual(["recent"]);
    expect(triaged.some((batch) => batch.includes("recent"))).toBe(true);
  });
});
