import { randomUUID } from "node:crypto";
import { parse, subscribe, type ExecutionResult } from "graphql";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createLogger, type AuthenticatedPrincipal } from "@mary/kit";
import { createMailUser, errorCode, REDIS_URL, type GraphQLResponse } from "@mary/kit/testing";
import { createLoaders, type InboxContext } from "../src/context.ts";
import { LocalProvider } from "../src/providers/local.provider.ts";
import { buildInboxSchema } from "../src/schema.ts";
import { idOfCursor, inboxStreamKey } from "../src/services/inbox-events.ts";
import { CalendarService } from "../src/services/calendar.service.ts";
import { EventService } from "../src/services/event.service.ts";
import { MessageService } from "../src/services/message.service.ts";
import { TaskService } from "../src/services/task.service.ts";
import { deliver, newMember, startHarness, type Harness } from "./harness.ts";

let h: Harness;
let redis: Redis;
beforeAll(async () => {
  h = await startHarness({
    env: {
      // The due check runs when the tests say so (the scheduler's own jobs come once an hour, on a queue of their own).
      TASK_DUE_QUEUE_NAME: `inbox-task-due-${randomUUID()}`,
      TASK_DUE_CHECK_SECONDS: "3600",
      TASK_DUE_SOON_MINUTES: "60",
    },
  });
  redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
});
afterAll(async () => {
  redis?.disconnect();
  await h?.stop();
});

const FIELDS = `id title description status priority progress dueAt dueTimeZone dueDate dueLocal overdue source
  sourceEventId completedAt createdAt assignee { id } createdBy { id } blockedBy { id title } blocking { id title }`;
const CREATE = `mutation ($input: CreateTaskInput!) { createTask(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateTaskInput!) { updateTask(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteTask(id: $id) }`;
const GET = `query ($id: ID!) { task(id: $id) { ${FIELDS} } }`;
const ADD = `mutation ($t: ID!, $b: ID!) { addTaskDependency(taskId: $t, blockedById: $b) { id blockedBy { id } } }`;
const REMOVE = `mutation ($t: ID!, $b: ID!) { removeTaskDependency(taskId: $t, blockedById: $b) { id blockedBy { id } } }`;
const LIST = `query ($filter: TaskFilter, $first: Int, $after: String) {
  tasks(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id title } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
const FROM_MESSAGE = `mutation ($id: ID!) { createTasksFromMessage(messageId: $id) {
  id title source priority assignee { id } createdBy { id } sourceMessage { id subject } } }`;

const create = async (member: AuthenticatedPrincipal, input: Record<string, unknown>) =>
  (await h.ok(member, CREATE, { input })).createTask;
const titles = (data: any) => data.tasks.edges.map((edge: any) => edge.node.title);
const list = async (member: AuthenticatedPrincipal, filter: Record<string, unknown> = {}, first = 100) =>
  titles(await h.ok(member, LIST, { filter, first }));
const bad = (response: GraphQLResponse) => ({
  code: errorCode(response),
  field: response.errors?.[0]?.extensions?.field,
});
const edgeCount = async (workspaceId: string) =>
  Number((await h.sql(`select count(*) as n from task_dependencies where workspace_id = ?`, [workspaceId]))[0]!.n);
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe("tasks of a workspace", () => {
  test("a task is made with defaults and a zone-aware due; every member of the workspace reads and edits it", async () => {
    const me = newMember();
    const colleague = newMember(me.workspaceId);
    const task = await create(me, {
      title: "  Prepare the board deck  ",
      description: "Slides for Thursday",
      dueDate: "2026-03-29",
      dueTimeZone: "europe/berlin",
    });
    expect(task).toMatchObject({
      title: "Prepare the board deck",
      description: "Slides for Thursday",
      status: "TODO",
      priority: "MEDIUM",
      progress: 0,
      // The end of the 29th in Berlin, the first day of summer time (+02:00).
      dueAt: "2026-03-29T21:59:59.999Z",
      dueTimeZone: "Europe/Berlin",
      dueDate: "2026-03-29",
      dueLocal: "2026-03-29T23:59:59.999+02:00",
      overdue: true,
      source: "MANUAL",
      sourceEventId: null,
      completedAt: null,
      assignee: { id: me.userId },
      createdBy: { id: me.userId },
      blockedBy: [],
      blocking: [],
    });

    // A colleague reads it and edits only what they give.
    expect((await h.ok(colleague, GET, { id: task.id })).task.title).toBe("Prepare the board deck");
    const edited = (
      await h.ok(colleague, UPDATE, {
        id: task.id,
        input: { priority: "URGENT", dueTimeZone: "America/New_York", assigneeId: colleague.userId },
      })
    ).updateTask;
    expect(edited).toMatchObject({
      title: "Prepare the board deck",
      description: "Slides for Thursday",
      priority: "URGENT",
      // A date-only due moves to the end of the same day in the new zone.
      dueDate: "2026-03-29",
      dueAt: "2026-03-30T03:59:59.999Z",
      dueLocal: "2026-03-29T23:59:59.999-04:00",
      assignee: { id: colleague.userId },
    });
    const instant = (
      await h.ok(me, UPDATE, { id: task.id, input: { dueAt: "2027-01-10T08:00:00Z", description: null } })
    ).updateTask;
    expect(instant).toMatchObject({
      dueAt: "2027-01-10T08:00:00.000Z",
      dueDate: null,
      dueLocal: "2027-01-10T03:00:00.000-05:00",
      description: null,
      overdue: false,
    });
    const unassigned = (await h.ok(me, UPDATE, { id: task.id, input: { assigneeId: null, dueAt: null } })).updateTask;
    expect(unassigned).toMatchObject({ assignee: null, dueAt: null, dueLocal: null, overdue: false });
    // Any UUID is taken as an assignee (inbox cannot check membership).
    const someone = randomUUID();
    expect((await create(me, { title: "Outside help", assigneeId: someone })).assignee).toEqual({ id: someone });
    expect((await create(me, { title: "Nobody's", assigneeId: null })).assignee).toBeNull();
  });

  test("bad input is BAD_USER_INPUT naming the field, and nothing is saved", async () => {
    const me = newMember();
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "   " }, "title"],
      [{ title: "x".repeat(501) }, "title"],
      [{ title: "ok", description: "d".repeat(20_001) }, "description"],
      [{ title: "ok", progress: 101 }, "progress"],
      [{ title: "ok", progress: -1 }, "progress"],
      [{ title: "ok", status: "DONE", progress: 50 }, "progress"],
      [{ title: "ok", dueTimeZone: "Mars/Olympus" }, "dueTimeZone"],
      [{ title: "ok", dueTimeZone: "+02:00" }, "dueTimeZone"],
      [{ title: "ok", dueAt: "2026-03-29T10:00:00Z", dueDate: "2026-03-29" }, "dueDate"],
      [{ title: "ok", assigneeId: "not-a-uuid" }, "assigneeId"],
      [{ title: "ok", blockedByIds: ["not-a-uuid"] }, "blockedByIds"],
      [{ title: "ok", sourceEventId: "not-a-uuid" }, "sourceEventId"],
      [{ title: "ok", sourceMessageId: randomUUID(), sourceEventId: randomUUID() }, "sourceEventId"],
    ];
    for (const [input, field] of cases) {
      expect(bad(await h.call(me, CREATE, { input })), JSON.stringify(input).slice(0, 80)).toEqual({
        code: "BAD_USER_INPUT",
        field,
      });
    }
    // An impossible date is refused by the LocalDate scalar before anything runs.
    expect(errorCode(await h.call(me, CREATE, { input: { title: "ok", dueDate: "2026-02-30" } }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(errorCode(await h.call(me, CREATE, { input: { title: "ok", blockedByIds: [randomUUID()] } }))).toBe(
      "NOT_FOUND",
    );
    expect(await list(me)).toEqual([]);

    // An update checks everything before writing: one bad field and the good ones are not saved either.
    const task = await create(me, { title: "Original", priority: "LOW" });
    for (const [input, field] of [
      [{ title: "Renamed", progress: 150 }, "progress"],
      [{ priority: "HIGH", title: "" }, "title"],
      [{ title: "Renamed", status: null }, "status"],
      [{ title: "Renamed", dueTimeZone: null }, "dueTimeZone"],
      [{ title: "Renamed", blockedByIds: [task.id] }, "blockedByIds"],
    ] as const) {
      expect(bad(await h.call(me, UPDATE, { id: task.id, input })), JSON.stringify(input)).toEqual({
        code: "BAD_USER_INPUT",
        field,
      });
    }
    expect((await h.ok(me, GET, { id: task.id })).task).toMatchObject({ title: "Original", priority: "LOW" });
    expect(bad(await h.call(me, LIST, { filter: { search: " " } }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "search",
    });
    expect(bad(await h.call(me, LIST, { filter: { status: [] } }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "status",
    });
    expect(bad(await h.call(me, LIST, { after: "bm90IGEgY3Vyc29y" }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "after",
    });
  });

  test("lists go soonest due first (none last), then oldest first, in stable pages; filters narrow them", async () => {
    const me = newMember();
    const colleague = newMember(me.workspaceId);
    const message = randomUUID();
    await create(me, { title: "No due, older" });
    await create(me, { title: "Due in two days", dueAt: inMinutes(2 * 24 * 60), priority: "HIGH" });
    await create(me, { title: "Overdue report", dueAt: inMinutes(-60), assigneeId: colleague.userId });
    await create(me, { title: "Due tomorrow 100%", dueAt: inMinutes(24 * 60) });
    await create(me, { title: "Done yesterday", dueAt: inMinutes(-24 * 60), status: "DONE" });
    await create(me, { title: "No due, newer", priority: "URGENT", status: "IN_PROGRESS" });
    await h.sql(`update tasks set source = 'MESSAGE', source_message_id = ? where title = 'No due, newer'`, [message]);
    // Another workspace's tasks are never listed.
    await create(newMember(), { title: "Stranger's task", dueAt: inMinutes(-5) });

    const order = [
      "Done yesterday",
      "Overdue report",
      "Due tomorrow 100%",
      "Due in two days",
      "No due, older",
      "No due, newer",
    ];
    expect(await list(me)).toEqual(order);
    // Paged two at a time, the pages are the list.
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const data: any = await h.ok(me, LIST, { first: 2, after });
      seen.push(...titles(data));
      expect(data.tasks.pageInfo).toMatchObject({ hasNextPage: page < 2, hasPreviousPage: page > 0 });
      after = data.tasks.pageInfo.endCursor;
    }
    expect(seen).toEqual(order);
    // A cursor on a task without a due time goes on among those.
    const undated: any = await h.ok(me, LIST, { first: 5 });
    expect(titles(await h.ok(me, LIST, { after: undated.tasks.pageInfo.endCursor }))).toEqual(["No due, newer"]);
    // A cursor keeps its place when tasks are added before it.
    const firstPage: any = await h.ok(me, LIST, { first: 3 });
    await create(me, { title: "Overdue since long", dueAt: inMinutes(-10 * 24 * 60) });
    expect(titles(await h.ok(me, LIST, { first: 100, after: firstPage.tasks.pageInfo.endCursor }))).toEqual(
      order.slice(3),
    );

    expect(await list(me, { status: ["TODO", "IN_PROGRESS"] })).toEqual([
      "Overdue since long",
      "Overdue report",
      "Due tomorrow 100%",
      "Due in two days",
      "No due, older",
      "No due, newer",
    ]);
    expect(await list(me, { assigneeId: colleague.userId })).toEqual(["Overdue report"]);
    expect(await list(me, { priority: ["HIGH", "URGENT"] })).toEqual(["Due in two days", "No due, newer"]);
    expect(await list(me, { overdue: true })).toEqual(["Overdue since long", "Overdue report"]);
    expect(await list(me, { overdue: false })).toEqual([
      "Done yesterday",
      "Due tomorrow 100%",
      "Due in two days",
      "No due, older",
      "No due, newer",
    ]);
    expect(await list(me, { dueBefore: inMinutes(0) })).toEqual([
      "Overdue since long",
      "Done yesterday",
      "Overdue report",
    ]);
    expect(await list(me, { dueAfter: inMinutes(0) })).toEqual(["Due tomorrow 100%", "Due in two days"]);
    expect(await list(me, { dueAfter: inMinutes(0), dueBefore: inMinutes(36 * 60) })).toEqual(["Due tomorrow 100%"]);
    expect(await list(me, { sourceMessageId: message })).toEqual(["No due, newer"]);
    expect(await list(me, { search: "DUE," })).toEqual(["No due, older", "No due, newer"]);
    // Wildcards are taken literally.
    expect(await list(me, { search: "100%" })).toEqual(["Due tomorrow 100%"]);
    expect(await list(me, { search: "%" })).toEqual(["Due tomorrow 100%"]);
    expect(await list(me, { search: "_" })).toEqual([]);
    // The colleague sees the same list.
    expect(await list(colleague, { overdue: true })).toEqual(["Overdue since long", "Overdue report"]);
  });

  test("another workspace's tasks are NOT_FOUND like missing ones, for every query and mutation", async () => {
    const me = newMember();
    const stranger = newMember();
    const mine = await create(me, { title: "Mine" });
    const blocker = await create(me, { title: "My blocker" });
    const theirs = await create(stranger, { title: "Theirs" });
    const missing = randomUUID();
    for (const id of [theirs.id, missing, "not-a-uuid"]) {
      expect(errorCode(await h.call(me, GET, { id })), id).toBe("NOT_FOUND");
      expect(errorCode(await h.call(me, UPDATE, { id, input: { title: "Taken over" } }))).toBe("NOT_FOUND");
      expect(errorCode(await h.call(me, DELETE, { id }))).toBe("NOT_FOUND");
      expect(errorCode(await h.call(me, ADD, { t: id, b: blocker.id }))).toBe("NOT_FOUND");
      // A foreign blocker for my own task.
      expect(errorCode(await h.call(me, ADD, { t: mine.id, b: id }))).toBe("NOT_FOUND");
      expect(errorCode(await h.call(me, REMOVE, { t: mine.id, b: id }))).toBe("NOT_FOUND");
    }
    expect(errorCode(await h.call(me, UPDATE, { id: mine.id, input: { blockedByIds: [theirs.id] } }))).toBe(
      "NOT_FOUND",
    );
    expect(errorCode(await h.call(me, CREATE, { input: { title: "x", blockedByIds: [theirs.id] } }))).toBe("NOT_FOUND");
    expect(await list(me)).toEqual(["Mine", "My blocker"]);
    expect(await edgeCount(me.workspaceId)).toBe(0);
    expect((await h.ok(stranger, GET, { id: theirs.id })).task.title).toBe("Theirs");
    // Through the gateway's entity lookups too: null, like a missing one.
    const { _entities } = await h.ok(
      me,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Task { id } } }`,
      {
        r: [
          { __typename: "Task", id: theirs.id },
          { __typename: "Task", id: mine.id },
        ],
      },
    );
    expect(_entities).toEqual([null, { id: mine.id }]);
    // The stranger's User.tasks of me shows nothing of my workspace.
    const entities = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { tasks { edges { node { title } } } } } }`;
    expect(
      (await h.ok(stranger, entities, { r: [{ __typename: "User", id: me.userId }] }))._entities[0].tasks.edges,
    ).toEqual([]);
    // No inbox scope, no tasks.
    const reader = { ...me, scopes: ["inbox:read"] } as AuthenticatedPrincipal;
    expect(errorCode(await h.call(reader, CREATE, { input: { title: "x" } }))).toBe("FORBIDDEN");
    expect(errorCode(await h.call({ ...me, scopes: [] }, GET, { id: mine.id }))).toBe("FORBIDDEN");
  });

  test("a task from a calendar event names one the caller may see, and shows it to those who may", async () => {
    const me = newMember();
    const colleague = newMember(me.workspaceId);
    const stranger = newMember();
    const { calendars } = await h.ok(me, `{ calendars { id } }`);
    const { createEvent } = await h.ok(
      me,
      `mutation ($id: ID!) { createEvent(calendarId: $id, input: { title: "Kick-off", start: "2026-05-04T08:00:00Z", end: "2026-05-04T09:00:00Z" }) { event { id } } }`,
      { id: calendars[0].id },
    );
    const eventId = createEvent.event.id;
    const foreign = await h.call(stranger, CREATE, { input: { title: "Prepare", sourceEventId: eventId } });
    expect(errorCode(foreign)).toBe("NOT_FOUND");
    const made = await h.ok(
      me,
      `mutation ($input: CreateTaskInput!) { createTask(input: $input) { id source sourceEvent { id title } } }`,
      {
        input: { title: "Prepare slides", sourceEventId: eventId },
      },
    );
    expect(made.createTask).toMatchObject({ source: "EVENT", sourceEvent: { id: eventId, title: "Kick-off" } });
    // The event is in my personal calendar: a colleague sees the task, not the event.
    const seen = await h.ok(colleague, `query ($id: ID!) { task(id: $id) { title sourceEvent { id } } }`, {
      id: made.createTask.id,
    });
    expect(seen.task).toEqual({ title: "Prepare slides", sourceEvent: null });
  });

  test("deleteTask removes the task and its dependency rows on both sides", async () => {
    const me = newMember();
    const a = await create(me, { title: "A" });
    const b = await create(me, { title: "B", blockedByIds: [a.id] });
    const c = await create(me, { title: "C" });
    await h.ok(me, ADD, { t: a.id, b: c.id });
    expect(await edgeCount(me.workspaceId)).toBe(2);
    expect(await h.ok(me, DELETE, { id: a.id })).toEqual({ deleteTask: a.id });
    expect(await edgeCount(me.workspaceId)).toBe(0);
    expect((await h.ok(me, GET, { id: b.id })).task.blockedBy).toEqual([]);
    expect((await h.ok(me, GET, { id: c.id })).task.blocking).toEqual([]);
    expect(errorCode(await h.call(me, GET, { id: a.id }))).toBe("NOT_FOUND");
  });
});

describe("task dependencies", () => {
  test("a cycle is refused with BAD_USER_INPUT naming it (self, direct, transitive), and nothing is saved", async () => {
    const me = newMember();
    const a = await create(me, { title: "Ship" });
    const b = await create(me, { title: "Test" });
    const c = await create(me, { title: "Build" });
    // Ship waits for Test, Test waits for Build.
    expect((await h.ok(me, ADD, { t: a.id, b: b.id })).addTaskDependency.blockedBy).toEqual([{ id: b.id }]);
    await h.ok(me, UPDATE, { id: b.id, input: { blockedByIds: [c.id] } });
    expect(await edgeCount(me.workspaceId)).toBe(2);

    const self = await h.call(me, ADD, { t: a.id, b: a.id });
    expect(self.errors?.[0]).toMatchObject({
      message: 'A task cannot be blocked by itself: "Ship" → "Ship"',
      extensions: { code: "BAD_USER_INPUT", field: "blockedById", cycle: [a.id, a.id] },
    });
    const direct = await h.call(me, ADD, { t: b.id, b: a.id });
    expect(direct.errors?.[0]).toMatchObject({
      message: 'That would make a cycle of blocking tasks (each waits for the next): "Test" → "Ship" → "Test"',
      extensions: { code: "BAD_USER_INPUT", field: "blockedById", cycle: [b.id, a.id, b.id] },
    });
    const transitive = await h.call(me, ADD, { t: c.id, b: a.id });
    expect(transitive.errors?.[0]).toMatchObject({
      message:
        'That would make a cycle of blocking tasks (each waits for the next): "Build" → "Ship" → "Test" → "Build"',
      extensions: { code: "BAD_USER_INPUT", field: "blockedById", cycle: [c.id, a.id, b.id, c.id] },
    });
    // Through updateTask, with other changes that are not saved either.
    const viaUpdate = await h.call(me, UPDATE, { id: c.id, input: { title: "Renamed", blockedByIds: [a.id] } });
    expect(viaUpdate.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "blockedByIds" });
    expect(await edgeCount(me.workspaceId)).toBe(2);
    expect((await h.ok(me, GET, { id: c.id })).task).toMatchObject({ title: "Build", blockedBy: [] });
    // Replacing Test's blocker (Build → nothing) makes Build → Ship possible: the check sees the new graph.
    await h.ok(me, UPDATE, { id: b.id, input: { blockedByIds: null } });
    expect((await h.ok(me, ADD, { t: c.id, b: a.id })).addTaskDependency.blockedBy).toEqual([{ id: a.id }]);
    // Adding one that exists changes nothing; removing one that does not is fine too.
    await h.ok(me, ADD, { t: c.id, b: a.id });
    await h.ok(me, REMOVE, { t: a.id, b: c.id });
    expect(await edgeCount(me.workspaceId)).toBe(2);
    expect((await h.ok(me, REMOVE, { t: c.id, b: a.id })).removeTaskDependency.blockedBy).toEqual([]);
  });

  test("concurrent opposite additions (A waits for B, B waits for A): exactly one succeeds", async () => {
    const me = newMember();
    for (let round = 0; round < 5; round++) {
      const a = await create(me, { title: `A${round}` });
      const b = await create(me, { title: `B${round}` });
      const results = await Promise.all([h.call(me, ADD, { t: a.id, b: b.id }), h.call(me, ADD, { t: b.id, b: a.id })]);
      const codes = results.map((result) => (result.errors ? errorCode(result) : "OK")).sort();
      expect(codes, `round ${round}`).toEqual(["BAD_USER_INPUT", "OK"]);
      // And a longer one: C waits for A while the opposite chain closes through B.
      const c = await create(me, { title: `C${round}` });
      const racing = await Promise.all([
        h.call(me, ADD, { t: c.id, b: a.id }),
        h.call(me, ADD, { t: a.id, b: c.id }),
        h.call(me, ADD, { t: b.id, b: c.id }),
      ]);
      expect(racing.filter((result) => !result.errors).length).toBeGreaterThanOrEqual(1);
    }
    // Whatever won, the graph has no cycle: no task reaches itself.
    const [cyclic] = await h.sql(
      `with recursive reach(start, id) as (
         select task_id, blocked_by_id from task_dependencies where workspace_id = ?
         union
         select r.start, d.blocked_by_id from reach r join task_dependencies d on d.task_id = r.id
       ) select count(*) as n from reach where start = id`,
      [me.workspaceId],
    );
    expect(Number(cyclic!.n)).toBe(0);
  });

  test("a task cannot be DONE while a blocker is open; reopening a blocker of a DONE task changes nothing else", async () => {
    const me = newMember();
    const blocker = await create(me, { title: "Get approval" });
    const other = await create(me, { title: "Book venue", status: "DONE" });
    const task = await create(me, { title: "Launch", blockedByIds: [blocker.id, other.id], progress: 40 });
    expect(task.blockedBy.map((t: any) => t.title).sort()).toEqual(["Book venue", "Get approval"]);

    const refused = await h.call(me, UPDATE, { id: task.id, input: { status: "DONE", title: "Launched" } });
    expect(refused.errors?.[0]).toMatchObject({
      message: '"Launch" cannot be DONE while tasks blocking it are open: "Get approval"',
      extensions: { code: "BAD_USER_INPUT", field: "status", openBlockerIds: [blocker.id] },
    });
    expect((await h.ok(me, GET, { id: task.id })).task).toMatchObject({
      title: "Launch",
      status: "TODO",
      progress: 40,
      completedAt: null,
    });
    expect(
      errorCode(
        await h.call(me, CREATE, { input: { title: "Done at once", status: "DONE", blockedByIds: [blocker.id] } }),
      ),
    ).toBe("BAD_USER_INPUT");

    await h.ok(me, UPDATE, { id: blocker.id, input: { status: "DONE" } });
    const done = (await h.ok(me, UPDATE, { id: task.id, input: { status: "DONE" } })).updateTask;
    expect(done).toMatchObject({ status: "DONE", progress: 100 });
    expect(Date.parse(done.completedAt)).toBeGreaterThan(Date.now() - 60_000);
    // Reopening the blocker is allowed; the DONE task stays DONE.
    await h.ok(me, UPDATE, { id: blocker.id, input: { status: "IN_PROGRESS" } });
    expect((await h.ok(me, GET, { id: task.id })).task.status).toBe("DONE");
    // But a DONE task gets no new open blocker.
    const open = await create(me, { title: "Open thing" });
    expect(bad(await h.call(me, ADD, { t: task.id, b: open.id }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "blockedById",
    });
    // Reopening the task clears completedAt and keeps its progress.
    const reopened = (await h.ok(me, UPDATE, { id: task.id, input: { status: "TODO" } })).updateTask;
    expect(reopened).toMatchObject({ status: "TODO", progress: 100, completedAt: null });
  });

  test("blockedBy and blocking of a whole list cost one query each, however many tasks", async () => {
    const me = newMember();
    const root = await create(me, { title: "Root" });
    for (let i = 0; i < 6; i++) await create(me, { title: `Leaf ${i}`, blockedByIds: [root.id] });
    const before = h.statements.length;
    const data = await h.ok(
      me,
      `{ tasks(first: 50) { edges { node { title blockedBy { title } blocking { title } } } } }`,
    );
    const statements = h.statements.slice(before).filter((sql) => sql.includes("task_dependencies"));
    expect(statements).toHaveLength(2);
    const byTitle = new Map(data.tasks.edges.map((edge: any) => [edge.node.title, edge.node]));
    expect((byTitle.get("Root") as any).blocking).toHaveLength(6);
    expect((byTitle.get("Leaf 3") as any).blockedBy).toEqual([{ title: "Root" }]);
  });
});

describe("User.tasks", () => {
  test("the workspace's tasks assigned to each user, filtered and paged, in one statement for all users", async () => {
    const me = newMember();
    const colleague = newMember(me.workspaceId);
    await create(me, { title: "Mine, late", dueAt: inMinutes(-30) });
    await create(me, { title: "Mine, no due" });
    await create(me, { title: "Theirs", assigneeId: colleague.userId, priority: "HIGH" });
    await create(me, { title: "Theirs, done", assigneeId: colleague.userId, status: "DONE" });
    const query = `query ($r: [_Any!]!, $filter: TaskFilter) { _entities(representations: $r) {
      ... on User { id tasks(filter: $filter, first: 10) { edges { node { title } } } } } }`;
    const representations = [me.userId, colleague.userId, randomUUID()].map((id) => ({ __typename: "User", id }));
    const before = h.statements.length;
    const { _entities } = await h.ok(me, query, { r: representations });
    expect(h.statements.slice(before).filter((sql) => sql.includes("from tasks"))).toHaveLength(1);
    expect(_entities.map((user: any) => user.tasks.edges.map((edge: any) => edge.node.title))).toEqual([
      ["Mine, late", "Mine, no due"],
      ["Theirs", "Theirs, done"],
      [],
    ]);
    const open = await h.ok(colleague, query, { r: representations.slice(0, 2), filter: { status: ["TODO"] } });
    expect(open._entities.map((user: any) => user.tasks.edges.length)).toEqual([2, 1]);
  });
});

describe("createTasksFromMessage", () => {
  test("makes tasks of a real message's action items (LOCAL), once, for its owner only", async () => {
    const user = await createMailUser();
    const me = newMember();
    const colleague = newMember(me.workspaceId);
    const accountId = await h.connect(me, user);
    await deliver({
      to: user.address,
      from: "Ada Lovelace <ada@acme.example>",
      subject: "Contract next steps",
      text: [
        "Hi,",
        "",
        "Thanks for the call. Could you send me the signed contract by Friday?",
        "Please book a room for the kick-off.",
        "We liked the proposal a lot.",
        "TODO: confirm the budget with finance",
        "",
        "Let me know if you have any questions.",
        "Ada",
      ].join("\n"),
    });
    await h.sync(accountId);
    const [row] = await h.sql<{ id: string }>(`select id from messages where account_id = ?`, [accountId]);
    const messageId = row!.id;

    const first = (await h.ok(me, FROM_MESSAGE, { id: messageId })).createTasksFromMessage;
    expect(first.map((task: any) => task.title)).toEqual([
      "Send me the signed contract by Friday",
      "Book a room for the kick-off",
      "Confirm the budget with finance",
    ]);
    expect(first[0]).toMatchObject({
      source: "MESSAGE",
      assignee: { id: me.userId },
      createdBy: { id: me.userId },
      sourceMessage: { id: messageId, subject: "Contract next steps" },
    });
    // Twice: the same tasks, no duplicates, even after one was renamed.
    await h.ok(me, UPDATE, { id: first[1].id, input: { title: "Book the big room" } });
    const second = (await h.ok(me, FROM_MESSAGE, { id: messageId })).createTasksFromMessage;
    expect(second.map((task: any) => task.id)).toEqual(first.map((task: any) => task.id));
    expect(second[1].title).toBe("Book the big room");
    await Promise.all([h.ok(me, FROM_MESSAGE, { id: messageId }), h.ok(me, FROM_MESSAGE, { id: messageId })]);
    expect(await list(me, { sourceMessageId: messageId })).toHaveLength(3);

    // The tasks are the workspace's; the message stays personal.
    const seenByColleague = (await h.ok(colleague, GET, { id: first[0].id })).task;
    expect(seenByColleague.title).toBe("Send me the signed contract by Friday");
    const sourceOf = `query ($id: ID!) { task(id: $id) { sourceMessage { id } } }`;
    expect((await h.ok(colleague, sourceOf, { id: first[0].id })).task.sourceMessage).toBeNull();
    expect(errorCode(await h.call(colleague, FROM_MESSAGE, { id: messageId }))).toBe("NOT_FOUND");
    expect(errorCode(await h.call(newMember(), FROM_MESSAGE, { id: messageId }))).toBe("NOT_FOUND");
    expect(errorCode(await h.call(me, FROM_MESSAGE, { id: randomUUID() }))).toBe("NOT_FOUND");
    // createTask with a sourceMessageId needs the caller's own message too.
    expect(errorCode(await h.call(colleague, CREATE, { input: { title: "x", sourceMessageId: messageId } }))).toBe(
      "NOT_FOUND",
    );
    const linked = await h.ok(
      me,
      `mutation ($input: CreateTaskInput!) { createTask(input: $input) { source sourceMessage { id } } }`,
      {
        input: { title: "Reply to Ada", sourceMessageId: messageId },
      },
    );
    expect(linked.createTask).toEqual({ source: "MESSAGE", sourceMessage: { id: messageId } });
  });
});

describe("due and overdue tasks in inboxEvents", () => {
  /** The member's stored events after a stream id, as Redis holds them. */
  const storedEvents = async (member: AuthenticatedPrincipal, afterId: string) =>
    (
      (await redis.xrange(inboxStreamKey(member.workspaceId, member.userId), `(${afterId}`, "+")) as [
        string,
        string[],
      ][]
    )
      .map(([, fields]) => JSON.parse(fields[1]!))
      .filter((event) => event.type.startsWith("TASK_"));

  test("TASK_DUE and TASK_OVERDUE are published once each, to the assignee and the creator, and subscribers get them", async () => {
    // The other tests' late tasks are notified first, so the counts below are this test's.
    await h.app.taskDue.check();
    const me = newMember();
    const colleague = newMember(me.workspaceId);
    const cursor = await h.app.events.latestCursor(me.workspaceId, me.userId);
    const colleagueCursor = await h.app.events.latestCursor(colleague.workspaceId, colleague.userId);

    // The subscription, as the gateway would run it (graphql-ws is the gateway's part).
    const em = h.app.orm.em.fork();
    const base = { principal: me, requestId: randomUUID(), log: createLogger("inbox-test", "silent") };
    const messages = new MessageService(em, { login: () => ({}) as never, maxAttachmentBytes: 1_000 });
    const context = {
      ...base,
      em,
      events: h.app.events,
      messages,
      tasks: new TaskService(em, new LocalProvider()),
      loaders: createLoaders(em, base, messages, new EventService(em, new CalendarService(em))),
    } as unknown as InboxContext;
    const subscription = (await subscribe({
      schema: await buildInboxSchema(),
      document: parse(`subscription ($after: String) { inboxEvents(after: $after) {
        type taskId account { id } message { id } task { id title overdue } } }`),
      variableValues: { after: cursor },
      contextValue: context,
    })) as AsyncGenerator<ExecutionResult<any>>;

    const soon = await create(me, { title: "Call the bank", dueAt: inMinutes(30), assigneeId: colleague.userId });
    const late = await create(me, { title: "File the taxes", dueAt: inMinutes(-5) });
    await create(me, { title: "Next week", dueAt: inMinutes(7 * 24 * 60) });
    await create(me, { title: "Done and late", dueAt: inMinutes(-5), status: "DONE" });
    await create(me, { title: "No due" });
    await create(newMember(), { title: "A stranger's late task", dueAt: inMinutes(-5) });

    // Two inbox processes checking at once publish each event once.
    const reports = await Promise.all([h.app.taskDue.check(), h.app.taskDue.check()]);
    // (The check is of every workspace: the stranger's late task is the second overdue one.)
    expect(reports.reduce((sum, r) => ({ due: sum.due + r.due, overdue: sum.overdue + r.overdue }))).toEqual({
      due: 1,
      overdue: 2,
    });
    expect(await h.app.taskDue.check()).toEqual({ due: 0, overdue: 0 });

    const received: any[] = [];
    for (let i = 0; i < 2; i++) {
      const next = await subscription.next();
      expect(next.value.errors).toBeUndefined();
      received.push(next.value.data.inboxEvents);
    }
    expect(received.sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      {
        type: "TASK_DUE",
        taskId: soon.id,
        account: null,
        message: null,
        task: { id: soon.id, title: "Call the bank", overdue: false },
      },
      {
        type: "TASK_OVERDUE",
        taskId: late.id,
        account: null,
        message: null,
        task: { id: late.id, title: "File the taxes", overdue: true },
      },
    ]);

    const mine = await storedEvents(me, idOfCursor(cursor)!);
    expect(mine.map((event) => `${event.type} ${event.taskId}`).sort()).toEqual(
      [`TASK_DUE ${soon.id}`, `TASK_OVERDUE ${late.id}`].sort(),
    );
    expect(mine.every((event) => event.accountId === undefined && event.workspaceId === me.workspaceId)).toBe(true);
    // The assignee of the task due soon gets it too (not the overdue one: that is mine alone).
    expect((await storedEvents(colleague, idOfCursor(colleagueCursor)!)).map((e) => `${e.type} ${e.taskId}`)).toEqual([
      `TASK_DUE ${soon.id}`,
    ]);

    // A new due time is notified again: now past, so TASK_OVERDUE (and no second TASK_DUE).
    await h.ok(me, UPDATE, { id: soon.id, input: { dueAt: inMinutes(-1) } });
    // DONE tasks are not notified.
    await h.ok(me, UPDATE, { id: late.id, input: { status: "DONE", dueAt: inMinutes(-2) } });
    expect(await h.app.taskDue.check()).toEqual({ due: 0, overdue: 1 });
    const third = await subscription.next();
    expect(third.value.data.inboxEvents).toMatchObject({ type: "TASK_OVERDUE", taskId: soon.id });
    await subscription.return(undefined);
    expect((await storedEvents(me, idOfCursor(cursor)!)).map((e) => e.type).sort()).toEqual([
      "TASK_DUE",
      "TASK_OVERDUE",
      "TASK_OVERDUE",
    ]);
  });
});
