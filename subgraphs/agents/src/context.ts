import type { BaseSubgraphContext } from "@mary/kit";
import DataLoader from "dataloader";
import type { AgentService } from "./services/agent.service.ts";
import type { RunService } from "./services/run.service.ts";
import type { Agent } from "./types/agent.type.ts";
import type { AgentRun } from "./types/run.type.ts";

export interface AgentsContext extends BaseSubgraphContext {
  agents: AgentService;
  runs: RunService;
  loaders: AgentsLoaders;
}

/** Agents and runs by id in the caller's workspace; null for others' and missing ones. */
export interface AgentsLoaders {
  agent: DataLoader<string, Agent | null>;
  run: DataLoader<string, AgentRun | null>;
}

/**
 * Loaders batch within one tick but cache nothing: a subscription keeps its context for all its
 * events, and each event must see the run as it is then (its status, its output).
 */
export function createLoaders(workspaceId: string | null, agents: AgentService, runs: RunService): AgentsLoaders {
  const none = async (ids: readonly string[]) => ids.map(() => null);
  return {
    agent: new DataLoader((ids) => (workspaceId ? agents.many(workspaceId, ids) : none(ids)), { cache: false }),
    run: new DataLoader((ids) => (workspaceId ? runs.many(workspaceId, ids) : none(ids)), { cache: false }),
  };
}
