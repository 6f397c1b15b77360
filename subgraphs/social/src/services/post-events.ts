import { badUserInput, type Redis } from "@mary/kit";
import type { PostState } from "../types/post.type.ts";

/** A post's status change as its workspace's stream in Redis holds it. */
export interface PostEventRecord {
  workspaceId: string;
  postId: string;
  accountId: string;
  state: PostState;
  attempts: number;
  /** FAILED: the failure's reason; PUBLISHING: the last attempt's error, while retrying. */
  reason: string | null;
  /** The post was deleted (its last state is `state`). */
  deleted: boolean;
  at: string;
}

/** An event read back, with its stream entry id (`<ms>-<n>`: the stream's order). */
export interface StoredPostEvent extends PostEventRecord {
  id: string;
}

/** One Redis stream per workspace: only its members' subscriptions read it. */
export const postStreamKey = (workspaceId: string) => `social:posts:${workspaceId}`;

/** A stream keeps about this many recent events: `after` resumes within them. */
const STREAM_MAX_LENGTH = 10_000;
/** A stream nobody writes to is forgotten after this. */
const STREAM_TTL_MS = 7 * 24 * 3_600_000;
const READ_BATCH = 500;
/** A tail's blocking read returns this often even when nothing comes, to notice it was left. */
const TAIL_BLOCK_MS = 2_000;

type StreamEntry = [id: string, fields: string[]];
type Listener = (event: StoredPostEvent) => void;

const decode = ([id, fields]: StreamEntry): StoredPostEvent => ({
  ...(JSON.parse(fields[1]!) as PostEventRecord),
  id,
});

/** Compares two stream entry ids (`<ms>-<n>`) in stream order. */
function compareIds(a: string, b: string): number {
  const [am, an] = a.split("-").map(BigInt) as [bigint, bigint];
  const [bm, bn] = b.split("-").map(BigInt) as [bigint, bigint];
  return am === bm ? Number(an - bn) : am < bm ? -1 : 1;
}

const CURSOR_PREFIX = "post-event:";
export const postEventCursor = (id: string) => Buffer.from(`${CURSOR_PREFIX}${id}`).toString("base64url");

/** The stream entry id a cursor stands for; null (from now on) for none. */
export function idOfPostCursor(cursor: string | null | undefined): string | null {
  if (cursor == null) return null;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const id = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : "";
  if (!/^\d{1,20}-\d{1,20}$/.test(id)) throw badUserInput("`after` is not a cursor of post events", "after");
  return id;
}

/** Which of a workspace's events a subscriber wants. */
export interface PostEventFilter {
  postId?: string | null;
  accountId?: string | null;
}

const matches = (event: PostEventRecord, filter: PostEventFilter) =>
  (!filter.postId || event.postId === filter.postId) && (!filter.accountId || event.accountId === filter.accountId);

/**
 * Posts' status changes on Redis streams, one per workspace, as the inbox's events: writers XADD
 * (capped), subscribers replay with XRANGE after their cursor and follow with a blocking XREAD,
 * each event exactly once and in order. A process follows a stream with at most one blocking read.
 */
export class PostEvents {
  private readonly tails = new Map<string, EventTail>();

  constructor(private readonly redis: Redis) {}

  async publish(event: Omit<PostEventRecord, "at">): Promise<void> {
    const key = postStreamKey(event.workspaceId);
    const results = await this.redis
      .multi()
      .xadd(key, "MAXLEN", "~", STREAM_MAX_LENGTH, "*", "e", JSON.stringify({ ...event, at: new Date().toISOString() }))
      .pexpire(key, STREAM_TTL_MS)
      .exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  private async read(key: string, afterId: string): Promise<StoredPostEvent[]> {
    const entries = (await this.redis.xrange(key, `(${afterId}`, "+", "COUNT", READ_BATCH)) as StreamEntry[];
    return entries.map(decode);
  }

  /**
   * The workspace's events matching the filter after `afterId` (replayed, then live), or from now
   * on when null, each exactly once and in order. `return()` ends it at once, even while it waits.
   */
  stream(workspaceId: string, filter: PostEventFilter, afterId: string | null): AsyncIterableIterator<StoredPostEvent> {
    const stop = new AbortController();
    const generator = this.generate(postStreamKey(workspaceId), filter, afterId, stop.signal);
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

  private async *generate(
    key: string,
    filter: PostEventFilter,
    afterId: string | null,
    signal: AbortSignal,
  ): AsyncGenerator<StoredPostEvent> {
    const live: StoredPostEvent[] = [];
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
        const [newest] = (await this.redis.xrevrange(key, "+", "-", "COUNT", 1)) as StreamEntry[];
        last = newest?.[0] ?? "0-0";
      } else {
        last = afterId;
        for (;;) {
          if (signal.aborted) return;
          const batch = await this.read(key, last);
          for (const event of batch) {
            if (signal.aborted) return;
            last = event.id;
            if (matches(event, filter)) yield event;
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
        last = event.id;
        if (matches(event, filter)) yield event;
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

/** One process's blocking read of a workspace's stream, shared by its subscribers, on a connection of its own. */
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
    this.connection = redis.duplicate({ connectionName: "social-post-events-tail", maxRetriesPerRequest: null });
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
