import { Queue, UnrecoverableError, Worker } from "bullmq";
import type { Logger } from "@mary/kit";
import { CalDavAuthError } from "./caldav-client.ts";
import type { CalDavScheduling, CalDavSyncReport } from "./caldav-sync.service.ts";

export interface CalDavSyncJobData {
  calendarId: string;
}

export interface CalDavSyncQueueOptions {
  redisUrl: string;
  /** The queue's name: every inbox process of a deployment uses the same one. */
  name: string;
  /** How often each calendar is synced. */
  everySeconds: number;
  /** Syncs one process runs at once (default 2). */
  concurrency?: number;
  /** How long a job's lock lives without renewal: a killed worker's job is taken over after this (default 30 s). */
  lockMs?: number;
  log: Logger;
}

/**
 * CalDAV syncs as BullMQ jobs shared by every inbox process: each CalDAV calendar has a job
 * scheduler running a sync every CALDAV_SYNC_SECONDS (its first one a period after connecting,
 * which syncs at once by itself). A failed sync is retried with backoff, except a refused login,
 * which waits for the next tick. A job whose worker died (its lock not renewed) is taken over by
 * another worker; the calendar's advisory lock (see CalDavSyncService) keeps its syncs from
 * overlapping. A calendar deleted since has its scheduler removed by its next job.
 */
export class CalDavSyncQueue implements CalDavScheduling {
  private readonly queue: Queue<CalDavSyncJobData>;
  private worker: Worker<CalDavSyncJobData> | null = null;

  constructor(private readonly options: CalDavSyncQueueOptions) {
    this.queue = new Queue<CalDavSyncJobData>(options.name, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      defaultJobOptions: {
        attempts: 4,
        backoff: { type: "exponential", delay: 5_000 },
        removeOnComplete: { count: 1_000 },
        removeOnFail: { count: 1_000 },
      },
    });
    // A Redis outage surfaces here too: logged (BullMQ reconnects by itself), never an unhandled error event.
    this.queue.on("error", (error) => options.log.warn({ err: error }, "CalDAV sync queue error"));
  }

  /** Starts this process's worker, running `sync` for each job taken. */
  start(sync: (calendarId: string) => Promise<CalDavSyncReport>): void {
    const lockMs = this.options.lockMs ?? 30_000;
    this.worker = new Worker<CalDavSyncJobData>(
      this.options.name,
      async (job) => {
        const { calendarId } = job.data;
        let report: CalDavSyncReport;
        try {
          report = await sync(calendarId);
        } catch (error) {
          // Retrying a refused login soon would only be refused again (and may lock the account).
          if (error instanceof CalDavAuthError) throw new UnrecoverableError(error.message);
          throw error;
        }
        if (report.skipped === "missing") await this.unschedule(calendarId);
        else if (!report.skipped) this.options.log.debug({ calendarId, ...report }, "CalDAV sync finished");
      },
      {
        connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
        concurrency: this.options.concurrency ?? 2,
        lockDuration: lockMs,
        stalledInterval: Math.max(1_000, Math.floor(lockMs / 2)),
        maxStalledCount: 3,
      },
    );
    this.worker.on("failed", (job, error) =>
      this.options.log.warn(
        { err: error, calendarId: job?.data.calendarId, attempt: job?.attemptsMade },
        "CalDAV sync failed",
      ),
    );
    this.worker.on("error", (error) => this.options.log.warn({ err: error }, "CalDAV sync worker error"));
  }

  /** Keeps the calendar on the schedule (idempotent: one scheduler per calendar, for all processes). */
  async schedule(calendarId: string): Promise<void> {
    const every = this.options.everySeconds * 1_000;
    await this.queue.upsertJobScheduler(
      schedulerId(calendarId),
      { every, startDate: Date.now() + every },
      { name: "caldav-sync", data: { calendarId } },
    );
  }

  async unschedule(calendarId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(calendarId));
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}

const schedulerId = (calendarId: string) => `calendar-${calendarId}`;
