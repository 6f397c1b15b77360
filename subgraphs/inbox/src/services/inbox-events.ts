import { badUserInput, type Redis } from "@mary/kit";
import type { SyncState } from "../entities/mail-account.entity.ts";

export const INBOX_EVENT_TYPES = ["NEW_MESSAGE", "MESSAGE_TRIAGED", "SYNC_STATE"] as const;
export type InboxEventType = (typeof INBOX_EVENT_TYPES)[number];

/** An event as a user's stream in Redis holds it. */
export interface InboxEventRecord {
  type: InboxEventType;
  workspaceId: string;
  userId: string;
  accountId: string;
  /** NEW_MESSAGE and MESSAGE_TRIAGED: the message. */
  messageId?: string | null;
  /** SYNC_STATE: the account's new state. */
  syncState?: SyncState | null;
  at: string;
}

/** An event read back, with its stream entry id (`<ms>-<n>`: the stream's order). */
export interface StoredInboxEvent extends InboxEventRecord {
  id: string;
}

/** Each member's inbox events, one Redis stream per (workspace, user): only they read it. */
export const inboxStreamKey = (workspaceId: string, userId: string) => `inbox:events:${workspaceId}:${userId}`;

/** A stream keeps about this many recent events: `after` resumes within them. */
const STREAM_MAX_LENGTH = 10_000;
/** A stream nobody writes to is forgotten after this. */
const STREAM_TTL_MS = 7 * 24 * 3_600_000;
const READ_BATCH = 500;
/** A tail's blocking read returns this often even when nothing comes, to notice it was left. */
const TAIL_BLOCK_MS = 2_000;

type StreamEntry = [id: string, fields: string[]];
type Listener = (event: StoredInboxEvent) => void;

const decode = ([id, fields]: StreamEntry): StoredInboxEvent => ({
  ...(JSON.parse(fields[1]!) as InboxEventRecord),
  id,
});

/** Compares two stream entry ids (`<ms>-<n>`) in stream order. */
export function compareIds(a: string, b: string): number {
  const [am, an] = a.split("-").map(BigInt) as [bigint, bigint];
  const [bm, bn] = b.split("-").map(BigInt) as [bigint, bigint];
  return am === bm ? Number(an - bn) : am < bm ? -1 : 1;
}

const CURSOR_PREFIX = "inbox-event:";
export const eventCursor = (id: string) => Buffer.from(`${CURSOR_PREFIX}${id}`).toString("base64url");

/** The stream entry id a cursor stands for; null (from now on) for none. */
export function idOfCursor(cursor: string | null | undefined): string | null {
  if (cursor == null) return null;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const id = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : "";
  if (!/^\d{1,20}-\d{1,20}$/.test(id)) throw badUserInput("`after` is not a cursor of inbox events", "after");
  return id;
}

/**
 * Inbox events on Redis streams: writers XADD (capped, so a stream holds its recent events),
 * subscribers replay with XRANGE after their cursor and follow with a blocking XREAD, each event
 * exactly once and in order, as agents' run log does. A process follows one stream with at most
 * one blocking read (an EventTail), however many of its subscribers watch it.
 */
export class InboxEvents {
  private readonly tails = new Map<string, EventTail>();

  constructor(private readonly redis: Redis) {}

  /** Appends events, each to its owner's stream, in one round trip. */
  async publish(events: Omit<InboxEventRecord, "at">[]): Promise<void> {
    if (events.length === 0) return;
    const at = new Date().toISOString();
    const pipeline = this.redis.pipeline();
    const keys = new Set<string>();
    for (const event of events) {
      const key = inboxStreamKey(event.workspaceId, event.userId);
      keys.add(key);
      pipeline.xadd(key, "MAXLEN", "~", STREAM_MAX_LENGTH, "*", "e", JSON.stringify({ ...event, at }));
    }
    for (const key of keys) pipeline.pexpire(key, STREAM_TTL_MS);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  /**
   * The cursor of the member's latest event ("0-0" before any): a client that reads its lists and
   * then subscribes with this `after` misses nothing that happened in between.
   */
  async latestCursor(workspaceId: string, userId: string): Promise<string> {
    const [latest] = (await this.redis.xrevrange(
      inboxStreamKey(workspaceId, userId),
      "+",
      "-",
      "COUNT",
      1,
    )) as StreamEntry[];
    return eventCursor(latest?.[0] ?? "0-0");
  }

  /** Up to `limit` events of a stream after the entry `afterId`, in order. */
  async read(key: string, afterId: string, limit = READ_BATCH): Promise<StoredInboxEvent[]> {
    const entries = (await this.redis.xrange(key, `(${afterId}`, "+", "COUNT", limit)) as StreamEntry[];
    return entries.map(decode);
  }

  /** Streams this process follows on Redis right now (one blocking read each). */
  get followed(): number {
    return this.tails.size;
  }

  /**
   * The member's events after `afterId` (replayed from the stream, then live), or from now on
   * when null: each exactly once and in order. The subscriber listens to the tail before it
   * replays, so replay and live events overlap rather than leave a gap; the overlap is dropped by
   * entry id. `return()` ends it at once, even while it waits.
   */
  stream(workspaceId: string, userId: string, afterId: string | null): AsyncIterableIterator<StoredInboxEvent> {
    const stop = new AbortController();
    const generator = this.generate(inboxStreamKey(workspaceId, userId), afterId, stop.signal);
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

  private async *generate(key: string, afterId: string | null, signal: AbortSignal): AsyncGenerator<StoredInboxEvent> {
    const live: StoredInboxEvent[] = [];
    let wake: (() => void) | null = null;
    const { unlisten, started } = this.listen(key, (event) => {
      live.push(event);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort);
    try {
      const aborted = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      await Promise.race([started, aborted]);
      let last: string;
      if (afterId === null) {
        // From now on: after the newest entry there is (the tail passes on everything later).
        const [newest] = (await this.redis.xrevrange(key, "+", "-", "COUNT", 1)) as StreamEntry[];
        last = newest?.[0] ?? "0-0";
      } else {
        last = afterId;
        for (;;) {
          if (signal.aborted) return;
          const batch = await this.read(key, last);
          for (const event of batch) {
            if (signal.aborted) return;
            yield event;
            last = event.id;
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
        if (compareIds(event.id, last) <= 0) continue;
        yield event;
        last = event.id;
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      unlisten();
    }
  }

  private listen(key: string, listener: Listener): { unlisten: () => void; started: Promise<void> } {
    let tail = this.tails.get(key);
    if (!tail) {
      tail = new EventTail(key, this.redis, () => this.tails.delete(key));
      this.tails.set(key, tail);
    }
    return { unlisten: tail.add(listener), started: tail.started };
  }

  /** Stops every tail (on shutdown). */
  close(): void {
    for (const tail of [...this.tails.values()]) tail.stop();
  }
}

/**
 * One process's blocking read of a stream, shared by its subscribers, on a Redis connection of
 * its own (a blocked connection can do nothing else). It starts after the stream's newest entry;
 * subscribers replay what came before. It stops when its last listener leaves.
 */
class EventTail {
  private readonly listeners = new Set<Listener>();
  private readonly connection: Redis;
  private stopped = false;
  private lastId: string | null = null;
  readonly started: Promise<void>;
  private markStarted: () => void = () => {};

  constructor(
    private readonly key: string,
    redis: Redis,
    private readonly onStop: () => void,
  ) {
    this.connection = redis.duplicate({ connectionName: "inbox-events-tail", maxRetriesPerRequest: null });
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
