import { compareStreamIds, EventStreams, streamCursor, streamIdOfCursor, type Redis } from "@mary/kit";
import type { SyncState } from "../entities/mail-account.entity.ts";

export const INBOX_EVENT_TYPES = ["NEW_MESSAGE", "MESSAGE_TRIAGED", "SYNC_STATE", "TASK_DUE", "TASK_OVERDUE"] as const;
export type InboxEventType = (typeof INBOX_EVENT_TYPES)[number];

/** An event as a user's stream in Redis holds it. */
export interface InboxEventRecord {
  type: InboxEventType;
  workspaceId: string;
  userId: string;
  /** The mail events' account; none for task events. */
  accountId?: string | null;
  /** TASK_DUE and TASK_OVERDUE: the task. */
  taskId?: string | null;
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

const CURSOR_PREFIX = "inbox-event:";

const streams = (redis: Redis) =>
  new EventStreams<Omit<InboxEventRecord, "at">>(redis, {
    what: "inbox events",
    cursorPrefix: CURSOR_PREFIX,
    connectionName: "inbox-events-tail",
  });

/** The cursor of an event, from its stream entry id. */
export const eventCursor = (id: string) => streamCursor(CURSOR_PREFIX, id);

/** The stream entry id a cursor stands for; null (from now on) for none. */
export const idOfCursor = (cursor: string | null | undefined) =>
  streamIdOfCursor(CURSOR_PREFIX, "inbox events", cursor);

export { compareStreamIds as compareIds };

/**
 * Each member's inbox events on their Redis stream (the kit's EventStreams): replayed after a
 * cursor, then live, each exactly once and in order.
 */
export class InboxEvents {
  private readonly streams: EventStreams<Omit<InboxEventRecord, "at">>;

  constructor(redis: Redis) {
    this.streams = streams(redis);
  }

  /** Appends events, each to its owner's stream, in one round trip. */
  publish(events: Omit<InboxEventRecord, "at">[]): Promise<void> {
    return this.streams.publish(
      events.map((record) => ({ key: inboxStreamKey(record.workspaceId, record.userId), record })),
    );
  }

  /** The cursor of the member's latest event: a client that reads its lists, then subscribes after it, misses nothing. */
  latestCursor(workspaceId: string, userId: string): Promise<string> {
    return this.streams.latestCursor(inboxStreamKey(workspaceId, userId));
  }

  /** The member's events after `afterId` (replayed, then live), or from now on when null. */
  stream(workspaceId: string, userId: string, afterId: string | null): AsyncIterableIterator<StoredInboxEvent> {
    return this.streams.stream(inboxStreamKey(workspaceId, userId), afterId);
  }

  /** Streams this process follows on Redis right now (one blocking read each). */
  get followed(): number {
    return this.streams.followed;
  }

  close(): void {
    this.streams.close();
  }
}
