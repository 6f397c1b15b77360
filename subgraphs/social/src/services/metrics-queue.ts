import { Queue, Worker } from "bullmq";
import type { Logger } from "@mary/kit";
import type { Post } from "../types/post.type.ts";
import type { MetricsTracking } from "./post.service.ts";

export interface MetricsJobData {
  postId: string;
}

export interface MetricsQueueOptions {
  redisUrl: string;
  /** SOCIAL_QUEUE_PREFIX: every social process of a deployment shares `<prefix>-metrics`. */
  prefix: string;
  /** METRICS_POLL_SECONDS: how often each published post's engagement is read. */
  pollSeconds: number;
  /** How long after publishing a post is polled. */
  windowMs: number;
  concurrency: number;
  lockMs: number;
  log: Logger;
}

export const metricsQueueName = (prefix: string) => `${prefix}-metrics`;
const schedulerId = (postId: string) => `metrics-${postId}`;

/**
 * Engagement polling as BullMQ job schedulers, one per published post: a job every
 * `pollSeconds` from its publication until `windowMs` later, run by whichever social process's
 * worker takes it. A repeatable job instead of a timer loop, so polling survives restarts and is
 * shared by every process.
 */
export class MetricsQueue implements MetricsTracking {
  readonly queue: Queue<MetricsJobData>;
  private worker: Worker<MetricsJobData> | null = null;

  constructor(private readonly options: MetricsQueueOptions) {
    this.queue = new Queue<MetricsJobData>(metricsQueueName(options.prefix), {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      defaultJobOptions: { removeOnComplete: true, removeOnFail: { count: 1_000 } },
    });
    // A Redis outage surfaces here too: logged (BullMQ reconnects by itself), never an unhandled error event.
    this.queue.on("error", (error) => options.log.warn({ err: error }, "metrics queue error"));
  }

  start(poll: (postId: string) => Promise<void>): void {
    const { options } = this;
    this.worker = new Worker<MetricsJobData>(metricsQueueName(options.prefix), (job) => poll(job.data.postId), {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
    });
    this.worker.on("failed", (job, error) =>
      options.log.warn({ err: error, postId: job?.data.postId }, "metrics poll failed"),
    );
    this.worker.on("error", (error) => options.log.warn({ err: error }, "metrics worker error"));
  }

  /** Polls the published post from now until its window ends (a post published long ago is not polled). */
  async track(post: Post): Promise<void> {
    const publishedAt = post.publishedAt?.getTime() ?? Date.now();
    const endDate = publishedAt + this.options.windowMs;
    if (endDate <= Date.now()) return;
    await this.queue.upsertJobScheduler(
      schedulerId(post.id),
      { every: this.options.pollSeconds * 1_000, endDate },
      { name: "metrics", data: { postId: post.id } },
    );
  }

  async untrack(postId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(postId));
  }

  /** Whether the post has a scheduler (for tests and health). */
  async tracks(postId: string): Promise<boolean> {
    return !!(await this.queue.getJobScheduler(schedulerId(postId)));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
