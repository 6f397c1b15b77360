import { badUserInput } from "./errors.ts";
import type { Redis } from "./redis.ts";

/**
 * Events on Redis streams, for subscriptions that resume with `after`: writers XADD (capped, so
 * a stream holds its recent events), subscribers replay with XRANGE after their cursor and
 * follow with a blocking XREAD, each event exactly once and in order. A process follows one
 * stream with at most one blocking read (a StreamTail), however many of its subscribers watch it.
 * The inbox's events and social's post events are both this; agents' run log is a cousin with
 * sequence-numbered entries.
 */
export interface EventStreamOptions {
  /** What the events are, for the error a bad cursor gets ("inbox events"). */
  what: string;
  /** Written into every cursor, so one stream's cursor is refused by another ("inbox-event:"). */
  cursorPrefix: string;
  /** The tails' Redis connections are named so (for CLIENT LIST). */
  connectionName: string;
  /** A stream keeps about this many recent events: `after` resumes within them. */
  maxLength?: number;
  /** A stream nobody writes to is forgotten after this. */
  ttlMs?: number;
}

/** An event read back: the record written, when, and its stream entry id (`<ms>-<n>`: the stream's order). */
export type StoredEvent<R> = R & { id: string; at: string };

const READ_BATCH = 500;
/** A tail's blocking read returns this often even when nothing comes, to notice it was left. */
const TAIL_BLOCK_MS = 2_000;

type StreamEntry = [id: string, fields: string[]];

/** Compares two stream entry ids (`<ms>-<n>`) in stream order. */
export function compareStreamIds(a: string, b: string): number {
  const [am, an] = a.split("-").map(BigInt) as [bigint, bigint];
  const [bm, bn] = b.split("-").map(BigInt) as [bigint, bigint];
  return am === bm ? Number(an - bn) : am < bm ? -1 : 1;
}

/** The opaque cursor of a stream entry, its prefix naming the stream's kind. */
export const streamCursor = (prefix: string, id: string) => Buffer.from(`${prefix}${id}`).toString("base64url");

/** The stream entry id a cursor stands for; null (from now on) for none; BAD_USER_INPUT for anything else. */
export function streamIdOfCursor(prefix: string, what: string, cursor: string | null | undefined): string | null {
  if (cursor == null) return null;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const id = text.startsWith(prefix) ? text.slice(prefix.length) : "";
  if (!/^\d{1,20}-\d{1,20}$/.test(id)) throw badUserInput(`\`after\` is not a cursor of ${what}`, "after");
  return id;
}

export class EventStreams<R extends object> {
  private readonly tails = new Map<string, StreamTail<R>>();
  private readonly maxLength: number;
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: EventStreamOptions,
  ) {
    this.maxLength = options.maxLength ?? 10_000;
    this.ttlMs = options.ttlMs ?? 7 * 24 * 3_600_000;
  }

  /** The opaque cursor of a stream entry. */
  cursorOf(id: string): string {
    return streamCursor(this.options.cursorPrefix, id);
  }

  /** The stream entry id a cursor stands for; null (from now on) for none; BAD_USER_INPUT for anything else. */
  idOfCursor(cursor: string | null | undefined): string | null {
    return streamIdOfCursor(this.options.cursorPrefix, this.options.what, cursor);
  }

  /** Appends events, each to its stream, in one round trip. */
  async publish(entries: readonly { key: string; record: R }[]): Promise<void> {
    if (entries.length === 0) return;
    const at = new Date().toISOString();
    const pipeline = this.redis.pipeline();
    const keys = new Set<string>();
    for (const { key, record } of entries) {
      keys.add(key);
      pipeline.xadd(key, "MAXLEN", "~", this.maxLength, "*", "e", JSON.stringify({ ...record, at }));
    }
    for (const key of keys) pipeline.pexpire(key, this.ttlMs);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /** Up to `limit` events of a stream after the entry `afterId`, in order. */
  async read(key: string, afterId: string, limit = READ_BATCH): Promise<StoredEvent<R>[]> {
    const entries = (await this.redis.xrange(key, `(${afterId}`, "+", "COUNT", limit)) as StreamEntry[];
    return entries.map(decode<R>);
  }

  /** The cursor of the stream's latest event ("0-0" before any): subscribe after it to miss nothing from now on. */
  async latestCursor(key: string): Promise<string> {
    return this.cursorOf(await this.newestId(this.redis, key));
  }

  /** Streams this process follows on Redis right now (one blocking read each). */
  get followed(): number {
    return this.tails.size;
  }

  /**
   * The stream's events after `afterId` (replayed, then live), or from now on when null, that
   * `wanted` keeps: each exactly once and in order. The subscriber listens to the tail before it
   * replays, so replay and live events overlap rather than leave a gap; the overlap is dropped by
   * entry id. `return()` ends it at once, even while it waits.
   */
  stream(
    key: string,
    afterId: string | null,
    wanted: (event: StoredEvent<R>) => boolean = () => true,
  ): AsyncIterableIterator<StoredEvent<R>> {
    const stop = new AbortController();
    const generator = this.generate(key, afterId, wanted, stop.signal);
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

  /** Stops every tail (on shutdown). */
  close(): void {
    for (const tail of [...this.tails.values()]) tail.stop();
  }

  private async newestId(redis: Redis, key: string): Promise<string> {
    const [newest] = (await redis.xrevrange(key, "+", "-", "COUNT", 1)) as StreamEntry[];
    return newest?.[0] ?? "0-0";
  }

  private async *generate(
    key: string,
    afterId: string | null,
    wanted: (event: StoredEvent<R>) => boolean,
    signal: AbortSignal,
  ): AsyncGenerator<StoredEvent<R>> {
    const live: StoredEvent<R>[] = [];
    let wake: (() => void) | null = null;
    const tail = this.tailOf(key);
    const unlisten = tail.add((event) => {
      live.push(event);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort);
    try {
      const aborted = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      await Promise.race([tail.started, aborted]);
      let last: string;
      if (afterId === null) {
        // From now on: after the newest entry there is (the tail passes on everything later).
        last = await this.newestId(this.redis, key);
      } else {
        last = afterId;
        for (;;) {
          if (signal.aborted) return;
          const batch = await this.read(key, last);
          for (const event of batch) {
            if (signal.aborted) return;
            last = event.id;
            if (wanted(event)) yield event;
          }
          if (batch.length < READ_BATCH) break;
        }
      }
      while (!signal.aborted) {
        const event = live.shift();
        if (!event) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        if (compareStreamIds(event.id, last) <= 0) continue;
        last = event.id;
        if (wanted(event)) yield event;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      unlisten();
    }
  }

  private tailOf(key: string): StreamTail<R> {
    let tail = this.tails.get(key);
    if (!tail) {
      tail = new StreamTail<R>(key, this.redis, this.options.connectionName, () => this.tails.delete(key));
      this.tails.set(key, tail);
    }
    return tail;
  }
}

function decode<R>([id, fields]: StreamEntry): StoredEvent<R> {
  return { ...(JSON.parse(fields[1]!) as R & { at: string }), id };
}

/**
 * One process's blocking read of a stream, shared by its subscribers, on a Redis connection of
 * its own (a blocked connection can do nothing else). It starts after the stream's newest entry;
 * subscribers replay what came before. It stops when its last listener leaves.
 */
class StreamTail<R> {
  private readonly listeners = new Set<(event: StoredEvent<R>) => void>();
  private readonly connection: Redis;
  private stopped = false;
  private lastId: string | null = null;
  readonly started: Promise<void>;
  private markStarted: () => void = () => {};

  constructor(
    private readonly key: string,
    redis: Redis,
    connectionName: string,
    private readonly onStop: () => void,
  ) {
    this.connection = redis.duplicate({ connectionName, maxRetriesPerRequest: null });
    this.connection.on("error", () => {}); // reconnects by itself; the shared connection logs Redis trouble
    this.started = new Promise((resolve) => (this.markStarted = resolve));
    void this.follow();
  }

  add(listener: (event: StoredEvent<R>) => void): () => void {
    this.listeners.add(listener);
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      this.stop();
    };
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.markStarted();
    this.onStop();
    this.connection.disconnect();
  }

  private async follow(): Promise<void> {
    try {
      if (this.lastId === null) {
        const [newest] = (await this.connection.xrevrange(this.key, "+", "-", "COUNT", 1)) as StreamEntry[];
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
          this.key,
          this.lastId,
        )) as [string, StreamEntry[]][] | null;
        for (const entry of reply?.[0]?.[1] ?? []) {
          this.lastId = entry[0];
          const event = decode<R>(entry);
          for (const listener of this.listeners) listener(event);
        }
      }
    } catch {
      // Disconnected on purpose (stop), or Redis failed: the tail goes on from its last entry.
      if (!this.stopped) setTimeout(() => void (this.stopped ? undefined : this.follow()), 100).unref();
    }
  }
}
