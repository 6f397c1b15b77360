// Gateway workers: Mary's gateway on the public gateways benchmark's workload (the subgraphs and
// query of gateway-throughput.ts) with GATEWAY_WORKERS=1 and with GATEWAY_WORKERS=2, in one run,
// in alternating rounds, and the ratio: how throughput grows with processes on this machine.
//
// gateway-throughput.ts measures one core: the gateway pinned to core 0, everything else to
// core 1. Here the gateways may use every core (`taskset -c 0-N`, which is what unpinned means
// too), and so do the subgraphs (one process, answers cached by request body) and this load
// generator (one process, BENCH_CONNECTIONS keep-alive connections, a closed loop, every answer
// checked as gateway-throughput.ts checks them). With N cores and N workers, the workers cannot
// have them all: the load generator and the subgraphs need theirs. The report says what each
// took of the machine's cores during each side's rounds, so the limit can be read off it: on 2
// cores, two workers can only use what the load generator and the subgraphs leave, and the two
// processes then compete for it with them and with each other.
//
//   pnpm bench                                       (all benches)
//   pnpm exec tsx bench/gateway-workers.ts
//   BENCH_WORKER_COUNTS=1,2,4 pnpm exec tsx bench/gateway-workers.ts
//
// Knobs: BENCH_WORKER_COUNTS (1,2: the GATEWAY_WORKERS values compared, the first the baseline),
// BENCH_CONNECTIONS (50), BENCH_ROUNDS (2), BENCH_SECONDS (5 per round), BENCH_WARMUP_SECONDS (2
// per side). Exit code 1 when an answer was wrong.
import { execFileSync } from "node:child_process";
import { get } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { isDeepStrictEqual } from "node:util";
import { composeServices } from "@apollo/composition";
import { Pool } from "undici";
import {
  coreBusyMs,
  cpuMs,
  freePort,
  readyLine,
  readyUrl,
  startChild,
  stopChild,
  type Child,
} from "./gateway-throughput/processes.ts";
import { expectedData, QUERY, SUBGRAPHS } from "./gateway-throughput/subgraphs.ts";

const WORKER_COUNTS = (process.env.BENCH_WORKER_COUNTS ?? "1,2").split(",").map(Number);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
for (const count of WORKER_COUNTS) {
  if (!Number.isInteger(count) || count < 1) throw new Error(`BENCH_WORKER_COUNTS: ${count} is not a worker count`);
}

const REPO_ROOT = resolve(import.meta.dirname, "..");
const MARY_BIN = join(REPO_ROOT, "gateway/bin/mary-gateway.js");
const CORES = cpus().length;
/** Every core: the gateways, the subgraphs and the load generator all may run anywhere. */
const ALL_CORES = `0-${CORES - 1}`;
const BODY = JSON.stringify({ query: QUERY });
const CHILD_ENV = { PATH: process.env.PATH, NODE_ENV: "production", LOG_LEVEL: "warn" };

interface Side {
  workers: number;
  label: string;
  child: Child;
  url: URL;
  pool: Pool;
  answerLength?: number;
  requests: number;
  wallMs: number;
  rounds: number[];
  gatewayCpuMs: number;
  subgraphCpuMs: number;
  loadCpuMs: number;
  loadElu: number[];
  busyMs: number;
  wrong: number;
  firstWrong?: string;
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

/** A closed loop of CONNECTIONS requests at a time for `seconds`; every answer checked. */
async function load(side: Side, seconds: number): Promise<{ requests: number; wallMs: number }> {
  let requests = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const { status, text } = await send(side);
        requests++;
        if (status !== 200 || text.length !== side.answerLength || text.includes('"errors"')) {
          side.wrong++;
          side.firstWrong ??= `${status}: ${text.slice(0, 500)}`;
        }
      }
    }),
  );
  return { requests, wallMs: performance.now() - started };
}

/** The pid that answers /healthz on a connection of its own. */
function healthzPid(url: URL): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    get(`${url.origin}/healthz`, { agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk));
      res.on("end", () => resolvePromise((JSON.parse(body) as { pid: number }).pid));
    }).on("error", reject);
  });
}

const workDir = mkdtempSync(join(tmpdir(), "mary-gateway-workers-"));
const children: Child[] = [];
const pools: Pool[] = [];
let exitCode = 0;
try {
  const subgraphs = startChild(
    "subgraphs",
    ALL_CORES,
    [process.execPath, "bench/gateway-throughput/serve-subgraphs.ts"],
    { cwd: REPO_ROOT, env: CHILD_ENV },
  );
  children.push(subgraphs);
  const urls = JSON.parse(await readyLine(subgraphs)) as Record<string, string>;
  const composed = composeServices(SUBGRAPHS.map(({ name, typeDefs }) => ({ name, typeDefs, url: urls[name] })));
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join("\n"));
  const supergraphFile = join(workDir, "supergraph.graphql");
  writeFileSync(supergraphFile, composed.supergraphSdl);

  const sides: Side[] = [];
  for (const workers of WORKER_COUNTS) {
    const port = await freePort();
    const label = `GATEWAY_WORKERS=${workers}`;
    const child = startChild(
      label,
      ALL_CORES,
      [process.execPath, "--max-semi-space-size=16", MARY_BIN, "--supergraph", supergraphFile, "--port", String(port)],
      { cwd: REPO_ROOT, env: { ...CHILD_ENV, GATEWAY_WORKERS: String(workers) } },
    );
    children.push(child);
    const url = new URL(`http://127.0.0.1:${port}/graphql`);
    const pool = new Pool(url.origin, { connections: CONNECTIONS, pipelining: 1, headersTimeout: 30_000 });
    pools.push(pool);
    sides.push({
      workers,
      label,
      child,
      url,
      pool,
      requests: 0,
      wallMs: 0,
      rounds: [],
      gatewayCpuMs: 0,
      subgraphCpuMs: 0,
      loadCpuMs: 0,
      loadElu: [],
      busyMs: 0,
      wrong: 0,
    });
  }
  for (const side of sides) await readyUrl(side.child, `${side.url.origin}/healthz`);
  // Every worker listens before the load's connections are made (each new connection goes to the
  // next worker): /healthz over fresh connections until it has answered from each of them.
  for (const side of sides) {
    const seen = new Set<number>();
    const deadline = Date.now() + 60_000;
    while (seen.size < side.workers) {
      if (Date.now() > deadline)
        throw new Error(`${side.label}: only ${seen.size} workers answered:\n${side.child.output()}`);
      seen.add(await healthzPid(side.url));
    }
  }

  const expected = expectedData();
  for (const side of sides) {
    const { status, text } = await send(side);
    const answer = JSON.parse(text) as { data?: unknown; errors?: unknown };
    if (status !== 200 || answer.errors || !isDeepStrictEqual(answer.data, expected)) {
      throw new Error(`${side.label}'s first answer is not the expected data (${status}): ${text.slice(0, 500)}`);
    }
    side.answerLength = text.length;
  }

  const node = execFileSync(process.execPath, ["--version"], { encoding: "utf8" }).trim();
  console.log(
    `gateway workers: the gateways benchmark's query, ${CONNECTIONS} connections, Mary's gateway with ${WORKER_COUNTS.map((n) => `GATEWAY_WORKERS=${n}`).join(" and ")}; ${ROUNDS} alternating rounds of ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up each; ${CORES} cores; node ${node}`,
  );
  console.log(
    `nothing pinned to one core: the gateway processes, the subgraphs and this load generator all run on cores ${ALL_CORES}`,
  );

  for (const side of sides) await load(side, WARMUP_SECONDS);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const gateway = cpuMs(side.child.pid);
      const subgraph = cpuMs(subgraphs.pid);
      const loadCpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization();
      const busy = coreBusyMs();
      const { requests, wallMs } = await load(side, SECONDS);
      const busyAfter = coreBusyMs();
      const used = process.cpuUsage(loadCpu);
      side.loadCpuMs += (used.user + used.system) / 1000;
      side.loadElu.push(performance.eventLoopUtilization(elu).utilization);
      side.gatewayCpuMs += cpuMs(side.child.pid) - gateway;
      side.subgraphCpuMs += cpuMs(subgraphs.pid) - subgraph;
      side.busyMs += busyAfter.reduce((sum, ms, core) => sum + ms - (busy[core] ?? 0), 0);
      side.requests += requests;
      side.wallMs += wallMs;
      side.rounds.push((requests / wallMs) * 1000);
    }
  }

  const results = sides.map((side) => ({
    side,
    rps: (side.requests / side.wallMs) * 1000,
    perGatewayCpuSecond: (side.requests / side.gatewayCpuMs) * 1000,
    gatewayCores: side.gatewayCpuMs / side.wallMs,
    subgraphCores: side.subgraphCpuMs / side.wallMs,
    loadCores: side.loadCpuMs / side.wallMs,
    otherCores: (side.busyMs - side.gatewayCpuMs - side.subgraphCpuMs - side.loadCpuMs) / side.wallMs,
    idleCores: CORES - side.busyMs / side.wallMs,
  }));
  const base = results[0]!;
  console.log("");
  console.log(
    `${"".padEnd(20)}${"req/s".padStart(9)}${"ratio".padStart(8)}${"req per gateway CPU-s".padStart(23)}   per round (req/s)`,
  );
  for (const r of results) {
    console.log(
      `${r.side.label.padEnd(20)}${r.rps.toFixed(0).padStart(9)}${`${(r.rps / base.rps).toFixed(2)}x`.padStart(8)}${r.perGatewayCpuSecond.toFixed(0).padStart(23)}   ${r.side.rounds.map((x) => x.toFixed(0)).join(" ")}`,
    );
  }
  console.log("");
  console.log(`what the ${CORES} cores did during each side's rounds (in cores):`);
  const cores = (value: number) => value.toFixed(2).padStart(5);
  for (const r of results) {
    const elu = r.side.loadElu.map((x) => `${(x * 100).toFixed(0)}%`).join(" ");
    console.log(
      `  ${r.side.label.padEnd(18)} gateway ${cores(r.gatewayCores)} | subgraphs ${cores(r.subgraphCores)} | load generator ${cores(r.loadCores)} (event loop busy ${elu}) | everything else ${cores(r.otherCores)} | idle ${cores(Math.max(0, r.idleCores))}`,
    );
  }
  console.log("");
  const last = results.at(-1)!;
  const bench = last.subgraphCores + last.loadCores;
  const idle = Math.max(0, last.idleCores);
  let verdict: string;
  if (last.otherCores > 0.25 * CORES) {
    verdict = `other processes held ${last.otherCores.toFixed(2)} cores: the gateway got what they left, so these figures say little about workers; run it on a quiet machine`;
  } else if (idle < 0.15 * CORES) {
    verdict =
      `nothing was left idle: the ${CORES} cores are the limit, not the gateway. The subgraphs and the load generator need their ${bench.toFixed(2)} on the same cores, ` +
      `so ${last.side.workers} workers share about ${(CORES - bench - last.otherCores).toFixed(2)} cores, and more workers than that only split the same CPU (and pay for switching between them)`;
  } else {
    verdict = `${idle.toFixed(2)} cores stayed idle, so the gateway waited on something else: the load generator (its event loop above) or the subgraphs`;
  }
  console.log(
    `what limits it: with ${last.side.workers} workers the gateway used ${last.gatewayCores.toFixed(2)} of ${CORES} cores; ${verdict}.`,
  );
  if (results.some((r) => r.otherCores > 0.1 * CORES)) {
    console.log(
      "NOTE: other processes (or the kernel) used more than 10% of the machine during the rounds: noisy figures",
    );
  }
  for (const r of results) {
    if (!r.side.wrong) continue;
    exitCode = 1;
    console.log(
      `WRONG ANSWERS: ${r.side.label}: ${r.side.wrong} of ${r.side.requests}; the first: ${r.side.firstWrong}`,
    );
  }
} finally {
  await Promise.all(pools.map((pool) => pool.destroy()));
  for (const child of children.reverse()) await stopChild(child);
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
