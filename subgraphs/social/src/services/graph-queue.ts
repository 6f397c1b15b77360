import { Queue, Worker } from "bullmq";
import type { Logger } from "@mary/kit";
import type { SocialAccount } from "../types/social-account.type.ts";

export interface GraphJobData {
  workspaceId: string;
  accountId: string;
}

export interface GraphQueueOptions {
  redisUrl: string;
  /** SOCIAL_QUEUE_PREFIX: every social process of a deployment shares `<prefix>-graph`. */
  prefix: string;
  /** GRAPH_REFRESH_SECONDS: how often each account's follows and followers are imported again. */
  refreshSeconds: number;
  lockMs: number;
  log: Logger;
}

export const graphQueueName = (prefix: string) => `${prefix}-graph`;
const schedulerId = (accountId: string) => `graph-${accountId}`;

/**
 * The follow graph's import as BullMQ work: one job scheduler per account (every
 * GRAPH_REFRESH_SECONDS, its first run at once, which is the import on connect), run by whichever
 * social process takes it. A job whose account is gone removes its scheduler.
 */
export class GraphQueue {
  readonly queue: Queue<GraphJobData>;
  private worker: Worker<GraphJobData> | null = null;

  constructor(private readonly options: GraphQueueOptions) {
    this.queue = new Queue<GraphJobData>(graphQueueName(options.prefix), {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      defaultJobOptions: {
        removeOnComplete: { count: 100 },
        removeOnFail: { count: 1_000 },
        attempts: 3,
        backoff: { type: "exponential", delay: 5_000 },
      },
    });
    // A Redis outage surfaces here too: logged (BullMQ reconnects by itself), never an unhandled error event.
    this.queue.on("error", (error) => options.log.warn({ err: error }, "graph queue error"));
  }

  /** Runs `refresh` for each job; it answers false when the account is gone. */
  start(refresh: (data: GraphJobData) => Promise<boolean>): void {
    const { options } = this;
    this.worker = new Worker<GraphJobData>(
      graphQueueName(options.prefix),
      async (job) => {
        if (!(await refresh(job.data))) await this.untrack(job.data.accountId);
      },
      {
        connection: { url: options.redisUrl, maxRetriesPerRequest: null },
        concurrency: 2,
        lockDuration: options.lockMs,
      },
    );
    this.worker.on("failed", (job, error) =>
      options.log.warn({ err: error, accountId: job?.data.accountId }, "graph refresh failed"),
    );
    this.worker.on("error", (error) => options.log.warn({ err: error }, "graph worker error"));
  }

  /** Imports the account's graph now and then every GRAPH_REFRESH_SECONDS. */
  async track(account: Pick<SocialAccount, "id" | "workspaceId">): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerId(account.id),
      { every: this.options.refreshSeconds * 1_000 },
      { name: "graph", data: { workspaceId: account.workspaceId, accountId: account.id } },
    );
  }

  async untrack(accountId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(accountId));
  }

  async tracks(accountId: string): Promise<boolean> {
    return !!(await this.queue.getJobScheduler(schedulerId(accountId)));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
