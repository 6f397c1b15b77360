import { commonConfig, loadConfig, port, secretKeysConfig, unsetWhenEmpty } from "@mary/kit";
import { z } from "zod";

export const inboxConfigShape = {
  ...commonConfig,
  INBOX_PORT: port(4004),
  INBOX_HOST: z.string().default("127.0.0.1"),
  INBOX_DATABASE_URL: z.string().url().default("postgres://mary:mary@127.0.0.1:5432/inbox"),
  /** The public gateway, which triage asks (as the mailbox owner) whether a sender is a contact with an open deal. */
  GATEWAY_URL: z.string().url().default("http://127.0.0.1:4000/graphql"),
  /** The public gateway, as calendar apps reach it: calendars' ICS feed URLs start with it. */
  PUBLIC_GATEWAY_ORIGIN: z.string().url().default("http://127.0.0.1:4000"),
  INBOX_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Keys sealing mail credentials: `id:base64 32 bytes`, comma-separated; the first seals, all open. */
  SECRET_KEYS: secretKeysConfig,
  /** Lets accounts use `security: NONE` (plaintext IMAP/SMTP); on by default outside production, for local servers. */
  MAIL_ALLOW_PLAINTEXT: unsetWhenEmpty(z.enum(["true", "false"]).optional()),
  /** How long connecting to a mail server may take, in connect checks and in syncs. */
  MAIL_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(500).default(15_000),
  /** Lets CalDAV calendars be connected over plain http://; on by default outside production, for local servers. */
  CALDAV_ALLOW_PLAINTEXT: unsetWhenEmpty(z.enum(["true", "false"]).optional()),
  /** How often each CalDAV calendar is synced both ways (a BullMQ job scheduler per calendar). */
  CALDAV_SYNC_SECONDS: z.coerce.number().int().min(1).default(300),
  /** The BullMQ queue of CalDAV syncs, which every inbox process of one deployment shares. */
  CALDAV_SYNC_QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/)
    .default("inbox-caldav-sync"),
  /** How long each request to a CalDAV server may take, in connect checks and in syncs. */
  CALDAV_TIMEOUT_MS: z.coerce.number().int().min(500).default(15_000),
  /** How often each account is looked at for new mail. */
  SYNC_POLL_SECONDS: z.coerce.number().int().min(1).default(60),
  /** The BullMQ queue every inbox process of one deployment shares. */
  SYNC_QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/)
    .default("inbox-sync"),
  /** Sync jobs one inbox process runs at once. */
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).default(2),
  /** How long a sync job's lock lives without renewal: a killed worker's job is taken over after this. */
  SYNC_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** How long a draft's send attempt is left alone; past it, its outcome counts as unknown and Sent is checked before a retry. */
  INBOX_SEND_LEASE_MS: z.coerce.number().int().min(1_000).default(120_000),
  /** How long a sendDraft meeting another attempt waits for its outcome. */
  INBOX_SEND_WAIT_MS: z.coerce.number().int().min(0).default(30_000),
  /** The largest attachment Attachment.content fetches from a mail server, in bytes (10 MB). */
  INBOX_MAX_ATTACHMENT_BYTES: z.coerce.number().int().min(1_024).default(10_485_760),
  /** How often open tasks are checked for coming due or overdue (TASK_DUE / TASK_OVERDUE events). */
  TASK_DUE_CHECK_SECONDS: z.coerce.number().int().min(1).default(60),
  /** A task is "due soon" (a TASK_DUE event) this many minutes before its due time. */
  TASK_DUE_SOON_MINUTES: z.coerce.number().int().min(1).default(60),
  /** The BullMQ queue of the task due check, which every inbox process of one deployment shares. */
  TASK_DUE_QUEUE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/)
    .default("inbox-task-due"),
  /** Triage's AI provider; without a key, the LOCAL provider's deterministic rules. Empty counts as unset. */
  OPENAI_API_KEY: unsetWhenEmpty(z.string().min(1).optional()),
  OPENAI_BASE_URL: unsetWhenEmpty(z.string().url().optional()),
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(60_000),
};

export type InboxConfig = ReturnType<typeof loadInboxConfig>;
export const loadInboxConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(inboxConfigShape, env);

/** Whether plaintext (security NONE) mail connections are allowed under this config. */
export const allowsPlaintext = (config: InboxConfig) =>
  config.MAIL_ALLOW_PLAINTEXT ? config.MAIL_ALLOW_PLAINTEXT === "true" : config.NODE_ENV !== "production";

/** Whether CalDAV calendars may be connected over plain http:// under this config. */
export const allowsCalDavPlaintext = (config: InboxConfig) =>
  config.CALDAV_ALLOW_PLAINTEXT ? config.CALDAV_ALLOW_PLAINTEXT === "true" : config.NODE_ENV !== "production";
