import { Queue, Worker, type Job } from "bullmq";
import type { Logger } from "@mary/kit";
import type { MailAccount } from "../entities/mail-account.entity.ts";
import type { SyncScheduling } from "./mail-account.service.ts";

export interface SyncJobData {
  accountId: string;
}

export interface SyncQueueOptions {
  redisUrl: string;
  /** The queue's name: every inbox process of a deployment uses the same one. */
  name: string;
  pollSeconds: number;
  concurrency: number;
  /** How long a job's lock lives without renewal: a killed worker's job is taken over after this. */
  lockMs: number;
  log: Logger;
}

/**
 * Syncs as BullMQ jobs, so every inbox process shares them: each account has a job scheduler
 * (its polling), a new account gets a job at once, and a job whose worker died (its lock not
 * renewed) is taken back by another worker. One account's syncs never overlap: a job id per
 * account and schedule tick, and the sync itself is idempotent (see SyncService).
 */
export class SyncQueue implements SyncScheduling {
  private readonly queue: Queue<SyncJobData>;
  private worker: Worker<SyncJobData> | null = null;

  constructor(private readonly options: SyncQueueOptions) {
    this.queue = new Queue<SyncJobData>(options.name, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: "exponential", delay: 2_000 },
        removeOnComplete: { count: 1_000 },
        removeOnFail: { count: 1_000 },
      },
    });
    // A Redis outage surfaces here too: logged (BullMQ reconnects by itself), never an unhandled error event.
    this.queue.on("error", (error) => options.log.warn({ err: error }, "sync queue error"));
  }

  /** Starts this process's worker, running `sync` for each job taken. */
  start(sync: (accountId: string, job: Job<SyncJobData>) => Promise<void>): void {
    this.worker = new Worker<SyncJobData>(this.options.name, (job) => sync(job.data.accountId, job), {
      connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: Math.max(1_000, Math.floor(this.options.lockMs / 2)),
      maxStalledCount: 3,
    });
    this.worker.on("failed", (job, error) =>
      this.options.log.warn({ err: error, accountId: job?.data.accountId, attempt: job?.attemptsMade }, "sync failed"),
    );
    this.worker.on("error", (error) => this.options.log.warn({ err: error }, "sync worker error"));
  }

  async schedule(account: MailAccount): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerId(account.id),
      { every: this.options.pollSeconds * 1_000 },
      { name: "sync", data: { accountId: account.id } },
    );
    await this.syncNow(account.id);
  }

  /** Queues a sync now (one waiting at a time per account: a second call while one waits adds nothing). */
  async syncNow(accountId: string): Promise<void> {
    await this.queue.add("sync", { accountId }, { jobId: `now-${accountId}-${Math.floor(Date.now() / 1000)}` });
  }

  async unschedule(accountId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(accountId));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}

const schedulerId = (accountId: string) => `account-${accountId}`;
