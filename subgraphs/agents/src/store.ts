import { MongoClient, type Collection, type Db } from "mongodb";
import type { Agent } from "./types/agent.type.ts";
import type { RunEventDocument } from "./types/event.type.ts";
import type { AgentRun } from "./types/run.type.ts";

/** The agents subgraph's MongoDB collections. Only features FerretDB also has are used (no transactions). */
export interface AgentStore {
  client: MongoClient;
  db: Db;
  agents: Collection<Agent>;
  runs: Collection<AgentRun>;
  events: Collection<RunEventDocument>;
  close: () => Promise<void>;
}

/** The database named in the URL's path, else `agents`. */
export function databaseName(url: string): string {
  const path = new URL(url).pathname.replace(/^\//, "");
  return path || "agents";
}

/** Connects and makes sure the indexes exist (idempotent, so every start may run it). */
export async function openStore(url: string): Promise<AgentStore> {
  const client = await MongoClient.connect(url, { serverSelectionTimeoutMS: 5_000 });
  const db = client.db(databaseName(url));
  const store: AgentStore = {
    client,
    db,
    agents: db.collection<Agent>("agents"),
    runs: db.collection<AgentRun>("agent_runs"),
    events: db.collection<RunEventDocument>("agent_run_events"),
    close: () => client.close(),
  };
  await Promise.all([
    store.agents.createIndex({ workspaceId: 1, createdAt: -1, _id: -1 }),
    store.runs.createIndex({ workspaceId: 1, agentId: 1, createdAt: -1, _id: -1 }),
    store.runs.createIndex({ status: 1, heartbeatAt: 1 }),
    // The stream's order; unique, so a sequence number can never be written twice.
    store.events.createIndex({ runId: 1, seq: 1 }, { unique: true }),
  ]);
  return store;
}
