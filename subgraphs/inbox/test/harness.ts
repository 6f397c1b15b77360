import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { ImapFlow } from "imapflow";
import { createTransport } from "nodemailer";
import { expect } from "vitest";
import type { AuthenticatedPrincipal, Principal } from "@mary/kit";
import {
  createMailUser,
  createTestDatabase,
  graphql,
  MAIL_DOMAIN,
  MAIL_HOST,
  MAIL_IMAP_PORT,
  MAIL_SMTP_PORT,
  MAIL_SUBMISSION_PORT,
  signedHeaders,
  TEST_ENV,
  type GraphQLResponse,
  type MailUser,
  waitForDelivery,
} from "@mary/kit/testing";
import { startInbox, type InboxApp } from "../src/app.ts";
import { loadInboxConfig } from "../src/config.ts";
import type { MessageTriage } from "../src/services/sync.service.ts";
import type { SyncReport } from "../src/services/sync.service.ts";

export interface Harness {
  app: InboxApp;
  /** The settings the subgraph was started with, for another process on the same data. */
  env: Record<string, string>;
  statements: string[];
  call: <T = any>(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ) => Promise<GraphQLResponse<T>>;
  ok: <T = any>(principal: Principal, query: string, variables?: Record<string, unknown>) => Promise<T>;
  sql: <T = Record<string, any>>(query: string, params?: unknown[]) => Promise<T[]>;
  /** Connects the mail user's mailbox for the member; returns the account's id. */
  connect: (member: AuthenticatedPrincipal, user: MailUser, extra?: Record<string, unknown>) => Promise<string>;
  /** Runs one sync of the account now (waiting out a background sync that holds its lock). */
  sync: (accountId: string) => Promise<SyncReport>;
  stop: () => Promise<void>;
}

/** Nothing listens here: inbox's calls to the gateway fail fast. */
export const UNREACHABLE_GATEWAY = "http://127.0.0.1:9/graphql";

export async function startHarness(
  options: { triage?: MessageTriage; env?: Record<string, string> } = {},
): Promise<Harness> {
  const db = await createTestDatabase("inbox");
  const statements: string[] = [];
  const env: Record<string, string> = {
    ...TEST_ENV,
    INBOX_PORT: "0",
    INBOX_DATABASE_URL: db.url,
    GATEWAY_URL: UNREACHABLE_GATEWAY,
    SYNC_QUEUE_NAME: `inbox-sync-${randomUUID()}`,
    // Tests run their syncs themselves; the schedule's job only runs once, when an account is connected.
    SYNC_POLL_SECONDS: "3600",
    // Likewise CalDAV calendars: their tests sync with syncCalendar (or app.caldav.sync); the schedule waits an hour.
    CALDAV_SYNC_QUEUE_NAME: `inbox-caldav-sync-${randomUUID()}`,
    CALDAV_SYNC_SECONDS: "3600",
    ...options.env,
  };
  const app = await startInbox(loadInboxConfig(env), {
    onQuery: (statement) => statements.push(statement),
    triage: options.triage,
  });
  const call = <T = any>(principal: Principal, query: string, variables: Record<string, unknown> = {}) =>
    graphql<T>(app.url, query, variables, signedHeaders(principal));
  const ok = async <T = any>(principal: Principal, query: string, variables: Record<string, unknown> = {}) => {
    const response = await call<T>(principal, query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data as T;
  };
  const sql = <T = Record<string, any>>(query: string, params: unknown[] = []) =>
    app.orm.em.fork().getConnection().execute<T[]>(query, params);
  return {
    app,
    env,
    statements,
    call,
    ok,
    sql,
    connect: async (member, user, extra = {}) => {
      const { connectMailAccount } = await ok<{ connectMailAccount: { id: string } }>(member, CONNECT, {
        input: mailAccountInput(user, extra),
      });
      return connectMailAccount.id;
    },
    sync: async (accountId) => {
      for (let attempt = 0; ; attempt++) {
        const report = await app.sync.syncAccount(accountId);
        if (report.skipped !== "locked" || attempt > 600) return report;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: async () => {
      await app?.close();
      await db.drop();
    },
  };
}

export const CONNECT = `mutation ($input: ConnectMailAccountInput!) { connectMailAccount(input: $input) { id address syncState } }`;

/** connectMailAccount's input for a user of the test mail server (plain text, loopback). */
export const mailAccountInput = (user: MailUser, extra: Record<string, unknown> = {}) => ({
  address: user.address,
  imapHost: MAIL_HOST,
  imapPort: MAIL_IMAP_PORT,
  imapSecurity: "NONE",
  smtpHost: MAIL_HOST,
  smtpPort: MAIL_SUBMISSION_PORT,
  smtpSecurity: "NONE",
  password: user.password,
  ...extra,
});

/** A member of a fresh workspace (or of the one given) with the inbox scopes. */
export function newMember(workspaceId: string = randomUUID()): AuthenticatedPrincipal {
  return {
    kind: "user",
    userId: randomUUID(),
    workspaceId,
    role: "OWNER",
    scopes: ["inbox:read", "inbox:write"],
    plan: "FREE",
  };
}

export { createMailUser, MAIL_DOMAIN };

export interface OutgoingMail {
  from?: string;
  to: string | string[];
  cc?: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer | string; contentType?: string }[];
  /** The Date header; now when omitted. */
  date?: Date;
}

/** Delivers mail to the test server over SMTP, as another server would; returns its Message-ID (without brackets). */
export async function deliver(mail: OutgoingMail): Promise<string> {
  const transport = createTransport({ host: MAIL_HOST, port: MAIL_SMTP_PORT, secure: false, ignoreTLS: true });
  const messageId = mail.messageId ?? `${randomUUID()}@sender.test`;
  try {
    await transport.sendMail({
      from: mail.from ?? `sender-${randomUUID().slice(0, 8)}@sender.test`,
      to: mail.to,
      cc: mail.cc,
      subject: mail.subject ?? "Hello",
      text: mail.text ?? "Hello there.",
      html: mail.html,
      messageId: `<${messageId}>`,
      inReplyTo: mail.inReplyTo ? `<${mail.inReplyTo}>` : undefined,
      references: mail.references?.map((id) => `<${id}>`),
      headers: mail.headers,
      attachments: mail.attachments,
      date: mail.date,
    });
  } finally {
    transport.close();
  }
  // Postfix accepts first and delivers a moment later: return once it is in the mailboxes.
  await waitForDelivery([...[mail.to].flat(), ...(mail.cc ? [mail.cc] : [])], messageId);
  return messageId;
}

/** An IMAP client of the user's own, as another mail client would be: connected; log out when done. */
export async function imapOf(user: MailUser): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: MAIL_HOST,
    port: MAIL_IMAP_PORT,
    secure: false,
    doSTARTTLS: false,
    auth: { user: user.address, pass: user.password },
    logger: false,
  });
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** A raw RFC 5322 message, for APPEND. */
export function rawMessage(mail: {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  date?: Date;
}) {
  return [
    `From: ${mail.from}`,
    `To: ${mail.to}`,
    `Subject: ${mail.subject}`,
    `Date: ${(mail.date ?? new Date()).toUTCString()}`,
    `Message-ID: <${mail.messageId}>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    mail.text,
    "",
  ].join("\r\n");
}

/** Waits until `check` returns something truthy (polling), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A sync job put on a queue directly (as the scheduler would), and how to follow it. */
export async function addSyncJob(queueName: string, accountId: string, redisUrl: string) {
  const queue = new Queue(queueName, { connection: { url: redisUrl, maxRetriesPerRequest: null } });
  const jobId = `test-${accountId}-${randomUUID()}`;
  await queue.add("sync", { accountId }, { jobId, attempts: 5, backoff: { type: "fixed", delay: 200 } });
  return {
    /** The job's state: waiting, active, completed, failed… */
    state: async () => (await queue.getJob(jobId))?.getState(),
    close: async () => {
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    },
  };
}
