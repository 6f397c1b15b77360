import { randomBytes } from "node:crypto";
import neo4j from "neo4j-driver";
import {
  badUserInput,
  isUuid,
  notFound,
  toConnection,
  type AuthenticatedPrincipal,
  type Connection,
  type Logger,
  type PageRequest,
} from "@mary/kit";
import type { GraphStore } from "../store.ts";
import { EDITABLE_STATES, type Post, type PostOrder, type PostState } from "../types/post.type.ts";
import type { SocialAccount } from "../types/social-account.type.ts";
import type { PostEvents } from "./post-events.ts";
import { checkCompose } from "./post-rules.ts";
import { instantToLocal, localToInstant } from "./post-time.ts";
import type { PublishNetwork } from "./publish-network.ts";
import type { SocialAccountService } from "./social-account.service.ts";

/** The properties of a (:Post) node, as stored (Neo4j keeps no nulls: absent is null). */
export interface PostNode {
  id: string;
  workspaceId: string;
  userId: string;
  accountId: string;
  network: Post["network"];
  text: string;
  state: PostState;
  scheduledAt?: number | null;
  timeZone?: string | null;
  publishedAt?: number | null;
  remoteId?: string | null;
  url?: string | null;
  failureReason?: string | null;
  lastError?: string | null;
  attempts: number;
  createdAt: number;
  updatedAt: number;
}

export const toPost = (node: PostNode): Post => {
  const scheduledAt = node.scheduledAt == null ? null : new Date(node.scheduledAt);
  const timeZone = node.timeZone ?? null;
  return {
    id: node.id,
    workspaceId: node.workspaceId,
    userId: node.userId,
    accountId: node.accountId,
    network: node.network,
    text: node.text,
    state: node.state,
    scheduledAt,
    timeZone,
    scheduledLocal: scheduledAt && timeZone ? instantToLocal(scheduledAt, timeZone) : null,
    publishedAt: node.publishedAt == null ? null : new Date(node.publishedAt),
    remoteId: node.remoteId ?? null,
    url: node.url ?? null,
    failureReason: node.failureReason ?? null,
    lastError: node.lastError ?? null,
    attempts: node.attempts ?? 0,
    createdAt: new Date(node.createdAt),
    updatedAt: new Date(node.updatedAt),
  };
};

/** What the publishing queue does for posts (services/publish-queue.ts). */
export interface PublishScheduling {
  /** Queues the post's one job for `at` (now when past), or moves the job it has there. */
  schedule(postId: string, at: Date): Promise<void>;
  /** Takes the post's job out of the queue, if it has one waiting. */
  unschedule(postId: string): Promise<void>;
}

/** What the engagement polling does for posts (services/metrics-queue.ts). */
export interface MetricsTracking {
  track(post: Post): Promise<void>;
  untrack(postId: string): Promise<void>;
}

export interface CreatePostFields {
  accountId: string;
  text: string;
  scheduleAt?: string | null;
  timeZone?: string | null;
  publishNow?: boolean | null;
}

export interface UpdatePostFields {
  text?: string | null;
  accountId?: string | null;
}

export interface PostFilterFields {
  accountId?: string | null;
  state?: PostState | null;
  /** Any of these states; not with `state`. */
  states?: readonly PostState[] | null;
}

/** The states a filter keeps, or null for all: BAD_USER_INPUT for `state` with `states`, or no state in `states`. */
export function filterStates(filter: PostFilterFields): PostState[] | null {
  if (filter.states != null) {
    if (filter.state != null) {
      throw badUserInput("Give `state` or `states`, not both", "filter.states");
    }
    if (filter.states.length === 0) throw badUserInput("`states` needs at least one state", "filter.states");
    return [...new Set(filter.states)];
  }
  return filter.state != null ? [filter.state] : null;
}

/** Changes a transition makes besides the state; null clears a property. */
export type PostChanges = Partial<Omit<PostNode, "id" | "workspaceId" | "createdAt" | "updatedAt" | "attempts">>;

/**
 * A UUIDv7 (48 bits of Unix milliseconds, then random): post ids sort by creation, and so do the
 * Bluesky record keys fixed from them.
 */
export function uuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A scheduled time may lag this much behind now (the time it took to send it) and still count as now. */
const PAST_TOLERANCE_MS = 60_000;
/** How far ahead a post can be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 2 * 365 * 86_400_000;

const RETURN_POST = "RETURN p";

/**
 * Posts in Neo4j, each linked (:SocialAccount)-[:POSTED]->(:Post), and their state machine:
 * DRAFT → SCHEDULED → PUBLISHING → PUBLISHED | FAILED. Every change of state is one Cypher
 * statement that first locks the post's node and then checks the state it changes from, so two
 * writers (a member rescheduling, a worker starting to publish) never both win; each change is
 * published to the workspace's post events.
 */
export class PostService {
  private queue: PublishScheduling | null = null;
  private metrics: MetricsTracking | null = null;

  constructor(
    private readonly graph: GraphStore,
    private readonly accounts: SocialAccountService,
    private readonly network: PublishNetwork,
    private readonly events: PostEvents,
    private readonly log: Logger,
  ) {}

  /** Connects the queues (they in turn call back into this service). */
  useQueues(queue: PublishScheduling, metrics: MetricsTracking): void {
    this.queue = queue;
    this.metrics = metrics;
  }

  async get(caller: AuthenticatedPrincipal, id: string): Promise<Post> {
    const post = isUuid(id) ? (await this.byIds(caller.workspaceId, [id]))[0] : undefined;
    if (!post) throw notFound("Post");
    return post;
  }

  /** The workspace's posts with these ids, in one query; others' and missing ones are left out. */
  async byIds(workspaceId: string, ids: readonly string[]): Promise<Post[]> {
    const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
    if (!valid.length) return [];
    const { records } = await this.graph.read<{ p: { properties: PostNode } }>(
      "MATCH (p:Post) WHERE p.id IN $ids AND p.workspaceId = $workspaceId RETURN p",
      { ids: valid, workspaceId },
    );
    return records.map((record) => toPost(record.get("p").properties));
  }

  /** A post by id whatever its workspace: for the queue's workers, never for a request. */
  async node(id: string): Promise<Post | null> {
    const { records } = await this.graph.read<{ p: { properties: PostNode } }>("MATCH (p:Post {id: $id}) RETURN p", {
      id,
    });
    const node = records[0]?.get("p").properties;
    return node ? toPost(node) : null;
  }

  /**
   * The workspace's posts matching the filter: newest first, or (`DUE_FIRST`) the scheduled ones
   * by the time they are due, soonest first (the publishing queue as a member sees it).
   */
  async list(
    caller: AuthenticatedPrincipal,
    filter: PostFilterFields,
    page: PageRequest,
    order: PostOrder = "NEWEST_FIRST",
  ): Promise<Connection<Post>> {
    const after = page.after ? { at: Date.parse(String(page.after[0])), id: page.after[1] } : null;
    if (filter.accountId != null && !isUuid(filter.accountId)) {
      throw badUserInput("`accountId` is not an account id", "filter.accountId");
    }
    const states = filterStates(filter);
    const dueFirst = order === "DUE_FIRST";
    const { records } = await this.graph.read<{ p: { properties: PostNode } }>(
      dueFirst
        ? `MATCH (p:Post {workspaceId: $workspaceId})
           WHERE p.scheduledAt IS NOT NULL
             AND ($accountId IS NULL OR p.accountId = $accountId) AND ($states IS NULL OR p.state IN $states)
             AND ($after IS NULL OR p.scheduledAt > $after.at OR (p.scheduledAt = $after.at AND p.id > $after.id))
           RETURN p ORDER BY p.scheduledAt ASC, p.id ASC LIMIT $limit`
        : `MATCH (p:Post {workspaceId: $workspaceId})
           WHERE ($accountId IS NULL OR p.accountId = $accountId) AND ($states IS NULL OR p.state IN $states)
             AND ($after IS NULL OR p.createdAt < $after.at OR (p.createdAt = $after.at AND p.id < $after.id))
           RETURN p ORDER BY p.createdAt DESC, p.id DESC LIMIT $limit`,
      {
        workspaceId: caller.workspaceId,
        accountId: filter.accountId?.toLowerCase() ?? null,
        states,
        after,
        limit: neo4j.int(page.first + 1),
      },
    );
    const rows = records.map((record) => toPost(record.get("p").properties));
    return toConnection(rows, page, (post) => [(dueFirst ? post.scheduledAt! : post.createdAt).toISOString(), post.id]);
  }

  /** The caller's workspace's account for a post: BAD_USER_INPUT on `field` when it has none. */
  private async accountFor(caller: AuthenticatedPrincipal, id: string, field: string): Promise<SocialAccount> {
    const account = isUuid(id) ? (await this.accounts.byIds(caller.workspaceId, [id]))[0] : undefined;
    if (!account) throw badUserInput("The workspace has no social account with this id", field);
    return account;
  }

  private static requireActive(account: SocialAccount): void {
    if (account.state !== "ACTIVE") {
      throw badUserInput("The account needs to be connected again before it can publish", "accountId");
    }
  }

  /** The instant to publish at, from a local time in a zone: BAD_USER_INPUT when it is missing, past or too far. */
  private static dueAt(scheduleAt: string, timeZone: string | null | undefined, field: string): Date {
    if (!timeZone) throw badUserInput("A scheduled time needs its time zone (such as Europe/Berlin)", "timeZone");
    const { at } = localToInstant(scheduleAt, timeZone, field);
    const now = Date.now();
    if (at.getTime() < now - PAST_TOLERANCE_MS) {
      throw badUserInput(`${scheduleAt} in ${timeZone} is in the past; publish now instead`, field);
    }
    if (at.getTime() > now + MAX_SCHEDULE_AHEAD_MS)
      throw badUserInput("Posts can be scheduled up to two years ahead", field);
    return at;
  }

  async create(caller: AuthenticatedPrincipal, input: CreatePostFields): Promise<Post> {
    const account = await this.accountFor(caller, input.accountId, "accountId");
    checkCompose(input.text, account);
    if (input.publishNow && input.scheduleAt != null) {
      throw badUserInput("Either schedule the post or publish it now, not both", "publishNow");
    }
    let due: Date | null = null;
    if (input.scheduleAt != null) due = PostService.dueAt(input.scheduleAt, input.timeZone, "scheduleAt");
    else if (input.publishNow) due = new Date();
    if (due) PostService.requireActive(account);
    const now = Date.now();
    const node: PostNode = {
      id: uuidV7(),
      workspaceId: caller.workspaceId,
      userId: caller.userId,
      accountId: account.id,
      network: account.network,
      text: input.text,
      state: due ? "SCHEDULED" : "DRAFT",
      scheduledAt: due?.getTime() ?? null,
      timeZone: input.scheduleAt != null ? input.timeZone : null,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    };
    const { records } = await this.graph.write<{ p: { properties: PostNode } }>(
      `MATCH (a:SocialAccount {id: $accountId, workspaceId: $workspaceId})
       CREATE (a)-[:POSTED]->(p:Post)
       SET p = $node
       ${RETURN_POST}`,
      { accountId: account.id, workspaceId: caller.workspaceId, node },
    );
    const created = records[0]?.get("p").properties;
    if (!created) throw badUserInput("The workspace has no social account with this id", "accountId");
    const post = toPost(created);
    await this.announce(post);
    if (due) await this.enqueue(post, due);
    return post;
  }

  async update(caller: AuthenticatedPrincipal, id: string, input: UpdatePostFields): Promise<Post> {
    const current = await this.get(caller, id);
    this.requireEditable(current);
    const account = await this.accountFor(caller, input.accountId ?? current.accountId, "accountId");
    const text = input.text ?? current.text;
    checkCompose(text, account);
    if (current.state === "SCHEDULED") PostService.requireActive(account);
    // A failed post that is edited is a draft again: scheduling or publishing it starts over.
    const changes: PostChanges = {
      text,
      accountId: account.id,
      network: account.network,
      ...(current.state === "FAILED" ? { state: "DRAFT", failureReason: null } : {}),
    };
    const updated = await this.transition(current.id, EDITABLE_STATES, changes);
    if (!updated) throw this.notEditable(await this.get(caller, id));
    if (account.id !== current.accountId) {
      await this.graph.write(
        `MATCH (p:Post {id: $id}) OPTIONAL MATCH (:SocialAccount)-[old:POSTED]->(p) DELETE old
         WITH DISTINCT p MATCH (a:SocialAccount {id: $accountId, workspaceId: p.workspaceId}) MERGE (a)-[:POSTED]->(p)`,
        { id: updated.id, accountId: account.id },
      );
    }
    return updated;
  }

  /** Schedules (or reschedules) the post for a local time in a zone. */
  async schedule(caller: AuthenticatedPrincipal, id: string, at: string, timeZone: string): Promise<Post> {
    const current = await this.get(caller, id);
    this.requireEditable(current);
    const due = PostService.dueAt(at, timeZone, "at");
    return this.queueAt(caller, current, due, timeZone);
  }

  /** Publishes the post now: its job runs at once. */
  async publishNow(caller: AuthenticatedPrincipal, id: string): Promise<Post> {
    const current = await this.get(caller, id);
    this.requireEditable(current);
    return this.queueAt(caller, current, new Date(), null);
  }

  /** Takes a scheduled post out of the queue: a draft again. */
  async unschedule(caller: AuthenticatedPrincipal, id: string): Promise<Post> {
    const current = await this.get(caller, id);
    this.requireEditable(current);
    const updated = await this.transition(current.id, ["SCHEDULED"], { state: "DRAFT", scheduledAt: null });
    if (!updated) {
      const now = await this.get(caller, id);
      if (now.state === "DRAFT" || now.state === "FAILED") return now;
      throw this.notEditable(now);
    }
    await this.queue?.unschedule(updated.id);
    return updated;
  }

  private async queueAt(caller: AuthenticatedPrincipal, current: Post, due: Date, timeZone: string | null) {
    PostService.requireActive(await this.accountFor(caller, current.accountId, "id"));
    const updated = await this.transition(current.id, EDITABLE_STATES, {
      state: "SCHEDULED",
      scheduledAt: due.getTime(),
      timeZone,
      failureReason: null,
      lastError: null,
    });
    if (!updated) throw this.notEditable(await this.get(caller, current.id));
    await this.enqueue(updated, due);
    return updated;
  }

  /** Puts the post's job in the queue; when the queue cannot take it the post is a draft again. */
  private async enqueue(post: Post, due: Date): Promise<void> {
    try {
      if (!this.queue) throw new Error("the publishing queue is not running");
      await this.queue.schedule(post.id, due);
    } catch (error) {
      this.log.error({ err: error, postId: post.id }, "could not queue a post");
      await this.transition(post.id, ["SCHEDULED"], { state: "DRAFT", scheduledAt: null });
      throw error;
    }
  }

  /**
   * Deletes the post; a published one is deleted on the network first (and stays in Mary when the
   * network cannot be reached), unless its account was disconnected. A post being published cannot
   * be deleted until it is published or failed.
   */
  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const post = await this.get(caller, id);
    if (post.state === "PUBLISHING") {
      throw badUserInput("The post is being published; delete it once it is published or has failed", "id");
    }
    if (post.state === "PUBLISHED") {
      // A disconnected account's post can only be forgotten: Mary has no credentials for the network any more.
      const account = (await this.accounts.byIds(caller.workspaceId, [post.accountId]))[0];
      if (account && post.remoteId) {
        await this.network.call(account, (provider, session) => provider.deletePost(session, post.remoteId!));
      }
    }
    const { records } = await this.graph.write<{ id: string }>(
      `MATCH (p:Post {id: $id, workspaceId: $workspaceId})
       SET p._lock = true REMOVE p._lock
       WITH p WHERE p.state IN $states
       OPTIONAL MATCH (p)-[:MEASURED]->(m:MetricsSample)
       DETACH DELETE m, p
       RETURN $id AS id`,
      {
        id: post.id,
        workspaceId: caller.workspaceId,
        states: post.state === "PUBLISHED" ? ["PUBLISHED"] : EDITABLE_STATES,
      },
    );
    if (!records.length) throw this.notEditable(await this.get(caller, id));
    await this.queue?.unschedule(post.id);
    if (post.state === "PUBLISHED") await this.metrics?.untrack(post.id);
    await this.announce(post, true);
    return post.id;
  }

  private requireEditable(post: Post): void {
    if (!EDITABLE_STATES.includes(post.state)) throw this.notEditable(post);
  }

  private notEditable(post: Post) {
    return post.state === "PUBLISHING"
      ? badUserInput("The post is being published and cannot change now", "id")
      : badUserInput(
          `A ${post.state.toLowerCase()} post cannot change; only drafts, scheduled and failed posts can`,
          "id",
        );
  }

  /**
   * Changes the post's state (and other properties) when it is in one of `from`: the post's node
   * is locked before its state is read, so of two concurrent transitions from one state only the
   * first applies. Returns the post as changed, or null when it is gone or in another state.
   */
  async transition(
    id: string,
    from: readonly PostState[],
    changes: PostChanges,
    options: { incrementAttempts?: boolean } = {},
  ): Promise<Post | null> {
    const { records } = await this.graph.write<{ p: { properties: PostNode } }>(
      `MATCH (p:Post {id: $id})
       SET p._lock = true REMOVE p._lock
       WITH p WHERE p.state IN $from
       SET p += $changes, p.updatedAt = timestamp()
       ${options.incrementAttempts ? ", p.attempts = coalesce(p.attempts, 0) + 1" : ""}
       ${RETURN_POST}`,
      { id, from, changes },
    );
    const node = records[0]?.get("p").properties;
    if (!node) return null;
    const post = toPost(node);
    if (changes.state !== undefined || options.incrementAttempts || changes.lastError !== undefined) {
      await this.announce(post);
    }
    return post;
  }

  /** Publishes the post's status to its workspace's events; a Redis failure is logged, not thrown. */
  async announce(post: Post, deleted = false): Promise<void> {
    try {
      await this.events.publish({
        workspaceId: post.workspaceId,
        postId: post.id,
        accountId: post.accountId,
        state: post.state,
        attempts: post.attempts,
        reason: post.state === "FAILED" ? post.failureReason : post.state === "PUBLISHING" ? post.lastError : null,
        deleted,
      });
    } catch (error) {
      this.log.warn({ err: error, postId: post.id }, "could not publish a post event");
    }
  }
}
