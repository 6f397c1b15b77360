// Subscription events that select a field of another subgraph, resolved per second per gateway
// core, before and after the engine's fresh entity batches, in one run, in alternating rounds.
//
//   before  executor "apollo": each event completed by @apollo/gateway's executeQueryPlan, each
//           group's entity fetches coalesced per turn of the event loop, no entity cache: what
//           the engine did before, with no stale data (SUBSCRIPTION_ENTITY_CACHE_MS=0), and what
//           GATEWAY_EXECUTOR=apollo still does
//   after   executor "plan" (the default): each event completed by the plan executor, entity
//           fetches batched fresh: a batch goes after every event in it arrived, and while one
//           is on its way the next gathers what arrives, for all the groups of one share key
//   stale   (only with BENCH_SIDES=…,stale) "before" with the 1 s entity cache Mary's config set
//           by default until now (SUBSCRIPTION_ENTITY_CACHE_MS=1000): its stale answers counted
//
// The supergraph (bench/subscription-federated-events/schema.ts): `events` pushes product
// changes over graphql-ws, `products` owns the products. Every viewer subscribes to
// `productChanged(id) { seq version product { id name version } }`, so every event needs a
// products fetch. Before each event its product's version goes up by one and the event carries
// that version; products answers `name` for the tenant in the `x-tenant` header.
//
// The load: BENCH_STREAMS streams (one product each), each watched by BENCH_TENANTS_PER_STREAM of
// BENCH_TENANTS tenants with BENCH_VIEWERS_PER_GROUP viewers each. A tenant is a share key: the
// viewers of one tenant and stream share one subscription to `events` (a group), and the groups
// of one tenant may share entity batches, never those of two. It is a closed loop: a stream's
// next event is published when every viewer of the stream has the last one (as a closed loop of
// connections in an HTTP bench), so the gateway runs as fast as it can.
//
// Checked for every viewer in every round (each fails the bench, exit code 1, except the stale
// side's staleness, which is its point): it gets every event of its stream published while it
// was subscribed, exactly once and in order; `product.version` is at least the event's
// `version` (the state at or after the event, never a cache from before); `product.name` is its
// own tenant's; no errors.
//
// Reported per side: events resolved per second (one resolution per group and event), the same
// per second of the gateway's CPU (utime+stime from /proc: "per core", steadier than wall time
// on a shared machine), deliveries per second (one per viewer and event), products requests and
// entities sent per event resolved, latency from publication to a viewer's receipt (p50, p99),
// and what each core spent. The gateway process is pinned to core 0 (`taskset`), the subgraphs
// and this load generator to core 1.
//
// The gateway process (bench/subscription-federated-events/gateway.ts) is Mary's federation core
// on graphql-ws, as the gateway serves subscriptions; Mary's admission path is not on the
// per-event path and is left out.
//
//   pnpm bench                                                      (all benches)
//   pnpm exec tsx bench/subscription-federated-events.ts
//   BENCH_ROUNDS=1 BENCH_SECONDS=2 pnpm exec tsx bench/subscription-federated-events.ts   (quick)
//   BENCH_SIDES=before,after,stale pnpm exec tsx bench/subscription-federated-events.ts
//
// Knobs: BENCH_STREAMS (32), BENCH_TENANTS (4), BENCH_TENANTS_PER_STREAM (2),
// BENCH_VIEWERS_PER_GROUP (2), BENCH_ROUNDS (3), BENCH_SECONDS (5 per round),
// BENCH_WARMUP_SECONDS (2 per side), BENCH_SIDES (before,after), BENCH_PROFILE (a directory: the
// gateways run under `node --cpu-prof`, their profiles are written there and summarized for the
// measured rounds; the figures of such a run are not comparable with others), BENCH_PROFILE_TOP (15).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";
import WebSocket from "ws";
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
import { formatSummary, summarizeProfile, type Window } from "./gateway-throughput/profile-summary.ts";
import {
  EVENTS_SDL,
  PRODUCTS_SDL,
  productName,
  productOf,
  SUBSCRIPTION,
} from "./subscription-federated-events/schema.ts";

const env = process.env;
const STREAMS = Number(env.BENCH_STREAMS ?? 32);
const TENANTS = Number(env.BENCH_TENANTS ?? 4);
const TENANTS_PER_STREAM = Math.min(TENANTS, Number(env.BENCH_TENANTS_PER_STREAM ?? 2));
const VIEWERS_PER_GROUP = Number(env.BENCH_VIEWERS_PER_GROUP ?? 2);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 2);
const PROFILE_DIR = env.BENCH_PROFILE ? resolve(env.BENCH_PROFILE) : undefined;
const PROFILE_TOP = Number(env.BENCH_PROFILE_TOP ?? 15);
const GROUPS = STREAMS * TENANTS_PER_STREAM;
const VIEWERS = GROUPS * VIEWERS_PER_GROUP;
/** How long a round may wait for its last events, its subscriptions to open or to close. */
const SETTLE_MS = 30_000;

const SIDE_KINDS = {
  before: { label: "before (apollo executor)", executor: "apollo", cacheMs: 0, fresh: true },
  after: { label: "after (plan, fresh batches)", executor: "plan", cacheMs: 0, fresh: true },
  stale: { label: "before + 1 s entity cache", executor: "apollo", cacheMs: 1_000, fresh: false },
} as const;
type SideKind = keyof typeof SIDE_KINDS;
const SIDES = (env.BENCH_SIDES ?? "before,after").split(",").map((name) => name.trim()) as SideKind[];
for (const name of SIDES) if (!(name in SIDE_KINDS)) throw new Error(`BENCH_SIDES: no side named ${name}`);

const REPO_ROOT = resolve(import.meta.dirname, "..");
const PINNED = cpus().length >= 2;
const GATEWAY_CORE = PINNED ? "0" : undefined;
const LOAD_CORE = PINNED ? "1" : undefined;
const CHILD_ENV = { PATH: env.PATH, NODE_ENV: "production" };

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

// ───────────────────────────── the subgraphs' process ─────────────────────────────

interface SubgraphStats {
  listeners: number;
  requests: number;
  representations: number;
}

/** The subgraphs' child, driven over its stdin (see subgraphs.ts). */
class Subgraphs {
  private readonly replies: ((stats: SubgraphStats) => void)[] = [];
  private readonly due = new Set<number>();
  private flushing = false;

  constructor(readonly child: Child) {
    createInterface({ input: child.process.stdout! }).on("line", (line) => {
      if (line.startsWith('{"listeners"')) this.replies.shift()?.(JSON.parse(line) as SubgraphStats);
    });
  }

  /** Publishes the next event of each stream, those of one turn in one write. */
  publish(stream: number): void {
    this.due.add(stream);
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flushing = false;
      this.child.process.stdin!.write(`e ${[...this.due].join(" ")}\n`);
      this.due.clear();
    });
  }

  stats(): Promise<SubgraphStats> {
    return new Promise((resolvePromise) => {
      this.replies.push(resolvePromise);
      this.child.process.stdin!.write("s\n");
    });
  }
}

// ───────────────────────────── viewers ─────────────────────────────

interface Counts {
  deliveries: number;
  missing: number;
  duplicates: number;
  outOfOrder: number;
  stale: number;
  otherTenant: number;
  withErrors: number;
  samples: string[];
}
const noCounts = (): Counts => ({
  deliveries: 0,
  missing: 0,
  duplicates: 0,
  outOfOrder: 0,
  stale: 0,
  otherTenant: 0,
  withErrors: 0,
  samples: [],
});

interface Stream {
  index: number;
  /** The last event published, and when (ms, performance.now). */
  seq: number;
  publishedAt: number;
  /** Viewers that still have to receive `seq`. */
  waiting: number;
  viewers: ViewerSocket[];
}

/** One client: a graphql-transport-ws socket with one subscription, checking every event. */
class ViewerSocket {
  /** The last seq received. */
  last = 0;
  private socket!: WebSocket;

  constructor(
    readonly tenant: string,
    readonly stream: Stream,
    private readonly round: Round,
  ) {}

  open(url: string): Promise<void> {
    return new Promise((resolvePromise, reject) => {
      const socket = new WebSocket(url, "graphql-transport-ws", { perMessageDeflate: false });
      this.socket = socket;
      socket.once("error", reject);
      socket.once("open", () =>
        socket.send(JSON.stringify({ type: "connection_init", payload: { tenant: this.tenant } })),
      );
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as { type: string; payload?: any };
        if (message.type === "connection_ack") {
          socket.send(
            JSON.stringify({
              id: "1",
              type: "subscribe",
              payload: { query: SUBSCRIPTION, variables: { id: productOf(this.stream.index) } },
            }),
          );
          resolvePromise();
        } else if (message.type === "next") this.received(message.payload);
        else if (message.type === "ping") socket.send('{"type":"pong"}');
        else if (message.type === "error" || message.type === "complete") {
          this.round.note(`subscription ended: ${String(data).slice(0, 300)}`);
        }
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolvePromise) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolvePromise();
      this.socket.once("close", () => resolvePromise());
      this.socket.close(1000);
    });
  }

  private received(payload: any): void {
    const counts = this.round.counts;
    counts.deliveries++;
    if (payload?.errors?.length) {
      counts.withErrors++;
      this.round.note(`errors: ${JSON.stringify(payload.errors).slice(0, 300)}`);
    }
    const event = payload?.data?.productChanged;
    const seq = event?.seq;
    if (typeof seq !== "number") return this.round.note(`not an event: ${JSON.stringify(payload).slice(0, 300)}`);
    if (seq <= this.last) counts.duplicates++;
    else if (seq !== this.last + 1) counts.outOfOrder++;
    else this.last = seq;
    const product = event.product;
    if (!(typeof product?.version === "number" && product.version >= event.version)) {
      counts.stale++;
      if (SIDE_KINDS[this.round.side.kind].fresh) {
        this.round.note(`stale: event version ${event.version}, product ${JSON.stringify(product)}`);
      }
    }
    if (product?.name !== productName(this.tenant, productOf(this.stream.index))) {
      counts.otherTenant++;
      this.round.note(`${this.tenant} got ${JSON.stringify(product?.name)}`);
    }
    const stream = this.stream;
    if (seq === stream.seq && seq === this.last) {
      this.round.latencies.push(performance.now() - stream.publishedAt);
      if (--stream.waiting === 0) this.round.streamDone(stream);
    }
  }
}

// ───────────────────────────── sides and rounds ─────────────────────────────

interface Side {
  kind: SideKind;
  label: string;
  child: Child;
  url: string;
  events: number;
  wallMs: number;
  gatewayCpuMs: number;
  loadCpuMs: number;
  subgraphCpuMs: number;
  requests: number;
  representations: number;
  coreBusyMs: number[];
  latencies: number[];
  rounds: number[];
  counts: Counts;
  windows: Window[];
}

/** Microseconds on the monotonic clock, the clock of V8's CPU profiles. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** A growing list of numbers in a typed array (millions of latencies). */
class Numbers {
  private values = new Float64Array(1 << 16);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  toArray(): number[] {
    return Array.from(this.values.subarray(0, this.length));
  }
}

/** One round of one side: its viewers, its closed loop, what they received. */
class Round {
  readonly counts = noCounts();
  readonly latencies = new Numbers();
  private running = false;
  private streamsLeft = 0;
  private allDone: (() => void) | null = null;

  constructor(
    readonly side: Side,
    private readonly subgraphs: Subgraphs,
    private readonly streams: Stream[],
  ) {}

  note(text: string): void {
    if (this.counts.samples.length < 5) this.counts.samples.push(text);
  }

  /** Every viewer of the stream has its last event: the next one, while the round runs. */
  streamDone(stream: Stream): void {
    if (this.running) return this.publish(stream);
    if (--this.streamsLeft === 0) this.allDone?.();
  }

  private publish(stream: Stream): void {
    stream.seq++;
    stream.waiting = stream.viewers.length;
    stream.publishedAt = performance.now();
    this.subgraphs.publish(stream.index);
  }

  /** Runs the closed loop for `seconds`, then waits for the last events; returns the events published. */
  async run(seconds: number): Promise<{ events: number; wallMs: number }> {
    const firstSeq = this.streams.map((stream) => stream.seq);
    const started = performance.now();
    this.running = true;
    for (const stream of this.streams) this.publish(stream);
    await sleep(seconds * 1000);
    this.streamsLeft = this.streams.length;
    const done = new Promise<void>((resolvePromise) => (this.allDone = resolvePromise));
    this.running = false;
    // Streams whose viewers all have their last event already are done.
    for (const stream of this.streams) if (stream.waiting === 0) this.streamsLeft--;
    if (this.streamsLeft > 0) await Promise.race([done, sleep(SETTLE_MS)]);
    const wallMs = performance.now() - started;
    let events = 0;
    this.streams.forEach((stream, i) => {
      events += stream.seq - firstSeq[i]!;
      for (const viewer of stream.viewers) this.counts.missing += stream.seq - viewer.last;
    });
    return { events, wallMs };
  }
}

const workDir = mkdtempSync(join(tmpdir(), "mary-subscription-events-"));
const children: Child[] = [];
let exitCode = 0;

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${SETTLE_MS} ms`);
    await sleep(20);
  }
}

const gatewayStats = async (side: Side) =>
  (await (await fetch(side.url)).json()) as { subscriptions: number; subgraphSubscriptions: number };

/** One round on `side`: viewers subscribe, the closed loop runs for `seconds`, viewers leave; measured unless a warm-up. */
async function round(side: Side, subgraphs: Subgraphs, streamSeqs: number[], seconds: number, measured: boolean) {
  const streams: Stream[] = streamSeqs.map((seq, index) => ({ index, seq, publishedAt: 0, waiting: 0, viewers: [] }));
  const state = new Round(side, subgraphs, streams);
  const wsUrl = side.url.replace(/^http/, "ws") + "graphql";
  for (const stream of streams) {
    for (let t = 0; t < TENANTS_PER_STREAM; t++) {
      const tenant = `t${(stream.index + t) % TENANTS}`;
      for (let v = 0; v < VIEWERS_PER_GROUP; v++) {
        const viewer = new ViewerSocket(tenant, stream, state);
        viewer.last = stream.seq;
        stream.viewers.push(viewer);
      }
    }
  }
  const viewers = streams.flatMap((stream) => stream.viewers);
  for (let i = 0; i < viewers.length; i += 32) await Promise.all(viewers.slice(i, i + 32).map((v) => v.open(wsUrl)));
  // Every viewer is in its group and every group's subscription is open in `events`.
  await until("every subscription open", async () => {
    const [gateway, subgraph] = await Promise.all([gatewayStats(side), subgraphs.stats()]);
    return (
      gateway.subscriptions === VIEWERS && gateway.subgraphSubscriptions === GROUPS && subgraph.listeners === GROUPS
    );
  });
  await nextTurn();
  const before = {
    gateway: cpuMs(side.child.pid),
    subgraphs: cpuMs(subgraphs.child.pid),
    load: process.cpuUsage(),
    cores: coreBusyMs(),
    stats: await subgraphs.stats(),
  };
  const fromUs = monotonicUs();
  const { events, wallMs } = await state.run(seconds);
  if (measured) side.windows.push({ fromUs, toUs: monotonicUs() });
  const after = {
    gateway: cpuMs(side.child.pid),
    subgraphs: cpuMs(subgraphs.child.pid),
    load: process.cpuUsage(before.load),
    cores: coreBusyMs(),
    stats: await subgraphs.stats(),
  };
  streams.forEach((stream, i) => (streamSeqs[i] = stream.seq));
  await Promise.all(viewers.map((viewer) => viewer.close()));
  await until("every subscription closed", async () => {
    const [gateway, subgraph] = await Promise.all([gatewayStats(side), subgraphs.stats()]);
    return gateway.subscriptions === 0 && gateway.subgraphSubscriptions === 0 && subgraph.listeners === 0;
  });
  if (!measured) return;
  side.events += events;
  side.wallMs += wallMs;
  side.rounds.push((events * TENANTS_PER_STREAM * 1000) / wallMs);
  side.gatewayCpuMs += after.gateway - before.gateway;
  side.subgraphCpuMs += after.subgraphs - before.subgraphs;
  side.loadCpuMs += (after.load.user + after.load.system) / 1000;
  side.requests += after.stats.requests - before.stats.requests;
  side.representations += after.stats.representations - before.stats.representations;
  for (const core of [0, 1]) side.coreBusyMs[core]! += (after.cores[core] ?? 0) - (before.cores[core] ?? 0);
  for (const latency of state.latencies.toArray()) side.latencies.push(latency);
  const counts = side.counts;
  for (const key of [
    "deliveries",
    "missing",
    "duplicates",
    "outOfOrder",
    "stale",
    "otherTenant",
    "withErrors",
  ] as const) {
    counts[key] += state.counts[key];
  }
  for (const sample of state.counts.samples) if (counts.samples.length < 5) counts.samples.push(sample);
}

// This process generates the load: on the subgraphs' core, all its threads.
if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
if (LOAD_CORE !== undefined)
  execFileSync("taskset", ["-a", "-cp", LOAD_CORE, String(process.pid)], { stdio: "ignore" });

try {
  const subgraphChild = startChild(
    "subgraphs",
    LOAD_CORE,
    [process.execPath, "bench/subscription-federated-events/subgraphs.ts"],
    { cwd: REPO_ROOT, env: CHILD_ENV, stdin: true },
  );
  children.push(subgraphChild);
  const subgraphs = new Subgraphs(subgraphChild);
  const urls = JSON.parse(await readyLine(subgraphChild)) as { events: string; products: string };
  const composed = composeServices([
    { name: "events", typeDefs: parse(EVENTS_SDL), url: urls.events },
    { name: "products", typeDefs: parse(PRODUCTS_SDL), url: urls.products },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((error) => error.message).join("\n"));
  const supergraphFile = join(workDir, "supergraph.graphql");
  writeFileSync(supergraphFile, composed.supergraphSdl);

  const sides: Side[] = [];
  for (const kind of SIDES) {
    const port = await freePort();
    const { label, executor, cacheMs } = SIDE_KINDS[kind];
    const child = startChild(
      label,
      GATEWAY_CORE,
      [
        process.execPath,
        // The V8 setting Mary's gateway runs with (gateway/package.json's start script).
        "--max-semi-space-size=16",
        ...(PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${kind}.cpuprofile`] : []),
        "--import",
        "tsx",
        "bench/subscription-federated-events/gateway.ts",
        supergraphFile,
        String(port),
        executor,
        String(cacheMs),
      ],
      { cwd: REPO_ROOT, env: CHILD_ENV },
    );
    children.push(child);
    sides.push({
      kind,
      label,
      child,
      url: `http://127.0.0.1:${port}/`,
      events: 0,
      wallMs: 0,
      gatewayCpuMs: 0,
      loadCpuMs: 0,
      subgraphCpuMs: 0,
      requests: 0,
      representations: 0,
      coreBusyMs: [0, 0],
      latencies: [],
      rounds: [],
      counts: noCounts(),
      windows: [],
    });
  }
  for (const side of sides) await readyUrl(side.child, side.url);

  const node = execFileSync(process.execPath, ["--version"], { encoding: "utf8" }).trim();
  console.log(
    `subscription events with a field of another subgraph: ${STREAMS} streams × ${TENANTS_PER_STREAM} tenants (of ${TENANTS}) × ${VIEWERS_PER_GROUP} viewers = ${GROUPS} groups, ${VIEWERS} viewers; closed loop (a stream's next event once all its viewers have the last); ${ROUNDS} alternating rounds of ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up each; node ${node}`,
  );
  console.log(
    PINNED
      ? "each gateway pinned to core 0; the subgraphs and the load generator to core 1"
      : "ONE CORE ONLY: nothing pinned, gateway, subgraphs and load generator share it",
  );

  const streamSeqs = Array.from({ length: STREAMS }, () => 0);
  for (const side of sides) await round(side, subgraphs, streamSeqs, WARMUP_SECONDS, false);
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) await round(side, subgraphs, streamSeqs, SECONDS, true);
  }

  const results = sides.map((side) => {
    const resolved = side.events * TENANTS_PER_STREAM;
    const latencies = Float64Array.from(side.latencies).sort();
    return {
      side,
      resolved,
      perSecond: (resolved * 1000) / side.wallMs,
      perCpuSecond: (resolved * 1000) / side.gatewayCpuMs,
      deliveriesPerSecond: (side.events * TENANTS_PER_STREAM * VIEWERS_PER_GROUP * 1000) / side.wallMs,
      requestsPerEvent: side.requests / resolved,
      entitiesPerRequest: side.representations / Math.max(1, side.requests),
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      gatewayCore: side.gatewayCpuMs / side.wallMs,
      loadCore: side.loadCpuMs / side.wallMs,
      subgraphCore: side.subgraphCpuMs / side.wallMs,
      othersCore0: (side.coreBusyMs[0]! - side.gatewayCpuMs) / side.wallMs,
      othersCore1: (side.coreBusyMs[1]! - side.loadCpuMs - side.subgraphCpuMs) / side.wallMs,
    };
  });
  const pct = (share: number) => `${(share * 100).toFixed(0)}%`;
  console.log("");
  console.log(
    `${"".padEnd(30)}${"resolved/s".padStart(11)}${"per CPU-s".padStart(11)}${"delivered/s".padStart(13)}${"fetches/ev".padStart(12)}${"entities/f".padStart(12)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}   per round (resolved/s)`,
  );
  for (const r of results) {
    console.log(
      `${r.side.label.padEnd(30)}${r.perSecond.toFixed(0).padStart(11)}${r.perCpuSecond.toFixed(0).padStart(11)}${r.deliveriesPerSecond.toFixed(0).padStart(13)}${r.requestsPerEvent.toFixed(3).padStart(12)}${r.entitiesPerRequest.toFixed(1).padStart(12)}${r.p50.toFixed(2).padStart(9)}${r.p99.toFixed(2).padStart(9)}   ${r.side.rounds.map((x) => x.toFixed(0)).join(" ")}`,
    );
  }
  const base = results.find((r) => r.side.kind === "before");
  for (const r of results) {
    if (!base || r === base) continue;
    console.log(
      `${`ratio ${r.side.kind}/before`.padEnd(30)}${`${(r.perSecond / base.perSecond).toFixed(2)}x`.padStart(11)}${`${(r.perCpuSecond / base.perCpuSecond).toFixed(2)}x`.padStart(11)}${`${(r.deliveriesPerSecond / base.deliveriesPerSecond).toFixed(2)}x`.padStart(13)}${`${(r.requestsPerEvent / base.requestsPerEvent).toFixed(2)}x`.padStart(12)}${"".padStart(12)}${`${(r.p50 / base.p50).toFixed(2)}x`.padStart(9)}${`${(r.p99 / base.p99).toFixed(2)}x`.padStart(9)}`,
    );
  }
  console.log("");
  console.log(
    "resolved: one event completed for one group; per CPU-s: per second of the gateway's CPU (one core's worth)",
  );
  console.log("");
  console.log("checks, every viewer of every measured round:");
  for (const r of results) {
    const c = r.side.counts;
    const { fresh } = SIDE_KINDS[r.side.kind];
    const failed =
      c.missing + c.duplicates + c.outOfOrder + c.otherTenant + c.withErrors + (fresh ? c.stale : 0) > 0 ||
      c.deliveries === 0;
    if (failed) exitCode = 1;
    console.log(
      `  ${failed ? "FAIL" : "OK  "}  ${r.side.label.padEnd(28)} ${c.deliveries} deliveries: ${c.missing} missing, ${c.duplicates} duplicated, ${c.outOfOrder} out of order, ${c.stale} stale${fresh ? "" : " (this side's cache)"}, ${c.otherTenant} another tenant's, ${c.withErrors} with errors`,
    );
    for (const sample of c.samples) console.log(`          ${sample}`);
  }
  console.log("");
  console.log("where the time went, during each side's rounds (shares of one core):");
  for (const r of results) {
    console.log(
      `  ${r.side.label.padEnd(28)} core 0: gateway ${pct(r.gatewayCore).padStart(4)}, everything else ${pct(r.othersCore0).padStart(4)} | core 1: load generator ${pct(r.loadCore).padStart(4)}, subgraphs ${pct(r.subgraphCore).padStart(4)}, everything else ${pct(r.othersCore1).padStart(4)}`,
    );
  }
  if (PINNED && results.some((r) => r.othersCore0 > 0.1 || r.othersCore1 > 0.1)) {
    console.log(
      "  NOTE: something else (other processes, the kernel) used more than 10% of a core during the rounds: noisy figures",
    );
  }
  if (PROFILE_DIR) {
    for (const side of sides) await stopChild(side.child);
    for (const side of sides) {
      const file = join(PROFILE_DIR, `${side.kind}.cpuprofile`);
      console.log("");
      console.log(
        formatSummary(
          `CPU profile of ${side.label} during its rounds (${file})`,
          summarizeProfile(file, { windows: side.windows, top: PROFILE_TOP }),
        ),
      );
    }
  }
} finally {
  for (const child of children.reverse()) await stopChild(child);
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
