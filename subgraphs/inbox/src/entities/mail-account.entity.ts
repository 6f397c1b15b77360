import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { stringEnum } from "@mary/kit";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

export const CONNECTION_SECURITIES = ["TLS", "STARTTLS", "NONE"] as const;
export type ConnectionSecurity = (typeof CONNECTION_SECURITIES)[number];
export const ConnectionSecurityEnum = stringEnum(
  CONNECTION_SECURITIES,
  "ConnectionSecurity",
  "How a connection to a mail server is protected.",
  {
    TLS: "TLS from the first byte (IMAP 993, SMTP 465).",
    STARTTLS: "Plain first, then upgraded with STARTTLS before logging in (IMAP 143, SMTP 587).",
    NONE: "No encryption: only for servers on a trusted network, such as a local test server.",
  },
);

export const MAIL_AUTH_METHODS = ["PASSWORD", "OAUTH2"] as const;
export type MailAuthMethod = (typeof MAIL_AUTH_METHODS)[number];
export const MailAuthMethodEnum = stringEnum(MAIL_AUTH_METHODS, "MailAuthMethod", "How Mary logs in to a mailbox.", {
  PASSWORD: "A password (or an app password), sent with LOGIN / AUTH PLAIN.",
  OAUTH2: "An OAuth 2 access token, sent with XOAUTH2.",
});

export const SYNC_STATES = ["PENDING", "SYNCING", "IDLE", "ERROR"] as const;
export type SyncState = (typeof SYNC_STATES)[number];
export const SyncStateEnum = stringEnum(SYNC_STATES, "MailSyncState", "Where an account's sync is.", {
  PENDING: "Connected; the first sync has not started yet.",
  SYNCING: "A sync is running.",
  IDLE: "Up to date as of `lastSyncedAt`; new mail is looked for on a schedule.",
  ERROR: "The last sync failed; `syncError` says why, and the next one retries.",
});

@ObjectType({ description: "Where and how Mary reaches one side (IMAP or SMTP) of a mail account." })
export class MailServerSettings {
  @Field(() => String, { description: "Host name or address of the server." })
  host!: string;

  @Field(() => Int, { description: "TCP port." })
  port!: number;

  @Field(() => ConnectionSecurityEnum, { description: "How the connection is protected." })
  security!: ConnectionSecurity;
}

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    "A mailbox a user connected over IMAP and SMTP. Its credentials are kept encrypted and no field returns them.",
})
export class MailAccount {
  @Field(() => ID, { description: "Stable identifier of the account." })
  id: string = randomUUID();

  workspaceId!: string;
  /** The member who connected it: only they read its mail. */
  userId!: string;

  @Field(() => String, { description: "The account's email address, lower-cased." })
  address!: string;

  @Field(() => String, { nullable: true, description: "The name put on mail sent from the account." })
  displayName: string | null = null;

  imapHost!: string;
  imapPort!: number;
  imapSecurity!: ConnectionSecurity;
  smtpHost!: string;
  smtpPort!: number;
  smtpSecurity!: ConnectionSecurity;

  @Field(() => String, { description: "The user name Mary logs in with." })
  username!: string;

  @Field(() => MailAuthMethodEnum, { description: "How Mary logs in." })
  authMethod: MailAuthMethod = "PASSWORD";

  /** The password or access token, sealed by the kit's SecretBox and bound to the account's id. */
  secret!: string;

  @Field(() => Int, { description: "How many days back the first sync reads." })
  syncDays: number = 30;

  @Field(() => SyncStateEnum, { description: "Where the account's sync is." })
  syncState: SyncState = "PENDING";

  @Field(() => String, { nullable: true, description: "Why the last sync failed; null after a good one." })
  syncError: string | null = null;

  @Field(() => Date, { nullable: true, description: "When a sync last finished well." })
  lastSyncedAt: Date | null = null;

  @Field(() => Date, { description: "When the account was connected." })
  createdAt: Date = new Date();

  updatedAt: Date = new Date();
}

export const MailAccountSchema = new EntitySchema<MailAccount>({
  class: MailAccount,
  tableName: "mail_accounts",
  uniques: [{ properties: ["workspaceId", "userId", "address"] }],
  indexes: [{ properties: ["workspaceId", "userId", "createdAt", "id"] }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    userId: { type: "uuid" },
    address: { type: "string", length: 320 },
    displayName: { type: "string", length: 200, nullable: true },
    imapHost: { type: "string", length: 253 },
    imapPort: { type: "int" },
    imapSecurity: { type: "string", length: 8 },
    smtpHost: { type: "string", length: 253 },
    smtpPort: { type: "int" },
    smtpSecurity: { type: "string", length: 8 },
    username: { type: "string", length: 320 },
    authMethod: { type: "string", length: 8 },
    secret: { type: "text" },
    syncDays: { type: "int" },
    syncState: { type: "string", length: 8 },
    syncError: { type: "string", length: 500, nullable: true },
    lastSyncedAt: { type: "datetime", nullable: true },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
