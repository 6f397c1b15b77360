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
import { findInWorkspace, type AgentStore } from "../store.ts";
import {
  eventCursor,
  seqOfCursor,
  toRunEvent,
  type AgentRunEvent,
  type RunEventDocument,
} from "../types/event.type.ts";
import { isFinished, type AgentRun, type RunStatus } from "../types/run.type.ts";
import type { AgentService } from "./agent.service.ts";
import type { IdempotencyKeys } from "./idempotency.ts";
import { timeKeysetFilter, toTimeConnection } from "./paging.ts";
import { claimEnd, requestCancel, retried, UNARCHIVED_RUNS, workerKey, type RunExecutor } from "./run-executor.ts";
import { isLastEvent, type RunLog } from "./run-log.ts";
import { withLiveState } from "./run-state.ts";

/** Every agents process listens here for runs to stop; the one holding the run stops it. */
export const CANCEL_CHANNEL = "agents:cancel";

const MAX_INPUT = 100_000;
/**
 * A run is ended as abandoned only when its process's liveness key is gone and the run has not
 * been heard of for this long (its live state's last save, else its document's creation): a
 * Redis restart that lost the key does not end live runs.
 */
const ABANDONED_AFTER_MS = 60_000;
/** How long cancelAgentRun waits for the worker to confirm. */
const CANCEL_WAIT_MS = 2_000;

/** Runs of agents: start, cancel, read, and page through their events. */
export class RunService {
  constructor(
    private readonly store: AgentStore,
    private readonly agents: AgentService,
    private readonly log: RunLog,
    private readonly executor: RunExecutor,
    private readonly redis: Redis,
    private readonly idempotency: IdempotencyKeys,
    private readonly logger: Logger,
  ) {}

  /**
   * Records the run as QUEUED and hands it to this process's executor; returns at once. With an
   * idempotency key, a retry returns the run the first request started.
   */
  async start(
    caller: AuthenticatedPrincipal,
    agentId: string,
    input: string,
    idempotencyKey?: string | null,
  ): Promise<AgentRun> {
    const text = requiredText(input, "input", MAX_INPUT);
    const agent = await this.agents.get(caller, agentId);
    return this.idempotency.once(
      caller,
      "startAgentRun",
      idempotencyKey,
      { agentId, input: text },
      async (id) => {
        const now = new Date();
        const run: AgentRun = {
          _id: id,
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
          workerId: this.executor.workerId,
          heartbeatAt: now,
        };
        await this.store.runs.insertOne(run);
        await this.log.append({
          runId: run._id,
          workspaceId: run.workspaceId,
          seq: 1,
          type: "STATUS",
          status: "QUEUED",
          at: now,
        });
        this.executor.submit({ run, agent, principal: caller, nextSeq: 2 });
        return run;
      },
      (id) => this.get(caller, id).catch(() => null),
    );
  }

  /**
   * Asks the process holding the run to stop it and waits (up to 2 s) until it has, so the
   * run returned is normally final. A finished run is returned as it is.
   */
  async cancel(caller: AuthenticatedPrincipal, id: string): Promise<AgentRun> {
    const run = await this.get(caller, id);
    if (isFinished(run.status)) return run;
    await requestCancel(this.redis, id);
    await this.redis.publish(CANCEL_CHANNEL, id);
    const deadline = Date.now() + CANCEL_WAIT_MS;
    for (;;) {
      const current = await this.get(caller, id);
      if (isFinished(current.status)) return current;
      if (Date.now() > deadline) {
        // A worker that is alive stops at its next step (it also sees the request when it saves
        // the output); one whose process is gone never will, so the run ends here.
        if (await this.workerAlive(current)) return current;
        await this.endAbandoned(current, "CANCELLED");
        return this.get(caller, id);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The run as it is now (a live one with its live state, run-state.ts). */
  async get(caller: AuthenticatedPrincipal, id: string): Promise<AgentRun> {
    const [run] = await withLiveState(this.redis, [await findInWorkspace(this.store.runs, id, caller.workspaceId)]);
    if (!run) throw notFound("Agent run");
    return run;
  }

  /**
   * Runs by id in the workspace, in the order asked; null for others' and missing ones. One
   * look-up by `_id` each: FerretDB scans the collection for `$in`, not for a single `_id`.
   */
  async many(workspaceId: string, ids: readonly string[]): Promise<(AgentRun | null)[]> {
    const runs = await Promise.all(ids.map((id) => findInWorkspace(this.store.runs, id, workspaceId)));
    return withLiveState(this.redis, runs);
  }

  async list(workspaceId: string, agentId: string, page: PageRequest): Promise<Connection<AgentRun>> {
    const found = await this.store.runs
      .find({ workspaceId, agentId, ...timeKeysetFilter(page) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(page.first + 1)
      .toArray();
    return toTimeConnection(withLiveState(this.redis, found) as Promise<AgentRun[]>, page);
  }

  /** A page of the run's stored events after the cursor, in order. */
  async events(run: AgentRun, after: string | null, first: number | null): Promise<Connection<AgentRunEvent>> {
    const size = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}`, "first");
    }
    const afterSeq = seqOfCursor(after);
    const rows = await this.log.read(run._id, afterSeq, size + 1);
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
    // Whose run it is: its stream's first event says, from Redis, while the stream exists; joining a
    // live run then waits for no MongoDB read (FerretDB's reads queue behind its writes).
    const [first] = await this.log.read(runId, 0, 1);
    const run = first ?? (await this.store.runs.findOne({ _id: runId }, { projection: { workspaceId: 1 } }));
    if (!run) throw notFound("Agent run");
    // Run ids are random UUIDs; saying that one belongs elsewhere tells nothing about its content.
    if (run.workspaceId !== caller.workspaceId) throw forbidden("This run belongs to another workspace");
    return this.log.stream(runId, afterSeq);
  }

  /**
   * Ends the runs whose process is gone (FAILED), and archives finished runs whose archiving
   * failed. Any process may call it; one wins per run.
   */
  async failAbandoned(): Promise<number> {
    const quietSince = Date.now() - ABANDONED_AFTER_MS;
    const unfinished = await this.store.runs
      .find({ status: { $in: ["QUEUED", "RUNNING"] } })
      .limit(500)
      .toArray();
    let ended = 0;
    for (const run of await withLiveState(this.redis, unfinished)) {
      if (!run || run.heartbeatAt.getTime() >= quietSince || (await this.workerAlive(run))) continue;
      if (await this.endAbandoned(run, "FAILED")) ended++;
    }
    for (const runId of await this.redis.srandmember(UNARCHIVED_RUNS, 100)) {
      await this.finishArchive(runId, quietSince).catch((error: unknown) =>
        this.logger.warn({ err: error, runId }, "could not archive a run's events"),
      );
    }
    await this.idempotency.expire();
    return ended;
  }

  /**
   * Archives an ended run whose worker did not (it died, or MongoDB failed), after appending the
   * final events its document has and its stream lacks.
   */
  private async finishArchive(runId: string, quietSince: number): Promise<void> {
    const run = await this.store.runs.findOne({ _id: runId });
    // Another deployment's run (the set is Redis-wide), or one still ending: not this sweep's.
    if (!run || !isFinished(run.status) || (run.finishedAt?.getTime() ?? 0) >= quietSince) return;
    const events = await this.log.all(runId);
    const last = events.at(-1);
    if (!last || !isLastEvent(last)) {
      // A worker still alive a minute after ending the run is at it; one gone left its end unwritten.
      if (await this.workerAlive(run)) return;
      let seq = last?.seq ?? 0;
      const base = { runId, workspaceId: run.workspaceId, at: run.finishedAt ?? new Date() };
      if (run.error) await this.log.append({ ...base, seq: ++seq, type: "ERROR", error: run.error });
      await this.log.append({ ...base, seq: ++seq, type: "STATUS", status: run.status });
      if (seq !== run.eventCount) await this.store.runs.updateOne({ _id: runId }, { $set: { eventCount: seq } });
    }
    await this.log.archive(runId);
    await this.redis.srem(UNARCHIVED_RUNS, runId);
  }

  private async workerAlive(run: AgentRun): Promise<boolean> {
    return !!run.workerId && (await this.redis.exists(workerKey(run.workerId))) === 1;
  }

  /**
   * Ends a run nobody holds. When the stream already has the run's end (its worker died after
   * writing it), the document is brought in line with the stream; otherwise the end claim in Redis
   * lets one process append the last events after the logged ones.
   */
  private async endAbandoned(run: AgentRun, status: Extract<RunStatus, "FAILED" | "CANCELLED">): Promise<boolean> {
    const now = new Date();
    const events = await this.log.all(run._id);
    const lastEvent = events.at(-1);
    // The stream is the record; a document without one (Redis lost it) keeps its saved output.
    const output = events.length ? events.map((event) => event.delta ?? "").join("") : run.output;
    if (lastEvent && isLastEvent(lastEvent)) {
      // Its worker wrote the end and died before the document had it: nothing else writes it now.
      const error = events.findLast((event) => event.type === "ERROR")?.error ?? null;
      await retried(() =>
        this.store.runs.updateOne(
          { _id: run._id },
          {
            $set: {
              status: lastEvent.status!,
              error,
              output,
              finishedAt: new Date(lastEvent.at),
              heartbeatAt: now,
              eventCount: lastEvent.seq,
            },
          },
        ),
      );
    } else {
      if (!(await claimEnd(this.redis, run._id, `abandoned:${this.executor.workerId}`))) return false;
      await this.redis.sadd(UNARCHIVED_RUNS, run._id);
      const error = status === "FAILED" ? "The agents service running it stopped" : null;
      let seq = lastEvent?.seq ?? 0;
      const eventCount = seq + (error ? 2 : 1);
      await retried(() =>
        this.store.runs.updateOne(
          { _id: run._id },
          { $set: { status, error, output, finishedAt: now, heartbeatAt: now, eventCount } },
        ),
      );
      const base = { runId: run._id, workspaceId: run.workspaceId };
      const ending: RunEventDocument[] = [];
      if (error) ending.push({ ...base, seq: ++seq, type: "ERROR", error, at: now });
      ending.push({ ...base, seq: ++seq, type: "STATUS", status, at: now });
      for (const event of ending) await this.log.append(event);
      this.logger.warn({ runId: run._id, status }, "ended an abandoned run");
    }
    await this.log.archive(run._id);
    await this.redis.srem(UNARCHIVED_RUNS, run._id);
    return true;
  }
}
