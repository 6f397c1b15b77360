import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { stringEnum } from "@mary/kit";
import { GraphQLLocalDate } from "graphql-scalars";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

export const TASK_STATUSES = ["TODO", "IN_PROGRESS", "DONE"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TaskStatusEnum = stringEnum(TASK_STATUSES, "TaskStatus", "Where a task is.", {
  TODO: "Not started.",
  IN_PROGRESS: "Being worked on.",
  DONE: "Finished (progress 100). Only once every task blocking it is DONE.",
});

export const TASK_PRIORITIES = ["LOW", "MEDIUM", "HIGH", "URGENT"] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export const TaskPriorityEnum = stringEnum(TASK_PRIORITIES, "TaskPriority", "How much a task matters.", {
  LOW: "Whenever there is time.",
  MEDIUM: "The usual (the default).",
  HIGH: "Before the usual work.",
  URGENT: "Before anything else.",
});

export const TASK_SOURCES = ["MANUAL", "MESSAGE", "EVENT"] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];
export const TaskSourceEnum = stringEnum(TASK_SOURCES, "TaskSource", "Where a task came from.", {
  MANUAL: "Someone wrote it.",
  MESSAGE: "An action item of a mail message (`sourceMessage`), or a task made with `sourceMessageId`.",
  EVENT: "A calendar event (`sourceEventId`).",
});

/**
 * A to-do of a workspace. Tasks are shared: every member of the workspace sees and edits them
 * (unlike mail, which is personal); another workspace's are NOT_FOUND like missing ones.
 */
@Directive('@key(fields: "id")')
@ObjectType({
  description:
    "A to-do of the workspace, seen and edited by all its members: status, priority, progress, a zone-aware due " +
    "time, an assignee, where it came from, and the tasks it waits for (`blockedBy`).",
})
export class Task {
  @Field(() => ID, { description: "Stable identifier of the task." })
  id: string = randomUUID();

  workspaceId!: string;

  @Field(() => String, { description: "What is to be done, 1 to 500 characters." })
  title!: string;

  @Field(() => String, { nullable: true, description: "More about it, up to 20,000 characters; null for none." })
  description: string | null = null;

  @Field(() => TaskStatusEnum, { description: "Where the task is." })
  status: TaskStatus = "TODO";

  @Field(() => TaskPriorityEnum, { description: "How much it matters." })
  priority: TaskPriority = "MEDIUM";

  @Field(() => Int, { description: "How far along it is, in percent (0 to 100); 100 once DONE." })
  progress: number = 0;

  @Field(() => Date, {
    nullable: true,
    description:
      "When it is due, as an instant; null for no due time. A date-only due (`dueDate`) is the end of that day " +
      "(23:59:59.999) in `dueTimeZone`.",
  })
  dueAt: Date | null = null;

  @Field(() => String, {
    description:
      "The IANA time zone the due time is meant in, such as Europe/Berlin (UTC unless set): `dueLocal` shows the due " +
      "time in it, and a date-only due ends at midnight there.",
  })
  dueTimeZone: string = "UTC";

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: 'For a date-only due ("due on 2026-03-29"), the day, in `dueTimeZone`; null for a due time or none.',
  })
  dueDate: string | null = null;

  /** Any UUID: inbox cannot check workspace membership cheaply, so it stores the id as given. */
  assigneeId: string | null = null;

  @Field(() => TaskSourceEnum, { description: "Where the task came from." })
  source: TaskSource = "MANUAL";

  /** MESSAGE: the message (personal: its owner's mailbox). */
  sourceMessageId: string | null = null;
  /**
   * createTasksFromMessage: the action item the task was made from, normalised (lower case, single
   * spaces), unique per message, so asking again makes no duplicate even after the title is edited.
   */
  sourceItem: string | null = null;

  @Field(() => ID, {
    nullable: true,
    description: "EVENT: the id of the calendar event the task came from (stored as given); null otherwise.",
  })
  sourceEventId: string | null = null;

  createdBy!: string;

  @Field(() => Date, { description: "When the task was made." })
  createdAt: Date = new Date();

  @Field(() => Date, { description: "When the task last changed." })
  updatedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: "When it was last set DONE; null while it is not DONE." })
  completedAt: Date | null = null;

  /** When TASK_DUE was published for the current dueAt (reset when dueAt changes). */
  dueNotifiedAt: Date | null = null;
  /** When TASK_OVERDUE was published for the current dueAt (reset when dueAt changes). */
  overdueNotifiedAt: Date | null = null;
}

/** The expression lists sort by (no due last), as the indexes hold it: queries must spell it the same. */
export const DUE_ORDER = `coalesce("due_at", 'infinity'::timestamptz)`;

export const TaskSchema = new EntitySchema<Task>({
  class: Task,
  tableName: "tasks",
  indexes: [
    // tasks(): soonest due first (none last), then oldest first; the keyset pagination walks this index.
    {
      name: "tasks_workspace_due_order_index",
      expression: `create index "tasks_workspace_due_order_index" on "tasks" ("workspace_id", (${DUE_ORDER}), "created_at", "id")`,
    },
    // User.tasks and the assigneeId filter.
    {
      name: "tasks_workspace_assignee_due_order_index",
      expression: `create index "tasks_workspace_assignee_due_order_index" on "tasks" ("workspace_id", "assignee_id", (${DUE_ORDER}), "created_at", "id")`,
    },
    // The status filter.
    {
      name: "tasks_workspace_status_due_order_index",
      expression: `create index "tasks_workspace_status_due_order_index" on "tasks" ("workspace_id", "status", (${DUE_ORDER}), "created_at", "id")`,
    },
    // The search filter: `title ilike '%term%'`.
    {
      name: "tasks_title_trgm_index",
      expression: `create index "tasks_title_trgm_index" on "tasks" using gin ("title" gin_trgm_ops)`,
    },
    // The sourceMessageId filter and createTasksFromMessage.
    { properties: ["workspaceId", "sourceMessageId"] },
    // The due check: open tasks with a due time that are not yet notified of it.
    {
      name: "tasks_due_check_index",
      expression: `create index "tasks_due_check_index" on "tasks" ("due_at") where "status" <> 'DONE' and "due_at" is not null and ("due_notified_at" is null or "overdue_notified_at" is null)`,
    },
    // One task per action item of a message: createTasksFromMessage twice makes no duplicates.
    {
      name: "tasks_source_item_unique",
      expression: `create unique index "tasks_source_item_unique" on "tasks" ("workspace_id", "source_message_id", "source_item") where "source_item" is not null`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    title: { type: "string", length: 500 },
    description: { type: "text", nullable: true },
    status: { type: "string", length: 11 },
    priority: { type: "string", length: 6 },
    progress: { type: "int" },
    dueAt: { type: "datetime", nullable: true },
    dueTimeZone: { type: "string", length: 64 },
    dueDate: { type: "date", nullable: true },
    assigneeId: { type: "uuid", nullable: true },
    source: { type: "string", length: 7 },
    sourceMessageId: { type: "uuid", nullable: true },
    sourceItem: { type: "string", length: 500, nullable: true },
    sourceEventId: { type: "uuid", nullable: true },
    createdBy: { type: "uuid" },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
    completedAt: { type: "datetime", nullable: true },
    dueNotifiedAt: { type: "datetime", nullable: true },
    overdueNotifiedAt: { type: "datetime", nullable: true },
  },
});
