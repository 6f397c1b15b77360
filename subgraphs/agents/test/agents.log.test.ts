// The run event log under the conditions that broke it: many events stored, viewers leaving
// mid-replay, retried creates, sweeps racing live runs, storage failing mid-run, and many runs at
// once. Each test names the defect it guards against.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import { startAgents } from "../src/app.ts";
import { loadAgentsConfig } from "../src/config.ts";
import { ARCHIVE_PAGE_SIZE, RunLog, runStreamKey, writeArchive } from "../src/services/run-log.ts";
import type { RunEventDocument } from "../src/types/event.type.ts";
import {
  CREATE_AGENT,
  eventually,
  helpers,
  seqOf,
  runDocument,
  START_RUN,
  startHarness,
  subscribe,
  SUBSCRIBE_EVENTS,
  user,
  words,
  wsClient,
  type Harness,
  type RunView,
} from "./harness.ts";

let h: Harness;
let $: ReturnType<typeof helpers>;
beforeAll(async () => {
  h = await startHarness();
  $ = helpers(h);
});
afterAll(async () => {
  await h?.stop();
});

const runLog = () => new RunLog(h.app.store, h.redis);

/** A finished run of `count` TOKEN events (plus QUEUED, RUNNING and SUCCEEDED), archived as a real run's are. */
async function archivedRun(owner: AuthenticatedPrincipal, agentId: string, count: number): Promise<string> {
  const run = runDocument(owner, agentId, { status: "SUCCEEDED", input: "archived", workerId: null });
  const base = { runId: run._id, workspaceId: owner.workspaceId, at: run.createdAt };
  const events: RunEventDocument[] = [
    { ...base, seq: 1, type: "STATUS", status: "QUEUED" },
    { ...base, seq: 2, type: "STATUS", status: "RUNNING" },
    ...Array.from({ length: count }, (_, i) => ({ ...base, seq: i + 3, type: "TOKEN" as const, delta: `t${i} ` })),
    { ...base, seq: count + 3, type: "STATUS", status: "SUCCEEDED" },
  ];
  await writeArchive(h.app.store, events);
  await h.app.store.runs.insertOne({
    ...run,
    output: events.map((event) => event.delta ?? "").join(""),
    finishedAt: run.createdAt,
    eventCount: events.length,
  });
  return run._id;
}

describe("the log", () => {
  test("a finished run is archived in pages and its stream expires; replay and paging read the archive alike", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Archived", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, words(1_500));
    await $.finished(me, run.id);
    expect((await h.app.store.runs.findOne({ _id: run.id }))?.eventCount).toBe(1_503);
    // Archived once the stream has its end: then the stream is set to expire.
    await eventually(async () => (await h.redis.pttl(runStreamKey(run.id))) > 0);
    expect(await h.app.store.eventPages.countDocuments({ runId: run.id })).toBe(2);
    const fromStream = await runLog().all(run.id);
    // Archiving again (a sweep retrying one that failed half-way) changes nothing.
    await writeArchive(h.app.store, fromStream);
    expect(await h.app.store.eventPages.countDocuments({ runId: run.id })).toBe(2);
    await h.redis.del(runStreamKey(run.id));
    const fromArchive = await runLog().all(run.id);
    expect(fromArchive).toEqual(JSON.parse(JSON.stringify(fromStream)));
    expect(fromArchive.map((event) => event.seq)).toEqual(Array.from({ length: 1_503 }, (_, i) => i + 1));
    const { events } = await $.allEvents(me, run.id);
    expect(events.map((event) => seqOf(event.cursor))).toEqual(fromArchive.map((event) => event.seq));
  });

  test("events stored the old way (a document each) are moved to archive pages when agents starts, then read as any", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Old", provider: "LOCAL" });
    const runId = await archivedRun(me, agent.id, 3);
    // As the old store kept it: no pages, no eventCount, one document per event.
    const events = await runLog().all(runId);
    await h.app.store.eventPages.deleteMany({ runId });
    await h.app.store.runs.updateOne({ _id: runId }, { $unset: { eventCount: "" } });
    await h.app.store.db.collection("agent_run_events").insertMany(events.map((event) => ({ ...event })));
    expect(await runLog().all(runId)).toEqual([]);
    const restarted = await startAgents(loadAgentsConfig(h.env));
    try {
      expect(await h.app.store.db.listCollections({ name: "agent_run_events" }).toArray()).toEqual([]);
      expect(await runLog().all(runId)).toEqual(events);
      expect((await h.app.store.runs.findOne({ _id: runId }))?.eventCount).toBe(6);
      const { events: paged } = await $.allEvents(me, runId);
      expect(paged.map((event) => seqOf(event.cursor))).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await restarted.close();
    }
  });

  test("a sequence number is written once: a second writer of the same seq is refused", async () => {
    const runId = randomUUID();
    const event: RunEventDocument = {
      runId,
      workspaceId: randomUUID(),
      seq: 1,
      type: "TOKEN",
      delta: "a",
      at: new Date(),
    };
    await runLog().append(event);
    await expect(runLog().append({ ...event, delta: "b" })).rejects.toThrow(/already written/);
    expect((await runLog().all(runId)).map((e) => e.delta)).toEqual(["a"]);
    await h.redis.del(runStreamKey(runId));
  });

  test("a run ending while a subscriber starts still reaches it: its final event is never between replay and tail", async () => {
    // The tail starts after the stream's newest entry; a subscriber that replayed before the tail
    // knew where that was could miss an event appended in between, and wait for ever.
    const workspaceId = randomUUID();
    for (let attempt = 0; attempt < 40; attempt++) {
      const log = runLog();
      const runId = randomUUID();
      const base = { runId, workspaceId, at: new Date() };
      await log.append({ ...base, seq: 1, type: "STATUS", status: "QUEUED" });
      await log.append({ ...base, seq: 2, type: "TOKEN", delta: "x" });
      const received: number[] = [];
      const following = (async () => {
        for await (const event of log.stream(runId, 0)) received.push(event.seq);
      })();
      await new Promise((resolve) => setImmediate(resolve));
      await log.append({ ...base, seq: 3, type: "STATUS", status: "SUCCEEDED" });
      await Promise.race([
        following,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`attempt ${attempt}: got ${received}`)), 3_000)),
      ]);
      expect(received).toEqual([1, 2, 3]);
      await h.redis.del(runStreamKey(runId));
    }
  });

  test("defect 1: a viewer that leaves mid-replay stops reading; nothing is left following the run", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Replayed", provider: "LOCAL" });
    const runId = await archivedRun(me, agent.id, 10 * ARCHIVE_PAGE_SIZE);
    const client = wsClient(h);
    try {
      const viewers = Array.from({ length: 20 }, () => subscribe(client, me, SUBSCRIBE_EVENTS, { runId }));
      await Promise.all(viewers.map((viewer) => viewer.received(3)));
      for (const viewer of viewers) viewer.unsubscribe();
      await eventually(() => h.app.replaysInProgress() === 0 && h.app.listenedRuns() === 0, 3_000);
      // They left well before the end of 10,000 events.
      for (const viewer of viewers) expect(viewer.results.length).toBeLessThan(10 * ARCHIVE_PAGE_SIZE);
    } finally {
      await client.dispose();
    }
  });
});

describe("defect 2: retried creates", () => {
  test("startAgentRun with an idempotency key starts one run however often (and however concurrently) it is sent", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Once", provider: "LOCAL" });
    const input = { agentId: agent.id, input: "only once", idempotencyKey: randomUUID() };
    const answers = await Promise.all(Array.from({ length: 8 }, () => h.ok(START_RUN, { input }, me)));
    const ids = new Set(answers.map((answer: { startAgentRun: RunView }) => answer.startAgentRun.id));
    expect(ids.size).toBe(1);
    expect(await h.app.store.runs.countDocuments({ workspaceId: me.workspaceId })).toBe(1);
    const [id] = ids;
    await $.finished(me, id!);
    // A later retry returns the same run, as it is now.
    const again = (await h.ok<{ startAgentRun: RunView }>(START_RUN, { input }, me)).startAgentRun;
    expect(again).toMatchObject({ id, status: "SUCCEEDED", output: "only once" });
    // The same key for another input is refused; without a key, every call starts a run.
    const reused = await h.call(START_RUN, { input: { ...input, input: "something else" } }, me);
    expect(errorCode(reused)).toBe("BAD_USER_INPUT");
    const { idempotencyKey: _key, ...keyless } = input;
    await h.ok(START_RUN, { input: keyless }, me);
    await h.ok(START_RUN, { input: keyless }, me);
    expect(await h.app.store.runs.countDocuments({ workspaceId: me.workspaceId })).toBe(3);
    // Keys are per workspace.
    const other = user();
    const otherAgent = await $.createAgent(other, { name: "Other", provider: "LOCAL" });
    const theirs = await h.ok<{ startAgentRun: RunView }>(
      START_RUN,
      { input: { ...input, agentId: otherAgent.id } },
      other,
    );
    expect(theirs.startAgentRun.id).not.toBe(id);
  });

  test("createAgent with an idempotency key creates one agent; a refused create frees its key", async () => {
    const me = user("FREE");
    const idempotencyKey = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        h.call(CREATE_AGENT, { input: { name: "Solo", provider: "LOCAL", idempotencyKey } }, me),
      ),
    );
    expect(answers.map((answer) => answer.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(new Set(answers.map((answer) => answer.data.createAgent.id)).size).toBe(1);
    expect(await h.app.store.agents.countDocuments({ workspaceId: me.workspaceId })).toBe(1);
    // FREE allows one agent: a second key is refused by the plan, and that key stays free.
    const second = { name: "Second", provider: "LOCAL", idempotencyKey: randomUUID() };
    expect(errorCode(await h.call(CREATE_AGENT, { input: second }, me))).toBe("PLAN_LIMIT");
    expect(await h.app.store.idempotencyKeys.countDocuments({ _id: { $regex: `^${me.workspaceId}:` } })).toBe(1);
    expect(errorCode(await h.call(CREATE_AGENT, { input: { ...second, idempotencyKey: "" } }, me))).toBe(
      "BAD_USER_INPUT",
    );
  });
});

describe("defect 3: only a run whose process is gone is ended as abandoned, and with one end", () => {
  test("a live run whose document has not been written for minutes is left alone by sweeps", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Quiet", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, words(1_500)); // about 3 s at 2 ms a token
    await eventually(async () => (await $.getRun(me, run.id)).status === "RUNNING");
    // What failed heartbeat writes looked like: the document silent for two minutes.
    await h.app.store.runs.updateOne({ _id: run.id }, { $set: { heartbeatAt: new Date(Date.now() - 120_000) } });
    const sweeper = await startAgents(loadAgentsConfig(h.env)); // sweeps when it starts
    try {
      const done = await $.finished(me, run.id, 20_000);
      expect(done.status).toBe("SUCCEEDED");
      expect(done.error).toBeNull();
    } finally {
      await sweeper.close();
    }
    const ends = (await runLog().all(run.id)).filter((event) => event.type === "STATUS" || event.type === "ERROR");
    expect(ends.map((event) => event.status ?? event.type)).toEqual(["QUEUED", "RUNNING", "SUCCEEDED"]);
  });

  test("three processes sweeping the same abandoned run at once end it once: one ERROR, one FAILED", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Orphan", provider: "LOCAL" });
    const at = new Date(Date.now() - 120_000);
    const run = runDocument(me, agent.id, { createdAt: at, input: "x" });
    const runId = run._id;
    await h.app.store.runs.insertOne(run);
    const base = { runId, workspaceId: me.workspaceId, at };
    await runLog().append({ ...base, seq: 1, type: "STATUS", status: "QUEUED" });
    await runLog().append({ ...base, seq: 2, type: "STATUS", status: "RUNNING" });
    const sweepers = await Promise.all([1, 2, 3].map(() => startAgents(loadAgentsConfig(h.env))));
    try {
      const done = await $.finished(me, runId);
      expect(done).toMatchObject({ status: "FAILED", error: "The agents service running it stopped" });
      expect((await h.app.store.runs.findOne({ _id: runId }))?.eventCount).toBe(4);
      // The document ends first, then the stream gets its last events.
      await eventually(async () => (await runLog().all(runId)).length === 4);
    } finally {
      await Promise.all(sweepers.map((sweeper) => sweeper.close()));
    }
    const events = await runLog().all(runId);
    expect(events.map((event) => [event.seq, event.type, event.status ?? event.error])).toEqual([
      [1, "STATUS", "QUEUED"],
      [2, "STATUS", "RUNNING"],
      [3, "ERROR", "The agents service running it stopped"],
      [4, "STATUS", "FAILED"],
    ]);
  });
});

test("defect 4: a storage failure mid-run fails it as an internal error, never as the provider's, without internals", async () => {
  const me = user();
  const agent = await $.createAgent(me, { name: "Broken store", provider: "LOCAL" });
  const run = await $.startRun(me, agent.id, words(3_000));
  await eventually(async () => (await $.getRun(me, run.id)).status === "RUNNING");
  // The run's stream replaced by a value of another type: every append now fails (WRONGTYPE).
  await h.redis.multi().del(runStreamKey(run.id)).set(runStreamKey(run.id), "not a stream").exec();
  try {
    const done = await $.finished(me, run.id);
    expect(done.status).toBe("FAILED");
    expect(done.error).toBe("The run stopped because of an internal error");
  } finally {
    await h.redis.del(runStreamKey(run.id));
  }
});

test("defect 5: with 24 runs at once, every run's document agrees with its event stream", async () => {
  const me = user();
  const agent = await $.createAgent(me, { name: "Busy", provider: "LOCAL" });
  const inputs = Array.from({ length: 24 }, (_, i) => words(200 + i * 10, `r${i}-`));
  const runs = await Promise.all(inputs.map((input) => $.startRun(me, agent.id, input)));
  for (const run of runs) await $.finished(me, run.id, 30_000);
  for (const [i, run] of runs.entries()) {
    // The document ends first; the stream gets its last events, then is archived and set to expire.
    await eventually(async () => (await h.redis.pttl(runStreamKey(run.id))) > 0);
    const document = (await h.app.store.runs.findOne({ _id: run.id }))!;
    const events = await runLog().all(run.id);
    const statuses = events.filter((event) => event.type === "STATUS").map((event) => event.status);
    expect(statuses).toEqual(["QUEUED", "RUNNING", "SUCCEEDED"]);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(document).toMatchObject({
      status: "SUCCEEDED",
      error: null,
      output: inputs[i],
      eventCount: events.length,
    });
    expect(document.startedAt).toBeInstanceOf(Date);
    expect(document.finishedAt!.getTime()).toBeGreaterThanOrEqual(document.startedAt!.getTime());
    expect(events.map((event) => event.delta ?? "").join("")).toBe(document.output);
  }
});
