import type { Redis } from "@mary/kit";
import { isFinished, type AgentRun, type RunStatus } from "../types/run.type.ts";

/**
 * A live run's changing fields (status, when it started, its output so far), kept in a Redis hash
 * while it runs. Its MongoDB document is written twice only, when the run is created and when it
 * ends: FerretDB on SQLite scans the whole collection for every update, even by `_id` (10 ms at
 * 5,000 runs, growing with every run ever made), so per-run updates while running would make
 * the store slower with each run.
 */
export const liveStateKey = (runId: string) => `agents:run:${runId}:live`;
/** How long the hash outlives its run's end (readers go to the document by then). */
const LIVE_STATE_TTL_MS = 10 * 60_000;

export interface LiveRunState {
  status?: RunStatus;
  startedAt?: Date;
  output?: string;
  tokensUsed?: number;
  heartbeatAt?: Date;
}

/** Writes some of a live run's fields (each write also says when it was last heard of). */
export async function saveLiveState(redis: Redis, runId: string, state: LiveRunState): Promise<void> {
  const fields: Record<string, string> = {};
  if (state.status) fields.status = state.status;
  if (state.startedAt) fields.startedAt = state.startedAt.toISOString();
  if (state.output !== undefined) fields.output = state.output;
  if (state.tokensUsed !== undefined) fields.tokensUsed = String(state.tokensUsed);
  fields.heartbeatAt = (state.heartbeatAt ?? new Date()).toISOString();
  await redis.multi().hset(liveStateKey(runId), fields).pexpire(liveStateKey(runId), LIVE_STATE_TTL_MS).exec();
}

/** Lets the hash expire after the run ended. */
export const expireLiveState = (redis: Redis, runId: string) => redis.pexpire(liveStateKey(runId), LIVE_STATE_TTL_MS);

/**
 * The runs as they are now: a finished run is its document; an unfinished one is its document
 * with its live fields on top. One round trip for all of them.
 */
export async function withLiveState(redis: Redis, runs: (AgentRun | null)[]): Promise<(AgentRun | null)[]> {
  const live = runs.filter((run): run is AgentRun => !!run && !isFinished(run.status));
  if (live.length === 0) return runs;
  const pipeline = redis.pipeline();
  for (const run of live) pipeline.hgetall(liveStateKey(run._id));
  const replies = (await pipeline.exec()) ?? [];
  const states = new Map(live.map((run, i) => [run._id, (replies[i]?.[1] ?? {}) as Record<string, string>]));
  return runs.map((run) => {
    const state = run && states.get(run._id);
    if (!run || !state) return run;
    return {
      ...run,
      ...(state.status ? { status: state.status as RunStatus } : {}),
      ...(state.startedAt ? { startedAt: new Date(state.startedAt) } : {}),
      ...(state.output !== undefined ? { output: state.output } : {}),
      ...(state.tokensUsed !== undefined ? { tokensUsed: Number(state.tokensUsed) } : {}),
      ...(state.heartbeatAt ? { heartbeatAt: new Date(state.heartbeatAt) } : {}),
    };
  });
}
