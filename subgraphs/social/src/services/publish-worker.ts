import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import type { Logger } from "@mary/kit";
import { NetworkError, type AccountSession, type NetworkProvider, type PublishedPost } from "../providers/provider.ts";
import type { Post } from "../types/post.type.ts";
import type { SocialAccount } from "../types/social-account.type.ts";
import type { MetricsTracking, PostService } from "./post.service.ts";
import type { PublishJobData } from "./publish-queue.ts";
import type { PublishNetwork } from "./publish-network.ts";
import type { SocialAccountService } from "./social-account.service.ts";

/** A job that runs earlier than its post's time by more than this waits for it (the post was rescheduled). */
const EARLY_TOLERANCE_MS = 250;

/**
 * What a publish job does, exactly once per post:
 *
 * 1. The post must still be SCHEDULED or PUBLISHING (a deleted, draft, published or failed one
 *    is left alone), due now, and its account ACTIVE.
 * 2. When an earlier attempt was made (`attempts > 0`: its worker was killed, its answer was lost,
 *    or the network failed), the network is asked for the post first (`findPublished`); found,
 *    it is PUBLISHED without another attempt.
 * 3. The post moves to PUBLISHING with the next attempt number, before the network is called;
 *    the provider publishes idempotently by the post's id (Mastodon's Idempotency-Key, a
 *    Bluesky record key fixed from it), so even two workers at once make one post.
 * 4. The outcome: PUBLISHED with the network's id and URL; `auth` marks the account
 *    NEEDS_RECONNECT and the post FAILED; `refused` makes it FAILED with the network's reason;
 *    `retryable` and `unknown` (and anything unexpected) leave it PUBLISHING with `lastError`
 *    and are retried by the queue, which checks again (2) before the next attempt.
 */
export class Publisher {
  constructor(
    private readonly posts: PostService,
    private readonly accounts: SocialAccountService,
    private readonly network: PublishNetwork,
    private readonly metrics: MetricsTracking,
    private readonly log: Logger,
  ) {}

  async run(job: Job<PublishJobData>, token: string | undefined): Promise<void> {
    const post = await this.posts.node(job.data.postId);
    if (!post || (post.state !== "SCHEDULED" && post.state !== "PUBLISHING")) return;
    if (
      post.state === "SCHEDULED" &&
      post.scheduledAt &&
      post.scheduledAt.getTime() > Date.now() + EARLY_TOLERANCE_MS
    ) {
      await job.moveToDelayed(post.scheduledAt.getTime(), token);
      throw new DelayedError();
    }
    const account = (await this.accounts.byIds(post.workspaceId, [post.accountId]))[0];
    if (!account) return this.fail(post, "The post's social account was disconnected");
    if (account.state !== "ACTIVE") {
      return this.fail(post, "The account's credentials were refused by the network: connect it again");
    }
    let provider: NetworkProvider;
    let session: AccountSession;
    try {
      provider = this.network.provider(account.network);
      session = this.network.session(account);
    } catch (error) {
      return this.fail(post, (error as Error).message);
    }

    let attempt: Post | null = post;
    let published: PublishedPost | null = null;
    try {
      if (post.attempts > 0) {
        // An earlier attempt may have reached the network: never post again before looking.
        published = await provider.findPublished(session, post.id);
        if (published) this.log.info({ postId: post.id, attempts: post.attempts }, "found on the network: published");
      }
      if (!published) {
        attempt = await this.posts.transition(
          post.id,
          ["SCHEDULED", "PUBLISHING"],
          { state: "PUBLISHING" },
          { incrementAttempts: true },
        );
        if (!attempt) return; // changed meanwhile (deleted, made a draft again)
        published = await provider.publish(session, { postId: attempt.id, text: attempt.text });
      }
    } catch (error) {
      return this.failed(attempt ?? post, account, error, job);
    }
    await this.succeed(attempt ?? post, published);
  }

  private async succeed(post: Post, published: PublishedPost): Promise<void> {
    const done = await this.posts.transition(post.id, ["SCHEDULED", "PUBLISHING", "FAILED"], {
      state: "PUBLISHED",
      remoteId: published.remoteId,
      url: published.url,
      publishedAt: published.publishedAt.getTime(),
      failureReason: null,
      lastError: null,
    });
    if (done) await this.metrics.track(done);
  }

  private async fail(post: Post, reason: string): Promise<never> {
    await this.posts.transition(post.id, ["SCHEDULED", "PUBLISHING"], {
      state: "FAILED",
      failureReason: reason,
      lastError: null,
    });
    throw new UnrecoverableError(reason);
  }

  private async failed(post: Post, account: SocialAccount, error: unknown, job: Job): Promise<never> {
    if (error instanceof NetworkError && error.kind === "auth") {
      await this.accounts.needsReconnect(account.id);
      return this.fail(post, `The network refused the account's credentials: ${error.message}`);
    }
    if (error instanceof NetworkError && error.kind === "refused") return this.fail(post, error.message);
    const message =
      error instanceof NetworkError
        ? error.kind === "unknown"
          ? `Outcome unknown (checked before the next attempt): ${error.message}`
          : error.message
        : `Unexpected error: ${(error as Error)?.message ?? String(error)}`;
    this.log.warn({ err: error, postId: post.id, attempt: job.attemptsMade + 1 }, "publish attempt failed; retrying");
    await this.posts.transition(post.id, ["PUBLISHING", "SCHEDULED"], { state: "PUBLISHING", lastError: message });
    throw error instanceof Error ? error : new Error(message);
  }

  /**
   * Runs when the queue gives up on a post (attempts spent, or its workers died too often): a post
   * still PUBLISHING is looked for on the network once more, then PUBLISHED or FAILED.
   */
  async settle(postId: string, error: Error): Promise<void> {
    const post = await this.posts.node(postId);
    if (!post || (post.state !== "PUBLISHING" && post.state !== "SCHEDULED")) return;
    const account = (await this.accounts.byIds(post.workspaceId, [post.accountId]))[0];
    if (account && post.attempts > 0) {
      try {
        const found = await this.network.provider(account.network).findPublished(this.network.session(account), postId);
        if (found) return this.succeed(post, found);
      } catch (cause) {
        this.log.warn({ err: cause, postId }, "could not check a post on the network before failing it");
        return; // unknown: left PUBLISHING rather than called failed while it may be published
      }
    }
    await this.posts.transition(post.id, ["PUBLISHING", "SCHEDULED"], {
      state: "FAILED",
      failureReason: `Gave up after ${post.attempts} attempt${post.attempts === 1 ? "" : "s"}: ${post.lastError ?? error.message}`,
      lastError: null,
    });
  }
}
