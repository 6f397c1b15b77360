import { Queue, Worker, type Job } from "bullmq";
import type { Logger } from "@mary/kit";
import { NetworkError } from "../providers/provider.ts";
import type { PublishScheduling } from "./post.service.ts";

export interface PublishJobData {
  postId: string;
}

export interface PublishQueueOptions {
  redisUrl: string;
  /** SOCIAL_QUEUE_PREFIX: every social process of a deployment shares `<prefix>-publish`. */
  prefix: string;
  concurrency: number;
  /** How long a job's lock lives without renewal: a killed worker's job is taken over after this. */
  lockMs: number;
  /** Attempts per post before it FAILED (retryable failures only; permanent ones stop at once). */
  attempts: number;
  /** The first retry's delay; each next one doubles it. A 429's Retry-After replaces it. */
  backoffMs: number;
  log: Logger;
}

/** The backoff type of publish jobs: exponential, or the network's Retry-After when it sent one. */
const BACKOFF_TYPE = "network";
/** Retry-After longer than this is capped (a post is not held for days by one answer). */
const MAX_RETRY_AFTER_MS = 6 * 3_600_000;

export const publishQueueName = (prefix: string) => `${prefix}-publish`;

/** The delay before retry `attemptsMade` (1 for the first retry): Retry-After when the network asked for one. */
export function retryDelay(attemptsMade: number, error: unknown, backoffMs: number): number {
  if (error instanceof NetworkError && error.retryAfterMs != null) {
    return Math.min(Math.max(0, error.retryAfterMs), MAX_RETRY_AFTER_MS);
  }
  return Math.round(backoffMs * 2 ** Math.max(0, attemptsMade - 1));
}

/**
 * Publishing as BullMQ jobs, one per post (its job id is the post's id, so a post is never
 * queued twice): a scheduled post is a delayed job, rescheduling moves that job, and every
 * social process runs a worker on the same queue. A job whose worker died (its lock not renewed
 * within `lockMs`) is taken back by another worker; a retryable failure is retried with
 * exponential backoff, or after the network's Retry-After.
 */
export class PublishQueue implements PublishScheduling {
  readonly queue: Queue<PublishJobData>;
  private worker: Worker<PublishJobData> | null = null;

  constructor(private readonly options: PublishQueueOptions) {
    this.queue = new Queue<PublishJobData>(publishQueueName(options.prefix), {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      defaultJobOptions: {
        attempts: options.attempts,
        backoff: { type: BACKOFF_TYPE },
        removeOnComplete: true,
        removeOnFail: { count: 1_000 },
      },
    });
    // A Redis outage surfaces here too: logged (BullMQ reconnects by itself), never an unhandled error event.
    this.queue.on("error", (error) => options.log.warn({ err: error }, "publish queue error"));
  }

  /**
   * Starts this process's worker. `publish` runs each job; `exhausted` runs when a job will not be
   * tried again (its attempts spent, or stalled too often) with the last error.
   */
  start(
    publish: (job: Job<PublishJobData>, token: string | undefined) => Promise<void>,
    exhausted: (postId: string, error: Error) => Promise<void>,
  ): void {
    const { options } = this;
    this.worker = new Worker<PublishJobData>(publishQueueName(options.prefix), publish, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: Math.max(500, Math.floor(options.lockMs / 2)),
      maxStalledCount: 5,
      settings: { backoffStrategy: (attemptsMade, _type, error) => retryDelay(attemptsMade, error, options.backoffMs) },
    });
    this.worker.on("failed", (job, error) => {
      if (!job) return;
      const final = error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
      options.log.warn({ err: error, postId: job.data.postId, attempt: job.attemptsMade, final }, "publish failed");
      if (final) {
        void exhausted(job.data.postId, error).catch((cause: unknown) =>
          options.log.error({ err: cause, postId: job.data.postId }, "could not settle a failed post"),
        );
      }
    });
    this.worker.on("error", (error) => options.log.warn({ err: error }, "publish worker error"));
  }

  /** Stops taking jobs in this process (others go on); for tests that choose which process works. */
  async pause(): Promise<void> {
    await this.worker?.pause(true);
  }

  resume(): void {
    this.worker?.resume();
  }

  async schedule(postId: string, at: Date): Promise<void> {
    // A job's state can change between two calls (a worker takes it): look again and retry.
    for (let round = 0; ; round++) {
      const delay = Math.max(0, at.getTime() - Date.now());
      try {
        const job = await this.queue.getJob(postId);
        if (job) {
          const state = await job.getState();
          if (state === "delayed") return await job.changeDelay(delay);
          // Running now: the worker reads the post's new time and waits for it.
          if (state === "active") return;
          if (state === "waiting" || state === "prioritized") {
            if (delay === 0) return;
          }
          await job.remove();
        }
        await this.queue.add("publish", { postId }, { jobId: postId, delay });
        return;
      } catch (error) {
        if (round >= 3) throw error;
      }
    }
  }

  async unschedule(postId: string): Promise<void> {
    const job = await this.queue.getJob(postId);
    if (!job) return;
    // An active job reads the post when it runs and stops (a draft or deleted post is not published).
    if ((await job.getState()) === "active") return;
    await job.remove().catch(() => {});
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
