// Gateway throughput: the public gateways benchmark (The Guild's graphql-gateways-benchmark: four
// subgraphs accounts, inventory, products, reviews; one large nested query with fragments; 50
// connections) against plain @apollo/gateway, in one run, in alternating rounds.
//
//   baseline  `new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) })` served by
//             `startStandaloneServer`, defaults only (gateway-throughput/plain-gateway.ts)
//   subject   Mary's gateway through its command line, `mary-gateway --supergraph <file> --port
//             <n>`, its protections on as shipped (limits and cost, masking, CSRF prevention; no
//             Redis or JWT key configured, so no rate limits and anonymous requests)
//
// The baseline and the subgraphs run as node runs TypeScript (types stripped, no tsx): tsx turns
// source maps on, which makes every `Error`'s stack cost far more, and @apollo/gateway's default
// fetcher makes one per request. Mary's gateway runs as its command does (through tsx).
//
// Each gateway is its own process pinned to core 0 (`taskset -c 0`); the four subgraphs (one
// process, answers cached by request body so they cost little) and this load generator are
// pinned to core 1. The load is a closed loop: BENCH_CONNECTIONS keep-alive connections (undici),
// each sending the next request when the last one's answer has arrived. Every answer is checked:
// status 200, no `errors`, the same length as that gateway's first answer, which must deep-equal
// the data computed from the subgraphs' tables (plain's and Mary's alike).
//
// After a warm-up of each, the rounds alternate plain, Mary, plain, Mary, …; each gateway's RSS
// (VmRSS, its process and descendants) is sampled every 100 ms during its rounds and the peak
// kept. The report gives requests/s, p50, p99, peak RSS, the ratios Mary/plain against the
// issue's one-core targets (PASS/FAIL), and what core 1 spent, so that the load generator and the
// subgraphs can be seen not to be the limit. It is a report: exit code 0 whether targets pass or
// not; 1 when an answer was wrong; anything else when the bench crashed.
//
//   pnpm bench                                           (all benches)
//   pnpm exec tsx bench/gateway-throughput.ts
//   BENCH_ROUNDS=1 BENCH_SECONDS=3 pnpm exec tsx bench/gateway-throughput.ts      (quick)
//   BENCH_PROFILE=/tmp/profiles pnpm exec tsx bench/gateway-throughput.ts        (CPU profiles)
//
// Knobs: BENCH_CONNECTIONS (50), BENCH_ROUNDS (3), BENCH_SECONDS (10 per round),
// BENCH_WARMUP_SECONDS (3 per gateway), BENCH_PROFILE (a directory: both gateways run under
// `node --cpu-prof` and their profiles are written there and summarized at the end; the figures
// of such a run are not comparable with others), BENCH_PROFILE_TOP (15), BENCH_MARY_GATEWAY
// (another checkout's gateway/bin/mary-gateway.js, to measure another version of Mary's gateway).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { isDeepStrictEqual } from "node:util";
import { composeServices } from "@apollo/composition";
import { Pool } from "undici";
import { formatSummary, summarizeProfile, type Window } from "./gateway-throughput/profile-summary.ts";
import {
  coreBusyMs,
  cpuMs,
  freePort,
  readyLine,
  readyUrl,
  rssBytes,
  startChild,
  stopChild,
  type Child,
} from "./gateway-throughput/processes.ts";
import { expectedData, QUERY, SUBGRAPHS } from "./gateway-throughput/subgraphs.ts";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const PROFILE_DIR = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : undefined;
const PROFILE_TOP = Number(process.env.BENCH_PROFILE_TOP ?? 15);
const RSS_SAMPLE_MS = 100;

/** The issue's one-core targets, as ratios Mary/plain. */
const TARGETS = { rps: 3, p99: 0.35, rss: 1 };

const REPO_ROOT = resolve(import.meta.dirname, "..");
/** Mary's command: this checkout's, or another's (to compare versions of the gateway). */
const MARY_BIN = process.env.BENCH_MARY_GATEWAY
  ? resolve(process.env.BENCH_MARY_GATEWAY)
  : join(REPO_ROOT, "gateway/bin/mary-gateway.js");
const PINNED = cpus().length >= 2;
const GATEWAY_CORE = PINNED ? "0" : undefined;
const LOAD_CORE = PINNED ? "1" : undefined;
const BODY = JSON.stringify({ query: QUERY });
/** What both gateways get: the same environment, production mode, quiet logs. */
const CHILD_ENV = { PATH: process.env.PATH, NODE_ENV: "production", LOG_LEVEL: "warn" };

/** Microseconds on the monotonic clock, the clock of V8's CPU profiles. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

interface Side {
  name: string;
  label: string;
  child: Child;
  url: URL;
  pool: Pool;
  /** The length of its first answer, checked to deep-equal the expected data; every later one must match it. */
  answerLength?: number;
  latencies: number[];
  wallMs: number;
  rounds: number[];
  peakRss: number;
  gatewayCpuMs: number;
  loadCpuMs: number;
  loadElu: number[];
  subgraphCpuMs: number;
  subgraphRequests: number;
  /** Busy time of cores 0 and 1 (all processes) during its rounds. */
  coreBusyMs: number[];
  wrong: number;
  firstWrong?: string;
  windows: Window[];
}

/** A wrong answer or a gateway that would not serve: reported without a stack trace, exit code 1. */
class WrongAnswer extends Error {}

/** The path to the first difference between two JSON values, or undefined when equal. */
function firstDifference(actual: unknown, expected: unknown, path = "data"): string | undefined {
  if (isDeepStrictEqual(actual, expected)) return undefined;
  if (actual && expected && typeof actual === "object" && typeof expected === "object") {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const key of keys) {
      const found = firstDifference((actual as any)[key], (expected as any)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path}: got ${JSON.stringify(actual)?.slice(0, 200)}, expected ${JSON.stringify(expected)?.slice(0, 200)}`;
}

async function send(side: Side): Promise<{ status: number; text: string }> {
  const { statusCode, body } = await side.pool.request({
    path: side.url.pathname,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: BODY,
  });
  return { status: statusCode, text: await body.text() };
}

/** The first answer of a gateway, checked in full against the expected data. */
async function checkFirstAnswer(side: Side, expected: unknown): Promise<void> {
  const { status, text } = await send(side);
  const answer = JSON.parse(text) as { data?: unknown; errors?: unknown };
  if (status !== 200 || answer.errors) {
    throw new WrongAnswer(
      `${side.label} answered ${status}: ${text.slice(0, 500)}\nits output:\n${side.child.output()}`,
    );
  }
  const difference = firstDifference(answer.data, expected);
  if (difference) throw new WrongAnswer(`${side.label}'s answer is not the expected data: ${difference}`);
  side.answerLength = text.length;
}

/** A closed loop of CONNECTIONS requests at a time for `seconds`; every answer checked. */
async function load(side: Side, seconds: number): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const { status, text } = await send(side);
        latencies.push(performance.now() - t0);
        if (status !== 200 || text.length !== side.answerLength || text.includes('"errors"')) {
          side.wrong++;
          side.firstWrong ??= `${status}: ${text.slice(0, 500)}`;
        }
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function subgraphStats(url: string): Promise<number> {
  const { served } = (await (await fetch(url)).json()) as { served: Record<string, number> };
  return Object.values(served).reduce((a, b) => a + b, 0);
}

// This process generates the load: on the subgraphs' core, all its threads.
if (LOAD_CORE !== undefined)
  execFileSync("taskset", ["-a", "-cp", LOAD_CORE, String(process.pid)], { stdio: "ignore" });

const workDir = mkdtempSync(join(tmpdir(), "mary-gateway-throughput-"));
if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
const children: Child[] = [];
const pools: Pool[] = [];
let exitCode = 0;
try {
  const subgraphs = startChild(
    "subgraphs",
    LOAD_CORE,
    [process.execPath, "bench/gateway-throughput/serve-subgraphs.ts"],
    { cwd: REPO_ROOT, env: CHILD_ENV },
  );
  children.push(subgraphs);
  const urls = JSON.parse(await readyLine(subgraphs)) as Record<string, string>;
  const composed = composeServices(SUBGRAPHS.map(({ name, typeDefs }) => ({ name, typeDefs, url: urls[name] })));
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join("\n"));
  const supergraphFile = join(workDir, "supergraph.graphql");
  writeFileSync(supergraphFile, composed.supergraphSdl);

  const profileFlags = (name: string) =>
    PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const plainPort = await freePort();
  const plain = startChild(
    "plain @apollo/gateway",
    GATEWAY_CORE,
    [
      process.execPath,
      ...profileFlags("plain"),
      "bench/gateway-throughput/plain-gateway.ts",
      supergraphFile,
      String(plainPort),
    ],
    { cwd: REPO_ROOT, env: CHILD_ENV },
  );
  children.push(plain);
  const maryPort = await freePort();
  const mary = startChild(
    "Mary's gateway",
    GATEWAY_CORE,
    [
      process.execPath,
      // The V8 setting Mary's gateway runs with everywhere (gateway/package.json's start script).
      "--max-semi-space-size=16",
      ...profileFlags("mary"),
      MARY_BIN,
      "--supergraph",
      supergraphFile,
      "--port",
      String(maryPort),
    ],
    // One process: the one-core measurement (GATEWAY_WORKERS is the issue's knob for more).
    { cwd: resolve(MARY_BIN, "../../.."), env: { ...CHILD_ENV, GATEWAY_WORKERS: "1" } },
  );
  children.push(mary);
  await readyLine(plain);
  await readyUrl(mary, `http://127.0.0.1:${maryPort}/healthz`);

  const side = (name: string, label: string, child: Child, port: number): Side => {
    const url = new URL(`http://127.0.0.1:${port}/graphql`);
    const pool = new Pool(url.origin, {
      connections: CONNECTIONS,
      pipelining: 1,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    pools.push(pool);
    return {
      name,
      label,
      child,
      url,
      pool,
      latencies: [],
      wallMs: 0,
      rounds: [],
      peakRss: 0,
      gatewayCpuMs: 0,
      loadCpuMs: 0,
      loadElu: [],
      subgraphCpuMs: 0,
      subgraphRequests: 0,
      coreBusyMs: [0, 0],
      wrong: 0,
      windows: [],
    };
  };
  const sides = [
    side("plain", "plain @apollo/gateway", plain, plainPort),
    side("mary", "Mary's gateway", mary, maryPort),
  ] as const;

  const expected = expectedData();
  for (const one of sides) await checkFirstAnswer(one, expected);

  const node = execFileSync(process.execPath, ["--version"], { encoding: "utf8" }).trim();
  console.log(
    `gateway throughput: the gateways benchmark's query, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up each; node ${node}`,
  );
  console.log(
    PINNED
      ? "each gateway pinned to core 0; the subgraphs and the load generator to core 1"
      : "ONE CORE ONLY: nothing pinned, gateways, subgraphs and load generator share it",
  );
  if (process.env.BENCH_MARY_GATEWAY) console.log(`Mary's gateway: ${MARY_BIN}`);
  console.log(
    `answers: both gateways' first answer deep-equals the expected data (${sides[0].answerLength} bytes); every later one is checked`,
  );

  for (const one of sides) await load(one, WARMUP_SECONDS);

  const subgraphsStatsUrl = urls.accounts!;
  let active: Side | undefined;
  const sampler = setInterval(() => {
    if (active) active.peakRss = Math.max(active.peakRss, rssBytes(active.child.pid));
  }, RSS_SAMPLE_MS);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const one of sides) {
        const gatewayCpu = cpuMs(one.child.pid);
        const subgraphCpu = cpuMs(subgraphs.pid);
        const subgraphRequests = await subgraphStats(subgraphsStatsUrl);
        const loadCpu = process.cpuUsage();
        const elu = performance.eventLoopUtilization();
        const coresBusy = coreBusyMs();
        active = one;
        one.peakRss = Math.max(one.peakRss, rssBytes(one.child.pid));
        const fromUs = monotonicUs();
        const { latencies, wallMs } = await load(one, SECONDS);
        one.windows.push({ fromUs, toUs: monotonicUs() });
        one.peakRss = Math.max(one.peakRss, rssBytes(one.child.pid));
        active = undefined;
        const coresUsed = coreBusyMs();
        for (const core of [0, 1]) one.coreBusyMs[core]! += (coresUsed[core] ?? 0) - (coresBusy[core] ?? 0);
        const loadUsed = process.cpuUsage(loadCpu);
        one.loadCpuMs += (loadUsed.user + loadUsed.system) / 1000;
        one.loadElu.push(performance.eventLoopUtilization(elu).utilization);
        one.gatewayCpuMs += cpuMs(one.child.pid) - gatewayCpu;
        one.subgraphCpuMs += cpuMs(subgraphs.pid) - subgraphCpu;
        one.subgraphRequests += (await subgraphStats(subgraphsStatsUrl)) - subgraphRequests;
        for (const latency of latencies) one.latencies.push(latency);
        one.wallMs += wallMs;
        one.rounds.push((latencies.length / wallMs) * 1000);
      }
    }
  } finally {
    clearInterval(sampler);
  }

  const results = sides.map((one) => {
    const sorted = one.latencies.sort((a, b) => a - b);
    const seconds = one.wallMs / 1000;
    return {
      side: one,
      requests: sorted.length,
      rps: sorted.length / seconds,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      rssMb: one.peakRss / 2 ** 20,
      gatewayCore: one.gatewayCpuMs / one.wallMs,
      loadCore: one.loadCpuMs / one.wallMs,
      loadUsPerRequest: (one.loadCpuMs * 1000) / sorted.length,
      subgraphCore: one.subgraphCpuMs / one.wallMs,
      subgraphCallsPerRequest: one.subgraphRequests / sorted.length,
      // What else ran on each core: its busy time less the bench's processes on it.
      othersCore0: (one.coreBusyMs[0]! - one.gatewayCpuMs) / one.wallMs,
      othersCore1: (one.coreBusyMs[1]! - one.loadCpuMs - one.subgraphCpuMs) / one.wallMs,
    };
  });
  const [base, subject] = results as [(typeof results)[0], (typeof results)[0]];
  const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
  console.log("");
  console.log(
    `${"".padEnd(24)}${"req/s".padStart(9)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}${"peak RSS MB".padStart(13)}   requests   per round (req/s)`,
  );
  for (const r of results) {
    console.log(
      `${r.side.label.padEnd(24)}${r.rps.toFixed(0).padStart(9)}${r.p50.toFixed(1).padStart(10)}${r.p99.toFixed(1).padStart(10)}${r.rssMb.toFixed(0).padStart(13)}   ${String(r.requests).padStart(8)}   ${r.side.rounds.map((x) => x.toFixed(0)).join(" ")}`,
    );
  }
  const ratio = { rps: subject.rps / base.rps, p50: subject.p50 / base.p50, p99: subject.p99 / base.p99 };
  const rssRatio = subject.rssMb / base.rssMb;
  console.log(
    `${"ratio Mary/plain".padEnd(24)}${`${ratio.rps.toFixed(2)}x`.padStart(9)}${`${ratio.p50.toFixed(2)}x`.padStart(10)}${`${ratio.p99.toFixed(2)}x`.padStart(10)}${`${rssRatio.toFixed(2)}x`.padStart(13)}`,
  );
  console.log("");
  console.log("one-core targets (issue 16), Mary/plain:");
  const target = (name: string, pass: boolean, value: string, goal: string) =>
    console.log(`  ${pass ? "PASS" : "FAIL"}  ${name.padEnd(14)} ${value.padStart(7)}   target ${goal}`);
  target("requests/s", ratio.rps >= TARGETS.rps, `${ratio.rps.toFixed(2)}x`, `>= ${TARGETS.rps}x`);
  target("p99", ratio.p99 <= TARGETS.p99, `${ratio.p99.toFixed(2)}x`, `<= ${TARGETS.p99}x`);
  target("peak RSS", rssRatio <= TARGETS.rss, `${rssRatio.toFixed(2)}x`, `<= ${TARGETS.rss}x`);
  console.log("");
  console.log("where the time went, during each gateway's rounds (shares of one core):");
  for (const r of results) {
    const elu = r.side.loadElu.map((x) => pct(x)).join(" ");
    console.log(
      `  ${r.side.label.padEnd(22)} core 0: gateway ${pct(r.gatewayCore).padStart(4)}, everything else ${pct(r.othersCore0).padStart(4)} | core 1: load generator ${pct(r.loadCore).padStart(4)} (${r.loadUsPerRequest.toFixed(0)} µs CPU per request, event loop busy ${elu}), subgraphs ${pct(r.subgraphCore).padStart(4)} (${r.subgraphCallsPerRequest.toFixed(1)} calls per request), everything else ${pct(r.othersCore1).padStart(4)}`,
    );
  }
  if (PINNED && results.some((r) => r.othersCore0 > 0.1 || r.othersCore1 > 0.1)) {
    console.log(
      "  NOTE: something else (other processes, the kernel) used more than 10% of a core during the rounds: noisy figures",
    );
  }
  for (const r of results) {
    if (!r.side.wrong) continue;
    exitCode = 1;
    console.log(`WRONG ANSWERS: ${r.side.label}: ${r.side.wrong} of ${r.requests}; the first: ${r.side.firstWrong}`);
  }

  for (const pool of pools) await pool.close();
  pools.length = 0;
  if (PROFILE_DIR) {
    for (const one of sides) await stopChild(one.child);
    for (const one of sides) {
      const file = join(PROFILE_DIR, `${one.name}.cpuprofile`);
      console.log("");
      console.log(
        formatSummary(
          `CPU profile of ${one.label} during its rounds (${file})`,
          summarizeProfile(file, { windows: one.windows, top: PROFILE_TOP }),
        ),
      );
    }
  }
} catch (error) {
  if (!(error instanceof WrongAnswer)) throw error;
  console.log(`WRONG ANSWER, nothing measured: ${error.message}`);
  exitCode = 1;
} finally {
  await Promise.all(pools.map((pool) => pool.destroy()));
  for (const child of children.reverse()) await stopChild(child);
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
