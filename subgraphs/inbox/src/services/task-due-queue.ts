import { Queue, Worker } from "bullmq";
import type { Logger } from "@mary/kit";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { InboxEventRecord } from "./inbox-events.ts";

/** Where TASK_DUE and TASK_OVERDUE events go (the inbox's event streams). */
export interface TaskEventSink {
  publish(events: Omit<InboxEventRecord, "at">[]): Promise<void>;
}

export interface TaskDueOptions {
  orm: MikroORM;
  events: TaskEventSink;
  redisUrl: string;
  /** The BullMQ queue every inbox process of one deployment shares. */
  queueName: string;
  /** How often the check runs (a BullMQ job scheduler: one job per tick for all processes). */
  checkSeconds: number;
  /** A task is "due soon" (TASK_DUE) this many minutes before its due time. */
  soonMinutes: number;
  log: Logger;
}

/** What one check published. */
export interface TaskDueReport {
  due: number;
  overdue: number;
}

/** Tasks marked per statement; a check goes on until a batch is not full. */
const BATCH = 500;

interface MarkedTask {
  id: string;
  workspace_id: string;
  assignee_id: string | null;
  created_by: string;
}

/**
 * Due and overdue tasks as inbox events. A BullMQ job scheduler runs `check` every
 * TASK_DUE_CHECK_SECONDS on one of the inbox processes; it selects the open (not DONE) tasks due
 * within TASK_DUE_SOON_MINUTES (TASK_DUE) or past due (TASK_OVERDUE) that are not yet notified,
 * marks them in the same statement (UPDATE … RETURNING over rows locked with SKIP LOCKED), and
 * publishes one event to the assignee's stream and to the creator's, when another member. Two
 * processes checking at once never mark, so never publish, the same task twice; the marks are
 * reset when a task's due time changes (TaskService), so a new due time is notified again. If
 * Redis refuses the events, the marks are taken back and the next check tries again.
 */
export class TaskDueNotifier {
  private readonly queue: Queue;
  private worker: Worker | null = null;

  constructor(private readonly options: TaskDueOptions) {
    this.queue = new Queue(options.queueName, {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      defaultJobOptions: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
    });
    this.queue.on("error", (error) => options.log.warn({ err: error }, "task due queue error"));
  }

  /** Schedules the check (idempotent across processes: one scheduler id) and starts this process's worker. */
  async start(): Promise<void> {
    await this.queue.upsertJobScheduler(
      "task-due-check",
      { every: this.options.checkSeconds * 1_000 },
      { name: "task-due-check", data: {} },
    );
    this.worker = new Worker(
      this.options.queueName,
      async () => {
        const report = await this.check();
        if (report.due || report.overdue) this.options.log.debug({ ...report }, "task due check published");
      },
      { connection: { url: this.options.redisUrl, maxRetriesPerRequest: null }, concurrency: 1 },
    );
    this.worker.on("failed", (_job, error) => this.options.log.warn({ err: error }, "task due check failed"));
    this.worker.on("error", (error) => this.options.log.warn({ err: error }, "task due worker error"));
  }

  /** Marks and publishes every task due soon or overdue that was not yet notified; returns how many of each. */
  async check(): Promise<TaskDueReport> {
    const due = await this.markAndPublish(
      "TASK_DUE",
      "due_notified_at",
      `t.due_at > now() and t.due_at <= now() + make_interval(mins => ?)`,
      [this.options.soonMinutes],
    );
    const overdue = await this.markAndPublish("TASK_OVERDUE", "overdue_notified_at", `t.due_at <= now()`, []);
    return { due, overdue };
  }

  private async markAndPublish(
    type: "TASK_DUE" | "TASK_OVERDUE",
    column: "due_notified_at" | "overdue_notified_at",
    when: string,
    params: unknown[],
  ): Promise<number> {
    let published = 0;
    for (;;) {
      const em = this.options.orm.em.fork();
      const marked = await em.execute<MarkedTask[]>(
        `update tasks u set ${column} = now()
         from (
           select t.id from tasks t
           where t.status <> 'DONE' and t.due_at is not null and t.${column} is null and ${when}
           order by t.due_at limit ? for update skip locked
         ) s
         where u.id = s.id
         returning u.id, u.workspace_id, u.assignee_id, u.created_by`,
        [...params, BATCH],
      );
      if (!marked.length) return published;
      const events = marked.flatMap((task) =>
        [...new Set([task.assignee_id, task.created_by].filter((id): id is string => id !== null))].map((userId) => ({
          type,
          workspaceId: task.workspace_id,
          userId,
          taskId: task.id,
        })),
      );
      try {
        await this.options.events.publish(events);
      } catch (error) {
        // Not published: unmarked, so the next check tries again.
        await em.execute(`update tasks set ${column} = null where id in (?)`, [marked.map((task) => task.id)]);
        throw error;
      }
      published += marked.length;
      if (marked.length < BATCH) return published;
    }
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
