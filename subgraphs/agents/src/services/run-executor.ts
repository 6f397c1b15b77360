import { randomUUID } from "node:crypto";
import type { AuthenticatedPrincipal, Logger, Redis } from "@mary/kit";
import { ProviderError, type ChatMessage, type ModelProvider } from "../providers/provider.ts";
import type { AgentStore } from "../store.ts";
import { ToolError, type ToolGateway } from "../tools/tool-gateway.ts";
import { Toolbox } from "../tools/toolbox.ts";
import type { Agent, AgentProvider } from "../types/agent.type.ts";
import type { RunEventDocument } from "../types/event.type.ts";
import type { AgentRun, RunStatus } from "../types/run.type.ts";
import type { RunLog } from "./run-log.ts";
import { expireLiveState, saveLiveState } from "./run-state.ts";

/** A run handed to the executor, with the principal its tools act as (kept in memory only). */
export interface RunJob {
  run: AgentRun;
  agent: Agent;
  principal: AuthenticatedPrincipal;
  /** The sequence number of the run's next event. */
  nextSeq: number;
}

export interface RunExecutorOptions {
  store: AgentStore;
  log: RunLog;
  redis: Redis;
  providers: Partial<Record<AgentProvider, ModelProvider>>;
  gateway: ToolGateway;
  logger: Logger;
  /** Runs generating at once in this process; later ones wait QUEUED. */
  concurrency: number;
  /** Model turns that may end in tool calls before the run is failed. */
  maxToolRounds: number;
}

/** How often the output so far is saved in the run's live state, at most (one save in flight at a time). */
const FLUSH_INTERVAL_MS = 500;
/** How often a process renews its liveness key, and how long the key outlives a silent process. */
export const LIVENESS_INTERVAL_MS = 5_000;
const LIVENESS_TTL_MS = 3 * LIVENESS_INTERVAL_MS;
/** How long an end claim and a cancel request are kept (runs do not last a day). */
const RUN_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Present while the agents process is alive (renewed every 5 s, gone 15 s after it stops). */
export const workerKey = (workerId: string) => `agents:worker:${workerId}`;
/** Set by cancelAgentRun: the worker stops the run at its next step. */
export const cancelKey = (runId: string) => `agents:run:${runId}:cancel`;
/** Whoever sets it first (NX) writes the run's end: its worker, or a process ending it as abandoned. */
export const endClaimKey = (runId: string) => `agents:run:${runId}:ended`;

/** Runs that ended but whose events are not yet archived in MongoDB (a sweep retries them). */
export const UNARCHIVED_RUNS = "agents:unarchived-runs";

/** Claims the right to end a run; false when another writer has it already. */
export async function claimEnd(redis: Redis, runId: string, by: string): Promise<boolean> {
  return (await redis.set(endClaimKey(runId), by, "PX", RUN_KEY_TTL_MS, "NX")) === "OK";
}

export const requestCancel = (redis: Redis, runId: string) => redis.set(cancelKey(runId), "1", "PX", RUN_KEY_TTL_MS);

/**
 * Retries a write that failed for a passing reason (FerretDB on SQLite answers SQLITE_BUSY under
 * load): five tries over about 1.5 s, then the error stands.
 */
export async function retried<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

const CANCELLED = "cancelled";
const SHUTDOWN = "shutdown";
const INTERNAL_FAILURE = "The run stopped because of an internal error";

/**
 * Writes one run: its events in order, its live state in Redis while it runs (status, output
 * so far, every 500 ms or so, in the background so tokens never wait), and its document once, at
 * the end (run-state.ts says why). Only this writer changes the run while it lives (cancel
 * requests and liveness are in Redis too), so FerretDB's non-atomic updates cannot lose a field.
 */
class RunWriter {
  output = "";
  tokensUsed = 0;
  private startedAt: Date | null = null;
  private lastFlush = Date.now();
  private flushing = false;

  constructor(
    private readonly job: RunJob,
    private readonly options: RunExecutorOptions,
    private readonly workerId: string,
    private readonly onCancelRequested: () => void = () => {},
  ) {}

  async emit(event: Omit<RunEventDocument, "runId" | "workspaceId" | "seq" | "at">): Promise<void> {
    const { run } = this.job;
    await this.options.log.append({
      ...event,
      runId: run._id,
      workspaceId: run.workspaceId,
      seq: this.job.nextSeq++,
      at: new Date(),
    });
    if (Date.now() - this.lastFlush >= FLUSH_INTERVAL_MS) this.flush();
  }

  async token(text: string): Promise<void> {
    this.output += text;
    await this.emit({ type: "TOKEN", delta: text });
  }

  /** Saves the output so far (in the background), and notices a cancel request whose message was lost. */
  flush(): void {
    this.lastFlush = Date.now();
    if (this.flushing) return;
    this.flushing = true;
    const { redis, logger } = this.options;
    const runId = this.job.run._id;
    void saveLiveState(redis, runId, { output: this.output, tokensUsed: this.tokensUsed })
      .catch((error: unknown) => logger.warn({ err: error, runId }, "could not save a run's output"))
      .finally(() => (this.flushing = false));
    void redis.exists(cancelKey(runId)).then(
      (requested) => requested && this.onCancelRequested(),
      () => {},
    );
  }

  async setStatus(status: RunStatus, error: string | null = null): Promise<void> {
    const now = new Date();
    const { redis, log, logger } = this.options;
    const runId = this.job.run._id;
    if (status === "RUNNING") {
      this.startedAt = now;
      await saveLiveState(redis, runId, { status, startedAt: now, heartbeatAt: now });
      await this.emit({ type: "STATUS", status });
      return;
    }
    // A process that took this run for abandoned has ended it already: its end stands.
    if (!(await claimEnd(redis, runId, this.workerId))) return;
    // Listed before anything is written: a sweep finishes what a process dying from here leaves.
    await redis.sadd(UNARCHIVED_RUNS, runId);
    const { output, tokensUsed, startedAt } = this;
    // The events still to come are ERROR (when failed) and this STATUS: the run's last number is known.
    const eventCount = this.job.nextSeq - 1 + (error ? 2 : 1);
    try {
      const ending = { status, output, tokensUsed, error, startedAt, finishedAt: now, heartbeatAt: now, eventCount };
      await retried(() => this.options.store.runs.updateOne({ _id: runId }, { $set: ending }));
    } catch (writeError) {
      // The stream is the run's record: it still gets its end, and a sweep brings the document in line.
      logger.error({ err: writeError, runId }, "could not save a run's final status");
    }
    // The document is written first, so a subscriber that reads the run on this event sees the new status.
    if (error) await this.emit({ type: "ERROR", error });
    await this.emit({ type: "STATUS", status });
    await expireLiveState(redis, runId).catch(() => {});
    // Left unarchived, the run stays in the set and a later sweep archives it (RunService).
    await retried(() => log.archive(runId))
      .then(() => redis.srem(UNARCHIVED_RUNS, runId))
      .catch((archiveError: unknown) => logger.warn({ err: archiveError, runId }, "could not archive a run's events"));
  }
}

/**
 * Runs agents in the background of this process: a FIFO queue, a bounded number generating at
 * once, cancellation within one step (the model stream is aborted), and a liveness key in Redis
 * so that runs of a process that died can be ended by another (RunService).
 */
export class RunExecutor {
  /** This process, as runs' `workerId` names it. */
  readonly workerId = randomUUID();
  private readonly queue: RunJob[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly liveness: NodeJS.Timeout;

  constructor(private readonly options: RunExecutorOptions) {
    this.liveness = setInterval(() => void this.renewLiveness(), LIVENESS_INTERVAL_MS);
    this.liveness.unref();
  }

  /** Marks this process alive before it takes runs. */
  async start(): Promise<void> {
    await this.renewLiveness();
  }

  submit(job: RunJob): void {
    this.queue.push(job);
    this.pump();
  }

  /** Stops a run held by this process, if it holds it. */
  cancel(runId: string): void {
    const index = this.queue.findIndex((job) => job.run._id === runId);
    if (index >= 0) {
      const [job] = this.queue.splice(index, 1);
      void this.finishUnstarted(job!, "CANCELLED");
    }
    this.running.get(runId)?.abort(CANCELLED);
  }

  /** Ids of the runs this process holds, queued or running. */
  get heldRuns(): string[] {
    return [...this.running.keys(), ...this.queue.map((job) => job.run._id)];
  }

  /** Stops every run it holds; they end FAILED, with their output kept. */
  async close(): Promise<void> {
    clearInterval(this.liveness);
    const queued = this.queue.splice(0);
    await Promise.all(queued.map((job) => this.finishUnstarted(job, "FAILED")));
    for (const controller of this.running.values()) controller.abort(SHUTDOWN);
    while (this.running.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await this.options.redis.del(workerKey(this.workerId)).catch(() => {});
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      const controller = new AbortController();
      this.running.set(job.run._id, controller);
      void this.execute(job, controller.signal).finally(() => {
        this.running.delete(job.run._id);
        this.pump();
      });
    }
  }

  private async renewLiveness(): Promise<void> {
    await this.options.redis
      .set(workerKey(this.workerId), "1", "PX", LIVENESS_TTL_MS)
      .catch((error: unknown) => this.options.logger.warn({ err: error }, "could not renew the process's liveness"));
  }

  private async finishUnstarted(job: RunJob, status: "CANCELLED" | "FAILED"): Promise<void> {
    const writer = new RunWriter(job, this.options, this.workerId);
    await writer
      .setStatus(status, status === "FAILED" ? "The agents service stopped before the run began" : null)
      .catch((error: unknown) => this.options.logger.error({ err: error, runId: job.run._id }, "could not end run"));
  }

  private async execute(job: RunJob, signal: AbortSignal): Promise<void> {
    const { redis, logger } = this.options;
    const writer = new RunWriter(job, this.options, this.workerId, () => this.cancel(job.run._id));
    try {
      if (await redis.exists(cancelKey(job.run._id))) return await writer.setStatus("CANCELLED");
      await writer.setStatus("RUNNING");
      await this.generate(job, writer, signal);
      await writer.setStatus("SUCCEEDED");
    } catch (error) {
      try {
        if (signal.aborted && signal.reason === CANCELLED) await writer.setStatus("CANCELLED");
        else if (signal.aborted) await writer.setStatus("FAILED", "The agents service stopped during the run");
        else if (error instanceof ProviderError) {
          logger.warn({ err: error, runId: job.run._id }, "run failed");
          await writer.setStatus("FAILED", error.message);
        } else {
          // Ours, not the model's: the owner is told so, without internals; the log has the rest.
          logger.error({ err: error, runId: job.run._id }, "run failed");
          await writer.setStatus("FAILED", INTERNAL_FAILURE);
        }
      } catch (writeError) {
        logger.error({ err: writeError, runId: job.run._id }, "could not end run");
      }
    }
  }

  /** The model's turns: stream tokens, run the tools it calls, feed their results back, until it answers. */
  private async generate(job: RunJob, writer: RunWriter, signal: AbortSignal): Promise<void> {
    const { agent, run, principal } = job;
    const provider = this.options.providers[agent.provider];
    if (!provider) throw new ProviderError(`The ${agent.provider} provider is not configured on this server`);
    const toolbox = new Toolbox(agent.tools, principal, this.options.gateway);
    const messages: ChatMessage[] = [
      ...(agent.instructions ? [{ role: "system" as const, content: agent.instructions }] : []),
      { role: "user", content: run.input },
    ];
    for (let round = 0; ; round++) {
      let text = "";
      const calls: { id: string; name: string; arguments: string }[] = [];
      for await (const chunk of provider.stream({ model: agent.model, messages, tools: toolbox.specs, signal })) {
        if (chunk.kind === "token") {
          text += chunk.text;
          await writer.token(chunk.text);
        } else if (chunk.kind === "usage") writer.tokensUsed += chunk.tokens;
        else calls.push(chunk);
      }
      signal.throwIfAborted();
      if (calls.length === 0) return;
      if (round >= this.options.maxToolRounds) {
        throw new ProviderError(`The model was still calling tools after ${this.options.maxToolRounds} rounds`);
      }
      messages.push({
        role: "assistant",
        content: text || null,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: "function" as const,
          function: { name: call.name, arguments: call.arguments },
        })),
      });
      for (const call of calls) {
        await writer.emit({ type: "TOOL_CALL", toolCall: { ...call, result: null, error: null } });
        const outcome = await toolbox.call(call.name, call.arguments).then(
          (result) => ({ result: JSON.stringify(result ?? null), error: null }),
          (error: unknown) => {
            if (!(error instanceof ToolError))
              this.options.logger.error({ err: error, tool: call.name }, "tool crashed");
            return { result: null, error: error instanceof ToolError ? error.message : "The tool failed" };
          },
        );
        signal.throwIfAborted();
        await writer.emit({ type: "TOOL_RESULT", toolCall: { ...call, ...outcome } });
        messages.push({
          role: "tool",
          tool_call_id: call.id,
          content: outcome.error ? JSON.stringify({ error: outcome.error }) : outcome.result!,
        });
      }
    }
  }
}
