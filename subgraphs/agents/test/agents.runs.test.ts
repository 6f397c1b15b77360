import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encodeCursor, signPrincipal, type AuthenticatedPrincipal } from "@mary/kit";
import { errorCode, graphql, signedHeaders, TEST_SIGNING_SECRET } from "@mary/kit/testing";
import { startAgents } from "../src/app.ts";
import { loadAgentsConfig } from "../src/config.ts";
import { RunLog } from "../src/services/run-log.ts";
import { eventCursor } from "../src/types/event.type.ts";
import type { ReceivedRequest } from "./openai-compatible-server.ts";
import {
  AGENTS,
  apiKey,
  CANCEL_RUN,
  connectionOutcome,
  CREATE_AGENT,
  eventually,
  gatewayParams,
  helpers,
  OPENAI_TEST_MODEL,
  RUN_EVENTS,
  runDocument,
  seqOf,
  START_RUN,
  startHarness,
  subscribe,
  SUBSCRIBE_EVENTS,
  user,
  words,
  wsClient,
  type EventView,
  type Harness,
  type RunStatus,
  type RunView,
  UPDATE_AGENT,
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

const storedRuns = (workspaceId: string) => h.app.store.runs.countDocuments({ workspaceId });
const runLog = () => new RunLog(h.app.store, h.redis);
const storedEvents = async (runId: string) => (await runLog().all(runId)).length;
const cancelRequested = async (runId: string) => (await h.redis.exists(`agents:run:${runId}:cancel`)) === 1;
const tokenText = (events: EventView[]) =>
  events
    .filter((event) => event.type === "TOKEN")
    .map((event) => event.delta)
    .join("");
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Redis connections following the run (each agents process has at most one per run, named for it). */
const numSub = async (runId: string) => {
  const clients = (await h.redis.call("CLIENT", "LIST", "TYPE", "normal")) as string;
  return clients.split("\n").filter((line) => line.includes(` name=agents-tail:${runId} `)).length;
};

describe("runs on the LOCAL provider", () => {
  test("startAgentRun returns QUEUED at once; the run then SUCCEEDS echoing its input", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Echo", provider: "LOCAL" });
    const input = `${words(60)}\nwith  a   second line`;
    const started = await $.startRun(me, agent.id, `  ${input}\n`);
    expect(started).toMatchObject({
      status: "QUEUED",
      input,
      output: "",
      tokensUsed: 0,
      error: null,
      startedAt: null,
      finishedAt: null,
      agent: { id: agent.id },
      startedBy: { id: me.userId },
    });

    const run = await $.finished(me, started.id);
    expect(run).toMatchObject({ id: started.id, status: "SUCCEEDED", input, output: input, error: null });
    // local-echo reports two tokens per word.
    expect(run.tokensUsed).toBe(2 * input.split(/\s+/).length);
    expect(Date.parse(run.startedAt!)).toBeGreaterThanOrEqual(Date.parse(run.createdAt));
    expect(Date.parse(run.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run.startedAt!));

    const listed = await h.ok(
      `query ($id: ID!) { agent(id: $id) { runs(first: 5) { edges { node { id status } } } } }`,
      { id: agent.id },
      me,
    );
    expect(listed.agent.runs.edges).toEqual([{ node: { id: started.id, status: "SUCCEEDED" } }]);
  });

  test("events(first, after) pages through the stored events in order, with no gap and no duplicate", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Pager", provider: "LOCAL" });
    const input = words(10);
    const run = await $.startRun(me, agent.id, input);
    await $.finished(me, run.id);

    const { events, pages } = await $.allEvents(me, run.id, 4);
    expect(pages.map((page) => page.hasNextPage)).toEqual([true, true, true, false]);
    expect(pages.map((page) => page.hasPreviousPage)).toEqual([false, true, true, true]);
    expect(events.map((event) => seqOf(event.cursor))).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(events.map((event) => [event.type, event.status])).toEqual([
      ["STATUS", "QUEUED"],
      ["STATUS", "RUNNING"],
      ...Array(10).fill(["TOKEN", null]),
      ["STATUS", "SUCCEEDED"],
    ]);
    expect(events.filter((event) => event.type === "TOKEN").map((event) => event.delta)).toEqual(
      input.split(" ").map((word, i) => (i < 9 ? `${word} ` : word)),
    );
    expect(tokenText(events)).toBe(input);
    expect(await storedEvents(run.id)).toBe(13);

    // The default page holds them all; after the last one there is nothing.
    expect((await $.allEvents(me, run.id, 20)).events).toEqual(events);
    const data = await h.ok(RUN_EVENTS, { id: run.id, after: events.at(-1)!.cursor }, me);
    expect(data.agentRun.events).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
    const middle = await h.ok(RUN_EVENTS, { id: run.id, first: 3, after: events[4]!.cursor }, me);
    expect(middle.agentRun.events.edges.map((edge: { node: EventView }) => edge.node)).toEqual(events.slice(5, 8));
  });

  test("bad event cursors and page sizes are BAD_USER_INPUT", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Strict", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, "a b c");
    await $.finished(me, run.id);
    const agentCursor = (await h.ok(AGENTS, {}, me)).agents.edges[0].cursor as string;
    for (const variables of [
      { after: "garbage" },
      { after: agentCursor },
      { after: encodeCursor([new Date().toISOString(), randomUUID()]) },
      { after: Buffer.from("run-event:-1").toString("base64url") },
      { after: Buffer.from("run-event:1.5").toString("base64url") },
      { first: 0 },
      { first: 101 },
    ]) {
      const response = await h.call(RUN_EVENTS, { id: run.id, ...variables }, me);
      expect(errorCode(response), JSON.stringify(variables)).toBe("BAD_USER_INPUT");
    }
  });

  test("an empty input or one over 100,000 characters is BAD_USER_INPUT and starts nothing", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Picky", provider: "LOCAL" });
    for (const input of ["", "   \n ", "x".repeat(100_001)]) {
      const response = await h.call(START_RUN, { input: { agentId: agent.id, input } }, me);
      expect(errorCode(response), `input of ${input.length} characters`).toBe("BAD_USER_INPUT");
    }
    expect(errorCode(await h.call(START_RUN, { input: { agentId: randomUUID(), input: "hi" } }, me))).toBe("NOT_FOUND");
    expect(await storedRuns(me.workspaceId)).toBe(0);
    expect(await h.app.store.eventPages.countDocuments({ workspaceId: me.workspaceId })).toBe(0);

    // Exactly 100,000 characters is accepted (one long word: one token).
    const longest = "y".repeat(100_000);
    const run = await $.startRun(me, agent.id, longest);
    expect((await $.finished(me, run.id)).output).toBe(longest);
  });
});

describe("cancelAgentRun", () => {
  test("stops a long run within 2 s, keeping a prefix of the output; STATUS CANCELLED is the last event", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Chatty", provider: "LOCAL" });
    const input = words(2_000);
    const run = await $.startRun(me, agent.id, input);
    await eventually(async () => (await storedEvents(run.id)) >= 12);

    const asked = performance.now();
    const cancelled = (await h.ok<{ cancelAgentRun: RunView }>(CANCEL_RUN, { id: run.id }, me)).cancelAgentRun;
    const elapsed = performance.now() - asked;
    expect(cancelled.status).toBe("CANCELLED");
    expect(elapsed).toBeLessThan(2_000);
    expect(cancelled.finishedAt).not.toBeNull();
    expect(cancelled.error).toBeNull();
    expect(cancelled.output.length).toBeGreaterThan(0);
    expect(cancelled.output.length).toBeLessThan(input.length);
    expect(input.startsWith(cancelled.output)).toBe(true);

    // Nothing is written after the end.
    const count = await storedEvents(run.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await storedEvents(run.id)).toBe(count);
    const { events } = await $.allEvents(me, run.id);
    expect(events).toHaveLength(count);
    expect(events.at(-1)).toMatchObject({ type: "STATUS", status: "CANCELLED" });
    expect(events.filter((event) => event.type === "STATUS").map((event) => event.status)).toEqual([
      "QUEUED",
      "RUNNING",
      "CANCELLED",
    ]);
    expect(tokenText(events)).toBe(cancelled.output);
    expect(await $.getRun(me, run.id)).toEqual(cancelled);
  });

  test("cancelling a finished run returns it unchanged", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Quick", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, "done already");
    const finished = await $.finished(me, run.id);
    const events = await storedEvents(run.id);

    const again = (await h.ok<{ cancelAgentRun: RunView }>(CANCEL_RUN, { id: run.id }, me)).cancelAgentRun;
    expect(again).toEqual(finished);
    expect(again.status).toBe("SUCCEEDED");
    expect(await storedEvents(run.id)).toBe(events);
    expect(await cancelRequested(run.id)).toBe(false);
  });

  test("needs agents:write: a reader cannot stop a run", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Kept", provider: "LOCAL" });
    const input = words(40);
    const run = await $.startRun(me, agent.id, input);
    const reader = apiKey(["agents:read"], "ENTERPRISE", me.workspaceId);
    expect(errorCode(await h.call(CANCEL_RUN, { id: run.id }, reader))).toBe("FORBIDDEN");
    expect(await $.finished(me, run.id)).toMatchObject({ status: "SUCCEEDED", output: input });
  });
});

describe("the OPENAI provider, against a local OpenAI-compatible server", () => {
  const toolMessages = (request: ReceivedRequest) => request.messages.filter((message) => message.role === "tool");

  test("streamed text becomes TOKEN events and the run SUCCEEDS", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Chat", instructions: "Answer kindly." });
    expect(agent).toMatchObject({ provider: "OPENAI", model: OPENAI_TEST_MODEL });
    h.openAI.script = () => ({ text: ["Hello", ", ", "world", "!"] });
    const before = h.openAI.requests.length;

    const run = await $.startRun(me, agent.id, "Say hello");
    const done = await $.finished(me, run.id);
    expect(done).toMatchObject({ status: "SUCCEEDED", output: "Hello, world!", error: null });
    expect(done.tokensUsed).toBe(14); // the server reports 10 prompt + 4 completion tokens
    const { events } = await $.allEvents(me, run.id);
    expect(events.map((event) => [event.type, event.delta ?? event.status])).toEqual([
      ["STATUS", "QUEUED"],
      ["STATUS", "RUNNING"],
      ["TOKEN", "Hello"],
      ["TOKEN", ", "],
      ["TOKEN", "world"],
      ["TOKEN", "!"],
      ["STATUS", "SUCCEEDED"],
    ]);

    const sent = h.openAI.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      model: OPENAI_TEST_MODEL,
      stream: true,
      authorization: "Bearer sk-test-agents",
      messages: [
        { role: "system", content: "Answer kindly." },
        { role: "user", content: "Say hello" },
      ],
    });
    expect(sent[0]!.tools).toBeUndefined();
  });

  test("the server failing mid-stream ends the run FAILED with an ERROR event, keeping the output so far", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Fragile" });
    // Chunk 0 opens the message, 1-3 carry text; the connection drops before chunk 4.
    h.openAI.script = () => ({ text: ["The ", "answer ", "is ", "forty-two"], breakAfterChunks: 4 });
    const run = await $.startRun(me, agent.id, "What is the answer?");
    const done = await $.finished(me, run.id);
    expect(done).toMatchObject({ status: "FAILED", output: "The answer is " });
    expect(done.error).toMatch(/^The model provider failed/);

    const { events } = await $.allEvents(me, run.id);
    expect(events.slice(-2).map((event) => [event.type, event.status])).toEqual([
      ["ERROR", null],
      ["STATUS", "FAILED"],
    ]);
    expect(events.at(-2)!.error).toBe(done.error);
    expect(tokenText(events)).toBe("The answer is ");
  });

  test("a call to a tool the agent does not have is a TOOL_RESULT error, and the run still finishes", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Toolless" });
    h.openAI.script = (request) =>
      toolMessages(request).length === 0
        ? { toolCalls: [{ name: "search_contacts", arguments: '{"query":"Ada"}' }] }
        : { text: ["I have no such tool."] };
    const before = h.openAI.requests.length;
    const run = await $.startRun(me, agent.id, "Find Ada");
    const done = await $.finished(me, run.id);
    expect(done).toMatchObject({ status: "SUCCEEDED", output: "I have no such tool." });

    const { events } = await $.allEvents(me, run.id);
    expect(events.map((event) => event.type)).toEqual([
      "STATUS",
      "STATUS",
      "TOOL_CALL",
      "TOOL_RESULT",
      "TOKEN",
      "STATUS",
    ]);
    const call = events[2]!.toolCall!;
    expect(call).toMatchObject({ name: "search_contacts", arguments: '{"query":"Ada"}', result: null, error: null });
    expect(events[3]!.toolCall).toEqual({
      ...call,
      result: null,
      error: "This agent has no tool named search_contacts",
    });

    // The model got the error back under the call's id.
    const sent = h.openAI.requests.slice(before);
    expect(sent).toHaveLength(2);
    const answer = toolMessages(sent[1]!)[0]!;
    expect(answer.tool_call_id).toBe(call.id);
    expect(JSON.parse(answer.content!)).toEqual({ error: "This agent has no tool named search_contacts" });
  });

  test("an enabled tool whose gateway is unreachable fails as a TOOL_RESULT error without crashing the run", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Whoami", tools: ["WHOAMI"] });
    h.openAI.script = (request) =>
      toolMessages(request).length === 0
        ? {
            toolCalls: [
              { name: "whoami", arguments: "{}" },
              { name: "whoami", arguments: "{not json" },
            ],
          }
        : { text: ["Could not tell."] };
    const before = h.openAI.requests.length;
    const run = await $.startRun(me, agent.id, "Who am I?");
    const done = await $.finished(me, run.id);
    expect(done).toMatchObject({ status: "SUCCEEDED", output: "Could not tell.", error: null });

    const { events } = await $.allEvents(me, run.id);
    const results = events.filter((event) => event.type === "TOOL_RESULT").map((event) => event.toolCall!);
    expect(results.map((call) => [call.name, call.result, call.error])).toEqual([
      ["whoami", null, "The Mary gateway could not be reached"],
      ["whoami", null, "The arguments are not valid JSON"],
    ]);
    expect(events.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
    const sent = h.openAI.requests.slice(before);
    expect(sent[0]!.tools?.map((tool) => tool.function.name)).toEqual(["whoami"]);
    expect(toolMessages(sent[1]!)).toHaveLength(2);
  });

  test("a model that keeps calling tools is stopped after MAX_TOOL_ROUNDS and the run FAILS", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Loop" });
    h.openAI.script = () => ({ toolCalls: [{ name: "whoami", arguments: "{}" }] });
    const before = h.openAI.requests.length;
    const run = await $.startRun(me, agent.id, "Loop forever");
    const done = await $.finished(me, run.id);
    expect(done).toMatchObject({ status: "FAILED", error: "The model was still calling tools after 8 rounds" });
    expect(h.openAI.requests.length - before).toBe(9);
    const { events } = await $.allEvents(me, run.id);
    expect(events.filter((event) => event.type === "TOOL_RESULT")).toHaveLength(8);
    expect(events.slice(-2).map((event) => [event.type, event.error ?? event.status])).toEqual([
      ["ERROR", "The model was still calling tools after 8 rounds"],
      ["STATUS", "FAILED"],
    ]);
  });
});

interface LiveEvent extends EventView {
  run: { id: string; status: RunStatus };
}

describe("agentRunEvents over graphql-ws, straight to the subgraph", () => {
  test("with `after` a mid-run cursor, yields exactly the remaining events in order, then completes", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Streamer", provider: "LOCAL" });
    const input = words(200);
    const run = await $.startRun(me, agent.id, input);
    await eventually(async () => (await storedEvents(run.id)) >= 20);
    const page = await h.ok(RUN_EVENTS, { id: run.id, first: 15 }, me);
    const cursor = page.agentRun.events.pageInfo.endCursor as string;
    expect(seqOf(cursor)).toBe(15);

    const client = wsClient(h);
    try {
      const subscription = subscribe<{ agentRunEvents: LiveEvent }>(client, me, SUBSCRIBE_EVENTS, {
        runId: run.id,
        after: cursor,
      });
      await subscription.done;
      for (const result of subscription.results) expect(result.errors).toBeUndefined();
      const received = subscription.results.map((result) => result.data!.agentRunEvents);

      const { events: stored } = await $.allEvents(me, run.id);
      expect(stored.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
      expect(received.map(({ run: _run, ...event }) => event)).toEqual(stored.slice(15));
      expect(received.map((event) => seqOf(event.cursor))).toEqual(
        Array.from({ length: stored.length - 15 }, (_, i) => i + 16),
      );
      // It joined while the run was going, and each event shows the run as it was then.
      expect(received[0]!.run).toEqual({ id: run.id, status: "RUNNING" });
      expect(received.at(-1)!.run).toEqual({ id: run.id, status: "SUCCEEDED" });
      expect(tokenText(stored.slice(0, 15)) + tokenText(received)).toBe(input);
    } finally {
      await client.dispose();
    }
    await eventually(() => h.app.listenedRuns() === 0);
    await eventually(async () => (await numSub(run.id)) === 0);
  });

  test("a finished run is replayed in full (or from `after`) and the subscription completes", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Replay", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, words(6));
    await $.finished(me, run.id);
    const { events: stored } = await $.allEvents(me, run.id);
    expect(stored).toHaveLength(9);

    const client = wsClient(h);
    try {
      const whole = subscribe<{ agentRunEvents: LiveEvent }>(client, me, SUBSCRIBE_EVENTS, { runId: run.id });
      const fromThird = subscribe<{ agentRunEvents: LiveEvent }>(client, me, SUBSCRIBE_EVENTS, {
        runId: run.id,
        after: stored[2]!.cursor,
      });
      await Promise.all([whole.done, fromThird.done]);
      const strip = (results: typeof whole.results) =>
        results.map((result) => {
          expect(result.errors).toBeUndefined();
          const { run: seen, ...event } = result.data!.agentRunEvents;
          expect(seen).toEqual({ id: run.id, status: "SUCCEEDED" });
          return event;
        });
      expect(strip(whole.results)).toEqual(stored);
      expect(strip(fromThird.results)).toEqual(stored.slice(3));
    } finally {
      await client.dispose();
    }
    await eventually(() => h.app.listenedRuns() === 0);
  });

  test("with `after` the final event's cursor of a finished run, completes at once with no event", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Resume", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, "one two");
    await $.finished(me, run.id);
    const { events: stored } = await $.allEvents(me, run.id);
    expect(stored.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });

    const client = wsClient(h);
    try {
      const resumed = subscribe(client, me, SUBSCRIBE_EVENTS, { runId: run.id, after: stored.at(-1)!.cursor });
      const outcome = await Promise.race([
        resumed.done.then(() => "completed"),
        sleep(1_500).then(() => "still open after 1.5 s"),
      ]);
      resumed.unsubscribe();
      expect(outcome).toBe("completed");
      expect(resumed.results).toEqual([]);
    } finally {
      await client.dispose();
      await eventually(() => h.app.listenedRuns() === 0);
    }
  });

  test("with `after` past the end of a running run, sends nothing and completes when the run ends", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Ahead", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, words(100));
    const client = wsClient(h);
    try {
      const ahead = subscribe(client, me, SUBSCRIBE_EVENTS, { runId: run.id, after: eventCursor(1_000_000) });
      await ahead.done;
      expect(ahead.results).toEqual([]);
      expect((await $.getRun(me, run.id)).status).toBe("SUCCEEDED");
    } finally {
      await client.dispose();
    }
    await eventually(() => h.app.listenedRuns() === 0);
  });

  test("only the gateway may connect: connection_init without its signed service principal is closed 4403", async () => {
    const me = user();
    expect(await connectionOutcome(h, gatewayParams())).toBe("ack");
    expect(await connectionOutcome(h, {})).toBe(4403);
    expect(await connectionOutcome(h, { "x-mary-principal": signPrincipal(me, TEST_SIGNING_SECRET) })).toBe(4403);
    expect(
      await connectionOutcome(h, {
        "x-mary-principal": signPrincipal({ kind: "service", service: "billing" }, TEST_SIGNING_SECRET),
      }),
    ).toBe(4403);
    expect(await connectionOutcome(h, gatewayParams("not-the-signing-secret-0123456789abcdef"))).toBe(4403);
    const stale = signPrincipal({ kind: "service", service: "gateway" }, TEST_SIGNING_SECRET, Date.now() - 120_000);
    expect(await connectionOutcome(h, { "x-mary-principal": stale })).toBe(4403);
  });

  test("a subscribe without the caller's principal is UNAUTHENTICATED; the socket stays usable", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Auth", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, "x y");
    await $.finished(me, run.id);

    const client = wsClient(h);
    try {
      const anonymous = subscribe(client, null, SUBSCRIBE_EVENTS, { runId: run.id });
      const error = await anonymous.done.then(
        () => null,
        (reason: Error) => reason.cause,
      );
      expect(anonymous.results).toEqual([]);
      expect(Array.isArray(error)).toBe(true);
      expect((error as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe("UNAUTHENTICATED");

      const forged = subscribe(
        client,
        null,
        SUBSCRIBE_EVENTS,
        { runId: run.id },
        {
          "x-mary-principal": signPrincipal(me, "not-the-signing-secret-0123456789abcdef"),
        },
      );
      expect(await forged.done.catch((reason: Error) => (reason.cause as any[])[0]?.extensions?.code)).toBe(
        "UNAUTHENTICATED",
      );

      const allowed = subscribe<{ agentRunEvents: LiveEvent }>(client, me, SUBSCRIBE_EVENTS, { runId: run.id });
      await allowed.done;
      expect(allowed.results.at(-1)!.data!.agentRunEvents).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
    } finally {
      await client.dispose();
    }
  });

  test("another workspace's run is FORBIDDEN; a missing run NOT_FOUND; no events are sent", async () => {
    const owner = user();
    const stranger = user();
    const agent = await $.createAgent(owner, { name: "Private", provider: "LOCAL" });
    const run = await $.startRun(owner, agent.id, words(5));
    await $.finished(owner, run.id);

    const client = wsClient(h);
    try {
      const outcome = async (caller: Parameters<typeof subscribe>[1], variables: Record<string, unknown>) => {
        const subscription = subscribe(client, caller, SUBSCRIBE_EVENTS, variables);
        await subscription.done;
        expect(subscription.results).toHaveLength(1);
        expect(subscription.results[0]!.data).toBeFalsy();
        return subscription.results[0]!.errors?.[0]?.extensions?.code;
      };
      expect(await outcome(stranger, { runId: run.id })).toBe("FORBIDDEN");
      expect(await outcome(stranger, { runId: randomUUID() })).toBe("NOT_FOUND");
      expect(await outcome(apiKey(["agents:write"], "ENTERPRISE", owner.workspaceId), { runId: run.id })).toBe(
        "FORBIDDEN",
      );
      expect(await outcome(owner, { runId: run.id, after: "garbage" })).toBe("BAD_USER_INPUT");
    } finally {
      await client.dispose();
    }
    expect(h.app.listenedRuns()).toBe(0);
  });

  test("one blocking read per run however many subscribe; once every subscriber has left, none", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Long", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, words(2_000));
    expect(h.app.listenedRuns()).toBe(0);

    const clients = [wsClient(h), wsClient(h)];
    try {
      const first = subscribe(clients[0]!, me, SUBSCRIBE_EVENTS, { runId: run.id });
      const second = subscribe(clients[0]!, me, SUBSCRIBE_EVENTS, { runId: run.id });
      const third = subscribe(clients[1]!, me, SUBSCRIBE_EVENTS, { runId: run.id });
      await Promise.all([first.received(5), second.received(5), third.received(5)]);
      // One tail per run, however many listen.
      expect(h.app.listenedRuns()).toBe(1);
      expect(await numSub(run.id)).toBe(1);

      first.unsubscribe();
      third.unsubscribe();
      const count = second.results.length;
      await second.received(count + 5);
      expect(h.app.listenedRuns()).toBe(1);
      expect(await numSub(run.id)).toBe(1);

      second.unsubscribe();
      await eventually(() => h.app.listenedRuns() === 0, 3_000);
      await eventually(async () => (await numSub(run.id)) === 0, 3_000);
      expect((await $.getRun(me, run.id)).status).toBe("RUNNING");
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
      await h.call(CANCEL_RUN, { id: run.id }, me);
    }
  });
});

/** A run as a process that died mid-run leaves it: RUNNING, with a few stored events and an old heartbeat. */
async function orphanedRun(owner: AuthenticatedPrincipal, agentId: string, silentForMs: number): Promise<string> {
  const at = new Date(Date.now() - silentForMs);
  const run = runDocument(owner, agentId, { createdAt: at, input: "partial answer", output: "partial " });
  await h.app.store.runs.insertOne(run);
  const id = run._id;
  const base = { runId: id, workspaceId: owner.workspaceId, at };
  for (const event of [
    { ...base, seq: 1, type: "STATUS", status: "QUEUED" },
    { ...base, seq: 2, type: "STATUS", status: "RUNNING" },
    { ...base, seq: 3, type: "TOKEN", delta: "partial " },
  ] as const) {
    await runLog().append(event);
  }
  return id;
}

describe("runs across agents processes", () => {
  test("a process without an OpenAI key defaults to LOCAL, refuses OPENAI, and fails OPENAI runs", async () => {
    const me = user();
    const remote = await $.createAgent(me, { name: "Remote" });
    expect(remote.provider).toBe("OPENAI");
    const requests = h.openAI.requests.length;
    // Compose passes an unset key as an empty string: that means none.
    const offline = await startAgents(loadAgentsConfig({ ...h.env, OPENAI_API_KEY: "" }));
    let runId = "";
    try {
      const call = (query: string, variables: Record<string, unknown>) =>
        graphql(offline.url, query, variables, signedHeaders(me));
      const created = await call(CREATE_AGENT, { input: { name: "Offline" } });
      expect(created.data.createAgent).toMatchObject({ provider: "LOCAL", model: "local-echo" });
      expect(errorCode(await call(CREATE_AGENT, { input: { name: "Remote 2", provider: "OPENAI" } }))).toBe(
        "BAD_USER_INPUT",
      );
      const switched = await call(UPDATE_AGENT, { id: created.data.createAgent.id, input: { provider: "OPENAI" } });
      expect(errorCode(switched)).toBe("BAD_USER_INPUT");

      const started = await call(START_RUN, { input: { agentId: remote.id, input: "hello" } });
      expect(started.data.startAgentRun.status).toBe("QUEUED");
      runId = started.data.startAgentRun.id;
      const done = await $.finished(me, runId);
      expect(done).toMatchObject({
        status: "FAILED",
        output: "",
        error: "The OPENAI provider is not configured on this server",
      });
      expect(h.openAI.requests.length).toBe(requests);
      await eventually(async () => (await storedEvents(runId)) === 4);
    } finally {
      await offline.close();
    }
    const { events } = await $.allEvents(me, runId);
    expect(events.map((event) => [event.type, event.status ?? event.error])).toEqual([
      ["STATUS", "QUEUED"],
      ["STATUS", "RUNNING"],
      ["ERROR", "The OPENAI provider is not configured on this server"],
      ["STATUS", "FAILED"],
    ]);
  });

  test("a run whose process died is failed by the next process to start, after its stored events", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Orphan", provider: "LOCAL" });
    const runId = await orphanedRun(me, agent.id, 120_000);
    const next = await startAgents(loadAgentsConfig(h.env));
    try {
      const done = await $.finished(me, runId);
      expect(done).toMatchObject({
        status: "FAILED",
        output: "partial ",
        error: "The agents service running it stopped",
      });
      // The sweep ends the run's document first, then appends its last events.
      await eventually(async () => (await storedEvents(runId)) === 5);
    } finally {
      await next.close();
    }
    const { events } = await $.allEvents(me, runId);
    expect(
      events.map((event) => [seqOf(event.cursor), event.type, event.status ?? event.delta ?? event.error]),
    ).toEqual([
      [1, "STATUS", "QUEUED"],
      [2, "STATUS", "RUNNING"],
      [3, "TOKEN", "partial "],
      [4, "ERROR", "The agents service running it stopped"],
      [5, "STATUS", "FAILED"],
    ]);
  });

  test("a run whose worker died after logging its end is brought in line with its stream, adding no event", async () => {
    // The document lost its final status (the process died between the stream and the document,
    // or a write was lost): the stream's end stands, and nothing is appended after it.
    const me = user();
    const agent = await $.createAgent(me, { name: "Ended", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, "all done");
    await $.finished(me, run.id);
    const before = await storedEvents(run.id);
    await h.app.store.runs.updateOne(
      { _id: run.id },
      { $set: { status: "RUNNING", output: "", workerId: randomUUID(), heartbeatAt: new Date(Date.now() - 120_000) } },
    );
    await h.redis.del(`agents:run:${run.id}:live`); // long expired, as the process died long ago
    const next = await startAgents(loadAgentsConfig(h.env));
    try {
      await eventually(async () => (await $.getRun(me, run.id)).status === "SUCCEEDED");
      expect(await $.getRun(me, run.id)).toMatchObject({ output: "all done", error: null });
    } finally {
      await next.close();
    }
    expect(await storedEvents(run.id)).toBe(before);
    const { events } = await $.allEvents(me, run.id);
    expect(events.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
  });

  test("cancelling a run whose worker stopped answering ends it CANCELLED after the 2 s wait", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Silent", provider: "LOCAL" });
    // Silent for longer than two heartbeats, not yet long enough for the sweep.
    const runId = await orphanedRun(me, agent.id, 15_000);
    const asked = performance.now();
    const cancelled = (await h.ok<{ cancelAgentRun: RunView }>(CANCEL_RUN, { id: runId }, me)).cancelAgentRun;
    const elapsed = performance.now() - asked;
    expect(cancelled).toMatchObject({ status: "CANCELLED", output: "partial ", error: null });
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(4_000);
    const { events } = await $.allEvents(me, runId);
    expect(events.map((event) => [seqOf(event.cursor), event.type, event.status ?? event.delta])).toEqual([
      [1, "STATUS", "QUEUED"],
      [2, "STATUS", "RUNNING"],
      [3, "TOKEN", "partial "],
      [4, "STATUS", "CANCELLED"],
    ]);
  });
});
