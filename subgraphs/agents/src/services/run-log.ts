import type { Redis } from "@mary/kit";
import type { AgentStore } from "../store.ts";
import type { RunEventDocument, RunEventPage } from "../types/event.type.ts";
import { isFinished } from "../types/run.type.ts";

/** A finished run's events are archived in MongoDB in pages of this many. */
export const ARCHIVE_PAGE_SIZE = 1_000;
/** A finished run's stream stays in Redis this long after archiving, for viewers still reading it. */
const ARCHIVED_STREAM_TTL_MS = 120_000;
/** Entries read per round trip, replaying or tailing. */
const READ_BATCH = 1_000;
/** A tail's blocking read returns this often even when nothing comes, to notice it was left. */
const TAIL_BLOCK_MS = 2_000;

/** The Redis stream holding a run's events; entry ids are `<seq>-0`, so the stream's order is the run's. */
export const runStreamKey = (runId: string) => `agents:run:${runId}:log`;

/** A run's final event: the STATUS event of a finished status. */
export const isLastEvent = (event: RunEventDocument) =>
  event.type === "STATUS" && !!event.status && isFinished(event.status);

/** Appending a sequence number the stream already has (another writer got there first). */
export class DuplicateEventError extends Error {}

type StreamEntry = [id: string, fields: string[]];
type Listener = (event: RunEventDocument) => void;

const pageId = (runId: string, page: number) => `${runId}:${page}`;
const pageOf = (seq: number) => Math.floor((seq - 1) / ARCHIVE_PAGE_SIZE);
const decode = ([, fields]: StreamEntry): RunEventDocument => JSON.parse(fields[1]!) as RunEventDocument;

/** Writes a run's events (seq 1…N, in order) to MongoDB as pages; rewriting a page already there is a no-op. */
export async function writeArchive(store: AgentStore, events: RunEventDocument[]): Promise<void> {
  if (events.length === 0) return;
  const { runId, workspaceId } = events[0]!;
  const pages = new Map<number, RunEventDocument[]>();
  for (const event of events) {
    const page = pageOf(event.seq);
    const pageEvents = pages.get(page);
    if (pageEvents) pageEvents.push(event);
    else pages.set(page, [event]);
  }
  const documents: RunEventPage[] = [...pages].map(([page, pageEvents]) => ({
    _id: pageId(runId, page),
    runId,
    workspaceId,
    page,
    eventsJson: JSON.stringify(pageEvents),
  }));
  try {
    await store.eventPages.insertMany(documents, { ordered: false });
  } catch (error) {
    // A retried archive: the pages that exist are the same events, so only duplicates are fine.
    const writeErrors = (error as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
    const errors = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (errors.length === 0 || errors.some((e) => e.code !== 11000)) throw error;
  }
}

/** Where events were stored, one document each, before the log moved to Redis streams and pages. */
const LEGACY_EVENTS_COLLECTION = "agent_run_events";

/**
 * Moves the events of runs made before the log's redesign (one MongoDB document per event) into
 * archive pages, run by run, then drops the old collection. Idempotent: a start interrupted
 * half-way rewrites the same pages. Returns how many runs it moved.
 */
export async function migrateLegacyEvents(store: AgentStore): Promise<number> {
  const collections = await store.db.listCollections({ name: LEGACY_EVENTS_COLLECTION }).toArray();
  if (collections.length === 0) return 0;
  const legacy = store.db.collection<RunEventDocument>(LEGACY_EVENTS_COLLECTION);
  // One pass over the collection, grouped here: FerretDB scans it for every filtered query.
  const byRun = new Map<string, RunEventDocument[]>();
  for await (const event of legacy.find({}, { projection: { _id: 0 } })) {
    const events = byRun.get(event.runId);
    if (events) events.push(event);
    else byRun.set(event.runId, [event]);
  }
  for (const [runId, events] of byRun) {
    events.sort((a, b) => a.seq - b.seq);
    await writeArchive(store, events);
    await store.runs.updateOne({ _id: runId }, { $set: { eventCount: events.at(-1)!.seq } });
  }
  await legacy.drop().catch(() => {}); // another process starting at once dropped it: the same outcome
  return byRun.size;
}

/**
 * A run's event log. While the run lives its events are a Redis stream: the writer appends each
 * with XADD under the id `<seq>-0` (so a sequence number can never be written twice), viewers
 * replay with XRANGE after their cursor and follow with blocking XREAD. When the run ends, the
 * stream is written to MongoDB in one batch of pages (found by `_id`, never by a scan) and left to
 * expire. A read that finds no stream reads the archive.
 *
 * Each process follows a run with at most one blocking read (a RunTail), however many of its
 * subscribers watch it.
 */
export class RunLog {
  private readonly tails = new Map<string, RunTail>();
  private replays = 0;

  constructor(
    private readonly store: AgentStore,
    private readonly redis: Redis,
  ) {}

  /** Appends the run's next event. Throws DuplicateEventError when its sequence number is taken. */
  async append(event: RunEventDocument): Promise<void> {
    try {
      await this.redis.xadd(runStreamKey(event.runId), `${event.seq}-0`, "e", JSON.stringify(event));
    } catch (error) {
      if (/equal or smaller/i.test((error as Error).message)) {
        throw new DuplicateEventError(`Event ${event.seq} of run ${event.runId} is already written`);
      }
      throw error;
    }
  }

  /** Up to `limit` events after `afterSeq`, in order: from the stream while it exists, else from the archive. */
  async read(runId: string, afterSeq: number, limit: number): Promise<RunEventDocument[]> {
    const key = runStreamKey(runId);
    const [[rangeError, entries], [, exists]] = (await this.redis
      .multi()
      .xrange(key, `${afterSeq}-1`, "+", "COUNT", limit)
      .exists(key)
      .exec())! as [[Error | null, StreamEntry[]], [Error | null, number]];
    if (rangeError) throw rangeError;
    if (exists) return entries.map(decode);
    return this.readArchive(runId, afterSeq, limit);
  }

  /** The run's last event, if it has any. */
  async newest(runId: string, eventCount?: number | null): Promise<RunEventDocument | null> {
    const [entry] = (await this.redis.xrevrange(runStreamKey(runId), "+", "-", "COUNT", 1)) as StreamEntry[];
    if (entry) return decode(entry);
    if (!eventCount) return null;
    const [last] = await this.readArchive(runId, eventCount - 1, 1);
    return last ?? null;
  }

  /** Every event of the run, from its stream (for archiving). */
  async all(runId: string): Promise<RunEventDocument[]> {
    const events: RunEventDocument[] = [];
    for (;;) {
      const batch = await this.read(runId, events.at(-1)?.seq ?? 0, READ_BATCH * 10);
      events.push(...batch);
      if (batch.length < READ_BATCH * 10) return events;
    }
  }

  /** Writes the finished run's events to MongoDB and lets its stream expire; returns how many there were. */
  async archive(runId: string): Promise<number> {
    const events = await this.all(runId);
    await writeArchive(this.store, events);
    await this.redis.pexpire(runStreamKey(runId), ARCHIVED_STREAM_TTL_MS);
    return events.at(-1)?.seq ?? 0;
  }

  /** Runs this process follows on Redis right now (one blocking read each). */
  get followedRuns(): number {
    return this.tails.size;
  }

  /** Replays in progress in this process (zero once their viewers have left). */
  get replaysInProgress(): number {
    return this.replays;
  }

  /**
   * Every event of the run after `afterSeq`, exactly once and in order: the stored ones, then the
   * live ones, ending after the run's final STATUS event. The subscriber listens to the run's
   * tail before it replays, so replay and live events overlap instead of leaving a gap; the
   * overlap is dropped by sequence number, and a gap in the live events is read from the log.
   * `return()` ends it at once, between two reads, even while it waits for the next event.
   */
  stream(runId: string, afterSeq: number): AsyncIterableIterator<RunEventDocument> {
    const stop = new AbortController();
    const generator = this.generate(runId, afterSeq, stop.signal);
    return {
      next: () => generator.next(),
      return: async () => {
        stop.abort();
        return generator.return(undefined);
      },
      throw: async (error?: unknown) => {
        stop.abort();
        return generator.throw(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  private async *generate(runId: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<RunEventDocument> {
    let last = afterSeq;
    const live: RunEventDocument[] = [];
    let wake: (() => void) | null = null;
    const { unlisten, started } = this.listen(runId, (event) => {
      live.push(event);
      wake?.();
    });
    // The tail passes on what comes after the point it started from; replaying only once that
    // point is known leaves no event between the two.
    const aborted = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    await Promise.race([started, aborted]);
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort);
    this.replays++;
    let replaying = true;
    const endReplay = () => {
      if (replaying) this.replays--;
      replaying = false;
    };
    try {
      // Everything logged after `last` (before `before`), a batch per read; true when the run's end was among them.
      const replay = async function* (this: RunLog, before = Infinity): AsyncGenerator<RunEventDocument, boolean> {
        for (;;) {
          if (signal.aborted) return true;
          const batch = await this.read(runId, last, READ_BATCH);
          for (const event of batch) {
            if (signal.aborted) return true;
            if (event.seq >= before) return false;
            yield event;
            last = event.seq;
            if (isLastEvent(event)) return true;
          }
          if (batch.length < READ_BATCH) return false;
        }
      }.bind(this);

      if (yield* replay()) return;
      endReplay();
      // Resumed at (or past) the final event of a finished run: nothing more will ever come.
      if (afterSeq > 0 && last === afterSeq) {
        const run = await this.store.runs.findOne({ _id: runId }, { projection: { status: 1, eventCount: 1 } });
        const newest = await this.newest(runId, run?.eventCount);
        if (newest && isLastEvent(newest) && newest.seq <= last) return;
      }
      while (!signal.aborted) {
        const event = live.shift();
        if (!event) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        if (event.seq <= last) {
          if (isLastEvent(event)) return; // the run ended before the cursor the subscriber resumed from
          continue;
        }
        if (event.seq > last + 1 && (yield* replay(event.seq))) return;
        yield event;
        last = event.seq;
        if (isLastEvent(event)) return;
      }
    } finally {
      endReplay();
      signal.removeEventListener("abort", onAbort);
      unlisten();
    }
  }

  /** Adds a listener to the run's tail (started if none): how to remove it, and when the tail knows where it starts. */
  private listen(runId: string, listener: Listener): { unlisten: () => void; started: Promise<void> } {
    let tail = this.tails.get(runId);
    if (!tail) {
      tail = new RunTail(runId, this.redis, () => this.tails.delete(runId));
      this.tails.set(runId, tail);
    }
    return { unlisten: tail.add(listener), started: tail.started };
  }

  private async readArchive(runId: string, afterSeq: number, limit: number): Promise<RunEventDocument[]> {
    const events: RunEventDocument[] = [];
    for (let page = pageOf(afterSeq + 1); events.length < limit; page++) {
      const found = await this.store.eventPages.findOne({ _id: pageId(runId, page) });
      if (!found) break;
      const pageEvents = JSON.parse(found.eventsJson) as RunEventDocument[];
      for (const event of pageEvents) if (event.seq > afterSeq && events.length < limit) events.push(event);
      if (pageEvents.length < ARCHIVE_PAGE_SIZE) break;
    }
    return events;
  }
}

/**
 * One process's blocking read of a run's stream, shared by all its subscribers to the run, on a
 * Redis connection of its own (a blocked connection can do nothing else). It starts after the
 * stream's newest entry; subscribers replay what came before. It stops, and closes its
 * connection, when its last listener leaves.
 */
class RunTail {
  private readonly listeners = new Set<Listener>();
  private readonly connection: Redis;
  private stopped = false;
  /** The last entry passed on; null until the tail has looked where the stream ends. */
  private lastId: string | null = null;
  /** Settles once the tail knows where it starts: every later entry reaches its listeners. */
  readonly started: Promise<void>;
  private markStarted: () => void = () => {};

  constructor(
    private readonly runId: string,
    redis: Redis,
    private readonly onStop: () => void,
  ) {
    this.connection = redis.duplicate({ connectionName: `agents-tail:${runId}`, maxRetriesPerRequest: null });
    this.connection.on("error", () => {}); // reconnects by itself; the shared connection logs Redis trouble
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    void this.follow();
  }

  add(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      this.stop();
    };
  }

  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.markStarted();
    this.onStop();
    this.connection.disconnect();
  }

  private async follow(): Promise<void> {
    const key = runStreamKey(this.runId);
    try {
      if (this.lastId === null) {
        const [newest] = (await this.connection.xrevrange(key, "+", "-", "COUNT", 1)) as StreamEntry[];
        this.lastId = newest?.[0] ?? "0-0";
        this.markStarted();
      }
      while (!this.stopped) {
        const reply = (await this.connection.xread(
          "COUNT",
          READ_BATCH,
          "BLOCK",
          TAIL_BLOCK_MS,
          "STREAMS",
          key,
          this.lastId,
        )) as [string, StreamEntry[]][] | null;
        for (const entry of reply?.[0]?.[1] ?? []) {
          this.lastId = entry[0];
          const event = decode(entry);
          for (const listener of this.listeners) listener(event);
        }
      }
    } catch {
      // Disconnected on purpose (stop), or Redis failed: the tail goes on from its last entry.
      if (!this.stopped) setTimeout(() => void (this.stopped ? undefined : this.follow()), 100).unref();
    }
  }
}
