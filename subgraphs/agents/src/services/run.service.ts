import { randomUUID } from "node:crypto";
import {
  badUserInput,
  DEFAULT_PAGE_SIZE,
  forbidden,
  MAX_PAGE_SIZE,
  notFound,
  requiredText,
  type AuthenticatedPrincipal,
  type Connection,
  type Logger,
  type PageRequest,
  type Redis,
} from "@mary/kit";
import type { AgentStore } from "../store.ts";
import { eventCursor, seqOfCursor, toRunEvent, type AgentRunEvent } from "../types/event.type.ts";
import { isFinished, type AgentRun, type RunStatus } from "../types/run.type.ts";
import type { AgentService } from "./agent.service.ts";
import { timeKeysetFilter, toTimeConnection } from "./paging.ts";
import { isLastEvent, type RunEventBus } from "./run-event-bus.ts";
import { HEARTBEAT_INTERVAL_MS, type RunExecutor } from "./run-executor.ts";

/** Every agents process listens here for runs to stop; the one holding the run stops it. */
export const CANCEL_CHANNEL = "agents:cancel";

const MAX_INPUT = 100_000;
/** A run whose worker has not been heard of for this long is abandoned (the process died). */
const ABANDONED_AFTER_MS = 12 * HEARTBEAT_INTERVAL_MS;
/** How long cancelAgentRun waits for the worker to confirm. */
const CANCEL_WAIT_MS = 2_000;

/** Runs of agents: start, cancel, read, and page through their events. */
export class RunService {
  constructor(
    private readonly store: AgentStore,
    private readonly agents: AgentService,
    private readonly bus: RunEventBus,
    private readonly executor: RunExecutor,
    private readonly publisher: Redis,
    private readonly log: Logger,
  ) {}

  /** Records the run as QUEUED and hands it to this process's executor; returns at once. */
  async start(caller: AuthenticatedPrincipal, agentId: string, input: string): Promise<AgentRun> {
    const text = requiredText(input, "input", MAX_INPUT);
    const agent = await this.agents.get(caller, agentId);
    const now = new Date();
    const run: AgentRun = {
      _id: randomUUID(),
      workspaceId: caller.workspaceId,
      agentId: agent._id,
      startedById: caller.userId,
      status: "QUEUED",
      input: text,
      output: "",
      tokensUsed: 0,
      error: null,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      cancelRequestedAt: null,
      heartbeatAt: now,
    };
    await this.store.runs.insertOne(run);
    await this.bus.emit({
      runId: run._id,
      workspaceId: run.workspaceId,
      seq: 1,
      type: "STATUS",
      status: "QUEUED",
      at: now,
    });
    this.executor.submit({ run, agent, principal: caller, nextSeq: 2 });
    return run;
  }

  /**
   * Asks the process holding the run to stop it and waits (up to 2 s) until it has, so the
   * run returned is normally final. A finished run is returned as it is.
   */
  async cancel(caller: AuthenticatedPrincipal, id: string): Promise<AgentRun> {
    const run = await this.get(caller, id);
    if (isFinished(run.status)) return run;
    await this.store.runs.updateOne({ _id: id }, { $set: { cancelRequestedAt: new Date() } });
    await this.publisher.publish(CANCEL_CHANNEL, id);
    const deadline = Date.now() + CANCEL_WAIT_MS;
    for (;;) {
      const current = await this.get(caller, id);
      if (isFinished(current.status)) return current;
      if (Date.now() > deadline) {
        // A worker that is alive stops at its next step (it also sees the request when it saves
        // the output); one not heard of for two heartbeats has died, so the run ends here.
        if (Date.now() - current.heartbeatAt.getTime() < 2 * HEARTBEAT_INTERVAL_MS) return current;
        await this.endAbandoned(current, "CANCELLED");
        return this.get(caller, id);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async get(caller: AuthenticatedPrincipal, id: string): Promise<AgentRun> {
    const run = await this.store.runs.findOne({ _id: id, workspaceId: caller.workspaceId });
    if (!run) throw notFound("Agent run");
    return run;
  }

  /** Runs by id in the workspace, in the order asked; null for others' and missing ones. */
  async many(workspaceId: string, ids: readonly string[]): Promise<(AgentRun | null)[]> {
    const found = await this.store.runs.find({ _id: { $in: [...ids] }, workspaceId }).toArray();
    const byId = new Map(found.map((run) => [run._id, run]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  list(workspaceId: string, agentId: string, page: PageRequest): Promise<Connection<AgentRun>> {
    return toTimeConnection(
      this.store.runs
        .find({ workspaceId, agentId, ...timeKeysetFilter(page) })
        .sort({ createdAt: -1, _id: -1 })
        .limit(page.first + 1)
        .toArray(),
      page,
    );
  }

  /** A page of the run's stored events after the cursor, in order. */
  async events(run: AgentRun, after: string | null, first: number | null): Promise<Connection<AgentRunEvent>> {
    const size = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}`, "first");
    }
    const afterSeq = seqOfCursor(after);
    const rows = await this.bus.stored(run._id, afterSeq, size + 1);
    const edges = rows.slice(0, size).map((row) => ({ cursor: eventCursor(row.seq), node: toRunEvent(row) }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > size,
        hasPreviousPage: afterSeq > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }

  /** The run's events after the cursor: stored, then live, once each, until the run ends. */
  async subscribe(caller: AuthenticatedPrincipal, runId: string, after: string | null) {
    const afterSeq = seqOfCursor(after);
    const run = await this.store.runs.findOne({ _id: runId }, { projection: { workspaceId: 1 } });
    if (!run) throw notFound("Agent run");
    // Run ids are random UUIDs; saying that one belongs elsewhere tells nothing about its content.
    if (run.workspaceId !== caller.workspaceId) throw forbidden("This run belongs to another workspace");
    return this.bus.stream(runId, afterSeq);
  }

  /** Fails the runs whose worker stopped sending heartbeats. Any process may call it; one wins per run. */
  async failAbandoned(): Promise<number> {
    const stale = await this.store.runs
      .find({ status: { $in: ["QUEUED", "RUNNING"] }, heartbeatAt: { $lt: new Date(Date.now() - ABANDONED_AFTER_MS) } })
      .limit(100)
      .toArray();
    let ended = 0;
    for (const run of stale) if (await this.endAbandoned(run, "FAILED")) ended++;
    return ended;
  }

  /** Ends a run nobody holds: claims it atomically, then appends its last events after the stored ones. */
  private async endAbandoned(run: AgentRun, status: Extract<RunStatus, "FAILED" | "CANCELLED">): Promise<boolean> {
    const now = new Date();
    const error = status === "FAILED" ? "The agents service running it stopped" : null;
    const claimed = await this.store.runs.updateOne(
      { _id: run._id, status: { $in: ["QUEUED", "RUNNING"] }, heartbeatAt: run.heartbeatAt },
      { $set: { status, error, finishedAt: now, heartbeatAt: now } },
    );
    if (claimed.modifiedCount !== 1) return false;
    const lastEvent = await this.bus.newest(run._id);
    // FerretDB's conditional update is not atomic, so two sweepers may both "claim" the run: the
    // later one finds the final event written and adds nothing (the unique seq index stops a tie).
    if (lastEvent && isLastEvent(lastEvent)) return false;
    let seq = lastEvent?.seq ?? 0;
    const base = { runId: run._id, workspaceId: run.workspaceId };
    if (error) await this.bus.emit({ ...base, seq: ++seq, type: "ERROR", error, at: now });
    await this.bus.emit({ ...base, seq: ++seq, type: "STATUS", status, at: now });
    this.log.warn({ runId: run._id, status }, "ended an abandoned run");
    return true;
  }
}
