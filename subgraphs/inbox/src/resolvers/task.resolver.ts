import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArgs, pageRequest, requireScope, checkId, type Connection, type ReferenceResolvers } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import { CalendarEvent } from "../entities/calendar-event.entity.ts";
import { Message } from "../entities/message.entity.ts";
import { Task } from "../entities/task.entity.ts";
import { isOverdue } from "../services/task.service.ts";
import { localDueTime } from "../services/task-due.ts";
import { TaskConnection } from "../types/connections.type.ts";
import { User } from "../types/user.type.ts";
import { CreateTaskInput, TaskFilter, UpdateTaskInput } from "./task.input.ts";

const ORDER =
  "Soonest due first, tasks without a due time last; ties, and tasks without a due time, oldest first (then by id, " +
  "so cursors are stable).";

@Resolver(() => Task)
export class TaskResolver {
  @Query(() => Task, {
    description:
      "A task of the caller's workspace (any member's). NOT_FOUND when there is none with that id, in this workspace.",
  })
  task(@Arg("id", () => ID, { description: "The task's id." }) id: string, @Ctx() ctx: InboxContext): Promise<Task> {
    return ctx.tasks.get(requireScope(ctx.principal, "inbox:read"), id);
  }

  @Query(() => TaskConnection, { description: `The tasks of the caller's workspace. ${ORDER}` })
  tasks(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => TaskFilter, { nullable: true, description: "Only tasks matching all of these." })
    filter: TaskFilter | null,
    @Ctx() ctx: InboxContext,
  ): Promise<Connection<Task>> {
    return ctx.tasks.list(requireScope(ctx.principal, "inbox:read"), filter ?? {}, pageRequest(page));
  }

  @Mutation(() => Task, {
    description:
      "Adds a task to the caller's workspace, made by the caller. Bad input is BAD_USER_INPUT naming the field " +
      "(`extensions.field`), and nothing is saved.",
  })
  async createTask(
    @Arg("input", () => CreateTaskInput, { description: "The task." }) input: CreateTaskInput,
    @Ctx() ctx: InboxContext,
  ): Promise<Task> {
    const caller = requireScope(ctx.principal, "inbox:write");
    // A task made from an event names one the caller may see (NOT_FOUND otherwise, like any foreign id).
    if (input.sourceEventId != null && input.sourceMessageId == null)
      await ctx.calendarEvents.find(caller, checkId(input.sourceEventId, "sourceEventId"));
    return ctx.tasks.create(caller, input);
  }

  @Mutation(() => Task, {
    description:
      "Changes a task of the workspace: only the fields given. Bad input is BAD_USER_INPUT naming the field, and " +
      "nothing changes; another workspace's task is NOT_FOUND. Reopening a task that blocks a DONE one is allowed and " +
      "changes nothing else: the DONE task stays DONE.",
  })
  updateTask(
    @Arg("id", () => ID, { description: "The task's id." }) id: string,
    @Arg("input", () => UpdateTaskInput, { description: "The changes." }) input: UpdateTaskInput,
    @Ctx() ctx: InboxContext,
  ): Promise<Task> {
    return ctx.tasks.update(requireScope(ctx.principal, "inbox:write"), id, input);
  }

  @Mutation(() => ID, {
    description:
      "Deletes a task of the workspace with its dependencies (tasks it blocked no longer wait for it). Returns its id.",
  })
  deleteTask(
    @Arg("id", () => ID, { description: "The task's id." }) id: string,
    @Ctx() ctx: InboxContext,
  ): Promise<string> {
    return ctx.tasks.delete(requireScope(ctx.principal, "inbox:write"), id);
  }

  @Mutation(() => Task, {
    description:
      "Makes a task wait for another (both of the workspace, else NOT_FOUND). A cycle, a task waiting for itself " +
      "included, is BAD_USER_INPUT naming it (`extensions.cycle`: the ids around it); so is an open blocker for a " +
      "DONE task. Checked under a lock on the workspace's tasks, so concurrent additions cannot make a cycle together. " +
      "Adding a dependency that exists changes nothing. Returns the waiting task.",
  })
  addTaskDependency(
    @Arg("taskId", () => ID, { description: "The task that is to wait." }) taskId: string,
    @Arg("blockedById", () => ID, { description: "The task it waits for." }) blockedById: string,
    @Ctx() ctx: InboxContext,
  ): Promise<Task> {
    return ctx.tasks.addDependency(requireScope(ctx.principal, "inbox:write"), taskId, blockedById);
  }

  @Mutation(() => Task, {
    description:
      "Stops a task waiting for another (both of the workspace, else NOT_FOUND); nothing changes when it did not. " +
      "Returns the task.",
  })
  removeTaskDependency(
    @Arg("taskId", () => ID, { description: "The waiting task." }) taskId: string,
    @Arg("blockedById", () => ID, { description: "The task it no longer waits for." }) blockedById: string,
    @Ctx() ctx: InboxContext,
  ): Promise<Task> {
    return ctx.tasks.removeDependency(requireScope(ctx.principal, "inbox:write"), taskId, blockedById);
  }

  @Mutation(() => [Task], {
    description:
      "Makes tasks of the action items in one of the caller's messages (NOT_FOUND for anyone else's), assigned to the " +
      "caller, source MESSAGE. The AI provider finds the items; offline, the LOCAL provider takes the lines that look " +
      "like requests (Please …, Could you …?, TODO: …, Action: …, to-do list items starting with a verb). " +
      "Idempotent: an item made into a task before is not made again, even if that task was renamed. Returns the " +
      "message's tasks: the items found, in order, then any others made from the message before.",
  })
  createTasksFromMessage(
    @Arg("messageId", () => ID, { description: "The message's id." }) messageId: string,
    @Ctx() ctx: InboxContext,
  ): Promise<Task[]> {
    return ctx.tasks.fromMessage(requireScope(ctx.principal, "inbox:write"), messageId);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The due time in dueTimeZone, as ISO 8601 local time with that zone's offset then (2026-03-29T23:59:59.999+02:00); " +
      "null for no due time.",
  })
  dueLocal(@Root() task: Task): string | null {
    return localDueTime(task.dueAt, task.dueTimeZone);
  }

  @FieldResolver(() => Boolean, { description: "Whether it is past its due time and not DONE." })
  overdue(@Root() task: Task): boolean {
    return isOverdue(task);
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      "Who is to do it; null for nobody. Stored as given (inbox cannot check membership cheaply): for someone who " +
      "is not, or no longer, a member, only `assignee { id }` answers; with any other field, assignee is null.",
  })
  assignee(@Root() task: Task): User | null {
    return task.assigneeId ? { id: task.assigneeId } : null;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      "Who made it (for createTasksFromMessage, the message's owner). After they leave the workspace only " +
      "`createdBy { id }` still answers; with any other field, createdBy is null.",
  })
  createdBy(@Root() task: Task): User {
    return { id: task.createdBy };
  }

  @FieldResolver(() => Message, {
    nullable: true,
    description:
      "MESSAGE: the message the task came from, only for its owner (mail is personal): null for the other members, " +
      "when the message is gone, and for other sources.",
  })
  sourceMessage(@Root() task: Task, @Ctx() ctx: InboxContext): Promise<Message | null> | null {
    requireScope(ctx.principal, "inbox:read");
    return task.sourceMessageId ? ctx.loaders.message.load(task.sourceMessageId) : null;
  }

  @FieldResolver(() => CalendarEvent, {
    nullable: true,
    description:
      "EVENT: the calendar event the task came from, for members who may see it: null for others (a colleague's " +
      "personal calendar), when the event is gone, and for other sources.",
  })
  async sourceEvent(@Root() task: Task, @Ctx() ctx: InboxContext): Promise<CalendarEvent | null> {
    requireScope(ctx.principal, "inbox:read");
    if (!task.sourceEventId) return null;
    return (await ctx.loaders.event.load(task.sourceEventId)) ?? null;
  }

  @FieldResolver(() => [Task], {
    description: `The tasks this one waits for (it is DONE only once they all are). ${ORDER}`,
  })
  blockedBy(@Root() task: Task, @Ctx() ctx: InboxContext): Promise<Task[]> {
    requireScope(ctx.principal, "inbox:read");
    return ctx.loaders.blockedBy.load(task.id);
  }

  @FieldResolver(() => [Task], { description: `The tasks waiting for this one. ${ORDER}` })
  blocking(@Root() task: Task, @Ctx() ctx: InboxContext): Promise<Task[]> {
    requireScope(ctx.principal, "inbox:read");
    return ctx.loaders.blocking.load(task.id);
  }
}

/** inbox adds, to the users subgraph's User, the workspace's tasks assigned to them. */
@Resolver(() => User)
export class UserTasksResolver {
  @FieldResolver(() => TaskConnection, {
    description:
      "The tasks of the caller's workspace assigned to this user (none for someone outside it: the caller sees only " +
      `their own workspace's tasks). ${ORDER}`,
  })
  tasks(
    @Root() user: User,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => TaskFilter, {
      nullable: true,
      description: "Only tasks matching all of these (assigneeId is ignored: it is this user).",
    })
    filter: TaskFilter | null,
    @Ctx() ctx: InboxContext,
  ): Promise<Connection<Task>> {
    const caller = requireScope(ctx.principal, "inbox:read");
    // Batched: every user of the request asking for the same filter and page is answered by one SQL statement.
    return ctx.tasks.assignedTo(caller, filter ?? {}, pageRequest(page)).load(user.id);
  }
}

/** Task resolves by id for any member of its workspace; null elsewhere, like a missing one. */
export const taskReferenceResolvers: ReferenceResolvers = {
  Task: {
    __resolveReference: (reference: { id: string }, ctx: InboxContext) => {
      requireScope(ctx.principal, "inbox:read");
      return ctx.loaders.task.load(reference.id);
    },
  },
};
