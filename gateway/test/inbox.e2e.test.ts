import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createMailUser,
  errorCode,
  MAIL_HOST,
  MAIL_IMAP_PORT,
  MAIL_SUBMISSION_PORT,
  REDIS_URL,
  type MailUser,
} from "@mary/kit/testing";
import {
  addSyncJob,
  deliver as deliverAny,
  imapOf,
  rawMessage,
  type OutgoingMail,
} from "../../subgraphs/inbox/test/harness.ts";

/** Delivers mail over SMTP from one known sender, as another server would; returns its Message-ID. */
const deliver = (mail: OutgoingMail) =>
  deliverAny({
    from: "Sam Sender <sam@sender.test>",
    ...mail,
    references: mail.inReplyTo ? [mail.inReplyTo] : undefined,
  });
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";
import { subscribe, wsClient } from "./ws-client.ts";

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const ok = async <T = any>(account: SignedUp | string, query: string, variables: Record<string, unknown> = {}) => {
  const response = await platform.gql<T>(query, variables, typeof account === "string" ? account : account.accessToken);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
};

const CONNECT = `mutation ($input: ConnectMailAccountInput!) { connectMailAccount(input: $input) { id address syncState } }`;
const mailInput = (user: MailUser, password = user.password) => ({
  address: user.address,
  imapHost: MAIL_HOST,
  imapPort: MAIL_IMAP_PORT,
  imapSecurity: "NONE",
  smtpHost: MAIL_HOST,
  smtpPort: MAIL_SUBMISSION_PORT,
  smtpSecurity: "NONE",
  password,
});

/** Runs a sync of the account in the platform's inbox now (waiting out one the queue runs). */
async function syncNow(accountId: string) {
  for (;;) {
    const report = await platform.inbox.sync.syncAccount(accountId);
    if (report.skipped !== "locked") return report;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function until<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A signed-up user with a connected mailbox of their own. */
async function withMailbox(): Promise<{ account: SignedUp; user: MailUser; accountId: string }> {
  const account = await platform.signUp();
  const user = await createMailUser();
  const { connectMailAccount } = await ok(account, CONNECT, { input: mailInput(user) });
  return { account, user, accountId: connectMailAccount.id };
}

const MESSAGES = `query ($filter: MessageFilter, $first: Int) { messages(filter: $filter, first: $first) {
  edges { node { id subject snippet from { email name } thread { id messageCount } folder { role } seen flagged } } } }`;

describe("the inbox through the gateway, against the real mail server", () => {
  test("mail delivered over SMTP appears threaded and searchable; a second sync adds nothing", async () => {
    const { account, user, accountId } = await withMailbox();
    const root = await deliver({
      to: user.address,
      subject: "Proposal for Initech",
      text: "The proposal is attached.",
      date: new Date(Date.now() - 60_000),
    });
    await deliver({ to: user.address, subject: "Re: Proposal for Initech", inReplyTo: root, text: "Looks good." });
    await deliver({ to: user.address, subject: "Team lunch", text: "Pizza on Friday." });
    await syncNow(accountId);
    const { messages } = await ok(account, MESSAGES, { filter: { folder: "INBOX" } });
    const bySubject = new Map(messages.edges.map((edge: any) => [edge.node.subject, edge.node]));
    expect([...bySubject.keys()].sort()).toEqual(["Proposal for Initech", "Re: Proposal for Initech", "Team lunch"]);
    const proposal = bySubject.get("Proposal for Initech") as any;
    expect(proposal.from).toEqual({ email: "sam@sender.test", name: "Sam Sender" });
    expect((bySubject.get("Re: Proposal for Initech") as any).thread).toEqual({
      id: proposal.thread.id,
      messageCount: 2,
    });
    expect((bySubject.get("Team lunch") as any).thread.id).not.toBe(proposal.thread.id);

    const { thread } = await ok(
      account,
      `query ($id: ID!) { thread(id: $id) { subject messages { edges { node { subject textBody } } } } }`,
      { id: proposal.thread.id },
    );
    expect(thread.subject).toBe("Proposal for Initech");
    expect(thread.messages.edges.map((edge: any) => edge.node.textBody.trim())).toEqual([
      "The proposal is attached.",
      "Looks good.",
    ]);

    const found = await ok(account, MESSAGES, { filter: { search: "proposals" } });
    expect(found.messages.edges.map((edge: any) => edge.node.subject).sort()).toEqual([
      "Proposal for Initech",
      "Re: Proposal for Initech",
    ]);
    const pizza = await ok(account, MESSAGES, { filter: { search: "pizza" } });
    expect(pizza.messages.edges.map((edge: any) => edge.node.subject)).toEqual(["Team lunch"]);

    // crm's contact with the sender's address shows the mail exchanged with it (inbox @requires its emails).
    const { createContact } = await ok(
      account,
      `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`,
      { input: { name: "Sam Sender", emails: ["Sam@Sender.test"] } },
    );
    const { contact } = await ok(
      account,
      `query ($id: ID!) { contact(id: $id) { name messages(first: 10) { edges { node { subject from { email } } } } } }`,
      { id: createContact.id },
    );
    expect(contact.messages.edges.map((edge: any) => edge.node.subject).sort()).toEqual([
      "Proposal for Initech",
      "Re: Proposal for Initech",
      "Team lunch",
    ]);
    const stranger = await platform.signUp();
    const theirs = await platform.gql(
      `query ($id: ID!) { contact(id: $id) { messages { edges { node { id } } } } }`,
      { id: createContact.id },
      stranger.accessToken,
    );
    expect(errorCode(theirs)).toBe("NOT_FOUND");

    const count = async () =>
      (
        await platform.inbox.orm.em
          .fork()
          .getConnection()
          .execute(`select count(*)::int as n from messages where account_id = ?`, [accountId])
      )[0]!.n;
    expect(await count()).toBe(3);
    const again = await syncNow(accountId);
    expect(again).toMatchObject({ added: 0, moved: 0, removed: 0 });
    expect(await count()).toBe(3);
  });

  test("a message flagged, read, archived or moved in Mary is so on the server (seen by another IMAP client)", async () => {
    const { account, user, accountId } = await withMailbox();
    await deliver({ to: user.address, subject: "flag me" });
    await deliver({ to: user.address, subject: "move me" });
    await syncNow(accountId);
    const { messages } = await ok(account, MESSAGES, {});
    const id = (subject: string) => messages.edges.find((edge: any) => edge.node.subject === subject).node.id;
    await ok(account, `mutation ($ids: [ID!]!) { flagMessages(ids: $ids, flagged: true) { id flagged } }`, {
      ids: [id("flag me")],
    });
    await ok(account, `mutation ($ids: [ID!]!) { markMessages(ids: $ids, seen: true) { id seen } }`, {
      ids: [id("flag me")],
    });
    const { mailAccount } = await ok(
      account,
      `query ($id: ID!) { mailAccount(id: $id) { folders { id path role } } }`,
      {
        id: accountId,
      },
    );
    const junk = mailAccount.folders.find((folder: any) => folder.role === "JUNK");
    const { moveMessages } = await ok(
      account,
      `mutation ($ids: [ID!]!, $f: ID!) { moveMessages(ids: $ids, folderId: $f) { id folder { path } } }`,
      { ids: [id("move me")], f: junk.id },
    );
    expect(moveMessages).toEqual([{ id: id("move me"), folder: { path: junk.path } }]);

    const imap = await imapOf(user);
    try {
      const look = async (path: string) => {
        const lock = await imap.getMailboxLock(path);
        try {
          const seen: Record<string, string[]> = {};
          for await (const m of imap.fetch("1:*", { envelope: true, flags: true })) {
            seen[m.envelope!.subject!] = [...m.flags!].filter((flag) => flag !== "\\Recent").sort();
          }
          return seen;
        } finally {
          lock.release();
        }
      };
      expect(await look("INBOX")).toEqual({ "flag me": ["\\Flagged", "\\Seen"] });
      expect(await look(junk.path)).toEqual({ "move me": [] });
      const { archiveMessages } = await ok(
        account,
        `mutation ($ids: [ID!]!) { archiveMessages(ids: $ids) { id folder { role } } }`,
        { ids: [id("flag me")] },
      );
      expect(archiveMessages).toEqual([{ id: id("flag me"), folder: { role: "ARCHIVE" } }]);
      expect(await look("INBOX")).toEqual({});
      expect(Object.keys(await look("Archive"))).toEqual(["flag me"]);
    } finally {
      await imap.logout();
    }
    // Mary and the server agree: the next sync changes nothing, and the messages kept their ids.
    expect(await syncNow(accountId)).toMatchObject({ added: 0, moved: 0, removed: 0, flagsChanged: 0 });
    const after = await ok(account, MESSAGES, {});
    expect(after.messages.edges.map((edge: any) => edge.node.id).sort()).toEqual([id("flag me"), id("move me")].sort());
  });

  test("another workspace's and a colleague's messages and accounts are unreachable by id", async () => {
    const { account, user, accountId } = await withMailbox();
    await deliver({ to: user.address, subject: "confidential" });
    await syncNow(accountId);
    const { messages } = await ok(account, MESSAGES, {});
    const message = messages.edges[0].node;

    const stranger = await platform.signUp();
    const colleague = await platform.signUp();
    await ok(
      account,
      `mutation ($w: ID!, $e: String!) { addMember(workspaceId: $w, email: $e, role: ADMIN) { role } }`,
      {
        w: account.workspace.id,
        e: colleague.user.email,
      },
    );
    const switched = await ok(colleague, `mutation ($w: ID!) { switchWorkspace(workspaceId: $w) { accessToken } }`, {
      w: account.workspace.id,
    });
    const colleagueToken: string = switched.switchWorkspace.accessToken;
    for (const token of [stranger.accessToken, colleagueToken]) {
      for (const [query, variables] of [
        [`query ($id: ID!) { message(id: $id) { id } }`, { id: message.id }],
        [`query ($id: ID!) { thread(id: $id) { id } }`, { id: message.thread.id }],
        [`query ($id: ID!) { mailAccount(id: $id) { id } }`, { id: accountId }],
        [`mutation ($ids: [ID!]!) { markMessages(ids: $ids, seen: true) { id } }`, { ids: [message.id] }],
        [`mutation ($ids: [ID!]!) { archiveMessages(ids: $ids) { id } }`, { ids: [message.id] }],
      ] as const) {
        const response = await platform.gql(query, variables, token);
        expect(errorCode(response), query).toBe("NOT_FOUND");
      }
      const lists = await ok(
        token,
        `query ($a: ID!) { messages(filter: { accountId: $a }) { edges { node { id } } }
          search: messages(filter: { search: "confidential" }) { edges { node { id } } }
          mailAccounts { edges { node { id } } } }`,
        { a: accountId },
      );
      expect(lists).toEqual({ messages: { edges: [] }, search: { edges: [] }, mailAccounts: { edges: [] } });
    }
    const still = await ok(account, `query ($id: ID!) { message(id: $id) { seen folder { role } } }`, {
      id: message.id,
    });
    expect(still.message).toEqual({ seen: false, folder: { role: "INBOX" } });
  });

  test("a wrong password is refused at connect, and nothing is saved", async () => {
    const account = await platform.signUp();
    const user = await createMailUser();
    const response = await platform.gql(CONNECT, { input: mailInput(user, "not-the-password") }, account.accessToken);
    expect(errorCode(response)).toBe("BAD_USER_INPUT");
    expect(response.errors?.[0]?.message).toMatch(/refused the user name or password/);
    expect(response.errors?.[0]?.extensions?.field).toBe("password");
    expect(await ok(account, `{ mailAccounts { edges { node { id } } } }`)).toEqual({ mailAccounts: { edges: [] } });
  });

  test("inboxEvents delivers a new message live, and `after` resumes with the rest exactly once", async () => {
    const { account, user, accountId } = await withMailbox();
    const other = await withMailbox();
    // Wait for the sync that connecting queued, so its events are not mistaken for this test's.
    await until(
      async () =>
        (await ok(account, `query ($id: ID!) { mailAccount(id: $id) { syncState } }`, { id: accountId })).mailAccount
          .syncState === "IDLE",
    );
    const EVENTS = `subscription ($after: String) { inboxEvents(after: $after) {
      cursor type syncState account { id address } message { subject from { email } thread { messageCount } } } }`;
    const client = wsClient(platform.url, account.accessToken);
    const otherClient = wsClient(platform.url, other.account.accessToken);
    try {
      const live = subscribe(client, EVENTS);
      const theirs = subscribe(otherClient, EVENTS);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const liveOneId = await deliver({ to: user.address, subject: "Live one" });
      await syncNow(accountId);
      await until(async () => live.results.some((r: any) => r.data?.inboxEvents.type === "NEW_MESSAGE"));
      await until(async () => live.results.some((r: any) => r.data?.inboxEvents.syncState === "IDLE"));
      const events = live.results.map((r: any) => {
        expect(r.errors).toBeUndefined();
        return r.data.inboxEvents;
      });
      const fresh = events.find((e: any) => e.type === "NEW_MESSAGE");
      expect(fresh).toMatchObject({
        account: { id: accountId, address: user.address },
        message: { subject: "Live one", from: { email: "sam@sender.test" }, thread: { messageCount: 1 } },
      });
      expect(events.map((e: any) => e.syncState).filter(Boolean)).toEqual(["SYNCING", "IDLE"]);
      // Each once, in order.
      expect(new Set(events.map((e: any) => e.cursor)).size).toBe(events.length);
      // The other member's stream has only their own account's events (its first sync's, if any).
      expect(theirs.results.every((r: any) => r.data.inboxEvents.account.id === other.accountId)).toBe(true);

      // Resuming after the first event replays the rest, then goes on live.
      const resumed = subscribe(client, EVENTS, { after: events[0].cursor });
      await resumed.received(events.length - 1);
      expect(resumed.results.map((r: any) => r.data.inboxEvents.cursor)).toEqual(
        events.slice(1).map((e: any) => e.cursor),
      );
      await deliver({ to: user.address, subject: "Live two", inReplyTo: liveOneId });
      await syncNow(accountId);
      await until(async () => resumed.results.some((r: any) => r.data?.inboxEvents.message?.subject === "Live two"));
      // Read afresh for each event, though the subscription began before: the thread now has two.
      const two = resumed.results.find((r: any) => r.data?.inboxEvents.message?.subject === "Live two") as any;
      expect(two.data.inboxEvents.message.thread.messageCount).toBe(2);
      const cursors = resumed.results.map((r: any) => r.data.inboxEvents.cursor);
      expect(new Set(cursors).size).toBe(cursors.length);
      live.unsubscribe();
      theirs.unsubscribe();
      resumed.unsubscribe();
      // The cursor read with the lists: a subscription from it gets what happened after the read, and nothing before.
      const { inboxEventsCursor } = await ok(account, `{ inboxEventsCursor }`);
      const afterRead = await deliver({ to: user.address, subject: "After the read" });
      await syncNow(accountId);
      const fromCursor = subscribe(client, EVENTS, { after: inboxEventsCursor });
      await until(async () =>
        fromCursor.results.some((r: any) => r.data?.inboxEvents.message?.subject === "After the read"),
      );
      expect(afterRead).toBeTruthy();
      expect(fromCursor.results.some((r: any) => r.data?.inboxEvents.message?.subject === "Live two")).toBe(false);
      fromCursor.unsubscribe();
      const bad = subscribe(client, EVENTS, { after: "not-a-cursor" });
      await bad.received(1);
      expect(bad.results[0]!.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    } finally {
      await client.dispose();
      await otherClient.dispose();
    }
  });
});

describe("calendars through the gateway", () => {
  test("a calendar's private ICS feed answers calendar apps by its token alone, until it is revoked", async () => {
    const owner = await platform.signUp();
    const { calendars } = await ok(owner, `{ calendars { id } }`);
    const calendarId = calendars[0].id;
    await ok(
      owner,
      `mutation ($id: ID!) { createEvent(calendarId: $id, input: { title: "Board meeting", start: "2026-05-04T08:00:00Z", end: "2026-05-04T09:00:00Z", timeZone: "Europe/Berlin" }) { event { id } } }`,
      { id: calendarId },
    );
    const { createCalendarFeed } = await ok(
      owner,
      `mutation ($id: ID!) { createCalendarFeed(calendarId: $id) { url } }`,
      {
        id: calendarId,
      },
    );
    const feedUrl: string = createCalendarFeed.url;
    expect(feedUrl).toMatch(new RegExp(`^${platform.gatewayOrigin}/calendars/[A-Za-z0-9_-]{32}\\.ics$`));
    const served = await fetch(feedUrl);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const ics = await served.text();
    expect(ics).toContain("SUMMARY:Board meeting");
    expect(ics).toContain("DTSTART;TZID=Europe/Berlin:20260504T100000");
    expect((await fetch(`${platform.gatewayOrigin}/calendars/${"a".repeat(32)}.ics`)).status).toBe(404);

    // Another workspace's member cannot reach the calendar by id, nor make its feed.
    const stranger = await platform.signUp();
    const foreign = await platform.gql(
      `mutation ($id: ID!) { createCalendarFeed(calendarId: $id) { url } }`,
      { id: calendarId },
      stranger.accessToken,
    );
    expect(errorCode(foreign)).toBe("NOT_FOUND");

    await ok(owner, `mutation ($id: ID!) { revokeCalendarFeed(calendarId: $id) { hasFeed } }`, { id: calendarId });
    expect((await fetch(feedUrl)).status).toBe(404);
  });
});

describe("a killed sync worker", () => {
  const MESSAGE_COUNT = 1_500;

  /** An inbox process of its own (as production runs several), on the platform's database. */
  function startInboxProcess(env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "subgraphs/inbox/src/index.ts"], {
      cwd: new URL("../..", import.meta.url).pathname,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    return child;
  }

  test("its job is finished by another process, nothing lost or duplicated", { timeout: 240_000 }, async () => {
    const { account, user, accountId } = await withMailbox();
    await until(
      async () =>
        (await ok(account, `query ($id: ID!) { mailAccount(id: $id) { syncState } }`, { id: accountId })).mailAccount
          .syncState === "IDLE",
    );
    // A large mailbox, appended over IMAP in parallel.
    const imap = await Promise.all([0, 1, 2, 3].map(() => imapOf(user)));
    try {
      await Promise.all(
        imap.map(async (client, worker) => {
          for (let i = worker; i < MESSAGE_COUNT; i += imap.length) {
            await client.append(
              "INBOX",
              rawMessage({
                from: `bulk${i % 50}@sender.test`,
                to: user.address,
                subject: `Bulk ${i}`,
                messageId: `bulk-${i}-${accountId}@sender.test`,
                text: `Message number ${i}. ${"Lorem ipsum dolor sit amet. ".repeat(20)}`,
              }),
            );
          }
        }),
      );
    } finally {
      await Promise.all(imap.map((client) => client.logout()));
    }

    // Processes on a queue of their own, so that the platform's worker does not take the job.
    const queueName = `inbox-sync-kill-${randomUUID()}`;
    const env = { ...platform.inboxEnv, SYNC_QUEUE_NAME: queueName, SYNC_LOCK_MS: "1500", LOG_LEVEL: "silent" };
    const sql = (query: string, params: unknown[] = []) =>
      platform.inbox.orm.em.fork().getConnection().execute(query, params);
    const count = async () =>
      (await sql(`select count(*)::int as n from messages where account_id = ?`, [accountId]))[0]!.n as number;
    const children: ChildProcess[] = [];
    let job: Awaited<ReturnType<typeof addSyncJob>> | undefined;
    try {
      const first = startInboxProcess(env);
      children.push(first);
      job = await addSyncJob(queueName, accountId, REDIS_URL);
      // Killed mid-sync: some batches stored, most not.
      await until(async () => (await count()) >= 200, 60_000);
      first.kill("SIGKILL");
      await once(first, "exit");
      const atKill = await count();
      expect(atKill).toBeLessThan(MESSAGE_COUNT);

      const second = startInboxProcess(env);
      children.push(second);
      await until(async () => ["completed", "failed"].includes((await job!.state()) ?? ""), 120_000);
      expect(await job!.state()).toBe("completed");
      const [rows] = await sql(
        `select count(*)::int as n, count(distinct message_id_header)::int as distinct_ids,
           count(distinct (folder_id, uid))::int as distinct_uids from messages where account_id = ?`,
        [accountId],
      );
      expect(rows).toEqual({ n: MESSAGE_COUNT, distinct_ids: MESSAGE_COUNT, distinct_uids: MESSAGE_COUNT });
      const [state] = await sql(`select sync_state from mail_accounts where id = ?`, [accountId]);
      expect(state!.sync_state).toBe("IDLE");
      const [threads] = await sql(`select sum(message_count)::int as n from threads where account_id = ?`, [accountId]);
      expect(threads!.n).toBe(MESSAGE_COUNT);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
      await job?.close();
    }
  });
});
