// What the gateway adds to a request: the same operation sent straight to the users subgraph
// (with the signed principal header the gateway would add: the baseline) and through the
// gateway (JWT verification, limits, rate-limit count in Redis, query planning, signing).
// Both run in one process against one platform, in alternating rounds, so machine noise hits
// both alike; the report gives latency percentiles and the ratio gateway / direct.
//
//   pnpm bench                       (BENCH_REQUESTS, default 2000 per side; BENCH_CONCURRENCY, default 8)
import { performance } from "node:perf_hooks";
import { sessionPrincipal } from "@mary/kit";
import { signedHeaders } from "@mary/kit/testing";
import { startPlatform } from "../gateway/test/platform.ts";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = 10;
const QUERY = `{ me { id email memberships { role workspace { id name } } } }`;

async function post(url: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = (await response.json()) as { errors?: unknown };
  if (!response.ok || body.errors) throw new Error(`request failed: ${response.status} ${JSON.stringify(body)}`);
}

/** Sends `count` requests, `CONCURRENCY` at a time; returns each one's latency in ms and the wall time. */
async function run(count: number, send: () => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        const t0 = performance.now();
        await send();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

function summary(latencies: number[], wallMs: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    throughput: (latencies.length / wallMs) * 1000,
  };
}

const platform = await startPlatform({ LOG_LEVEL: "silent" });
try {
  const signUp = await fetch(platform.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `mutation { signUp(input: { email: "bench-${Date.now()}@example.com", password: "correct-horse-42",
        name: "Bench", workspaceName: "Bench" }) { accessToken user { id } workspace { id } role } }`,
    }),
  });
  const { data } = (await signUp.json()) as {
    data: { signUp: { accessToken: string; user: { id: string }; workspace: { id: string }; role: "OWNER" } };
  };
  const session = data.signUp;
  // Exactly the principal the gateway derives from this session's token.
  const principal = sessionPrincipal({
    userId: session.user.id,
    workspaceId: session.workspace.id,
    role: session.role,
  });
  const direct = () => post(platform.users.url, signedHeaders(principal)); // signed per request, as the gateway does
  const viaGateway = () => post(platform.url, { authorization: `Bearer ${session.accessToken}` });

  // Warm-up: JIT, connection pools, the gateway's query-plan cache.
  await run(200, direct);
  await run(200, viaGateway);

  const results = {
    direct: { latencies: [] as number[], wallMs: 0 },
    gateway: { latencies: [] as number[], wallMs: 0 },
  };
  for (let round = 0; round < ROUNDS; round++) {
    const perRound = Math.ceil(REQUESTS / ROUNDS);
    const order = round % 2 === 0 ? (["direct", "gateway"] as const) : (["gateway", "direct"] as const);
    for (const side of order) {
      const { latencies, wallMs } = await run(perRound, side === "direct" ? direct : viaGateway);
      results[side].latencies.push(...latencies);
      results[side].wallMs += wallMs;
    }
  }
  const d = summary(results.direct.latencies, results.direct.wallMs);
  const g = summary(results.gateway.latencies, results.gateway.wallMs);
  const row = (name: string, s: ReturnType<typeof summary>) =>
    `${name.padEnd(22)} p50 ${s.p50.toFixed(2).padStart(7)} ms   p99 ${s.p99.toFixed(2).padStart(7)} ms   ${s.throughput.toFixed(0).padStart(6)} req/s`;
  console.log(
    `gateway overhead: ${REQUESTS} requests per side, concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds`,
  );
  console.log(row("users subgraph direct", d));
  console.log(row("through the gateway", g));
  console.log(
    `ratio gateway/direct:  p50 ${(g.p50 / d.p50).toFixed(2)}x   p99 ${(g.p99 / d.p99).toFixed(2)}x   throughput ${(g.throughput / d.throughput).toFixed(2)}x`,
  );
} finally {
  await platform.stop();
}
