import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, InputType, Int } from "type-graphql";
import { TaskPriorityEnum, TaskStatusEnum, type TaskPriority, type TaskStatus } from "../entities/task.entity.ts";

const TITLE = "What is to be done: 1 to 500 characters (trimmed).";
const DUE_AT =
  "When it is due, as an instant (an ISO 8601 date and time with its offset). Not with dueDate; null for no due time.";
const DUE_DATE =
  "A date-only due: the task is due by the end of that day (23:59:59.999) in dueTimeZone, computed with the " +
  "zone's rules (summer time included). Not with dueAt.";
const DUE_TIME_ZONE =
  "The IANA time zone of the due time, such as Europe/Berlin: the day of a date-only due is that zone's, and " +
  "dueLocal shows the due time in it.";
const ASSIGNEE =
  "The workspace member who is to do it. Inbox cannot check workspace membership cheaply, so any user id is " +
  "accepted and stored as given.";
const BLOCKED_BY =
  "The workspace's tasks this one waits for (at most 100). A cycle, a task waiting for itself included, is " +
  "BAD_USER_INPUT naming it, and nothing is saved; another workspace's id is NOT_FOUND.";

@InputType({ description: "A new task of the caller's workspace." })
export class CreateTaskInput {
  @Field(() => String, { description: TITLE })
  title!: string;

  @Field(() => String, { nullable: true, description: "More about it, up to 20,000 characters." })
  description?: string | null;

  @Field(() => TaskStatusEnum, {
    nullable: true,
    description: "Where it starts; TODO when omitted. DONE needs every blocker DONE, and sets progress 100.",
  })
  status?: TaskStatus | null;

  @Field(() => TaskPriorityEnum, { nullable: true, description: "How much it matters; MEDIUM when omitted." })
  priority?: TaskPriority | null;

  @Field(() => Int, { nullable: true, description: "How far along it is, 0 to 100 percent; 0 when omitted." })
  progress?: number | null;

  @Field(() => Date, { nullable: true, description: DUE_AT })
  dueAt?: Date | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: DUE_DATE })
  dueDate?: string | null;

  @Field(() => String, { nullable: true, description: `${DUE_TIME_ZONE} UTC when omitted.` })
  dueTimeZone?: string | null;

  @Field(() => ID, { nullable: true, description: `${ASSIGNEE} The caller when omitted; null for nobody.` })
  assigneeId?: string | null;

  @Field(() => [ID], { nullable: true, description: BLOCKED_BY })
  blockedByIds?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "The caller's own message the task comes from (source MESSAGE); another's, or a missing one, is NOT_FOUND.",
  })
  sourceMessageId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The calendar event the task comes from (source EVENT), stored as given. Not with sourceMessageId.",
  })
  sourceEventId?: string | null;
}

@InputType({
  description:
    "Changes to a task: only the fields given change (null clears a nullable one); everything is checked before " +
    "anything is saved.",
})
export class UpdateTaskInput {
  @Field(() => String, { nullable: true, description: TITLE })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "More about it, up to 20,000 characters; null for none." })
  description?: string | null;

  @Field(() => TaskStatusEnum, {
    nullable: true,
    description:
      "Its new status. DONE is BAD_USER_INPUT listing the blockers that are not DONE (and nothing changes); it sets " +
      "progress 100 and completedAt. Leaving DONE clears completedAt and keeps progress unless it is given.",
  })
  status?: TaskStatus | null;

  @Field(() => TaskPriorityEnum, { nullable: true, description: "How much it matters." })
  priority?: TaskPriority | null;

  @Field(() => Int, {
    nullable: true,
    description: "How far along it is, 0 to 100 percent (a DONE task's is 100).",
  })
  progress?: number | null;

  @Field(() => Date, {
    nullable: true,
    description: `${DUE_AT} A new due time is notified again (TASK_DUE, TASK_OVERDUE).`,
  })
  dueAt?: Date | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: `${DUE_DATE} null clears a date-only due.`,
  })
  dueDate?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `${DUE_TIME_ZONE} A new zone moves a date-only due to the end of the same day there; a due instant stays.`,
  })
  dueTimeZone?: string | null;

  @Field(() => ID, { nullable: true, description: `${ASSIGNEE} null for nobody.` })
  assigneeId?: string | null;

  @Field(() => [ID], {
    nullable: true,
    description: `Replaces the tasks this one waits for; null or [] for none. ${BLOCKED_BY}`,
  })
  blockedByIds?: string[] | null;
}

@InputType({ description: "Which of the workspace's tasks to list; every condition given must hold." })
export class TaskFilter {
  @Field(() => [TaskStatusEnum], { nullable: true, description: "Only tasks in one of these statuses." })
  status?: TaskStatus[] | null;

  @Field(() => ID, { nullable: true, description: "Only tasks assigned to this user." })
  assigneeId?: string | null;

  @Field(() => [TaskPriorityEnum], { nullable: true, description: "Only tasks with one of these priorities." })
  priority?: TaskPriority[] | null;

  @Field(() => Date, {
    nullable: true,
    description: "Only tasks due before this instant (tasks without a due, never).",
  })
  dueBefore?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "Only tasks due at or after this instant (tasks without a due, never).",
  })
  dueAfter?: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "true: only overdue tasks (past due and not DONE); false: only the others.",
  })
  overdue?: boolean | null;

  @Field(() => ID, { nullable: true, description: "Only tasks made from this message." })
  sourceMessageId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Only tasks whose title contains this text, ignoring case: 1 to 200 characters.",
  })
  search?: string | null;
}
