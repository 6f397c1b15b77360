// Agent runs followed through the gateway the way they are at scale: long runs (10,000 tokens),
// viewers joining in the middle, and more than one gateway and agents process.
import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningServer } from "@mary/kit";
import { startAgents, type AgentsApp } from "../../subgraphs/agents/src/app.ts";
import { loadAgentsConfig } from "../../subgraphs/agents/src/config.ts";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";
import { subscribe, wsClient } from "./ws-client.ts";

let platform: Platform;
/** A second agents process on the same MongoDB and Redis, and a second gateway in front of it. */
let agentsB: AgentsApp;
let gatewayB: RunningServer;
beforeAll(async () => {
  // 1 ms a token: a 10,000-token run takes about 10 s.
  platform = await startPlatform({ LOCAL_TOKEN_INTERVAL_MS: "1" });
  agentsB = await startAgents(loadAgentsConfig(platform.agentsEnv));
  gatewayB = await platform.startGateway({}, { agents: agentsB.url });
});
afterAll(async () => {
  await agentsB?.close();
  await platform?.stop();
});

interface Event {
  cursor: string;
  type: string;
  delta: string | null;
  status: string | null;
}

const EVENTS = `subscription ($runId: ID!, $after: String) {
  agentRunEvents(runId: $runId, after: $after) { cursor type delta status }
}`;

const seqOf = (cursor: string) => Number(Buffer.from(cursor, "base64url").toString("utf8").split(":")[1]);
const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i + 1}`).join(" ");

async function ok<T>(url: string, query: string, variables: Record<string, unknown>, account: SignedUp): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${account.accessToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function startRun(url: string, account: SignedUp, input: string): Promise<string> {
  const { createAgent } = await ok<{ createAgent: { id: string } }>(
    url,
    `mutation { createAgent(input: { name: "Long", provider: LOCAL }) { id } }`,
    {},
    account,
  );
  const { startAgentRun } = await ok<{ startAgentRun: { id: string } }>(
    url,
    `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id } }`,
    { input: { agentId: createAgent.id, input } },
    account,
  );
  return startAgentRun.id;
}

/** Subscribes through the gateway at `url`; the events it receives, once it has them all. */
function view(url: string, account: SignedUp, runId: string, after?: string) {
  const client = wsClient(url, account.accessToken);
  const subscription = subscribe<{ agentRunEvents: Event }>(client, EVENTS, { runId, after });
  const events = () => subscription.results.map((result) => result.data!.agentRunEvents);
  return {
    received: (count: number) => subscription.received(count),
    events,
    done: subscription.done.then(async () => {
      for (const result of subscription.results) expect(result.errors).toBeUndefined();
      await client.dispose();
      return events();
    }),
  };
}

/** Every event once, in order: seq first+1, first+2, … up to the run's final STATUS. */
function expectWhole(events: Event[], input: string, after = 0) {
  expect(events.map((event) => seqOf(event.cursor))).toEqual(events.map((_, i) => after + i + 1));
  expect(events.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
  if (after === 0) {
    const text = events.map((event) => event.delta ?? "").join("");
    expect(text).toBe(input);
  }
}

test("a viewer joining a 10,000-token run in the middle with `after` receives exactly the rest", async () => {
  const account = await platform.signUp();
  const input = words(10_000);
  const runId = await startRun(platform.url, account, input);
  const early = view(platform.url, account, runId);
  await early.received(3_000);
  const joinAt = early.events()[2_999]!;
  const late = view(platform.url, account, runId, joinAt.cursor);
  const everything = await early.done;
  const rest = await late.done;
  expectWhole(everything, input);
  expect(everything).toHaveLength(10_003);
  expectWhole(rest, input, 3_000);
  expect(rest).toEqual(everything.slice(3_000));
}, 60_000);

test("a viewer on gateway A of a run executing on agents B receives all of it, in order, once", async () => {
  const account = await platform.signUp();
  const input = words(2_000);
  // Started through gateway B, so agents B executes it.
  const runId = await startRun(gatewayB.url, account, input);
  expect((await agentsB.store.runs.findOne({ _id: runId }))?.workerId).toBe(agentsB.workerId);
  const onA = view(platform.url, account, runId);
  const onB = view(gatewayB.url, account, runId);
  await onA.received(500);
  // One joining late on A, from the start: it reads what A's agents process has not seen live.
  const lateOnA = view(platform.url, account, runId);
  const [a, b, lateA] = await Promise.all([onA.done, onB.done, lateOnA.done]);
  expectWhole(a, input);
  expect(b).toEqual(a);
  expect(lateA).toEqual(a);
  // Agents A followed the run for its viewers, though it never executed it.
  expect(await platform.agents.store.runs.findOne({ _id: runId })).toMatchObject({
    status: "SUCCEEDED",
    output: input,
    workerId: agentsB.workerId,
  });
}, 60_000);
