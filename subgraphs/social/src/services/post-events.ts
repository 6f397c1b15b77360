import { EventStreams, streamCursor, streamIdOfCursor, type Redis } from "@mary/kit";
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

const CURSOR_PREFIX = "post-event:";

const streams = (redis: Redis) =>
  new EventStreams<Omit<PostEventRecord, "at">>(redis, {
    what: "post events",
    cursorPrefix: CURSOR_PREFIX,
    connectionName: "post-events-tail",
  });

export const postEventCursor = (id: string) => streamCursor(CURSOR_PREFIX, id);

/** The stream entry id a cursor stands for; null (from now on) for none. */
export const idOfPostCursor = (cursor: string | null | undefined) =>
  streamIdOfCursor(CURSOR_PREFIX, "post events", cursor);

/** Which of a workspace's events a subscriber wants. */
export interface PostEventFilter {
  postId?: string | null;
  accountId?: string | null;
}

const matches = (event: PostEventRecord, filter: PostEventFilter) =>
  (!filter.postId || event.postId === filter.postId) && (!filter.accountId || event.accountId === filter.accountId);

/**
 * Posts' status changes on Redis streams, one per workspace (the kit's EventStreams, as the
 * inbox's events): replayed after a cursor, then live, each exactly once and in order.
 */
export class PostEvents {
  private readonly streams: EventStreams<Omit<PostEventRecord, "at">>;

  constructor(redis: Redis) {
    this.streams = streams(redis);
  }

  publish(event: Omit<PostEventRecord, "at">): Promise<void> {
    return this.streams.publish([{ key: postStreamKey(event.workspaceId), record: event }]);
  }

  /** The cursor of the workspace's latest event: a client that reads its posts, then subscribes after it, misses nothing. */
  latestCursor(workspaceId: string): Promise<string> {
    return this.streams.latestCursor(postStreamKey(workspaceId));
  }

  /**
   * The workspace's events matching the filter after `afterId` (replayed, then live), or from now
   * on when null, each exactly once and in order. `return()` ends it at once, even while it waits.
   */
  stream(workspaceId: string, filter: PostEventFilter, afterId: string | null): AsyncIterableIterator<StoredPostEvent> {
    return this.streams.stream(postStreamKey(workspaceId), afterId, (event) => matches(event, filter));
  }

  close(): void {
    this.streams.close();
  }
}
