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

/** How long a loaded agent or run is reused: the time the runs' output is saved in anyway. */
export const LOADED_DOCUMENT_TTL_MS = 250;

/**
 * DataLoader's cache, forgetting each entry after `ttlMs`. A subscription keeps its context for
 * all its events, so a plain cache would show the run as it was when the subscription began; this
 * one shows it at most 250 ms old (STATUS events read the run afresh, see EventResolver).
 */
class ExpiringCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(private readonly ttlMs: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > Date.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V): void {
    if (this.entries.size >= 1_000) this.entries.clear();
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Loaders batch within one tick and reuse what they loaded for 250 ms at most. */
export function createLoaders(workspaceId: string | null, agents: AgentService, runs: RunService): AgentsLoaders {
  const none = async (ids: readonly string[]) => ids.map(() => null);
  return {
    agent: new DataLoader((ids) => (workspaceId ? agents.many(workspaceId, ids) : none(ids)), {
      cacheMap: new ExpiringCache<Promise<Agent | null>>(LOADED_DOCUMENT_TTL_MS),
    }),
    run: new DataLoader((ids) => (workspaceId ? runs.many(workspaceId, ids) : none(ids)), {
      cacheMap: new ExpiringCache<Promise<AgentRun | null>>(LOADED_DOCUMENT_TTL_MS),
    }),
  };
}
