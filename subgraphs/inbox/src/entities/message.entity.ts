import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { BigIntType, EntitySchema } from "@mikro-orm/postgresql";
import { stringEnum } from "@mary/kit";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

export const MESSAGE_CATEGORIES = ["IMPORTANT", "ACTIONABLE", "FYI", "NEWSLETTER", "OTHER"] as const;
export type MessageCategory = (typeof MESSAGE_CATEGORIES)[number];
export const MessageCategoryEnum = stringEnum(MESSAGE_CATEGORIES, "MessageCategory", "Triage's verdict on a message.", {
  IMPORTANT: "Needs the user's attention: for example from a CRM contact with an open deal.",
  ACTIONABLE: "Asks the user to do something.",
  FYI: "Worth knowing, nothing to do.",
  NEWSLETTER: "Bulk mail the user subscribed to.",
  OTHER: "Everything else.",
});

export const URGENCIES = ["HIGH", "NORMAL", "LOW"] as const;
export type Urgency = (typeof URGENCIES)[number];
export const UrgencyEnum = stringEnum(URGENCIES, "Urgency", "How soon a message wants an answer.", {
  HIGH: "Today.",
  NORMAL: "In the usual course.",
  LOW: "Whenever, or never.",
});

export const TRIAGE_SOURCES = ["RULE", "CONTACT", "PROVIDER", "USER"] as const;
export type TriageSource = (typeof TRIAGE_SOURCES)[number];
export const TriageSourceEnum = stringEnum(TRIAGE_SOURCES, "TriageSource", "What decided a message's category.", {
  RULE: "One of the workspace's triage rules.",
  CONTACT: "The sender is a CRM contact with an open deal.",
  PROVIDER: "The AI provider (or, offline, the local provider's deterministic rules).",
  USER: "The user, with `recategorize`.",
});

@ObjectType({ description: "A person on a message: a name and an address." })
export class MailAddress {
  @Field(() => String, { nullable: true, description: "The display name, when the message gives one." })
  name!: string | null;

  @Field(() => String, { description: "The address, lower-cased." })
  email!: string;
}

/** What is stored of an attachment: enough to list it and fetch it from the server. */
export interface AttachmentRecord {
  /** The IMAP body part (BODYSTRUCTURE section number), to fetch it later. */
  part: string;
  filename: string | null;
  contentType: string;
  size: number;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "One mail message of a connected account, as the last sync saw it." })
export class Message {
  @Field(() => ID, { description: "Stable identifier of the message in Mary." })
  id: string = randomUUID();

  workspaceId!: string;
  userId!: string;
  accountId!: string;
  folderId!: string;
  /** The message's UID in its folder (under the folder's UIDVALIDITY). */
  uid!: number;

  @Field(() => String, { nullable: true, description: "The Message-ID header, without angle brackets." })
  messageIdHeader: string | null = null;

  /** In-Reply-To and References, without angle brackets: how messages are threaded. */
  inReplyTo: string | null = null;
  references: string[] = [];

  threadId!: string;

  @Field(() => String, { description: "The subject; empty when there is none." })
  subject: string = "";

  fromAddress: MailAddress | null = null;
  toAddresses: MailAddress[] = [];
  ccAddresses: MailAddress[] = [];
  /** Every address on the message, lower-cased: for a contact's mail and for search. */
  correspondents: string[] = [];

  @Field(() => Date, { description: "When the message was sent (its Date header, else when it arrived)." })
  sentAt: Date = new Date();

  @Field(() => String, { description: "The first 200 characters of the text, on one line." })
  snippet: string = "";

  /** The bodies are loaded only when asked for (see MessageResolver), not with every list. */
  textBody: string | null = null;
  htmlBody: string | null = null;

  attachments: AttachmentRecord[] = [];
  /** The headers triage rules may test (lower-cased names). */
  headers: Record<string, string> = {};

  @Field(() => Boolean, { description: "Whether the message has been read (the IMAP \\Seen flag)." })
  seen: boolean = false;

  @Field(() => Boolean, { description: "Whether the message is flagged (the IMAP \\Flagged flag)." })
  flagged: boolean = false;

  @Field(() => MessageCategoryEnum, { nullable: true, description: "Triage's category; null until triaged." })
  category: MessageCategory | null = null;

  @Field(() => UrgencyEnum, { nullable: true, description: "Triage's urgency; null until triaged." })
  urgency: Urgency | null = null;

  @Field(() => String, { nullable: true, description: "Why triage chose the category, in one line." })
  triageReason: string | null = null;

  @Field(() => TriageSourceEnum, { nullable: true, description: "What decided the category." })
  triageSource: TriageSource | null = null;

  @Field(() => Int, { description: "The message's size in bytes, as the server counts it." })
  size: number = 0;

  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const MessageSchema = new EntitySchema<Message>({
  class: Message,
  tableName: "messages",
  // A folder's UID names one message: re-running a sync inserts nothing twice.
  uniques: [{ properties: ["folderId", "uid"] }],
  indexes: [
    { properties: ["workspaceId", "userId", "sentAt", "id"] },
    { properties: ["folderId", "sentAt", "id"] },
    { properties: ["threadId", "sentAt"] },
    { properties: ["accountId", "messageIdHeader"] },
    { name: "messages_correspondents_index", properties: ["correspondents"], type: "gin" },
    { name: "messages_references_index", properties: ["references"], type: "gin" },
    // Full-text search, ranked by PostgreSQL (ts_rank over the same expression).
    {
      name: "messages_search_index",
      expression: `create index "messages_search_index" on "messages" using gin (to_tsvector('english'::regconfig, "subject" || ' ' || coalesce("text_body", '')))`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    userId: { type: "uuid" },
    accountId: { type: "uuid" },
    folderId: { type: "uuid" },
    uid: { type: new BigIntType("number") },
    messageIdHeader: { type: "text", nullable: true },
    inReplyTo: { type: "text", nullable: true },
    references: { type: "text[]" },
    threadId: { type: "uuid" },
    subject: { type: "text" },
    fromAddress: { type: "jsonb", nullable: true },
    toAddresses: { type: "jsonb" },
    ccAddresses: { type: "jsonb" },
    correspondents: { type: "text[]" },
    sentAt: { type: "datetime" },
    snippet: { type: "text" },
    textBody: { type: "text", nullable: true, lazy: true },
    htmlBody: { type: "text", nullable: true, lazy: true },
    attachments: { type: "jsonb" },
    headers: { type: "jsonb" },
    seen: { type: "boolean" },
    flagged: { type: "boolean" },
    category: { type: "string", length: 10, nullable: true },
    urgency: { type: "string", length: 6, nullable: true },
    triageReason: { type: "string", length: 300, nullable: true },
    triageSource: { type: "string", length: 8, nullable: true },
    size: { type: "int" },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
