// Subscriptions at scale: the issue's targets for live agent output, measured on this machine.
//
//   A  5,000 viewers of one run on one gateway process (a share joins mid-run, without `after`)
//   B  64 runs at once, 10 viewers each (a share of each joins mid-run)
//   C  one run at ≥ 1,000 tokens/s, 10 viewers, plain selection { cursor type delta at }
//   D  the same with the federated selection { … run { agent { createdBy { email } } } }
//      (C and D alternate, C D D C …, so machine noise hits both alike)
//   E  starting a run, joining it and replaying finished runs, with no stored events of earlier
//      runs and then with a million of them (1,000 finished runs × 1,000 events)
//
// For each: emission (`at`, set by agents) → arrival latency at the viewer, exactly-once delivery
// by cursor (seq 1..N contiguous, each once), the gateway's CPU (utime+stime) and peak RSS from
// /proc, and /healthz polled every 50 ms. The platform runs as separate OS processes (users,
// billing, agents, gateway, each `node --import tsx src/index.ts`) on throwaway databases, so the
// gateway's CPU and memory are its own; crm is not started (no field here routes to it). Viewers
// are raw graphql-transport-ws sockets in worker threads, so the main thread stays free to poll
// /healthz and sample /proc. The load generator shares the machine's cores with the platform:
// its own CPU is printed beside the gateway's.
//
// Runs are gated so that every viewer of a scenario is subscribed before the first token: the
// agents process runs RUN_CONCURRENCY runs at once, so while that many "gate" runs hold the slots
// the measured runs wait QUEUED and the viewers join (each receives the QUEUED event); cancelling
// the gates starts them. Gates are runs of an OPENAI agent whose model server (in this script)
// never answers, so they emit nothing and load nothing while they wait.
//
// It is a report: the exit code is 0 whether targets pass or fail, non-zero only when the bench
// or the platform crashed. Every wait is bounded.
//
//   pnpm bench                                  (all benches)
//   pnpm exec tsx bench/subscriptions-at-scale.ts
//   BENCH_VIEWERS=200 BENCH_RUNS=8 BENCH_SEED_RUNS=50 pnpm exec tsx bench/subscriptions-at-scale.ts   (small)
//   BENCH_SCENARIOS=CD,E …                      (a subset: A, B, CD, E)
// Knobs: see KNOBS below (each BENCH_* variable, its default and meaning).
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { setImmediate as yieldToLoop, setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import WebSocket from "ws";
import type { AgentStore } from "../subgraphs/agents/src/store.ts";
import type { RunEventDocument } from "../subgraphs/agents/src/types/event.type.ts";
import type { AgentRun } from "../subgraphs/agents/src/types/run.type.ts";

/** What the agents rewrite exports from run-log.ts: a finished run's events (seq 1..N), archived. */
type WriteArchive = (store: AgentStore, events: RunEventDocument[]) => Promise<void>;
const RUN_LOG_MODULE = "../subgraphs/agents/src/services/run-log.ts";

// ───────────────────────────── shared by the main thread and the viewer workers ─────────────────────────────

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with `at`, set by another process). */
const nowMs = () => performance.timeOrigin + performance.now();

/** The sequence number a cursor stands for: cursors are base64url of `run-event:<seq>`; NaN when not one. */
function seqOfCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  return text.startsWith("run-event:") ? Number(text.slice("run-event:".length)) : Number.NaN;
}
const cursorOfSeq = (seq: number) => Buffer.from(`run-event:${seq}`).toString("base64url");

/**
 * A latency histogram: 0.1 ms buckets up to 1 s, then 1 ms buckets up to 120 s (later ones in
 * the last). Millions of samples (5,000 viewers × hundreds of events) in a fixed 516 KB.
 */
const FINE_BUCKETS = 10_000;
const HIST_BUCKETS = FINE_BUCKETS + 119_000;
class Histogram {
  constructor(
    readonly counts = new Uint32Array(HIST_BUCKETS),
    public n = 0,
    public max = 0,
  ) {}
  add(ms: number): void {
    const value = Math.max(0, ms);
    const index = value < 1_000 ? Math.floor(value * 10) : FINE_BUCKETS + Math.floor(value - 1_000);
    this.counts[Math.min(HIST_BUCKETS - 1, index)]!++;
    this.n++;
    if (value > this.max) this.max = value;
  }
  merge(other: { counts: Uint32Array; n: number; max: number }): void {
    for (let i = 0; i < HIST_BUCKETS; i++) this.counts[i]! += other.counts[i]!;
    this.n += other.n;
    this.max = Math.max(this.max, other.max);
  }
  /** The upper edge of the bucket holding the p-quantile (NaN without samples). */
  quantile(p: number): number {
    if (this.n === 0) return Number.NaN;
    const rank = Math.ceil(p * this.n);
    let seen = 0;
    for (let i = 0; i < HIST_BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, i < FINE_BUCKETS ? (i + 1) / 10 : i - FINE_BUCKETS + 1_001);
    }
    return this.max;
  }
}

interface Handlers {
  next: (payload: any, arrivedAt: number) => void;
  error: (payload: unknown) => void;
  complete: () => void;
  closed: (code: number) => void;
}

/** The graphql-transport-ws protocol over one `ws` socket: no client library, so thousands stay cheap. */
class ProtocolSocket {
  private readonly handlers = new Map<string, Handlers>();
  closed = false;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const arrivedAt = nowMs(); // first, so parsing is not counted as delivery
      let message: { id?: string; type?: string; payload?: unknown };
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (message.type === "ping") return socket.send('{"type":"pong"}');
      const handler = message.id === undefined ? undefined : this.handlers.get(message.id);
      if (!handler) return;
      if (message.type === "next") handler.next(message.payload, arrivedAt);
      else if (message.type === "error" || message.type === "complete") {
        this.handlers.delete(message.id!);
        if (message.type === "error") handler.error(message.payload);
        else handler.complete();
      }
    });
    socket.on("close", (code) => {
      this.closed = true;
      for (const handler of this.handlers.values()) handler.closed(code);
      this.handlers.clear();
    });
  }

  /** Opens a socket and waits for connection_ack. */
  static open(url: string, authorization: string, timeoutMs: number): Promise<ProtocolSocket> {
    return new Promise((resolvePromise, reject) => {
      const socket = new WebSocket(url, "graphql-transport-ws", { perMessageDeflate: false });
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.terminate();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`no connection_ack within ${timeoutMs} ms`)), timeoutMs);
      socket.once("error", (error) => fail(error));
      socket.once("close", (code) => fail(new Error(`closed with ${code} before connection_ack`)));
      socket.once("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization } })));
      socket.once("message", (data) => {
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on("error", () => {}); // a close follows; handled there
        const type = (JSON.parse(String(data)) as { type?: string }).type;
        if (type === "connection_ack") resolvePromise(new ProtocolSocket(socket));
        else fail(new Error(`expected connection_ack, got ${String(data).slice(0, 200)}`));
      });
    });
  }

  subscribe(id: string, payload: unknown, handlers: Handlers): void {
    this.handlers.set(id, handlers);
    this.socket.send(JSON.stringify({ id, type: "subscribe", payload }));
  }

  /** Closes and resolves once closed (terminated after `timeoutMs`). */
  close(timeoutMs = 5_000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolvePromise) => {
      const timer = setTimeout(() => {
        this.socket.terminate();
        resolvePromise();
      }, timeoutMs);
      this.socket.once("close", () => {
        clearTimeout(timer);
        resolvePromise();
      });
      this.socket.close(1000);
    });
  }
}

// Messages between the main thread and the viewer workers.
type Command =
  | { kind: "open"; url: string; authorization: string; count: number; concurrency: number }
  | { kind: "subscribe"; items: SubscribeItem[] }
  | { kind: "status" }
  | { kind: "collect"; finalSeq: Record<string, number>; measureFrom: number }
  | { kind: "close" };
interface SubscribeItem {
  runId: string;
  query: string;
  tag: string;
  count: number;
  /** The selection includes run.agent.createdBy.email: each event must carry it. */
  federated: boolean;
}
interface OpenResult {
  opened: number;
  failed: number;
  firstError: string | null;
}
interface TagStatus {
  subscribed: number;
  /** Viewers that received at least one event. */
  first: number;
  /** Viewers whose subscription ended (complete, error or socket closed). */
  done: number;
  received: number;
}
interface StatusResult {
  byTag: Record<string, TagStatus>;
  maxSeqByRun: Record<string, number>;
}
interface TagCollect {
  viewers: number;
  completed: number;
  errored: number;
  closed: number;
  unfinished: number;
  received: number;
  gaps: number;
  duplicates: number;
  /** Events past the run's last one (there should be none). */
  extras: number;
  viewersWithGaps: number;
  viewersWithDuplicates: number;
  /** Events with GraphQL errors, without the event, or (federated) without createdBy.email. */
  badEvents: number;
  errorSamples: string[];
  hist: { counts: Uint32Array; n: number; max: number };
  /** Subscribe sent → first event, per viewer. */
  join: { counts: Uint32Array; n: number; max: number };
  lastArrival: number;
}
/** The counters of a TagCollect, which add up across workers and tags. */
const COUNTERS = [
  "viewers",
  "completed",
  "errored",
  "closed",
  "unfinished",
  "received",
  "gaps",
  "duplicates",
  "extras",
  "viewersWithGaps",
  "viewersWithDuplicates",
  "badEvents",
] as const;

/** Adds `part`'s counters to `into`, and keeps the later last arrival. */
function addCounts(into: TagCollect, part: TagCollect): void {
  for (const key of COUNTERS) into[key] += part[key];
  into.lastArrival = Math.max(into.lastArrival, part.lastArrival);
}

interface RunCollect {
  tokens: number;
  firstTokenAt: number;
  lastTokenAt: number;
  /** Tokens emitted in each whole second from the first token (by `at`): the sustained rate. */
  perSecond: number[];
}
interface CollectResult {
  byTag: Record<string, TagCollect>;
  runs: Record<string, RunCollect>;
  /** How busy the worker's event loop was since its viewers were opened (0..1). */
  busy: number;
}

// ───────────────────────────── viewer worker ─────────────────────────────

/** What one worker knows of a run its viewers follow: each event's emission time, and which are tokens. */
interface RunTrack {
  at: Float64Array;
  isToken: Uint8Array;
}

interface Viewer {
  socket: ProtocolSocket;
  tag: string | null;
  runId: string;
  federated: boolean;
  subscribedAt: number;
  firstArrival: number;
  state: "idle" | "live" | "completed" | "errored" | "closed";
  /** Receipts per seq (1..), and the first receipt's arrival time. */
  counts: Uint16Array;
  arrivals: Float64Array;
  received: number;
  maxSeq: number;
  badEvents: number;
}

/** A typed array at least `length` long, with the old contents (doubling, so growth is amortised). */
function grown<T extends Uint8Array | Uint16Array | Float64Array>(array: T, length: number): T {
  if (array.length >= length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(length, array.length * 2, 1_024));
  next.set(array);
  return next;
}

function viewerWorker(): void {
  const port = parentPort!;
  let viewers: Viewer[] = [];
  let runs = new Map<string, RunTrack>();
  let busySince = performance.eventLoopUtilization();
  const errorSamples = new Set<string>();
  const note = (text: string) => {
    if (errorSamples.size < 5) errorSamples.add(text.slice(0, 300));
  };

  const onEvent = (viewer: Viewer, payload: any, arrivedAt: number) => {
    if (payload?.errors?.length) {
      viewer.badEvents++;
      note(`event error: ${JSON.stringify(payload.errors[0])}`);
    }
    const event = payload?.data?.agentRunEvents;
    const seq = typeof event?.cursor === "string" ? seqOfCursor(event.cursor) : Number.NaN;
    if (!Number.isSafeInteger(seq) || seq < 1) {
      viewer.badEvents++;
      note(`not an event: ${JSON.stringify(payload).slice(0, 200)}`);
      return;
    }
    if (viewer.federated && typeof event.run?.agent?.createdBy?.email !== "string") {
      viewer.badEvents++;
      note(`federated field missing: ${JSON.stringify(event.run)}`);
    }
    viewer.counts = grown(viewer.counts, seq + 1);
    viewer.arrivals = grown(viewer.arrivals, seq + 1);
    if (viewer.counts[seq] === 0) viewer.arrivals[seq] = arrivedAt;
    if (viewer.counts[seq]! < 65_535) viewer.counts[seq]!++;
    viewer.received++;
    if (seq > viewer.maxSeq) viewer.maxSeq = seq;
    if (viewer.firstArrival === 0) viewer.firstArrival = arrivedAt;
    let run = runs.get(viewer.runId);
    if (!run) runs.set(viewer.runId, (run = { at: new Float64Array(1_024), isToken: new Uint8Array(1_024) }));
    if (run.at.length <= seq) {
      run.at = grown(run.at, seq + 1);
      run.isToken = grown(run.isToken, seq + 1);
    }
    if (run.at[seq] === 0) {
      run.at[seq] = Date.parse(event.at);
      if (event.type === "TOKEN") run.isToken[seq] = 1;
    }
  };

  const open = async (command: Extract<Command, { kind: "open" }>): Promise<OpenResult> => {
    if (viewers.length === 0) busySince = performance.eventLoopUtilization();
    let opened = 0;
    let failed = 0;
    let firstError: string | null = null;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(command.concurrency, command.count) }, async () => {
        while (next < command.count) {
          next++;
          try {
            const socket = await ProtocolSocket.open(command.url, command.authorization, 30_000);
            viewers.push({
              socket,
              tag: null,
              runId: "",
              federated: false,
              subscribedAt: 0,
              firstArrival: 0,
              state: "idle",
              counts: new Uint16Array(0),
              arrivals: new Float64Array(0),
              received: 0,
              maxSeq: 0,
              badEvents: 0,
            });
            opened++;
          } catch (error) {
            failed++;
            firstError ??= (error as Error).message;
          }
        }
      }),
    );
    return { opened, failed, firstError };
  };

  const subscribe = async (items: SubscribeItem[]): Promise<{ subscribed: number; short: number }> => {
    let subscribed = 0;
    let short = 0;
    const idle = viewers.filter((viewer) => viewer.state === "idle" && !viewer.socket.closed);
    for (const item of items) {
      for (let i = 0; i < item.count; i++) {
        const viewer = idle.shift();
        if (!viewer) {
          short += item.count - i;
          break;
        }
        Object.assign(viewer, { tag: item.tag, runId: item.runId, federated: item.federated, state: "live" });
        viewer.subscribedAt = nowMs();
        viewer.socket.subscribe(
          "1",
          { query: item.query, variables: { id: item.runId } },
          {
            next: (payload, arrivedAt) => onEvent(viewer, payload, arrivedAt),
            error: (payload) => {
              viewer.state = "errored";
              note(`subscription error: ${JSON.stringify(payload)}`);
            },
            complete: () => (viewer.state = "completed"),
            closed: (code) => {
              viewer.state = "closed";
              note(`socket closed with ${code} during the subscription`);
            },
          },
        );
        subscribed++;
        if (subscribed % 200 === 0) await yieldToLoop(); // let arriving events in between
      }
    }
    return { subscribed, short };
  };

  const status = (): StatusResult => {
    const byTag: Record<string, TagStatus> = {};
    const maxSeqByRun: Record<string, number> = {};
    for (const viewer of viewers) {
      if (viewer.tag === null) continue;
      const tag = (byTag[viewer.tag] ??= { subscribed: 0, first: 0, done: 0, received: 0 });
      tag.subscribed++;
      if (viewer.received > 0) tag.first++;
      if (viewer.state !== "live") tag.done++;
      tag.received += viewer.received;
      maxSeqByRun[viewer.runId] = Math.max(maxSeqByRun[viewer.runId] ?? 0, viewer.maxSeq);
    }
    return { byTag, maxSeqByRun };
  };

  const collect = (command: Extract<Command, { kind: "collect" }>): CollectResult => {
    const byTag: Record<string, TagCollect> = {};
    const histograms = new Map<string, Histogram>();
    const joins = new Map<string, Histogram>();
    for (const viewer of viewers) {
      if (viewer.tag === null) continue;
      let tag = byTag[viewer.tag];
      if (!tag) {
        const hist = new Histogram();
        const join = new Histogram();
        histograms.set(viewer.tag, hist);
        joins.set(viewer.tag, join);
        tag = byTag[viewer.tag] = {
          viewers: 0,
          completed: 0,
          errored: 0,
          closed: 0,
          unfinished: 0,
          received: 0,
          gaps: 0,
          duplicates: 0,
          extras: 0,
          viewersWithGaps: 0,
          viewersWithDuplicates: 0,
          badEvents: 0,
          errorSamples: [],
          hist,
          join,
          lastArrival: 0,
        };
      }
      tag.viewers++;
      if (viewer.firstArrival > 0) joins.get(viewer.tag)!.add(viewer.firstArrival - viewer.subscribedAt);
      if (viewer.state === "completed") tag.completed++;
      else if (viewer.state === "errored") tag.errored++;
      else if (viewer.state === "closed") tag.closed++;
      else tag.unfinished++;
      tag.received += viewer.received;
      tag.badEvents += viewer.badEvents;
      const final = command.finalSeq[viewer.runId] ?? viewer.maxSeq;
      const run = runs.get(viewer.runId);
      // Latency counts only events emitted after every viewer had joined (measureFrom) and, for
      // one that joined mid-run, after its first event: earlier ones were replays, not live.
      const liveFrom = Math.max(command.measureFrom, viewer.firstArrival);
      let gaps = 0;
      let duplicates = 0;
      for (let seq = 1; seq <= Math.max(final, viewer.maxSeq); seq++) {
        const count = viewer.counts[seq] ?? 0;
        if (seq > final) {
          tag.extras += count;
          continue;
        }
        if (count === 0) gaps++;
        else {
          duplicates += count - 1;
          const at = run?.at[seq] ?? 0;
          if (at >= liveFrom) histograms.get(viewer.tag)!.add(viewer.arrivals[seq]! - at);
          if (viewer.arrivals[seq]! > tag.lastArrival) tag.lastArrival = viewer.arrivals[seq]!;
        }
      }
      tag.gaps += gaps;
      tag.duplicates += duplicates;
      if (gaps > 0) tag.viewersWithGaps++;
      if (duplicates > 0) tag.viewersWithDuplicates++;
    }
    for (const tag of Object.values(byTag)) tag.errorSamples = [...errorSamples];
    const runStats: Record<string, RunCollect> = {};
    for (const [runId, run] of runs) {
      const stats: RunCollect = { tokens: 0, firstTokenAt: Number.POSITIVE_INFINITY, lastTokenAt: 0, perSecond: [] };
      const tokenAts: number[] = [];
      for (let seq = 1; seq < run.at.length; seq++) {
        if (!run.isToken[seq]) continue;
        stats.tokens++;
        tokenAts.push(run.at[seq]!);
        stats.firstTokenAt = Math.min(stats.firstTokenAt, run.at[seq]!);
        stats.lastTokenAt = Math.max(stats.lastTokenAt, run.at[seq]!);
      }
      const wholeSeconds = Math.floor((stats.lastTokenAt - stats.firstTokenAt) / 1000);
      stats.perSecond = Array.from({ length: Math.max(0, wholeSeconds) }, () => 0);
      for (const at of tokenAts) {
        const second = Math.floor((at - stats.firstTokenAt) / 1000);
        if (second < wholeSeconds) stats.perSecond[second]!++;
      }
      runStats[runId] = stats;
    }
    return { byTag, runs: runStats, busy: performance.eventLoopUtilization(busySince).utilization };
  };

  const close = async () => {
    const closing = viewers.map((viewer) => viewer.socket.close());
    await Promise.all(closing);
    const closed = viewers.length;
    viewers = [];
    runs = new Map();
    errorSamples.clear();
    return { closed };
  };

  port.on("message", async ({ id, command }: { id: number; command: Command }) => {
    try {
      let result: unknown;
      if (command.kind === "open") result = await open(command);
      else if (command.kind === "subscribe") result = await subscribe(command.items);
      else if (command.kind === "status") result = status();
      else if (command.kind === "collect") result = collect(command);
      else result = await close();
      port.postMessage({ id, result });
    } catch (error) {
      port.postMessage({ id, error: (error as Error).stack ?? String(error) });
    }
  });
}

// ───────────────────────────── seeding worker (E) ─────────────────────────────

interface SeedTask {
  role: "seed";
  mongoUrl: string;
  runs: number;
  eventsPerRun: number;
  owner: RunOwner;
}
interface RunOwner {
  workspaceId: string;
  userId: string;
  agentId: string;
}

/** A finished run as the agents subgraph stores it (SUCCEEDED, seq 1..N), with its events. */
function finishedRun(owner: RunOwner, events: number, minutesAgo: number) {
  const runId = randomUUID();
  const startedAt = new Date(Date.now() - minutesAgo * 60_000);
  const docs: RunEventDocument[] = Array.from({ length: events }, (_, i) => {
    const seq = i + 1;
    const base = { runId, workspaceId: owner.workspaceId, seq, at: new Date(startedAt.getTime() + seq) };
    if (seq === 1) return { ...base, type: "STATUS", status: "QUEUED" };
    if (seq === 2) return { ...base, type: "STATUS", status: "RUNNING" };
    if (seq === events) return { ...base, type: "STATUS", status: "SUCCEEDED" };
    return { ...base, type: "TOKEN", delta: `w${seq} ` };
  });
  const finishedAt = new Date(startedAt.getTime() + events + 1);
  // Cast: the run document's shape moves with the agents rewrite (workerId, eventCount).
  const run = {
    _id: runId,
    workspaceId: owner.workspaceId,
    agentId: owner.agentId,
    startedById: owner.userId,
    status: "SUCCEEDED",
    input: "seeded",
    output: docs.map((doc) => doc.delta ?? "").join(""),
    tokensUsed: (events - 3) * 2,
    error: null,
    createdAt: startedAt,
    startedAt,
    finishedAt,
    workerId: null,
    heartbeatAt: finishedAt,
    eventCount: events,
  } as unknown as AgentRun;
  return { run, docs };
}

/**
 * Seeds finished runs through writeArchive, four at a time, with their run documents in batches.
 * In a thread of its own, so building a million events does not delay the main thread's polls.
 */
async function seedWorker(task: SeedTask): Promise<void> {
  const port = parentPort!;
  const { openStore } = await import("../subgraphs/agents/src/store.ts");
  const { writeArchive } = (await import(RUN_LOG_MODULE)) as { writeArchive: WriteArchive };
  const store = await openStore(task.mongoUrl);
  try {
    let next = 0;
    let events = 0;
    let runs = 0;
    let lastReport = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        const batch: AgentRun[] = [];
        while (next < task.runs) {
          const { run, docs } = finishedRun(task.owner, task.eventsPerRun, 60 + next++);
          await writeArchive(store, docs);
          batch.push(run);
          runs++;
          events += docs.length;
          if (batch.length >= 100) await store.runs.insertMany(batch.splice(0));
          if (performance.now() - lastReport > 10_000) {
            lastReport = performance.now();
            port.postMessage({ kind: "progress", runs, events });
          }
          await yieldToLoop();
        }
        if (batch.length) await store.runs.insertMany(batch);
      }),
    );
    port.postMessage({ kind: "done", runs, events });
  } finally {
    await store.close();
  }
}

// The main thread exits once the report is out and everything is stopped, even if a stray handle lingers.
if (isMainThread) await main().then(() => process.exit());
else if ((workerData as SeedTask | null)?.role === "seed") await seedWorker(workerData as SeedTask);
else viewerWorker();

// ───────────────────────────── main thread ─────────────────────────────

async function main(): Promise<void> {
  // Imported here so the workers do not load database drivers they never use.
  const testing = await import("@mary/kit/testing");
  const { openStore } = await import("../subgraphs/agents/src/store.ts");

  /** A non-negative number from the environment, else the default. */
  const knob = (name: string, fallback: number, what: string) => {
    const raw = process.env[name];
    const value = raw === undefined || raw === "" ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, not ${raw}`);
    return { name, value, what };
  };
  // Sized so the whole script ends within about six minutes on 2 cores; scale with these.
  const KNOBS = {
    viewers: knob("BENCH_VIEWERS", 5_000, "A: viewers of the one run"),
    lateShare: knob("BENCH_LATE_SHARE", 0.1, "A, B: share of viewers that join mid-run (at 40%), without `after`"),
    aTokens: knob("BENCH_A_TOKENS", 150, "A: tokens of the run"),
    aIntervalMs: knob(
      "BENCH_A_INTERVAL_MS",
      200,
      "A: LOCAL_TOKEN_INTERVAL_MS (200 = 5 tokens/s: 25,000 deliveries/s to 5,000 viewers)",
    ),
    runs: knob("BENCH_RUNS", 64, "B: runs at once"),
    runViewers: knob("BENCH_RUN_VIEWERS", 10, "B: viewers per run"),
    bTokens: knob("BENCH_B_TOKENS", 300, "B: tokens per run"),
    bIntervalMs: knob("BENCH_B_INTERVAL_MS", 50, "B: LOCAL_TOKEN_INTERVAL_MS (50 = 20 tokens/s per run)"),
    fastTokens: knob("BENCH_FAST_TOKENS", 3_000, "C, D: tokens per run"),
    fastIntervalMs: knob("BENCH_FAST_INTERVAL_MS", 0.8, "C, D: LOCAL_TOKEN_INTERVAL_MS (0.8 = 1,250 tokens/s)"),
    fastViewers: knob("BENCH_FAST_VIEWERS", 10, "C, D: viewers of the run"),
    rounds: knob("BENCH_ROUNDS", 2, "C, D: runs of each selection, alternating C D D C …"),
    eTokens: knob("BENCH_E_TOKENS", 1_000, "E: tokens of each measured run"),
    eIntervalMs: knob("BENCH_E_INTERVAL_MS", 1, "E: LOCAL_TOKEN_INTERVAL_MS"),
    eSamples: knob("BENCH_E_SAMPLES", 5, "E: samples of each measure, before and after seeding (medians)"),
    seedRuns: knob("BENCH_SEED_RUNS", 1_000, "E: finished runs seeded"),
    seedEvents: knob("BENCH_SEED_EVENTS_PER_RUN", 1_000, "E: events per seeded run"),
    workers: knob("BENCH_WORKERS", 1, "viewer worker threads (the machine has 2 cores)"),
  };
  const K = Object.fromEntries(Object.entries(KNOBS).map(([key, { value }]) => [key, value])) as {
    [key in keyof typeof KNOBS]: number;
  };
  const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? "A,B,CD,E").split(",").map((s) => s.trim().toUpperCase()));

  // The issue's targets.
  const TARGET = {
    viewers: 5_000,
    runs: 64,
    runViewers: 10,
    tokensPerSecond: 1_000,
    p99Ms: 50,
    federatedCostRatio: 2,
    rssBytes: 1024 ** 3,
    healthzMs: 100,
    storedEvents: 1_000_000,
    /** "Cost what they cost with none": after/before seeding within this factor (medians; the machine is noisy). */
    storedRatio: 1.5,
  };
  const HEALTHZ_EVERY_MS = 50;
  const HEALTHZ_TIMEOUT_MS = 2_000;
  const PROBE_EVERY_MS = 200;
  const HTTP_TIMEOUT_MS = 30_000;
  const JOIN_TIMEOUT_MS = 180_000;
  const SERVICE_READY_MS = 90_000;
  /** The agents subgraph refuses a run input longer than this (MAX_INPUT in run.service.ts). */
  const MAX_INPUT_CHARS = 100_000;

  const PLAIN = `subscription ($id: ID!) { agentRunEvents(runId: $id) { cursor type delta at } }`;
  const FEDERATED = `subscription ($id: ID!) { agentRunEvents(runId: $id) { cursor type delta at
    run { agent { createdBy { email } } } } }`;

  const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
  const TSX_LOADER = import.meta.resolve("tsx");
  const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  const benchStarted = performance.now();

  // ── formatting ──
  const ms = (value: number, digits = 1) => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : "n/a");
  const num = (value: number) => (Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "n/a");
  const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
  const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");
  const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a");
  const elapsed = () => `${((performance.now() - benchStarted) / 1000).toFixed(0)} s`;
  const log = (text: string) => console.log(`[${elapsed().padStart(5)}] ${text}`);
  function table(title: string, rows: [string, string][]): void {
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(`\n${title}\n${"─".repeat(title.length)}`);
    for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
    console.log();
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : Number.NaN;
  };
  const maxOf = (values: number[]) => (values.length ? values.reduce((a, b) => Math.max(a, b)) : Number.NaN);
  const quantile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : Number.NaN;
  };

  // ── /proc ──
  const cpuMsOf = (pid: number) => {
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  };
  const memoryOf = (pid: number) => {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
  };
  const benchCpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };

  /** Resolves true once `check` does, false after `timeoutMs`; `check` may also throw to stop waiting. */
  async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 250) {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (await check()) return true;
      if (performance.now() > deadline) return false;
      await sleep(everyMs);
    }
  }
  /** Rejects when `promise` has not settled within `timeoutMs`. */
  function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout;
    return Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  // ── the platform, as OS processes ──
  interface Service {
    name: string;
    child: ChildProcess;
    exited: Promise<void>;
    stopping: boolean;
    logPath: string;
  }
  const logDir = mkdtempSync(join(tmpdir(), "mary-bench-scale-"));
  const services = new Map<string, Service>();
  let crashed: Error | null = null;
  const assertAlive = () => {
    if (crashed) throw crashed;
  };
  const tail = (path: string) => {
    try {
      return readFileSync(path, "utf8").split("\n").slice(-30).join("\n");
    } catch {
      return "";
    }
  };

  async function startService(name: string, dir: string, env: Record<string, string>, readyUrl: string) {
    const logPath = join(logDir, `${name}.log`);
    const fd = openSync(logPath, "a");
    // `node --import tsx` rather than the tsx CLI: the CLI runs the script in a child process,
    // and the pid measured must be the server's own.
    // BENCH_PROFILE=<dir> writes a CPU profile of each service there when it stops (for finding what to speed up).
    const profile = process.env.BENCH_PROFILE
      ? ["--cpu-prof", `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE)}`]
      : [];
    if (process.env.BENCH_TRACE_GC && name === "gateway") profile.push("--trace-gc");
    const child = spawn(process.execPath, [...profile, "--import", TSX_LOADER, "src/index.ts"], {
      cwd: resolve(ROOT, dir),
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", fd, fd],
    });
    closeSync(fd);
    const service: Service = {
      name,
      child,
      stopping: false,
      logPath,
      exited: new Promise((resolveExit) => child.once("exit", () => resolveExit())),
    };
    child.once("exit", (code, signal) => {
      if (service.stopping) return;
      crashed ??= new Error(`${name} exited unexpectedly (${signal ?? code}); log ${logPath}:\n${tail(logPath)}`);
    });
    services.set(name, service);
    const ready = await waitUntil(async () => {
      assertAlive();
      try {
        return (await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) })).ok;
      } catch {
        return false;
      }
    }, SERVICE_READY_MS);
    if (!ready)
      throw new Error(`${name} was not ready within ${SERVICE_READY_MS} ms; log ${logPath}:\n${tail(logPath)}`);
    return child.pid!;
  }

  async function stopService(name: string) {
    const service = services.get(name);
    if (!service) return;
    services.delete(name);
    service.stopping = true;
    if (service.child.exitCode !== null || service.child.signalCode !== null) return;
    service.child.kill("SIGTERM");
    const stopped = await Promise.race([service.exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!stopped) {
      service.child.kill("SIGKILL");
      await Promise.race([service.exited, sleep(5_000)]);
    }
  }
  // Last resort if the bench itself dies: nothing it started outlives it.
  process.once("exit", () => {
    for (const service of services.values()) service.child.kill("SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      crashed ??= new Error(`interrupted (${signal})`);
    });
  }

  // ── viewers in worker threads ──
  class ViewerPool {
    private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
    private lastId = 0;
    constructor(readonly workers: Worker[]) {
      for (const worker of workers) {
        worker.on("message", ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
          const waiter = this.pending.get(id);
          this.pending.delete(id);
          if (error) waiter?.reject(new Error(`viewer worker: ${error}`));
          else waiter?.resolve(result);
        });
        worker.on("error", (error) => {
          crashed ??= new Error(`a viewer worker crashed: ${error.stack}`);
          for (const waiter of this.pending.values()) waiter.reject(error);
        });
      }
    }
    private call<T>(worker: Worker, command: Command, timeoutMs: number): Promise<T> {
      const id = ++this.lastId;
      const answer = new Promise<T>((resolvePromise, reject) =>
        this.pending.set(id, { resolve: resolvePromise, reject }),
      );
      worker.postMessage({ id, command });
      return within(answer, timeoutMs, `viewer worker ${command.kind}`).finally(() => this.pending.delete(id));
    }
    /** `count` split as evenly as possible over the workers. */
    private split(count: number) {
      return this.workers.map(
        (_, i) => Math.floor(count / this.workers.length) + (i < count % this.workers.length ? 1 : 0),
      );
    }
    async open(url: string, authorization: string, count: number): Promise<OpenResult> {
      const shares = this.split(count);
      const results = await Promise.all(
        this.workers.map((worker, i) =>
          this.call<OpenResult>(
            worker,
            { kind: "open", url, authorization, count: shares[i]!, concurrency: 64 },
            120_000 + count * 50,
          ),
        ),
      );
      return {
        opened: results.reduce((sum, result) => sum + result.opened, 0),
        failed: results.reduce((sum, result) => sum + result.failed, 0),
        firstError: results.find((result) => result.firstError)?.firstError ?? null,
      };
    }
    async subscribe(items: SubscribeItem[]) {
      const perWorker = this.workers.map(() => [] as SubscribeItem[]);
      for (const item of items) this.split(item.count).forEach((count, i) => perWorker[i]!.push({ ...item, count }));
      const results = await Promise.all(
        this.workers.map((worker, i) =>
          this.call<{ subscribed: number; short: number }>(
            worker,
            { kind: "subscribe", items: perWorker[i]! },
            120_000,
          ),
        ),
      );
      const short = results.reduce((sum, result) => sum + result.short, 0);
      if (short > 0) throw new Error(`${short} viewers had no open socket to subscribe on`);
    }
    async status(): Promise<StatusResult> {
      const results = await Promise.all(
        this.workers.map((worker) => this.call<StatusResult>(worker, { kind: "status" }, 60_000)),
      );
      const merged: StatusResult = { byTag: {}, maxSeqByRun: {} };
      for (const result of results) {
        for (const [tag, status] of Object.entries(result.byTag)) {
          const into = (merged.byTag[tag] ??= { subscribed: 0, first: 0, done: 0, received: 0 });
          for (const key of Object.keys(into) as (keyof TagStatus)[]) into[key] += status[key];
        }
        for (const [runId, seq] of Object.entries(result.maxSeqByRun)) {
          merged.maxSeqByRun[runId] = Math.max(merged.maxSeqByRun[runId] ?? 0, seq);
        }
      }
      return merged;
    }
    async collect(finalSeq: Record<string, number>, measureFrom: number) {
      const results = await Promise.all(
        this.workers.map((worker) =>
          this.call<CollectResult>(worker, { kind: "collect", finalSeq, measureFrom }, 120_000),
        ),
      );
      const byTag: Record<string, TagCollect & { histogram: Histogram; joinHistogram: Histogram }> = {};
      const runs: Record<string, RunCollect> = {};
      for (const result of results) {
        for (const [tag, part] of Object.entries(result.byTag)) {
          const into = (byTag[tag] ??= {
            ...emptyCollect(),
            histogram: new Histogram(),
            joinHistogram: new Histogram(),
          });
          addCounts(into, part);
          into.errorSamples = [...new Set([...into.errorSamples, ...part.errorSamples])].slice(0, 5);
          into.histogram.merge(part.hist);
          into.joinHistogram.merge(part.join);
        }
        for (const [runId, run] of Object.entries(result.runs)) {
          const into = (runs[runId] ??= {
            tokens: 0,
            firstTokenAt: Number.POSITIVE_INFINITY,
            lastTokenAt: 0,
            perSecond: [],
          });
          // Workers whose viewers saw more of the run know more of its tokens' `at`.
          if (run.tokens > into.tokens) into.perSecond = run.perSecond;
          into.tokens = Math.max(into.tokens, run.tokens);
          into.firstTokenAt = Math.min(into.firstTokenAt, run.firstTokenAt);
          into.lastTokenAt = Math.max(into.lastTokenAt, run.lastTokenAt);
        }
      }
      return { byTag, runs, busy: Math.max(...results.map((result) => result.busy)) };
    }
    async close() {
      await Promise.all(this.workers.map((worker) => this.call(worker, { kind: "close" }, 60_000)));
    }
  }
  const emptyCollect = (): TagCollect => ({
    viewers: 0,
    completed: 0,
    errored: 0,
    closed: 0,
    unfinished: 0,
    received: 0,
    gaps: 0,
    duplicates: 0,
    extras: 0,
    viewersWithGaps: 0,
    viewersWithDuplicates: 0,
    badEvents: 0,
    errorSamples: [],
    hist: new Histogram(),
    join: new Histogram(),
    lastArrival: 0,
  });

  // ── /healthz and RSS, every 50 ms during every scenario ──
  class Monitor {
    private timer: NodeJS.Timeout | null = null;
    private polls: Promise<void>[] = [];
    private latencies: number[] = [];
    private failures = 0;
    private rssPeak = 0;
    private cpu0 = 0;
    private agentsCpu0 = 0;
    private benchCpu0 = 0;
    private started = 0;
    private slowestAt = 0;
    private slowest = 0;
    /** This thread's own event-loop delay: a late poll says nothing of the gateway when it was ours. */
    private loopDelay = monitorEventLoopDelay({ resolution: 10 });
    start() {
      this.loopDelay.reset();
      this.loopDelay.enable();
      this.slowest = 0;
      this.latencies = [];
      this.failures = 0;
      this.rssPeak = 0;
      this.polls = [];
      this.cpu0 = cpuMsOf(platform.gatewayPid);
      this.agentsCpu0 = cpuMsOf(platform.agentsPid);
      this.benchCpu0 = benchCpuMs();
      this.started = performance.now();
      // A poll starts every 50 ms whether or not the last one answered, so a stall shows as many slow answers.
      this.timer = setInterval(() => {
        try {
          this.rssPeak = Math.max(this.rssPeak, memoryOf(platform.gatewayPid).rss);
        } catch {
          // the gateway has exited: the bench notices it and stops
        }
        const t0 = performance.now();
        const poll = fetch(`${platform.origin}/healthz`, { signal: AbortSignal.timeout(HEALTHZ_TIMEOUT_MS) })
          .then(async (response) => {
            await response.arrayBuffer();
            if (!response.ok) this.failures++;
          })
          .catch(() => void this.failures++)
          .finally(() => {
            const took = performance.now() - t0;
            this.latencies.push(took);
            if (took > this.slowest) [this.slowest, this.slowestAt] = [took, t0 - this.started];
          });
        this.polls.push(poll);
        if (this.polls.length > 200) this.polls = this.polls.slice(-100); // older ones have settled (2 s timeout)
      }, HEALTHZ_EVERY_MS);
    }
    get running() {
      return this.timer !== null;
    }
    async stop() {
      clearInterval(this.timer!);
      this.timer = null;
      await Promise.all(this.polls);
      this.loopDelay.disable();
      const wallMs = performance.now() - this.started;
      const result = {
        polls: this.latencies.length,
        failures: this.failures,
        p99: quantile(this.latencies, 0.99),
        max: maxOf(this.latencies),
        rssPeak: Math.max(this.rssPeak, memoryOf(platform.gatewayPid).rss),
        wallMs,
        gatewayCpuMs: cpuMsOf(platform.gatewayPid) - this.cpu0,
        agentsCpuMs: cpuMsOf(platform.agentsPid) - this.agentsCpu0,
        benchCpuMs: benchCpuMs() - this.benchCpu0,
        slowestAtS: this.slowestAt / 1000,
        benchLoopDelayMaxMs: this.loopDelay.max / 1e6,
      };
      return result;
    }
  }
  type Monitored = Awaited<ReturnType<Monitor["stop"]>>;
  const monitorRows = (m: Monitored): [string, string][] => [
    [
      "/healthz (every 50 ms)",
      `${num(m.polls)} polls, p99 ${ms(m.p99)}, max ${ms(m.max)} (at +${m.slowestAtS.toFixed(1)} s), ${m.failures} failed ` +
        `(target < ${TARGET.healthzMs} ms); the bench's own event-loop delay max ${ms(m.benchLoopDelayMaxMs)}`,
    ],
    ["gateway RSS peak", `${mib(m.rssPeak)} (sampled every 50 ms)`],
    [
      "CPU over the scenario",
      `gateway ${((m.gatewayCpuMs / m.wallMs) * 100).toFixed(0)}%, agents ${((m.agentsCpuMs / m.wallMs) * 100).toFixed(0)}%, ` +
        `this load generator ${((m.benchCpuMs / m.wallMs) * 100).toFixed(0)}% of one core, over ${(m.wallMs / 1000).toFixed(1)} s`,
    ],
  ];

  // ── summary of targets ──
  const summary: { target: string; measured: string; result: "PASS" | "FAIL" | "SKIP" | "ERROR" }[] = [];
  const check = (target: string, measured: string, pass: boolean | null) =>
    summary.push({ target, measured, result: pass === null ? "SKIP" : pass ? "PASS" : "FAIL" });
  const healthzSeen: { scenario: string; m: Monitored }[] = [];
  const exactness: { scenario: string; ok: boolean; text: string }[] = [];
  let crashedScenarios = 0;

  // ── set up: databases, keys, processes ──
  const keys = testing.testKeyPair();
  const [usersDb, billingDb] = await Promise.all([
    testing.createTestDatabase("users"),
    testing.createTestDatabase("billing"),
  ]);
  const mongoDbs = [testing.createTestMongoDatabase("agents")];
  const [usersPort, billingPort, agentsPort, gatewayPort, deadPort] = await Promise.all(
    Array.from({ length: 5 }, () => testing.freePort()),
  );
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const common = {
    NODE_ENV: "test",
    LOG_LEVEL: "error",
    INTERNAL_SIGNING_SECRET: testing.TEST_SIGNING_SECRET,
    REDIS_URL: testing.REDIS_URL,
  };
  // The gates' model server: takes each request and never answers (until the run is cancelled).
  const silentModel = createServer((request) => request.resume());
  await new Promise<void>((resolveListen) => silentModel.listen(0, "127.0.0.1", resolveListen));
  const silentModelPort = (silentModel.address() as AddressInfo).port;
  const agentsEnv = (extra: Record<string, string>) => ({
    ...common,
    AGENTS_PORT: String(agentsPort),
    MONGODB_URL: mongoDbs[0]!.url,
    GATEWAY_URL: `${url(gatewayPort!)}/graphql`,
    OPENAI_API_KEY: "sk-bench-gates",
    OPENAI_BASE_URL: `${url(silentModelPort)}/v1`,
    OPENAI_MODEL: "gate",
    OPENAI_TIMEOUT_MS: "3600000",
    ...extra,
  });
  const platform = {
    origin: url(gatewayPort!),
    graphql: `${url(gatewayPort!)}/graphql`,
    ws: `ws://127.0.0.1:${gatewayPort}/graphql`,
    gatewayPid: 0,
    agentsPid: 0,
    agentsSettings: "",
  };
  /** (Re)starts agents: the LOCAL provider's pace and the run concurrency are per process. */
  async function startAgents(settings: Record<string, string>) {
    await stopService("agents");
    platform.agentsPid = await startService(
      "agents",
      "subgraphs/agents",
      agentsEnv(settings),
      `${url(agentsPort!)}/readyz`,
    );
    platform.agentsSettings = Object.entries(settings)
      .filter(([key]) => key !== "MONGODB_URL")
      .map(([key, value]) => `${key}=${value}`)
      .join(" ");
    log(`agents (re)started: ${platform.agentsSettings}`);
  }

  const workers = Array.from(
    { length: Math.max(1, Math.round(K.workers)) },
    () => new Worker(new URL(import.meta.url)),
  );
  const pool = new ViewerPool(workers);
  const monitor = new Monitor();

  try {
    log(`logs of the platform's processes: ${logDir}`);
    log(
      "knobs: " +
        Object.values(KNOBS)
          .map(({ name, value }) => `${name}=${value}`)
          .join(" "),
    );
    await Promise.all([
      startService(
        "users",
        "subgraphs/users",
        {
          ...common,
          USERS_PORT: String(usersPort),
          USERS_DATABASE_URL: usersDb.url,
          JWT_PRIVATE_KEY: keys.privateKey,
          ACCESS_TOKEN_TTL_SECONDS: "86400", // one token for the whole bench
        },
        `${url(usersPort!)}/readyz`,
      ),
      startService(
        "billing",
        "subgraphs/billing",
        {
          ...common,
          BILLING_PORT: String(billingPort),
          BILLING_DATABASE_URL: billingDb.url,
          STRIPE_API_BASE: testing.STRIPE_API_BASE,
          STRIPE_WEBHOOK_SECRET: testing.TEST_STRIPE_WEBHOOK_SECRET,
        },
        `${url(billingPort!)}/readyz`,
      ),
      startAgents({ LOCAL_TOKEN_INTERVAL_MS: "20" }),
    ]);
    platform.gatewayPid = await startService(
      "gateway",
      "gateway",
      {
        ...common,
        GATEWAY_PORT: String(gatewayPort),
        JWT_PUBLIC_KEY: keys.publicKey,
        USERS_URL: `${url(usersPort!)}/graphql`,
        BILLING_URL: `${url(billingPort!)}/graphql`,
        AGENTS_URL: `${url(agentsPort!)}/graphql`,
        // Nothing listens there: no field asked here routes to crm, and none may reach a dev crm.
        CRM_URL: `${url(deadPort!)}/graphql`,
        // One user, one address: the limits that would refuse a bench are raised; others stay as shipped.
        RATE_LIMIT_REQUESTS: "1000000000",
        RATE_LIMIT_ANONYMOUS_REQUESTS: "1000000000",
        MAX_SUBSCRIPTIONS_PER_PRINCIPAL: "1000000000",
      },
      `${url(gatewayPort!)}/healthz`, // /readyz would wait for crm
    );
    log(`platform up: gateway pid ${platform.gatewayPid} on ${platform.origin}`);

    // ── the account, its agent ──
    let accessToken = "";
    async function gql<T = any>(
      query: string,
      variables: Record<string, unknown> = {},
      timeoutMs = HTTP_TIMEOUT_MS,
      token = accessToken,
    ) {
      assertAlive();
      const response = await fetch(platform.graphql, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown };
      if (!response.ok || body.errors || !body.data) {
        throw new Error(`${response.status} ${JSON.stringify(body).slice(0, 500)}`);
      }
      return body.data;
    }
    const timed = async <T>(work: () => Promise<T>) => {
      const t0 = performance.now();
      const value = await work();
      return { value, ms: performance.now() - t0 };
    };
    const signUp = async (name: string) => {
      const email = `bench-${randomUUID()}@example.com`;
      const { signUp: answer } = await gql<{
        signUp: { accessToken: string; user: { id: string }; workspace: { id: string } };
      }>(`mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } workspace { id } } }`, {
        input: { email, password: "correct-horse-42", name, workspaceName: name },
      });
      return { token: answer.accessToken, userId: answer.user.id, workspaceId: answer.workspace.id };
    };
    const createAgent = async (provider: "LOCAL" | "OPENAI", token = accessToken) =>
      (
        await gql<{ createAgent: { id: string } }>(
          `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id } }`,
          { input: { name: `Bench ${provider}`, provider } },
          HTTP_TIMEOUT_MS,
          token,
        )
      ).createAgent.id;
    // Every viewer is this one user (limits per principal are raised for the bench).
    const account = await signUp("Bench");
    accessToken = account.token;
    const authorization = `Bearer ${accessToken}`;
    let agentId = await createAgent("LOCAL");
    // Gates run an OPENAI agent whose model server never answers: they hold an executor slot,
    // emitting nothing, until cancelled (LOCAL gates would stream, and load the platform). They
    // belong to a workspace of their own: the FREE plan allows one agent per workspace.
    const gatekeeper = await signUp("Gatekeeper");
    const gate = { agentId: await createAgent("OPENAI", gatekeeper.token), token: gatekeeper.token };

    /** An input of `count` words: the LOCAL provider streams one token per word. */
    const words = (count: number, prefix = "") => {
      const text = Array.from({ length: count }, (_, i) => `${prefix}${i.toString(36)}`).join(" ");
      if (text.length > MAX_INPUT_CHARS)
        throw new Error(`${count} tokens need more than ${MAX_INPUT_CHARS} characters`);
      return text;
    };
    /** A LOCAL run that streams until cancelled (40,000 tokens). */
    const LONG_INPUT = "g ".repeat(40_000).trim();
    const startRun = async (input: string, agent = agentId, token = accessToken) => {
      const { value, ms: took } = await timed(() =>
        gql<{ startAgentRun: { id: string; status: string } }>(
          `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id status } }`,
          { input: { agentId: agent, input } },
          HTTP_TIMEOUT_MS,
          token,
        ),
      );
      return { id: value.startAgentRun.id, status: value.startAgentRun.status, ms: took };
    };
    const cancelRun = async (id: string, token = accessToken) => {
      const { value, ms: took } = await timed(() =>
        gql<{ cancelAgentRun: { status: string } }>(
          `mutation ($id: ID!) { cancelAgentRun(id: $id) { status } }`,
          { id },
          HTTP_TIMEOUT_MS,
          token,
        ),
      );
      return { status: value.cancelAgentRun.status, ms: took };
    };
    /** Starts runs `concurrency` at a time, in order. */
    const startRuns = async (inputs: string[], agent = agentId, token = accessToken, concurrency = 8) => {
      const started: Awaited<ReturnType<typeof startRun>>[] = [];
      for (let i = 0; i < inputs.length; i += concurrency) {
        const batch = inputs.slice(i, i + concurrency);
        started.push(...(await Promise.all(batch.map((input) => startRun(input, agent, token)))));
      }
      return started;
    };
    /**
     * The run's last event, checked on the server: the highest seq any viewer saw, and nothing
     * stored after it. Returns that seq (so gaps at the end count) and the run's status.
     */
    const finalSeqOf = async (runId: string, seenMax: number) => {
      const data = await gql<{ agentRun: { status: string; events: { edges: { cursor: string }[] } } }>(
        `query ($id: ID!, $after: String) { agentRun(id: $id) { status events(after: $after, first: 100) { edges { cursor } } } }`,
        { id: runId, after: seenMax > 0 ? cursorOfSeq(seenMax) : null },
      );
      const later = data.agentRun.events.edges.map((edge) => seqOfCursor(edge.cursor));
      return { finalSeq: Math.max(seenMax, ...later), status: data.agentRun.status, unseen: later.length };
    };

    /** Polls the workers until `done` says so or the time is up, logging progress every 5 s. */
    async function follow(
      label: string,
      timeoutMs: number,
      done: (status: StatusResult) => boolean,
      onStatus: (status: StatusResult) => Promise<void> | void = () => {},
    ) {
      let lastLog = performance.now();
      let lastReceived = 0;
      let lastStatus: StatusResult = { byTag: {}, maxSeqByRun: {} };
      const finished = await waitUntil(async () => {
        assertAlive();
        lastStatus = await pool.status();
        await onStatus(lastStatus);
        if (performance.now() - lastLog >= 5_000) {
          const tags = Object.values(lastStatus.byTag);
          const received = tags.reduce((sum, tag) => sum + tag.received, 0);
          const rate = ((received - lastReceived) * 1000) / (performance.now() - lastLog);
          log(
            `${label}: ${tags.reduce((sum, tag) => sum + tag.done, 0)}/${tags.reduce((sum, tag) => sum + tag.subscribed, 0)} viewers done, ` +
              `${num(received)} events received (${num(rate)}/s), highest seq ${Math.max(0, ...Object.values(lastStatus.maxSeqByRun))}`,
          );
          lastLog = performance.now();
          lastReceived = received;
        }
        return done(lastStatus);
      }, timeoutMs);
      return { finished, status: lastStatus };
    }
    const allDone = (status: StatusResult) =>
      Object.values(status.byTag).every((tag) => tag.done === tag.subscribed && tag.subscribed > 0);

    /** Opens the viewers' sockets (connection_init acknowledged), before any run exists. */
    async function openViewers(count: number) {
      const { value, ms: took } = await timed(() => pool.open(platform.ws, authorization, count));
      log(`${value.opened} viewer sockets open in ${(took / 1000).toFixed(1)} s, ${value.failed} failed`);
      if (value.failed > 0) log(`  first failure: ${value.firstError}`);
      return { ...value, ms: took };
    }

    /**
     * Everything a streaming scenario does after its viewers' sockets are open: gates the runs,
     * subscribes the early viewers, starts the runs once every one has its first event, subscribes
     * the late ones at 40% of the run, waits for all to end, and checks each viewer's events.
     */
    async function stream(options: {
      label: string;
      runs: { tokens: number; early: number; late: number; query: string; federated: boolean }[];
      gates: number;
      intervalMs: number;
      /** Called at every status poll once the runs go (for A's side traffic). */
      during?: (status: StatusResult, runIds: string[]) => Promise<void> | void;
    }) {
      const gates = await startRuns(
        Array.from({ length: options.gates }, () => "gate"),
        gate.agentId,
        gate.token,
      );
      const runs = await startRuns(options.runs.map((run, i) => words(run.tokens, `r${i}w`)));
      await pool.subscribe(
        options.runs.map((run, i) => ({
          runId: runs[i]!.id,
          query: run.query,
          tag: "early",
          count: run.early,
          federated: run.federated,
        })),
      );
      const joinStarted = performance.now();
      const earlyCount = options.runs.reduce((sum, run) => sum + run.early, 0);
      const joined = await follow(
        `${options.label} joining`,
        JOIN_TIMEOUT_MS,
        (status) => (status.byTag.early?.first ?? 0) >= earlyCount || (status.byTag.early?.done ?? 0) >= earlyCount,
      );
      // The gates held the runs: a run whose viewers have joined has only its QUEUED event (seq 1).
      const heldBack = runs.filter((run) => (joined.status.maxSeqByRun[run.id] ?? 0) <= 1).length;
      const joinMs = performance.now() - joinStarted;
      const measureFrom = Date.now();
      log(
        `${options.label}: ${joined.status.byTag.early?.first ?? 0}/${earlyCount} early viewers had their first event after ` +
          `${(joinMs / 1000).toFixed(1)} s${joined.finished ? "" : " (timed out)"}; starting the runs`,
      );
      const cpu0 = cpuMsOf(platform.gatewayPid);
      const ungated = await Promise.all(gates.map((run) => cancelRun(run.id, gate.token)));
      const runStarted = nowMs();
      const lateItems = options.runs
        .map((run, i) => ({
          runId: runs[i]!.id,
          query: run.query,
          tag: "late",
          count: run.late,
          federated: run.federated,
        }))
        .filter((item) => item.count > 0);
      let lateJoinedAtSeq: number | null = null;
      const longest = Math.max(...options.runs.map((run) => run.tokens));
      const expectedMs = longest * options.intervalMs;
      const ended = await follow(
        options.label,
        Math.max(60_000, expectedMs * 4 + 60_000),
        (status) => (lateJoinedAtSeq !== null || lateItems.length === 0) && allDone(status),
        async (status) => {
          if (lateItems.length > 0 && lateJoinedAtSeq === null) {
            // Late viewers join once every run is 40% through (or all early viewers are done).
            const seqs = runs.map((run) => status.maxSeqByRun[run.id] ?? 0);
            const earlyDone = (status.byTag.early?.done ?? 0) >= earlyCount;
            if (Math.min(...seqs) >= 0.4 * longest || earlyDone) {
              lateJoinedAtSeq = Math.min(...seqs);
              await pool.subscribe(lateItems);
              log(
                `${options.label}: ${lateItems.reduce((sum, item) => sum + item.count, 0)} late viewers join at seq ≥ ${lateJoinedAtSeq}`,
              );
            }
          }
          await options.during?.(
            status,
            runs.map((run) => run.id),
          );
        },
      );
      const cpuMs = cpuMsOf(platform.gatewayPid) - cpu0;
      // Each run's last event, from the server: a viewer that missed the end still counts it as a gap.
      const finals = await Promise.all(runs.map((run) => finalSeqOf(run.id, ended.status.maxSeqByRun[run.id] ?? 0)));
      const finalSeq = Object.fromEntries(runs.map((run, i) => [run.id, finals[i]!.finalSeq]));
      const collected = await pool.collect(finalSeq, measureFrom);
      await pool.close();
      return {
        runs,
        heldBack,
        joinMs,
        joined: joined.finished,
        ungateMs: ungated.map((answer) => answer.ms),
        runStarted,
        finished: ended.finished,
        lateJoinedAtSeq,
        cpuMs,
        finals,
        collected,
      };
    }
    type Streamed = Awaited<ReturnType<typeof stream>>;

    /** Latency, delivery and exactly-once rows of a streaming scenario (all tags, then each). */
    function streamRows(s: Streamed, label: string, record = true) {
      const tags = Object.entries(s.collected.byTag);
      const all = new Histogram();
      const total = emptyCollect();
      for (const [, tag] of tags) {
        all.merge(tag.histogram);
        addCounts(total, tag);
      }
      const runStats = s.runs.map((run) => s.collected.runs[run.id]);
      // Tokens per second from their `at`: overall, (tokens - 1) intervals over the span; and
      // sustained, the tokens of each whole second (a late last token does not lower it).
      const spanOf = (run: RunCollect | undefined) =>
        run && run.tokens > 1 ? run.lastTokenAt - run.firstTokenAt : Number.NaN;
      const rates = runStats.map((run) => (((run?.tokens ?? 0) - 1) * 1000) / spanOf(run));
      const seconds = runStats.flatMap((run) => run?.perSecond ?? []);
      const join = new Histogram();
      for (const [, tag] of tags) join.merge(tag.joinHistogram);
      const deliverySeconds = total.lastArrival > 0 ? (total.lastArrival - s.runStarted) / 1000 : Number.NaN;
      const exact =
        total.gaps === 0 &&
        total.duplicates === 0 &&
        total.extras === 0 &&
        total.badEvents === 0 &&
        total.completed === total.viewers &&
        s.finals.every((final) => final.status === "SUCCEEDED");
      if (record)
        exactness.push({
          scenario: label,
          ok: exact,
          text:
            `${total.completed}/${total.viewers} completed, ${total.gaps} gaps (${total.viewersWithGaps} viewers), ` +
            `${total.duplicates} duplicates (${total.viewersWithDuplicates} viewers), ${total.badEvents} bad events`,
        });
      const rows: [string, string][] = [
        [
          "runs",
          `${s.runs.length} × ${runStats[0]?.tokens ?? 0} tokens, final status ${[...new Set(s.finals.map((f) => f.status))].join("/")}, ` +
            `last seq ${[...new Set(s.finals.map((f) => f.finalSeq))].join("/")}`,
        ],
        [
          "emission rate",
          `${fixed(median(rates), 1)} tokens/s per run overall (median; from the tokens' \`at\`); ` +
            `whole seconds: median ${num(median(seconds))}, min ${num(Math.min(...seconds))} tokens`,
        ],
        [
          "join (subscribe → first event)",
          `p50 ${ms(join.quantile(0.5))}, p99 ${ms(join.quantile(0.99))}, max ${ms(join.max)} per viewer; ` +
            `every early viewer in ${(s.joinMs / 1000).toFixed(1)} s${s.joined ? "" : " (TIMED OUT)"}; ` +
            `runs still QUEUED then (gated): ${s.heldBack}/${s.runs.length}`,
        ],
        [
          "deliveries",
          `${num(total.received)} events in ${fixed(deliverySeconds, 1)} s = ${num(total.received / deliverySeconds)}/s` +
            (s.finished ? "" : " (TIMED OUT waiting for the viewers to finish)"),
        ],
        [
          "latency (emission → arrival)",
          `p50 ${ms(all.quantile(0.5))}, p99 ${ms(all.quantile(0.99))}, max ${ms(all.max)} over ${num(all.n)} live deliveries ` +
            `(target p99 < ${TARGET.p99Ms} ms)`,
        ],
      ];
      if (tags.length > 1) {
        for (const [tag, part] of tags) {
          rows.push([
            `  ${tag} viewers`,
            `${part.viewers}: p50 ${ms(part.histogram.quantile(0.5))}, p99 ${ms(part.histogram.quantile(0.99))} over ${num(part.histogram.n)}` +
              (tag === "late" ? ` (joined at seq ≥ ${s.lateJoinedAtSeq}, without \`after\`)` : ""),
          ]);
        }
      }
      rows.push([
        "load generator",
        `viewer thread${workers.length > 1 ? "s" : ""} busy ${(s.collected.busy * 100).toFixed(0)}%` +
          (s.collected.busy > 0.9 ? " (saturated: arrivals are late because of the load generator too)" : ""),
      ]);
      rows.push([
        "exactly once (by cursor)",
        `${exact ? "yes" : "NO"}: ${total.completed}/${total.viewers} completed, ${total.errored} errored, ${total.closed} closed, ` +
          `${total.unfinished} unfinished; ${total.gaps} missing in ${total.viewersWithGaps} viewers, ` +
          `${total.duplicates} duplicates in ${total.viewersWithDuplicates}, ${total.extras} past the end, ${total.badEvents} bad`,
      ]);
      const samples = [...new Set(tags.flatMap(([, tag]) => tag.errorSamples))];
      for (const sample of samples.slice(0, 3)) rows.push(["  error seen", sample]);
      return { rows, all, total, rates, seconds, exact, deliverySeconds };
    }

    /** Runs one scenario with the monitor on; a crash in it is reported and the next one still runs. */
    async function scenario(name: string, work: () => Promise<void>) {
      assertAlive();
      try {
        await work();
      } catch (error) {
        assertAlive(); // a dead platform process ends the bench
        crashedScenarios++;
        summary.push({ target: `scenario ${name}`, measured: (error as Error).message.slice(0, 200), result: "ERROR" });
        console.error(`\nscenario ${name} crashed:`, error);
        if (monitor.running) await monitor.stop().catch(() => {});
        await pool.close().catch(() => {});
      }
    }

    // ═══ A: 5,000 viewers of one run ═══
    if (SCENARIOS.has("A"))
      await scenario("A", async () => {
        const late = Math.round(K.viewers * K.lateShare);
        const early = K.viewers - late;
        log(`A: ${K.viewers} viewers of one run (${late} join mid-run), LOCAL_TOKEN_INTERVAL_MS=${K.aIntervalMs}`);
        // Two slots: the gate, and another run, which is cancelled mid-scenario over HTTP.
        await startAgents({ LOCAL_TOKEN_INTERVAL_MS: String(K.aIntervalMs), RUN_CONCURRENCY: "2" });
        const opened = await openViewers(K.viewers);
        const other = await startRun(LONG_INPUT);
        monitor.start();
        const probes: number[] = [];
        const probeErrors: string[] = [];
        let probing: Promise<void> | null = null;
        let lastProbe = 0;
        let cancelled: { status: string; ms: number } | { error: string } | null = null;
        let cancelling: Promise<void> | null = null;
        const streamed = await stream({
          label: "A",
          runs: [{ tokens: K.aTokens, early, late, query: PLAIN, federated: false }],
          gates: 1,
          intervalMs: K.aIntervalMs,
          during: (status, [runId]) => {
            // agentRun(id) over HTTP, one at a time every 200 ms, while the run streams.
            if (!probing && performance.now() - lastProbe >= PROBE_EVERY_MS) {
              lastProbe = performance.now();
              probing = timed(() => gql(`query ($id: ID!) { agentRun(id: $id) { id status } }`, { id: runId }, 10_000))
                .then(({ ms: took }) => void probes.push(took))
                .catch((error: Error) => void probeErrors.push(error.message))
                .finally(() => (probing = null));
            }
            // The other run is cancelled once this one is 60% through.
            if (!cancelling && (status.maxSeqByRun[runId!] ?? 0) >= 0.6 * K.aTokens) {
              cancelling = cancelRun(other.id)
                .then((answer) => void (cancelled = answer))
                .catch((error: Error) => void (cancelled = { error: error.message }));
            }
          },
        });
        await within(Promise.all([probing, cancelling]), 15_000, "A's HTTP requests");
        const m = await monitor.stop();
        healthzSeen.push({ scenario: "A", m });
        const r = streamRows(streamed, "A");
        const cancel = cancelled as { status: string; ms: number } | { error: string } | null;
        const cancelOk = !!cancel && "status" in cancel && cancel.status === "CANCELLED";
        table(`A: ${K.viewers} viewers of one run (LOCAL_TOKEN_INTERVAL_MS=${K.aIntervalMs})`, [
          ["viewer sockets", `${opened.opened} open in ${(opened.ms / 1000).toFixed(1)} s, ${opened.failed} failed`],
          ...r.rows,
          [
            "agentRun(id) over HTTP meanwhile",
            `${probes.length} answered, ${probeErrors.length} failed; p50 ${ms(median(probes))}, p99 ${ms(quantile(probes, 0.99))}, ` +
              `max ${ms(maxOf(probes))}` +
              (probeErrors[0] ? ` (first failure: ${probeErrors[0].slice(0, 120)})` : ""),
          ],
          [
            "cancelAgentRun of another run",
            cancel
              ? "status" in cancel
                ? `${ms(cancel.ms)}, status ${cancel.status}`
                : `FAILED: ${cancel.error.slice(0, 160)}`
              : "not sent (the run never reached 60%)",
          ],
          ...monitorRows(m),
        ]);
        const fullScale = K.viewers >= TARGET.viewers;
        check(
          `A: ${num(TARGET.viewers)} viewers of one run on one gateway`,
          `${r.total.completed}/${K.viewers} viewers got the run to its end`,
          fullScale ? r.total.completed === K.viewers && opened.failed === 0 : null,
        );
        check(
          `A: p99 emission → viewer < ${TARGET.p99Ms} ms`,
          ms(r.all.quantile(0.99)),
          r.all.n > 0 && r.all.quantile(0.99) < TARGET.p99Ms,
        );
        check(
          "A: agentRun(id) and cancelAgentRun keep answering",
          `${probes.length} queries (p99 ${ms(quantile(probes, 0.99))}, ${probeErrors.length} failed), cancel ${
            cancel && "status" in cancel ? `${ms(cancel.ms)} → ${cancel.status}` : "failed"
          }`,
          probes.length > 0 && probeErrors.length === 0 && cancelOk,
        );
        if (!fullScale) log(`A ran with ${K.viewers} viewers (< ${TARGET.viewers}): its scale target is SKIP`);
      });

    // ═══ B: 64 runs × 10 viewers ═══
    if (SCENARIOS.has("B"))
      await scenario("B", async () => {
        const late = Math.round(K.runViewers * K.lateShare);
        const early = K.runViewers - late;
        log(
          `B: ${K.runs} runs × ${K.runViewers} viewers (${late} of each join mid-run), LOCAL_TOKEN_INTERVAL_MS=${K.bIntervalMs}`,
        );
        await startAgents({ LOCAL_TOKEN_INTERVAL_MS: String(K.bIntervalMs), RUN_CONCURRENCY: String(K.runs) });
        const opened = await openViewers(K.runs * K.runViewers);
        monitor.start();
        const streamed = await stream({
          label: "B",
          runs: Array.from({ length: K.runs }, () => ({
            tokens: K.bTokens,
            early,
            late,
            query: PLAIN,
            federated: false,
          })),
          gates: K.runs,
          intervalMs: K.bIntervalMs,
        });
        const m = await monitor.stop();
        healthzSeen.push({ scenario: "B", m });
        const r = streamRows(streamed, "B");
        table(`B: ${K.runs} runs × ${K.runViewers} viewers (LOCAL_TOKEN_INTERVAL_MS=${K.bIntervalMs})`, [
          ["viewer sockets", `${opened.opened} open in ${(opened.ms / 1000).toFixed(1)} s, ${opened.failed} failed`],
          ...r.rows,
          ...monitorRows(m),
        ]);
        const fullScale = K.runs >= TARGET.runs && K.runViewers >= TARGET.runViewers;
        check(
          `B: ${TARGET.runs} concurrent runs × ${TARGET.runViewers} viewers`,
          `${r.total.completed}/${K.runs * K.runViewers} viewers of ${K.runs} runs got their run to its end`,
          fullScale ? r.total.completed === K.runs * K.runViewers && opened.failed === 0 : null,
        );
        check(
          `B: p99 emission → viewer < ${TARGET.p99Ms} ms`,
          ms(r.all.quantile(0.99)),
          r.all.n > 0 && r.all.quantile(0.99) < TARGET.p99Ms,
        );
      });

    // ═══ C and D: one fast run, plain and federated selections, alternating ═══
    if (SCENARIOS.has("CD"))
      await scenario("CD", async () => {
        log(
          `C/D: one run of ${K.fastTokens} tokens, ${K.fastViewers} viewers, LOCAL_TOKEN_INTERVAL_MS=${K.fastIntervalMs}`,
        );
        await startAgents({ LOCAL_TOKEN_INTERVAL_MS: String(K.fastIntervalMs), RUN_CONCURRENCY: "1" });
        const sides = {
          C: {
            query: PLAIN,
            federated: false,
            hist: new Histogram(),
            cpuMs: 0,
            received: 0,
            rates: [] as number[],
            seconds: [] as number[],
            exact: true,
          },
          D: {
            query: FEDERATED,
            federated: true,
            hist: new Histogram(),
            cpuMs: 0,
            received: 0,
            rates: [] as number[],
            seconds: [] as number[],
            exact: true,
          },
        };
        const order = Array.from({ length: Math.max(1, K.rounds) }, (_, i) =>
          i % 2 === 0 ? ["C", "D"] : ["D", "C"],
        ).flat() as ("C" | "D")[];
        monitor.start();
        // Warm-up, not measured: one short run of each selection, so neither side pays for the
        // JIT, its query plan or its first users fetches inside the comparison.
        for (const side of [sides.C, sides.D]) {
          await openViewers(K.fastViewers);
          await stream({
            label: "warm-up",
            runs: [
              {
                tokens: Math.ceil(K.fastTokens / 5),
                early: K.fastViewers,
                late: 0,
                query: side.query,
                federated: side.federated,
              },
            ],
            gates: 1,
            intervalMs: K.fastIntervalMs,
          });
        }
        const passRows: [string, string][] = [];
        const cdTotals = { viewers: 0, completed: 0, gaps: 0, duplicates: 0, bad: 0 };
        for (const [index, name] of order.entries()) {
          const side = sides[name];
          await openViewers(K.fastViewers);
          const streamed = await stream({
            label: `${name}${index + 1}`,
            runs: [
              { tokens: K.fastTokens, early: K.fastViewers, late: 0, query: side.query, federated: side.federated },
            ],
            gates: 1,
            intervalMs: K.fastIntervalMs,
          });
          const r = streamRows(streamed, `${name} (pass ${index + 1})`, false);
          cdTotals.viewers += r.total.viewers;
          cdTotals.completed += r.total.completed;
          cdTotals.gaps += r.total.gaps;
          cdTotals.duplicates += r.total.duplicates;
          cdTotals.bad += r.total.badEvents + r.total.extras;
          side.hist.merge(r.all);
          side.cpuMs += streamed.cpuMs;
          side.received += r.total.received;
          side.rates.push(...r.rates);
          side.seconds.push(...r.seconds);
          side.exact &&= r.exact;
          passRows.push([
            `pass ${index + 1}: ${name}`,
            `${num(r.rates[0] ?? Number.NaN)} tokens/s, p50 ${ms(r.all.quantile(0.5))}, p99 ${ms(r.all.quantile(0.99))}, ` +
              `gateway ${fixed(streamed.cpuMs / r.total.received, 3)} CPU ms/event, exactly once: ${r.exact ? "yes" : "NO"}`,
          ]);
          passRows.push(...r.rows.filter(([label]) => label.trim() === "error seen"));
        }
        const m = await monitor.stop();
        healthzSeen.push({ scenario: "C/D", m });
        exactness.push({
          scenario: "C/D",
          ok: sides.C.exact && sides.D.exact,
          text:
            `${cdTotals.completed}/${cdTotals.viewers} completed over ${order.length} runs, ${cdTotals.gaps} gaps, ` +
            `${cdTotals.duplicates} duplicates, ${cdTotals.bad} bad events`,
        });
        const perEvent = (side: (typeof sides)["C"]) => side.cpuMs / side.received;
        const costRatio = perEvent(sides.D) / perEvent(sides.C);
        const p99Ratio = sides.D.hist.quantile(0.99) / sides.C.hist.quantile(0.99);
        const p50Ratio = sides.D.hist.quantile(0.5) / sides.C.hist.quantile(0.5);
        const rowsOf = (name: "C" | "D", what: string): [string, string][] => {
          const side = sides[name];
          return [
            [
              `${name}: ${what}`,
              `${fixed(median(side.rates), 1)} tokens/s (median second ${num(median(side.seconds))}); latency p50 ${ms(side.hist.quantile(0.5))}, p99 ${ms(side.hist.quantile(0.99))}, ` +
                `max ${ms(side.hist.max)} over ${num(side.hist.n)}; gateway ${fixed(perEvent(side), 3)} CPU ms per delivered event ` +
                `(${num(side.cpuMs)} ms / ${num(side.received)})`,
            ],
          ];
        };
        table(
          `C/D: one run at LOCAL_TOKEN_INTERVAL_MS=${K.fastIntervalMs}, ${K.fastViewers} viewers (order ${order.join(" ")})`,
          [
            ...passRows,
            ...rowsOf("C", "{ cursor type delta at }"),
            ...rowsOf("D", "… run { agent { createdBy { email } } }"),
            [
              "federated / plain",
              `CPU per event ${ratio(costRatio)} (target < ${TARGET.federatedCostRatio}×), latency p50 ${ratio(p50Ratio)}, p99 ${ratio(p99Ratio)}`,
            ],
            ...monitorRows(m),
          ],
        );
        // Sustained: the median whole second of the C runs (the overall rate is printed beside it).
        const cSustained = median(sides.C.seconds);
        check(
          `C: a run emitting ≥ ${num(TARGET.tokensPerSecond)} tokens/s`,
          `${num(cSustained)} tokens in its median second (min ${num(Math.min(...sides.C.seconds))}), ` +
            `${fixed(median(sides.C.rates), 1)}/s overall`,
          cSustained >= TARGET.tokensPerSecond,
        );
        check(
          `C: p99 emission → viewer < ${TARGET.p99Ms} ms`,
          ms(sides.C.hist.quantile(0.99)),
          sides.C.hist.n > 0 && sides.C.hist.quantile(0.99) < TARGET.p99Ms,
        );
        check(
          `D: federated selection < ${TARGET.federatedCostRatio}× the plain one's gateway CPU`,
          `${fixed(perEvent(sides.D), 3)} vs ${fixed(perEvent(sides.C), 3)} CPU ms/event = ${ratio(costRatio)} ` +
            `(p99 ${ms(sides.D.hist.quantile(0.99))} vs ${ms(sides.C.hist.quantile(0.99))})`,
          Number.isFinite(costRatio) && costRatio < TARGET.federatedCostRatio,
        );
      });

    // ═══ E: start, join and replay, with none and then a million stored events ═══
    if (SCENARIOS.has("E"))
      await scenario("E", async () => {
        // A database of its own, so "none" means none: the earlier scenarios' runs are not in it.
        mongoDbs.unshift(testing.createTestMongoDatabase("agents"));
        await startAgents({ LOCAL_TOKEN_INTERVAL_MS: String(K.eIntervalMs), MONGODB_URL: mongoDbs[0]!.url });
        agentId = await createAgent("LOCAL");
        const store = await openStore(mongoDbs[0]!.url);
        try {
          // writeArchive comes with the agents rewrite (run-log.ts); without it nothing can be seeded.
          let missing = "does not export writeArchive(store, events)";
          const writeArchive = await import(RUN_LOG_MODULE).then(
            (module: { writeArchive?: WriteArchive }) => module.writeArchive ?? null,
            (error: Error) => {
              missing = `could not be imported (${error.message.split("\n")[0]})`;
              return null;
            },
          );
          if (!writeArchive) {
            log(
              `E: subgraphs/agents/src/services/run-log.ts ${missing}: the runs cannot be seeded, ` +
                "so only the figures with none are measured (the stored-events targets are SKIP)",
            );
          }
          // One archived run written before seeding: its replay, before and after, is the archive's own cost.
          const owner = { workspaceId: account.workspaceId, userId: account.userId, agentId };
          const reference = writeArchive ? finishedRun(owner, K.eTokens + 3, 24 * 60) : null;
          if (reference && writeArchive) {
            await writeArchive(store, reference.docs);
            await store.runs.insertOne(reference.run);
          }

          const socket = await ProtocolSocket.open(platform.ws, authorization, 30_000);
          let subscriptionId = 0;
          /** Subscribes and waits for the end: time to the first event and to `complete`; checks 1..N once each. */
          const subscribeOnce = (runId: string, timeoutMs: number) =>
            new Promise<{ firstMs: number; doneMs: number; exact: boolean; events: number; note: string }>(
              (resolvePromise, reject) => {
                const t0 = nowMs();
                let firstMs = Number.NaN;
                const seen: number[] = [];
                const timer = setTimeout(
                  () => reject(new Error(`subscription to ${runId} did not end within ${timeoutMs} ms`)),
                  timeoutMs,
                );
                const end = (note: string) => {
                  clearTimeout(timer);
                  const exact = seen.length > 0 && seen.every((seq, i) => seq === i + 1);
                  resolvePromise({ firstMs, doneMs: nowMs() - t0, exact, events: seen.length, note });
                };
                socket.subscribe(
                  String(++subscriptionId),
                  { query: PLAIN, variables: { id: runId } },
                  {
                    next: (payload, arrivedAt) => {
                      if (Number.isNaN(firstMs)) firstMs = arrivedAt - t0;
                      const cursor = payload?.data?.agentRunEvents?.cursor;
                      seen.push(typeof cursor === "string" ? seqOfCursor(cursor) : -1);
                    },
                    error: (payload) => end(`error ${JSON.stringify(payload).slice(0, 200)}`),
                    complete: () => end(""),
                    closed: (code) => end(`socket closed ${code}`),
                  },
                );
              },
            );
          /** Medians over the samples: startAgentRun, joining it, replaying it finished, replaying the archived one. */
          const measure = async (label: string) => {
            const samples = {
              start: [] as number[],
              join: [] as number[],
              replay: [] as number[],
              archived: [] as number[],
            };
            const notes: string[] = [];
            let exact = true;
            // A sample counts only when its subscription completed with 1..N once each; a
            // failed one is no timing (it is reported, and fails exactly-once).
            const keep = (outcome: Awaited<ReturnType<typeof subscribeOnce>>, events: number) => {
              const ok = !outcome.note && outcome.exact && (events === 0 || outcome.events === events);
              exact &&= ok;
              if (outcome.note) notes.push(outcome.note);
              else if (!ok) notes.push(`${outcome.events} events, not 1..${events || "N"} once each`);
              return ok;
            };
            for (let i = 0; i < Math.max(1, K.eSamples); i++) {
              const run = await startRun(words(K.eTokens, `e${i}w`));
              samples.start.push(run.ms);
              const live = await subscribeOnce(run.id, 60_000 + K.eTokens * K.eIntervalMs * 4);
              if (keep(live, 0)) samples.join.push(live.firstMs);
              const replay = await subscribeOnce(run.id, 60_000);
              if (keep(replay, live.events)) samples.replay.push(replay.doneMs);
              if (reference) {
                const archived = await subscribeOnce(reference.run._id, 60_000);
                if (keep(archived, reference.docs.length)) samples.archived.push(archived.doneMs);
              }
            }
            log(
              `E ${label}: start ${ms(median(samples.start))}, join ${ms(median(samples.join))}, replay ${ms(median(samples.replay))}`,
            );
            return {
              start: median(samples.start),
              join: median(samples.join),
              replay: median(samples.replay),
              archived: median(samples.archived),
              exact,
              notes,
            };
          };

          monitor.start();
          const before = await measure("with no stored events");
          let seeded = { events: 0, runs: 0, ms: 0 };
          if (writeArchive) {
            const t0 = performance.now();
            const seeder = new Worker(new URL(import.meta.url), {
              workerData: {
                role: "seed",
                mongoUrl: mongoDbs[0]!.url,
                runs: K.seedRuns,
                eventsPerRun: K.seedEvents,
                owner,
              } satisfies SeedTask,
            });
            try {
              const done = new Promise<{ runs: number; events: number }>((resolveSeed, reject) => {
                seeder.on("message", (message: { kind: string; runs: number; events: number }) => {
                  if (message.kind === "done") resolveSeed(message);
                  else log(`E: seeded ${num(message.events)} events of ${num(message.runs)} runs`);
                });
                seeder.once("error", reject);
                seeder.once("exit", (code) => reject(new Error(`the seeding worker exited (${code})`)));
              });
              const result = await within(done, 60_000 + K.seedRuns * K.seedEvents * 0.5, "seeding");
              seeded = { ...result, ms: performance.now() - t0 };
            } finally {
              await seeder.terminate();
            }
            log(
              `E: seeded ${num(seeded.events)} events (${num(seeded.runs)} runs) in ${(seeded.ms / 1000).toFixed(1)} s`,
            );
          }
          const after = writeArchive ? await measure(`with ${num(seeded.events)} stored events`) : null;
          await socket.close();
          const m = await monitor.stop();
          healthzSeen.push({ scenario: "E", m });
          exactness.push({
            scenario: "E",
            ok: before.exact && (after?.exact ?? true),
            text: `every subscription of the samples got 1..N once each: ${before.exact && (after?.exact ?? true) ? "yes" : "no"}`,
          });
          const row = (what: string, key: "start" | "join" | "replay" | "archived"): [string, string] => [
            what,
            `${ms(before[key])} → ${after ? ms(after[key]) : "not seeded"}` +
              (after ? `  (${ratio(after[key] / before[key])})` : ""),
          ];
          table(
            `E: with none → with ${num(seeded.events)} stored events (medians of ${K.eSamples}; LOCAL_TOKEN_INTERVAL_MS=${K.eIntervalMs})`,
            [
              [
                "seeding",
                writeArchive
                  ? `${num(seeded.runs)} finished runs × ${num(K.seedEvents)} events via writeArchive in ${(seeded.ms / 1000).toFixed(1)} s`
                  : `skipped: run-log.ts ${missing}`,
              ],
              row("startAgentRun", "start"),
              row("join (subscribe → first event)", "join"),
              row(`replay of the ${K.eTokens + 3}-event run just finished`, "replay"),
              ...(reference ? [row(`replay of an archived ${reference.docs.length}-event run`, "archived")] : []),
              [
                "exactly once",
                before.exact && (after?.exact ?? true)
                  ? "yes"
                  : `NO ${[...before.notes, ...(after?.notes ?? [])].slice(0, 2).join("; ")}`,
              ],
              ...monitorRows(m),
            ],
          );
          const fullScale = seeded.events >= TARGET.storedEvents;
          for (const [what, key] of [
            ["starting a run", "start"],
            ["joining it", "join"],
            ["replaying a finished run", "replay"],
            ["replaying an archived run", "archived"],
          ] as const) {
            if (key === "archived" && !reference) continue;
            const r = after ? after[key] / before[key] : Number.NaN;
            check(
              `E: ${what} with ${num(TARGET.storedEvents)} stored events ≤ ${TARGET.storedRatio}× with none`,
              after ? `${ms(before[key])} → ${ms(after[key])} = ${ratio(r)}` : `not seeded: run-log.ts ${missing}`,
              after && fullScale ? r <= TARGET.storedRatio : null,
            );
          }
          if (after && !fullScale)
            log(`E seeded ${num(seeded.events)} events (< ${num(TARGET.storedEvents)}): its targets are SKIP`);
        } finally {
          await store.close();
        }
      });

    // ═══ across scenarios ═══
    const hwm = memoryOf(platform.gatewayPid).hwm;
    const rssPeak = Math.max(0, ...healthzSeen.map(({ m }) => m.rssPeak));
    if (healthzSeen.length) {
      check(
        "gateway RSS < 1 GiB (peak)",
        `${mib(rssPeak)} sampled, ${mib(hwm)} VmHWM since start`,
        Math.max(rssPeak, hwm) < TARGET.rssBytes,
      );
      const worst = healthzSeen.reduce((a, b) => (b.m.max > a.m.max || Number.isNaN(b.m.max) ? b : a));
      check(
        `/healthz answers within ${TARGET.healthzMs} ms throughout`,
        healthzSeen
          .map(
            ({ scenario: s, m }) =>
              `${s} max ${ms(m.max)} p99 ${ms(m.p99)}${m.failures ? ` ${m.failures} failed` : ""}`,
          )
          .join("; ") + ` (worst: ${worst.scenario})`,
        healthzSeen.every(({ m }) => m.max < TARGET.healthzMs && m.failures === 0),
      );
    }
    for (const { scenario: s, ok, text } of exactness)
      check(`${s}: every viewer gets every event exactly once`, text, ok);

    const width = Math.max(...summary.map((row) => row.target.length));
    console.log(`\nsubscriptions at scale: summary (${elapsed()}, 2-core machine, load generator on the same cores)`);
    console.log("─".repeat(width + 60));
    for (const row of summary) console.log(`  ${row.result.padEnd(5)}  ${row.target.padEnd(width)}  ${row.measured}`);
    console.log(
      `\n${summary.filter((row) => row.result === "PASS").length} pass, ${summary.filter((row) => row.result === "FAIL").length} fail, ` +
        `${summary.filter((row) => row.result === "SKIP").length} skipped (scaled down or not measurable), ${crashedScenarios} scenarios crashed`,
    );
  } finally {
    if (monitor.running) await monitor.stop().catch(() => {});
    await pool.close().catch(() => {});
    await Promise.all(workers.map((worker) => worker.terminate()));
    for (const name of ["gateway", "agents", "users", "billing"]) await stopService(name);
    silentModel.closeAllConnections();
    silentModel.close();
    await Promise.all([usersDb.drop(), billingDb.drop(), ...mongoDbs.map((db) => db.drop())]).catch((error: unknown) =>
      console.error("could not drop a bench database:", error),
    );
  }
  if (crashedScenarios > 0) process.exitCode = 1;
}
