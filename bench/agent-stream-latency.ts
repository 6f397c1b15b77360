// How long a streamed token takes from the agents subgraph to a client through the gateway.
// One LOCAL run of BENCH_TOKENS tokens is followed at the same time by three subscribers, so
// all three see the same tokens under the same load:
//   direct     graphql-ws straight to the agents subgraph (signed principal): the baseline
//   gateway    through the gateway, agents' fields only (one primary fetch per event)
//   federated  through the gateway with run { agent { createdBy { email } } }: each event also
//              runs the query plan's `rest`, a users fetch (batched and cached per shared subscription)
// A token's latency is its arrival at the client minus its arrival at a blocking reader of the
// run's Redis stream in the same process, i.e. from its append in the subgraph.
//
//   pnpm bench     (BENCH_TOKENS, default 1500; BENCH_TOKEN_INTERVAL_MS, default 5)
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { PRINCIPAL_HEADER, signPrincipal } from "@mary/kit";
import { REDIS_URL, TEST_SIGNING_SECRET } from "@mary/kit/testing";
import { startPlatform } from "../gateway/test/platform.ts";
import { runStreamKey } from "../subgraphs/agents/src/services/run-log.ts";
import { post } from "./lib.ts";

const TOKENS = Number(process.env.BENCH_TOKENS ?? 1_500);
const INTERVAL_MS = process.env.BENCH_TOKEN_INTERVAL_MS ?? "5";

const LIGHT = `subscription ($id: ID!) { agentRunEvents(runId: $id) { cursor type delta } }`;
const FEDERATED = `subscription ($id: ID!) { agentRunEvents(runId: $id) { cursor type delta
  run { status agent { name createdBy { email } } } } }`;

const platform = await startPlatform({ LOG_LEVEL: "silent", LOCAL_TOKEN_INTERVAL_MS: INTERVAL_MS });
const redis = new Redis(REDIS_URL);
const clients: Client[] = [];
try {
  const owner = await platform.signUp();
  const auth = { authorization: `Bearer ${owner.accessToken}` };
  const agent = await post(
    platform.url,
    auth,
    `mutation { createAgent(input: { name: "Bench", provider: LOCAL }) { id } }`,
  );
  const principal = {
    kind: "user" as const,
    userId: owner.user.id,
    workspaceId: owner.workspace.id,
    role: "OWNER" as const,
    scopes: ["agents:read" as const, "users:read" as const],
    plan: "FREE" as const,
  };
  const wsOf = (url: string) => url.replace(/^http/, "ws");
  const gatewayClient = (): Client =>
    createClient({
      url: wsOf(platform.url),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${owner.accessToken}` },
    });
  const directClient = createClient({
    url: wsOf(platform.agents.url),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: () => ({
      [PRINCIPAL_HEADER]: signPrincipal({ kind: "service", service: "gateway" }, TEST_SIGNING_SECRET),
    }),
  });
  clients.push(directClient);

  // The subscribers attach while the run is already going: what they missed comes as a replay,
  // which is not a live delivery, so only tokens every side received after their publication count.
  const words = Array.from({ length: TOKENS }, (_, i) => `t${i + 1}`).join(" ");
  const run = await post(
    platform.url,
    auth,
    `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id } }`,
    { input: { agentId: agent.createAgent.id, input: words } },
  );
  const runId = run.startAgentRun.id as string;

  // When each event reached the run's Redis stream, as a blocking reader of the stream sees it
  // (entry ids are `<seq>-0`); from now on only, like the subscribers.
  const published = new Map<number, number>();
  let reading = true;
  const reader = (async () => {
    let lastId = "$";
    while (reading) {
      const reply = (await redis.xread("BLOCK", 500, "STREAMS", runStreamKey(runId), lastId)) as
        [string, [string, string[]][]][] | null;
      for (const [id] of reply?.[0]?.[1] ?? []) {
        lastId = id;
        published.set(Number(id.split("-")[0]), performance.now());
      }
    }
  })();
  const seqOf = (cursor: string) => Number(Buffer.from(cursor, "base64url").toString("utf8").split(":")[1]);

  const follow = (client: Client, query: string, extensions?: Record<string, unknown>) =>
    new Promise<Map<number, number>>((resolve, reject) => {
      const arrived = new Map<number, number>();
      client.subscribe<{ agentRunEvents: { cursor: string; type: string } }>(
        { query, variables: { id: runId }, ...(extensions ? { extensions } : {}) },
        {
          next: (result) => {
            const event = result.data?.agentRunEvents;
            if (!event) return reject(new Error(JSON.stringify(result.errors)));
            if (event.type === "TOKEN") arrived.set(seqOf(event.cursor), performance.now());
          },
          error: reject,
          complete: () => resolve(arrived),
        },
      );
    });
  const gateway = gatewayClient();
  const federated = gatewayClient();
  clients.push(gateway, federated);
  const sides = {
    direct: follow(directClient, LIGHT, {
      headers: { [PRINCIPAL_HEADER]: signPrincipal(principal, TEST_SIGNING_SECRET) },
    }),
    gateway: follow(gateway, LIGHT),
    federated: follow(federated, FEDERATED),
  };
  const results = Object.fromEntries(
    await Promise.all(Object.entries(sides).map(async ([name, arrived]) => [name, await arrived] as const)),
  ) as Record<keyof typeof sides, Map<number, number>>;
  reading = false;
  await reader;

  // Only tokens every side received live: after each had attached, so replays do not count.
  const live = [...published.keys()].filter((seq) =>
    Object.values(results).every((arrived) => (arrived.get(seq) ?? -1) >= published.get(seq)!),
  );
  const skip = Math.max(50, Math.ceil(live.length * 0.02)); // the first tokens also warm the JIT and the plan cache
  const measured = live.slice(skip);
  const stats = (arrived: Map<number, number>) => {
    const latencies = measured.map((seq) => arrived.get(seq)! - published.get(seq)!).sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
    return { p50: at(0.5), p99: at(0.99) };
  };
  const direct = stats(results.direct);
  console.log(
    `agent stream latency: one LOCAL run, ${TOKENS} tokens every ${INTERVAL_MS} ms, ${measured.length} measured per side ` +
      `(published in the subgraph → received by the client)`,
  );
  for (const [name, arrived] of Object.entries(results)) {
    const s = stats(arrived);
    console.log(
      `${name.padEnd(10)} median ${s.p50.toFixed(2).padStart(6)} ms   p99 ${s.p99.toFixed(2).padStart(6)} ms   ` +
        `ratio to direct: median ${(s.p50 / direct.p50).toFixed(2)}x   p99 ${(s.p99 / direct.p99).toFixed(2)}x`,
    );
  }
} finally {
  await Promise.all(clients.map((client) => client.dispose()));
  redis.disconnect();
  await platform.stop();
}
