import type { Redis } from "@mary/kit";
import type { AgentStore } from "../store.ts";
import type { RunEventDocument } from "../types/event.type.ts";
import { isFinished } from "../types/run.type.ts";

/** The Redis channel a run's events are published on. */
export const runChannel = (runId: string) => `agents:run:${runId}`;

/** Live events a slow subscriber may fall behind by before it re-reads from MongoDB instead. */
const MAX_BUFFERED_EVENTS = 5_000;
/** Stored events read per round trip when replaying. */
const REPLAY_BATCH = 500;

/** A run's final event: the STATUS event of a finished status. */
export const isLastEvent = (event: RunEventDocument) =>
  event.type === "STATUS" && !!event.status && isFinished(event.status);

type Listener = (event: RunEventDocument) => void;

/**
 * A run's event stream: every event is stored in MongoDB first (in order, unique by sequence
 * number), then published on Redis. Subscribers listen on Redis before they read MongoDB, so
 * replay and live events overlap instead of leaving a gap; the overlap is dropped by sequence
 * number, and a gap in the live events (a lost or overtaken message) is filled from MongoDB.
 *
 * One Redis connection subscribes per agents process; a channel is subscribed while at least
 * one local subscriber listens to it and unsubscribed when the last one leaves.
 */
export class RunEventBus {
  private readonly channels = new Map<string, { listeners: Set<Listener>; subscribed: Promise<unknown> }>();

  constructor(
    private readonly store: AgentStore,
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    subscriber.on("message", (channel: string, message: string) => {
      const entry = this.channels.get(channel);
      if (!entry) return;
      const event = JSON.parse(message) as RunEventDocument;
      for (const listener of entry.listeners) listener(event);
    });
  }

  /** Stores the event, then publishes it. Callers emit one run's events one at a time, in order. */
  async emit(event: RunEventDocument): Promise<void> {
    await this.store.events.insertOne({ ...event });
    await this.publisher.publish(runChannel(event.runId), JSON.stringify(event));
  }

  /** Stored events of a run after `afterSeq` (and before `beforeSeq`), in order. */
  async stored(runId: string, afterSeq: number, limit: number, beforeSeq?: number): Promise<RunEventDocument[]> {
    const seq = beforeSeq === undefined ? { $gt: afterSeq } : { $gt: afterSeq, $lt: beforeSeq };
    return this.store.events
      .find({ runId, seq }, { projection: { _id: 0 } })
      .sort({ seq: 1 })
      .limit(limit)
      .toArray();
  }

  /** The run's last stored event, if any. */
  async newest(runId: string): Promise<RunEventDocument | null> {
    const [event] = await this.store.events
      .find({ runId }, { projection: { _id: 0 } })
      .sort({ seq: -1 })
      .limit(1)
      .toArray();
    return event ?? null;
  }

  /** How many runs this process listens to on Redis (for tests and health). */
  get channelCount(): number {
    return this.channels.size;
  }

  /**
   * Every event of the run after `afterSeq`, exactly once and in order: the stored ones, then
   * the live ones, ending after the run's final STATUS event. `return()` ends it at once, even
   * while it waits for the next event, and releases the Redis subscription.
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
    let live: RunEventDocument[] = [];
    let fellBehind = false;
    let wake: (() => void) | null = null;
    const unlisten = await this.listen(runId, (event) => {
      if (live.length >= MAX_BUFFERED_EVENTS) {
        fellBehind = true;
        live = [];
      } else live.push(event);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener("abort", onAbort);
    try {
      // Everything stored after `last` (up to `before`), in batches; true when the run's end was among them.
      const replay = async function* (this: RunEventBus, before?: number): AsyncGenerator<RunEventDocument, boolean> {
        for (;;) {
          const batch = await this.stored(runId, last, REPLAY_BATCH, before);
          for (const event of batch) {
            if (signal.aborted) return true;
            yield event;
            last = event.seq;
            if (isLastEvent(event)) return true;
          }
          if (batch.length < REPLAY_BATCH) return false;
        }
      }.bind(this);

      if (yield* replay()) return;
      // Resumed at (or past) the final event of a finished run: nothing more will ever come. Only
      // a resume that replayed nothing can be there, so other subscribers skip the look-up.
      if (afterSeq > 0 && last === afterSeq) {
        const newest = await this.newest(runId);
        if (newest && isLastEvent(newest) && newest.seq <= last) return;
      }
      while (!signal.aborted) {
        if (fellBehind) {
          fellBehind = false;
          if (yield* replay()) return;
          continue;
        }
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
      signal.removeEventListener("abort", onAbort);
      await unlisten();
    }
  }

  private async listen(runId: string, listener: Listener): Promise<() => Promise<void>> {
    const channel = runChannel(runId);
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), subscribed: this.subscriber.subscribe(channel) };
      this.channels.set(channel, entry);
    }
    entry.listeners.add(listener);
    const unlisten = async () => {
      const current = this.channels.get(channel);
      if (!current?.listeners.delete(listener) || current.listeners.size > 0) return;
      this.channels.delete(channel);
      await this.subscriber.unsubscribe(channel);
    };
    // Every listener waits for the subscription, so nothing it reads from MongoDB can precede it.
    await entry.subscribed.catch(async (error: unknown) => {
      await unlisten();
      throw error;
    });
    return unlisten;
  }
}
