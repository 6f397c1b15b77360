import type { AuthenticatedPrincipal, Logger } from "@mary/kit";
import type { ChatMessage, ModelProvider } from "../providers/provider.ts";
import type { AgentStore } from "../store.ts";
import { ToolError, type ToolGateway } from "../tools/tool-gateway.ts";
import { Toolbox } from "../tools/toolbox.ts";
import type { Agent, AgentProvider } from "../types/agent.type.ts";
import type { RunEventDocument } from "../types/event.type.ts";
import type { AgentRun, RunStatus } from "../types/run.type.ts";
import type { RunEventBus } from "./run-event-bus.ts";

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
  bus: RunEventBus;
  providers: Partial<Record<AgentProvider, ModelProvider>>;
  gateway: ToolGateway;
  log: Logger;
  /** Runs generating at once in this process; later ones wait QUEUED. */
  concurrency: number;
  /** Model turns that may end in tool calls before the run is failed. */
  maxToolRounds: number;
}

/** How often the output so far is saved on the run, and its worker's heartbeat refreshed. */
const FLUSH_INTERVAL_MS = 250;
export const HEARTBEAT_INTERVAL_MS = 5_000;

const CANCELLED = "cancelled";
const SHUTDOWN = "shutdown";

/** Writes one run's events in order and keeps its document up to date. */
class RunWriter {
  output = "";
  tokensUsed = 0;
  private lastFlush = Date.now();

  constructor(
    private readonly job: RunJob,
    private readonly store: AgentStore,
    private readonly bus: RunEventBus,
    private readonly onCancelRequested: () => void = () => {},
  ) {}

  async emit(event: Omit<RunEventDocument, "runId" | "workspaceId" | "seq" | "at">): Promise<void> {
    const { run } = this.job;
    await this.bus.emit({
      ...event,
      runId: run._id,
      workspaceId: run.workspaceId,
      seq: this.job.nextSeq++,
      at: new Date(),
    });
    if (Date.now() - this.lastFlush >= FLUSH_INTERVAL_MS) await this.flush();
  }

  async token(text: string): Promise<void> {
    this.output += text;
    await this.emit({ type: "TOKEN", delta: text });
  }

  /** Saves the output so far; also how a cancel request whose Redis message was lost still arrives. */
  async flush(): Promise<void> {
    this.lastFlush = Date.now();
    // (FerretDB's findAndModify takes no projection, so the whole document comes back.)
    const saved = await this.store.runs.findOneAndUpdate(
      { _id: this.job.run._id },
      { $set: { output: this.output, tokensUsed: this.tokensUsed, heartbeatAt: new Date() } },
    );
    if (saved?.cancelRequestedAt) this.onCancelRequested();
  }

  async setStatus(status: RunStatus, error: string | null = null): Promise<void> {
    const now = new Date();
    const finished = status !== "RUNNING";
    await this.store.runs.updateOne(
      { _id: this.job.run._id },
      {
        $set: {
          status,
          output: this.output,
          tokensUsed: this.tokensUsed,
          heartbeatAt: now,
          ...(finished ? { finishedAt: now, error } : { startedAt: now }),
        },
      },
    );
    // The document is written first, so a subscriber that reads the run on this event sees the new status.
    if (error) await this.emit({ type: "ERROR", error });
    await this.emit({ type: "STATUS", status });
  }
}

/**
 * Runs agents in the background of this process: a FIFO queue, a bounded number generating at
 * once, cancellation within one step (the model stream is aborted), and a heartbeat on every
 * run it holds so that runs of a process that died can be failed by another (RunService).
 */
export class RunExecutor {
  private readonly queue: RunJob[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: RunExecutorOptions) {
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
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
    clearInterval(this.heartbeat);
    const queued = this.queue.splice(0);
    await Promise.all(queued.map((job) => this.finishUnstarted(job, "FAILED")));
    for (const controller of this.running.values()) controller.abort(SHUTDOWN);
    while (this.running.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
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

  private async beat(): Promise<void> {
    const held = this.heldRuns;
    if (held.length === 0) return;
    await this.options.store.runs
      .updateMany({ _id: { $in: held } }, { $set: { heartbeatAt: new Date() } })
      .catch((error: unknown) => this.options.log.warn({ err: error }, "run heartbeat failed"));
  }

  private async finishUnstarted(job: RunJob, status: "CANCELLED" | "FAILED"): Promise<void> {
    const writer = new RunWriter(job, this.options.store, this.options.bus);
    await writer
      .setStatus(status, status === "FAILED" ? "The agents service stopped before the run began" : null)
      .catch((error: unknown) => this.options.log.error({ err: error, runId: job.run._id }, "could not end run"));
  }

  private async execute(job: RunJob, signal: AbortSignal): Promise<void> {
    const { store, bus, log } = this.options;
    const writer = new RunWriter(job, store, bus, () => this.cancel(job.run._id));
    try {
      const current = await store.runs.findOne({ _id: job.run._id }, { projection: { cancelRequestedAt: 1 } });
      if (current?.cancelRequestedAt) return await writer.setStatus("CANCELLED");
      await writer.setStatus("RUNNING");
      await this.generate(job, writer, signal);
      await writer.setStatus("SUCCEEDED");
    } catch (error) {
      try {
        if (signal.aborted && signal.reason === CANCELLED) await writer.setStatus("CANCELLED");
        else if (signal.aborted) await writer.setStatus("FAILED", "The agents service stopped during the run");
        else {
          log.warn({ err: error, runId: job.run._id }, "run failed");
          await writer.setStatus("FAILED", failureMessage(error));
        }
      } catch (writeError) {
        log.error({ err: writeError, runId: job.run._id }, "could not end run");
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
            if (!(error instanceof ToolError)) this.options.log.error({ err: error, tool: call.name }, "tool crashed");
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

/** A failure whose message is meant for the run's owner. */
class ProviderError extends Error {}

/** What a failed run says: our own messages as they are, a provider's error named as the provider's. */
function failureMessage(error: unknown): string {
  if (error instanceof ProviderError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `The model provider failed: ${message}`.slice(0, 500);
}
