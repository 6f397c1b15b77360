import "reflect-metadata";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import { stringEnum } from "@mary/kit";
import { SyncStateEnum, type SyncState } from "../entities/mail-account.entity.ts";
import {
  eventCursor,
  INBOX_EVENT_TYPES,
  type InboxEventType,
  type StoredInboxEvent,
} from "../services/inbox-events.ts";

export const InboxEventTypeEnum = stringEnum(
  INBOX_EVENT_TYPES,
  "InboxEventType",
  "What happened in a member's inbox.",
  {
    NEW_MESSAGE: "A message arrived (found by a sync), in `message`.",
    MESSAGE_TRIAGED: "A message got its category, urgency and reason, in `message`.",
    SYNC_STATE: "An account's sync started, finished or failed: `syncState`, and `account`.",
    TASK_DUE:
      "A task assigned to or made by the member is due soon (within TASK_DUE_SOON_MINUTES, 60 by default) and not " +
      "DONE: `task`. Once per due time.",
    TASK_OVERDUE:
      "A task assigned to or made by the member is past its due time and not DONE: `task`. Once per due time.",
  },
);

@ObjectType({ description: "One event of the caller's inbox, in order." })
export class InboxEvent {
  accountId!: string | null;
  messageId!: string | null;

  @Field(() => String, {
    description: "Opaque position in the caller's event stream: subscribe with `after` to get every later event once.",
  })
  cursor!: string;

  @Field(() => InboxEventTypeEnum, { description: "What happened." })
  type!: InboxEventType;

  @Field(() => SyncStateEnum, { nullable: true, description: "SYNC_STATE: the account's new sync state." })
  syncState!: SyncState | null;

  @Field(() => ID, { nullable: true, description: "TASK_DUE and TASK_OVERDUE: the task's id; null for mail events." })
  taskId!: string | null;

  @Field(() => GraphQLDateTimeISO, { description: "When it happened." })
  at!: Date;
}

/** The GraphQL shape of a stored event. */
export const toInboxEvent = (event: StoredInboxEvent): InboxEvent => ({
  accountId: event.accountId ?? null,
  messageId: event.messageId ?? null,
  taskId: event.taskId ?? null,
  cursor: eventCursor(event.id),
  type: event.type,
  syncState: event.syncState ?? null,
  at: new Date(event.at),
});
