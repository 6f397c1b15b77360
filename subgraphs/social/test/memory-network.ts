import {
  NetworkError,
  type AccountSession,
  type NetworkProvider,
  type PostMetrics,
  type PublishedPost,
} from "../src/providers/provider.ts";
import type { Network } from "../src/types/social-account.type.ts";

/** How the next call of a method fails. `unknown-after-effect`: the post is made, then the answer is lost. */
export type Failure = NetworkError | "unknown-after-effect";

interface StoredPost extends PublishedPost {
  postId: string;
  accountId: string;
  text: string;
}

/**
 * A network kept in memory that keeps the NetworkProvider contract (publish is idempotent by post
 * id, findPublished finds what publish made), with failures scripted per call, the way the
 * queue's tests need them: a 503, a 429 with Retry-After, a lost answer after the post was made,
 * refused credentials, refused content. It records every call with its time.
 */
export class MemoryNetwork implements NetworkProvider {
  readonly posts = new Map<string, StoredPost>();
  readonly calls: { method: string; postId?: string; at: number }[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly holds: ((value: void) => void)[] = [];
  private holding = false;
  metricsOf: (remoteId: string) => PostMetrics = () => ({ likes: 0, reposts: 0, replies: 0 });

  constructor(readonly network: Network = "BLUESKY") {}

  /** The next calls of `method` fail as given, in order. */
  fail(method: "publish" | "findPublished" | "deletePost" | "metrics", ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  /** Publishing waits until `release()` (a slow network). */
  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const resolve of this.holds.splice(0)) resolve();
  }

  callsOf(method: string, postId?: string) {
    return this.calls.filter((call) => call.method === method && (!postId || call.postId === postId));
  }

  postsOf(postId: string): StoredPost[] {
    return [...this.posts.values()].filter((post) => post.postId === postId);
  }

  private next(method: string): Failure | undefined {
    return this.failures.get(method)?.shift();
  }

  async publish(session: AccountSession, post: { postId: string; text: string }): Promise<PublishedPost> {
    this.calls.push({ method: "publish", postId: post.postId, at: Date.now() });
    if (this.holding) await new Promise<void>((resolve) => this.holds.push(resolve));
    const failure = this.next("publish");
    if (failure instanceof NetworkError) throw failure;
    // Idempotent by post id: a second publish returns the first post.
    const existing = this.postsOf(post.postId)[0];
    const stored = existing ?? {
      postId: post.postId,
      accountId: session.account.id,
      text: post.text,
      remoteId: `remote-${post.postId}`,
      url: `https://network.test/${post.postId}`,
      publishedAt: new Date(),
    };
    this.posts.set(stored.remoteId, stored);
    if (failure === "unknown-after-effect") {
      throw new NetworkError("The network's answer was lost (ECONNRESET)", "unknown");
    }
    return { remoteId: stored.remoteId, url: stored.url, publishedAt: stored.publishedAt };
  }

  async findPublished(_session: AccountSession, postId: string): Promise<PublishedPost | null> {
    this.calls.push({ method: "findPublished", postId, at: Date.now() });
    const failure = this.next("findPublished");
    if (failure instanceof NetworkError) throw failure;
    const found = this.postsOf(postId)[0];
    return found ? { remoteId: found.remoteId, url: found.url, publishedAt: found.publishedAt } : null;
  }

  async deletePost(_session: AccountSession, remoteId: string): Promise<void> {
    this.calls.push({ method: "deletePost", at: Date.now() });
    const failure = this.next("deletePost");
    if (failure instanceof NetworkError) throw failure;
    this.posts.delete(remoteId);
  }

  async metrics(_session: AccountSession, remoteId: string): Promise<PostMetrics> {
    this.calls.push({ method: "metrics", at: Date.now() });
    const failure = this.next("metrics");
    if (failure instanceof NetworkError) throw failure;
    if (!this.posts.has(remoteId)) throw new NetworkError("HTTP 404: Record not found", "refused");
    return this.metricsOf(remoteId);
  }

  async follows(): Promise<never> {
    throw new Error("not a graph network");
  }
  async followsOf(): Promise<never> {
    throw new Error("not a graph network");
  }
  async followers(): Promise<never> {
    throw new Error("not a graph network");
  }
  async lookup(): Promise<never> {
    throw new Error("not a graph network");
  }
  async follow(): Promise<never> {
    throw new Error("not a graph network");
  }
  async unfollow(): Promise<never> {
    throw new Error("not a graph network");
  }
}
