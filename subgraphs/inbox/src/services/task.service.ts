import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import DataLoader from "dataloader";
import {
  appError,
  badUserInput,
  checkId,
  createEntityLoader,
  ErrorCode,
  findInScope,
  findManyInScope,
  isUuid,
  notFound,
  toConnection,
  type AuthenticatedPrincipal,
  type Connection,
  type CursorKey,
  type PageRequest,
} from "@mary/kit";
import { Message } from "../entities/message.entity.ts";
import { TaskDependency } from "../entities/task-dependency.entity.ts";
import { Task, type TaskPriority, type TaskStatus } from "../entities/task.entity.ts";
import { actionItemKey } from "../providers/local.provider.ts";
import type { MailProvider } from "../providers/provider.ts";
import { nextDue, type DueInput } from "./task-due.ts";
import { findOwnedMessageText, ownerScope } from "./ownership.ts";
import { triageInput } from "./triage.service.ts";

/** A task's writable fields. Absent (undefined) stays as it is; null clears a nullable one. */
export interface TaskFields extends DueInput {
  title?: string | null;
  description?: string | null;
  status?: TaskStatus | null;
  priority?: TaskPriority | null;
  progress?: number | null;
  assigneeId?: string | null;
  /** Every task this one waits for (replacing the current ones on update); null or [] for none. */
  blockedByIds?: string[] | null;
}

/** A new task's fields: the writable ones and where it came from. */
export interface CreateTaskFields extends TaskFields {
  sourceMessageId?: string | null;
  sourceEventId?: string | null;
}

/** What a list of tasks may be narrowed to; every condition given must hold. */
export interface TaskListFilter {
  status?: TaskStatus[] | null;
  assigneeId?: string | null;
  priority?: TaskPriority[] | null;
  dueBefore?: Date | null;
  dueAfter?: Date | null;
  overdue?: boolean | null;
  sourceMessageId?: string | null;
  search?: string | null;
}

export const MAX_TITLE = 500;
export const MAX_DESCRIPTION = 20_000;
/** The most tasks one task may wait for. */
export const MAX_BLOCKERS = 100;
const MAX_SEARCH = 200;

/**
 * The order of every task list, as the indexes hold it: soonest due first, tasks without a due
 * time last, then oldest first, then by id (so the order is total and cursors stable).
 */
const DUE_ORDER = `coalesce(t.due_at, 'infinity'::timestamptz)`;
const LIST_ORDER = `${DUE_ORDER}, t.created_at, t.id`;
/** A cursor's value: the due instant (or "infinity") and the creation time, joined by "|". */
const taskKey = (task: Task): CursorKey => [
  `${task.dueAt ? task.dueAt.toISOString() : "infinity"}|${task.createdAt.toISOString()}`,
  task.id,
];

/** The lock every change of a workspace's task graph takes, so two concurrent additions cannot close a cycle. */
const lockGraph = (em: EntityManager, workspaceId: string) =>
  em.execute("select pg_advisory_xact_lock(hashtext(?))", [`inbox:tasks:${workspaceId}`]);

/** Whether a task is overdue: past its due time and not DONE. */
export const isOverdue = (task: Task, now = new Date()) =>
  task.status !== "DONE" && task.dueAt !== null && task.dueAt.getTime() < now.getTime();

/**
 * The workspace's tasks. Every member sees and edits every task of the workspace; other
 * workspaces' are NOT_FOUND like missing ones. Dependencies never form a cycle: each change of
 * a workspace's graph takes a transaction-scoped advisory lock on the workspace and checks with
 * one recursive query. A task is DONE only once every task blocking it is.
 */
export class TaskService {
  /** User.tasks' loaders, one per filter and page, so every user of a request shares one statement. */
  private readonly assigneeLoaders = new Map<string, DataLoader<string, Connection<Task>>>();

  constructor(
    private readonly em: EntityManager,
    private readonly provider: MailProvider,
  ) {}

  get(caller: AuthenticatedPrincipal, id: string): Promise<Task> {
    return findInScope(this.em, Task, { workspaceId: caller.workspaceId }, id, "Task");
  }

  /** The task, read afresh (for an event delivered long after the subscription began); null when gone. */
  async fresh(caller: AuthenticatedPrincipal, id: string): Promise<Task | null> {
    if (!isUuid(id)) return null;
    return this.em.fork().findOne(Task, { id: id.toLowerCase(), workspaceId: caller.workspaceId });
  }

  /** The workspace's tasks matching the filter, soonest due first (none last), then oldest first. */
  async list(caller: AuthenticatedPrincipal, filter: TaskListFilter, page: PageRequest): Promise<Connection<Task>> {
    const { where, params } = conditions(caller.workspaceId, filter, page);
    const rows = await this.em.execute<Record<string, unknown>[]>(
      `select t.* from tasks t where ${where.join(" and ")} order by ${LIST_ORDER} limit ?`,
      [...params, page.first + 1],
    );
    return toConnection(
      rows.map((row) => this.em.map(Task, row)),
      page,
      taskKey,
    );
  }

  /**
   * A page of the tasks assigned to each user (User.tasks), batched: all the users of one request
   * asking for the same filter and page are answered by ONE statement, a lateral join running the
   * list's query per user on the (workspace_id, assignee_id, due order) index.
   */
  assignedTo(caller: AuthenticatedPrincipal, filter: TaskListFilter, page: PageRequest) {
    const key = JSON.stringify([filter, page]);
    let loader = this.assigneeLoaders.get(key);
    if (!loader) {
      // Checked once, before any user is asked about.
      const { where, params } = conditions(caller.workspaceId, { ...filter, assigneeId: null }, page);
      loader = new DataLoader<string, Connection<Task>>(async (userIds) => {
        const valid = [...new Set(userIds.filter(isUuid).map((id) => id.toLowerCase()))];
        const rows = valid.length
          ? await this.em.execute<Record<string, unknown>[]>(
              `select t.* from unnest(array[?]::uuid[]) as k(id)
               cross join lateral (
                 select * from tasks t where t.assignee_id = k.id and ${where.join(" and ")}
                 order by ${LIST_ORDER} limit ?
               ) t`,
              [valid, ...params, page.first + 1],
            )
          : [];
        const byAssignee = Map.groupBy(
          rows.map((row) => this.em.map(Task, row)),
          (task) => task.assigneeId!,
        );
        return userIds.map((id) => toConnection(byAssignee.get(id.toLowerCase()) ?? [], page, taskKey));
      });
      this.assigneeLoaders.set(key, loader);
    }
    return loader;
  }

  /**
   * Creates a task (the assignee is the caller unless given; null for nobody). A sourceMessageId
   * must be one of the caller's messages (mail is personal); blockers must be the workspace's.
   */
  async create(caller: AuthenticatedPrincipal, input: CreateTaskFields): Promise<Task> {
    const task = Object.assign(new Task(), { workspaceId: caller.workspaceId, createdBy: caller.userId });
    Object.assign(task, changesOf(task, input, true));
    if (input.assigneeId === undefined) task.assigneeId = caller.userId;
    if (input.sourceMessageId != null && input.sourceEventId != null) {
      throw badUserInput("A task comes from a message or from an event, not both", "sourceEventId");
    }
    if (input.sourceMessageId != null) {
      const message = isUuid(input.sourceMessageId)
        ? await this.em.findOne(Message, { id: input.sourceMessageId.toLowerCase(), ...ownerScope(caller) })
        : null;
      if (!message) throw notFound("Message");
      Object.assign(task, { source: "MESSAGE", sourceMessageId: message.id });
    }
    if (input.sourceEventId != null) {
      Object.assign(task, { source: "EVENT", sourceEventId: checkId(input.sourceEventId, "sourceEventId") });
    }
    const blockers = blockerIds(input.blockedByIds ?? []);
    return this.em.transactional(async (em) => {
      if (blockers.length) {
        // Nothing can point at a new task yet, so it closes no cycle; the lock orders it with deletions.
        await lockGraph(em, caller.workspaceId);
        const found = await requireTasks(em, caller.workspaceId, blockers);
        if (task.status === "DONE") requireDone(found, "status", task);
      }
      em.persist(task);
      for (const blockedById of blockers) em.persist(edge(task, blockedById));
      await em.flush();
      return task;
    });
  }

  /**
   * Changes only the fields given, after checking all of them: bad input is BAD_USER_INPUT with
   * the field, and nothing is saved. blockedByIds replaces the task's blockers (a cycle is refused).
   */
  async update(caller: AuthenticatedPrincipal, id: string, input: TaskFields): Promise<Task> {
    const blockers = input.blockedByIds === undefined ? null : blockerIds(input.blockedByIds ?? []);
    return this.em.transactional(async (em) => {
      if (blockers !== null || input.status === "DONE") await lockGraph(em, caller.workspaceId);
      const task = await findInScope(em, Task, { workspaceId: caller.workspaceId }, id, "Task");
      if (blockers?.includes(task.id)) throw selfCycle(task, "blockedByIds");
      const changes = changesOf(task, input, false);
      const becomesDone = changes.status === "DONE" && task.status !== "DONE";
      const done = (changes.status ?? task.status) === "DONE";
      let added: string[] = [];
      if (blockers !== null) {
        const found = await requireTasks(em, caller.workspaceId, blockers);
        const current = new Set(
          (await em.find(TaskDependency, { taskId: task.id, workspaceId: caller.workspaceId })).map(
            (dependency) => dependency.blockedById,
          ),
        );
        added = blockers.filter((blockerId) => !current.has(blockerId));
        const removed = [...current].filter((blockerId) => !blockers.includes(blockerId));
        if (removed.length) {
          await em.nativeDelete(TaskDependency, { taskId: task.id, blockedById: { $in: removed } });
        }
        await requireNoCycle(em, caller.workspaceId, task, added, "blockedByIds");
        if (done) {
          requireDone(
            found.filter((blocker) => becomesDone || added.includes(blocker.id)),
            becomesDone ? "status" : "blockedByIds",
            task,
          );
        }
      } else if (becomesDone) {
        requireDone(await blockersOf(em, caller.workspaceId, task.id), "status", task);
      }
      Object.assign(task, changes);
      for (const blockedById of added) em.persist(edge(task, blockedById));
      await em.flush();
      return task;
    });
  }

  /** Deletes the task and every dependency row it is in (either side). Returns its id. */
  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    return this.em.transactional(async (em) => {
      await lockGraph(em, caller.workspaceId);
      const task = await findInScope(em, Task, { workspaceId: caller.workspaceId }, id, "Task");
      await em.nativeDelete(TaskDependency, {
        workspaceId: caller.workspaceId,
        $or: [{ taskId: task.id }, { blockedById: task.id }],
      });
      await em.nativeDelete(Task, { id: task.id, workspaceId: caller.workspaceId });
      return task.id;
    });
  }

  /**
   * Makes `taskId` wait for `blockedById` (both the workspace's, else NOT_FOUND). A cycle,
   * including a task blocking itself, is BAD_USER_INPUT naming it; so is an open blocker for a
   * DONE task. Adding one that exists changes nothing.
   */
  async addDependency(caller: AuthenticatedPrincipal, taskId: string, blockedById: string): Promise<Task> {
    return this.em.transactional(async (em) => {
      await lockGraph(em, caller.workspaceId);
      const scope = { workspaceId: caller.workspaceId };
      const task = await findInScope(em, Task, scope, taskId, "Task");
      const blocker = await findInScope(em, Task, scope, blockedById, "Task");
      if (task.id === blocker.id) throw selfCycle(task, "blockedById");
      const existing = await em.findOne(TaskDependency, { taskId: task.id, blockedById: blocker.id });
      if (existing) return task;
      await requireNoCycle(em, caller.workspaceId, task, [blocker.id], "blockedById");
      if (task.status === "DONE") requireDone([blocker], "blockedById", task);
      await em.persist(edge(task, blocker.id)).flush();
      return task;
    });
  }

  /** Stops `taskId` waiting for `blockedById` (both the workspace's, else NOT_FOUND); nothing when it did not. */
  async removeDependency(caller: AuthenticatedPrincipal, taskId: string, blockedById: string): Promise<Task> {
    return this.em.transactional(async (em) => {
      await lockGraph(em, caller.workspaceId);
      const scope = { workspaceId: caller.workspaceId };
      const task = await findInScope(em, Task, scope, taskId, "Task");
      const blocker = await findInScope(em, Task, scope, blockedById, "Task");
      await em.nativeDelete(TaskDependency, { taskId: task.id, blockedById: blocker.id });
      return task;
    });
  }

  /**
   * Tasks from the action items the provider finds in one of the caller's messages, assigned to
   * the caller (HIGH priority when triage found the message urgent). Idempotent: an item already
   * made into a task of this message (even one renamed since) is not made again. Returns the
   * message's tasks: those of the items found, in their order, then the others made from it before.
   */
  async fromMessage(caller: AuthenticatedPrincipal, messageId: string): Promise<Task[]> {
    const message = await findOwnedMessageText(this.em, caller, messageId);
    const items = await this.provider.actionItems(triageInput(message));
    const keys = items.map((item) => actionItemKey(item.title));
    if (items.length) {
      const now = new Date();
      const sender = message.fromAddress?.name || message.fromAddress?.email;
      const description = `From the message "${message.subject || "(no subject)"}"${sender ? ` from ${sender}` : ""}.`;
      const rows = items.map((item, i) => [
        randomUUID(),
        caller.workspaceId,
        item.title.slice(0, MAX_TITLE),
        description.slice(0, MAX_DESCRIPTION),
        message.urgency === "HIGH" ? "HIGH" : "MEDIUM",
        caller.userId,
        message.id,
        keys[i],
        caller.userId,
        now,
        now,
      ]);
      await this.em.execute(
        `insert into tasks (id, workspace_id, title, description, priority, assignee_id, source, source_message_id,
           source_item, created_by, created_at, updated_at)
         values ${rows.map(() => "(?, ?, ?, ?, ?, ?, 'MESSAGE', ?, ?, ?, ?, ?)").join(", ")}
         on conflict (workspace_id, source_message_id, source_item) where source_item is not null do nothing`,
        rows.flat(),
      );
    }
    const tasks = await this.em.find(
      Task,
      { workspaceId: caller.workspaceId, sourceMessageId: message.id },
      { orderBy: { createdAt: "asc", id: "asc" } },
    );
    const position = new Map(keys.map((key, i) => [key, i]));
    const rank = (task: Task) => position.get(task.sourceItem ?? "") ?? keys.length;
    return tasks.sort((a, b) => rank(a) - rank(b));
  }
}

/** The task loaders of a request in the workspace (none outside one): by id, Task.blockedBy and Task.blocking. */
export function taskLoaders(em: EntityManager, workspaceId: string | null) {
  return {
    task: createEntityLoader((ids) => findManyInScope(em, Task, workspaceId ? { workspaceId } : null, ids)),
    blockedBy: new DataLoader<string, Task[]>((ids) => blockersByTask(em, workspaceId, ids)),
    blocking: new DataLoader<string, Task[]>((ids) => blockedByTask(em, workspaceId, ids)),
  };
}

/** The blockers of many tasks of the workspace (Task.blockedBy), in one query; each list in the list order. */
export function blockersByTask(em: EntityManager, workspaceId: string | null, taskIds: readonly string[]) {
  return edgesOf(em, workspaceId, taskIds, "task_id", "blocked_by_id");
}

/** The tasks many tasks of the workspace block (Task.blocking), in one query; each list in the list order. */
export function blockedByTask(em: EntityManager, workspaceId: string | null, taskIds: readonly string[]) {
  return edgesOf(em, workspaceId, taskIds, "blocked_by_id", "task_id");
}

async function edgesOf(
  em: EntityManager,
  workspaceId: string | null,
  taskIds: readonly string[],
  from: "task_id" | "blocked_by_id",
  to: "task_id" | "blocked_by_id",
): Promise<Task[][]> {
  const valid = [...new Set(taskIds.filter(isUuid).map((id) => id.toLowerCase()))];
  const rows =
    workspaceId && valid.length
      ? await em.execute<Record<string, unknown>[]>(
          `select d.${from} as "edgeOf", t.* from task_dependencies d
           join tasks t on t.id = d.${to} and t.workspace_id = d.workspace_id
           where d.workspace_id = ? and d.${from} in (?) order by ${LIST_ORDER}`,
          [workspaceId, valid],
        )
      : [];
  const byTask = Map.groupBy(
    rows.map(({ edgeOf, ...columns }) => ({ edgeOf: edgeOf as string, task: em.map(Task, columns) })),
    (row) => row.edgeOf,
  );
  return taskIds.map((id) => (byTask.get(id.toLowerCase()) ?? []).map((row) => row.task));
}

/** The WHERE conditions (with their parameters) of a task list, the cursor's included. */
function conditions(
  workspaceId: string,
  filter: TaskListFilter,
  page: PageRequest,
): { where: string[]; params: unknown[] } {
  const where = ["t.workspace_id = ?"];
  const params: unknown[] = [workspaceId];
  if (filter.status != null) {
    if (filter.status.length === 0) throw badUserInput("status must list at least one status", "status");
    where.push("t.status in (?)");
    params.push([...new Set(filter.status)]);
  }
  if (filter.priority != null) {
    if (filter.priority.length === 0) throw badUserInput("priority must list at least one priority", "priority");
    where.push("t.priority in (?)");
    params.push([...new Set(filter.priority)]);
  }
  if (filter.assigneeId != null) {
    where.push("t.assignee_id = ?");
    params.push(checkId(filter.assigneeId, "assigneeId"));
  }
  if (filter.sourceMessageId != null) {
    where.push("t.source_message_id = ?");
    params.push(checkId(filter.sourceMessageId, "sourceMessageId"));
  }
  for (const field of ["dueBefore", "dueAfter"] as const) {
    const value = filter[field];
    if (value != null && Number.isNaN(value.getTime())) throw badUserInput(`${field} must be a date and time`, field);
  }
  // Spelled as the indexes' expression, so the range uses them.
  if (filter.dueBefore != null) {
    where.push(`${DUE_ORDER} < ?`);
    params.push(filter.dueBefore);
  }
  if (filter.dueAfter != null) {
    where.push(`${DUE_ORDER} >= ? and t.due_at is not null`);
    params.push(filter.dueAfter);
  }
  if (filter.overdue != null) {
    where.push(
      filter.overdue
        ? `${DUE_ORDER} < ? and t.status <> 'DONE'`
        : `(t.due_at is null or t.due_at >= ? or t.status = 'DONE')`,
    );
    params.push(new Date());
  }
  if (filter.search != null) {
    const term = filter.search.trim();
    if (term.length < 1 || term.length > MAX_SEARCH) {
      throw badUserInput(`search must be 1 to ${MAX_SEARCH} characters`, "search");
    }
    where.push("t.title ilike ?");
    params.push(`%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
  }
  if (page.after) {
    const [value, id] = page.after;
    const [due, created] = typeof value === "string" ? value.split("|") : [];
    const dueOk = due === "infinity" || (due !== undefined && !Number.isNaN(Date.parse(due)));
    if (!dueOk || !created || Number.isNaN(Date.parse(created)) || !isUuid(id)) {
      throw badUserInput("`after` is not a cursor from this list", "after");
    }
    where.push(`(${DUE_ORDER}, t.created_at, t.id) > (?::timestamptz, ?::timestamptz, ?::uuid)`);
    params.push(due, created, id);
  }
  return { where, params };
}

/**
 * The changes an input makes to a task, all checked first (BAD_USER_INPUT naming the field):
 * title 1 to 500 characters (trimmed), description up to 20,000, progress 0 to 100, DONE sets
 * progress 100 and completedAt, the due (see nextDue) resets the due notifications when it moves.
 */
function changesOf(task: Task, input: TaskFields, creating: boolean): Partial<Task> {
  const changes: Partial<Task> = {};
  if (creating || input.title !== undefined) {
    const title = (input.title ?? "").trim();
    if (title.length < 1 || title.length > MAX_TITLE) {
      throw badUserInput(`title must be 1 to ${MAX_TITLE} characters`, "title");
    }
    changes.title = title;
  }
  if (input.description !== undefined) {
    const description = input.description?.trim() ?? "";
    if (description.length > MAX_DESCRIPTION) {
      throw badUserInput(`description must be at most ${MAX_DESCRIPTION} characters`, "description");
    }
    changes.description = description || null;
  }
  for (const field of ["status", "priority", "progress"] as const) {
    if (input[field] === null) throw badUserInput(`${field} cannot be null`, field);
  }
  if (input.priority != null) changes.priority = input.priority;
  if (input.progress != null) {
    if (!Number.isInteger(input.progress) || input.progress < 0 || input.progress > 100) {
      throw badUserInput("progress must be a whole number from 0 to 100", "progress");
    }
  }
  const status = input.status ?? task.status;
  if (status === "DONE") {
    if (input.progress != null && input.progress !== 100) {
      throw badUserInput("A DONE task's progress is 100", "progress");
    }
    if (creating || task.status !== "DONE") Object.assign(changes, { progress: 100, completedAt: new Date() });
  } else {
    if (input.progress != null) changes.progress = input.progress;
    if (task.status === "DONE") changes.completedAt = null;
  }
  if (input.status != null) changes.status = input.status;
  if (input.assigneeId !== undefined) {
    changes.assigneeId = input.assigneeId === null ? null : checkId(input.assigneeId, "assigneeId");
  }
  const due = nextDue(task, input);
  Object.assign(changes, due);
  if (due.dueAt?.getTime() !== task.dueAt?.getTime()) {
    Object.assign(changes, { dueNotifiedAt: null, overdueNotifiedAt: null });
  }
  return changes;
}

/** The blockers' ids, checked (UUIDs, at most 100), without repeats. */
function blockerIds(ids: string[]): string[] {
  const unique = [...new Set(ids.map((id) => checkId(id, "blockedByIds")))];
  if (unique.length > MAX_BLOCKERS) {
    throw badUserInput(`A task may wait for at most ${MAX_BLOCKERS} tasks`, "blockedByIds");
  }
  return unique;
}

/** The workspace's tasks with these ids; NOT_FOUND when one is missing or another workspace's. */
async function requireTasks(em: EntityManager, workspaceId: string, ids: string[]): Promise<Task[]> {
  if (!ids.length) return [];
  const found = await em.find(Task, { id: { $in: ids }, workspaceId });
  if (found.length !== ids.length) throw notFound("Task");
  return found;
}

/** The task's current blockers. */
async function blockersOf(em: EntityManager, workspaceId: string, taskId: string): Promise<Task[]> {
  return (await blockersByTask(em, workspaceId, [taskId]))[0]!;
}

/** BAD_USER_INPUT listing the blockers that are not DONE, when there are any: the task cannot be DONE before them. */
function requireDone(blockers: Task[], field: string, task: Task): void {
  const open = blockers.filter((blocker) => blocker.status !== "DONE");
  if (!open.length) return;
  throw appError(
    ErrorCode.BAD_USER_INPUT,
    `"${task.title}" cannot be DONE while tasks blocking it are open: ${open.map((b) => `"${b.title}"`).join(", ")}`,
    { field, openBlockerIds: open.map((blocker) => blocker.id) },
  );
}

const selfCycle = (task: Task, field: string) =>
  appError(ErrorCode.BAD_USER_INPUT, `A task cannot be blocked by itself: "${task.title}" → "${task.title}"`, {
    field,
    cycle: [task.id, task.id],
  });

/**
 * Refuses, with BAD_USER_INPUT naming the cycle, blockers that would close one: `task` waiting for
 * a task that (transitively) waits for `task`. ONE recursive query walks the graph from the new
 * blockers along "waits for" edges (UNION: each edge once, however many paths reach it); the
 * cycle is then read back from the edges it returned. Run under the workspace's graph lock.
 */
async function requireNoCycle(
  em: EntityManager,
  workspaceId: string,
  task: Task,
  blockerIds: string[],
  field: string,
): Promise<void> {
  if (!blockerIds.length) return;
  const edges = await em.execute<{ id: string; parent: string }[]>(
    `with recursive reach(id, parent) as (
       select d.blocked_by_id, d.task_id from task_dependencies d where d.workspace_id = ? and d.task_id in (?)
       union
       select d.blocked_by_id, d.task_id from reach r
       join task_dependencies d on d.workspace_id = ? and d.task_id = r.id
     )
     select id, parent from reach where exists (select 1 from reach where id = ?)`,
    [workspaceId, blockerIds, workspaceId, task.id],
  );
  if (!edges.length) return;
  // From the task back to the new blocker that reaches it: the graph had no cycle, so this ends.
  const parentOf = new Map(edges.map((row) => [row.id, row.parent]));
  const starts = new Set(blockerIds);
  const path = [task.id];
  for (let current = task.id; !starts.has(current) && path.length <= edges.length + 1;) {
    current = parentOf.get(current)!;
    path.unshift(current);
  }
  const cycle = [task.id, ...path];
  const titles = new Map(
    (await em.find(Task, { id: { $in: [...new Set(cycle)] }, workspaceId })).map((t) => [t.id, t.title]),
  );
  const named = cycle.map((id) => `"${titles.get(id) ?? id}"`).join(" → ");
  throw appError(
    ErrorCode.BAD_USER_INPUT,
    `That would make a cycle of blocking tasks (each waits for the next): ${named}`,
    { field, cycle },
  );
}

const edge = (task: Task, blockedById: string) =>
  Object.assign(new TaskDependency(), { taskId: task.id, blockedById, workspaceId: task.workspaceId });
