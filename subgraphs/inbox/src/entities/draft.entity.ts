import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { stringEnum } from "@mary/kit";
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { MailAddress } from "./message.entity.ts";

export const DRAFT_STATES = ["DRAFT", "SENDING", "SENT", "FAILED"] as const;
export type DraftState = (typeof DRAFT_STATES)[number];
export const DraftStateEnum = stringEnum(DRAFT_STATES, "DraftState", "Where a draft is on its way out.", {
  DRAFT: "Being written; editable.",
  SENDING: "Handed to the SMTP server; not editable.",
  SENT: "Accepted by the SMTP server and saved in Sent.",
  FAILED: "The server refused it (`sendError` says why); editable, and sendDraft tries again.",
});

@Directive('@key(fields: "id")')
@ObjectType({ description: "A message being written, usually a reply, sent with sendDraft exactly once." })
export class Draft {
  @Field(() => ID, { description: "Stable identifier of the draft." })
  id: string = randomUUID();

  workspaceId!: string;
  userId!: string;
  accountId!: string;
  /** The message this replies to, if any. */
  replyToId: string | null = null;

  /** Fixed when the draft is made, so a retried send is recognisable (in Sent, and by recipients). */
  @Field(() => String, { description: "The Message-ID the mail is sent with, without angle brackets." })
  messageIdHeader!: string;

  inReplyTo: string | null = null;
  references: string[] = [];

  @Field(() => [MailAddress], { description: "Recipients." })
  toAddresses: MailAddress[] = [];

  @Field(() => [MailAddress], { description: "Copied recipients." })
  ccAddresses: MailAddress[] = [];

  @Field(() => String, { description: "The subject." })
  subject: string = "";

  @Field(() => String, { description: "The plain-text body." })
  body: string = "";

  @Field(() => DraftStateEnum, { description: "Where the draft is on its way out." })
  state: DraftState = "DRAFT";

  /** When the current send attempt began: an old SENDING is an attempt whose outcome is unknown. */
  sendStartedAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: "When the SMTP server accepted it." })
  sentAt: Date | null = null;

  @Field(() => String, { nullable: true, description: "Why the last send failed." })
  sendError: string | null = null;

  @Field(() => Date, { description: "When the draft was made." })
  createdAt: Date = new Date();

  @Field(() => Date, { description: "When the draft last changed." })
  updatedAt: Date = new Date();
}

export const DraftSchema = new EntitySchema<Draft>({
  class: Draft,
  tableName: "drafts",
  indexes: [{ properties: ["workspaceId", "userId", "createdAt", "id"] }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    userId: { type: "uuid" },
    accountId: { type: "uuid" },
    replyToId: { type: "uuid", nullable: true },
    messageIdHeader: { type: "text", unique: true },
    inReplyTo: { type: "text", nullable: true },
    references: { type: "text[]" },
    toAddresses: { type: "jsonb" },
    ccAddresses: { type: "jsonb" },
    subject: { type: "text" },
    body: { type: "text" },
    state: { type: "string", length: 8 },
    sendStartedAt: { type: "datetime", nullable: true },
    sentAt: { type: "datetime", nullable: true },
    sendError: { type: "string", length: 500, nullable: true },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
