import { MongoClient, type Collection, type Db, type Filter } from "mongodb";
import type { Agent } from "./types/agent.type.ts";
import type { RunEventPage } from "./types/event.type.ts";
import type { AgentRun } from "./types/run.type.ts";

/** A create mutation's idempotency key: the first request's result, returned to its retries. */
export interface IdempotencyRecord {
  /** `<workspace>:<operation>:<sha256 of the key>`. */
  _id: string;
  /** The id the first request created (its entity may still be being written). */
  resultId: string;
  /** What the first request asked, so a key reused for something else is refused. */
  fingerprint: string;
  createdAt: Date;
}

/**
 * The agents subgraph's MongoDB collections. Only features FerretDB also has are used (no
 * transactions), and the hot paths look documents up by `_id` alone, the one query FerretDB on
 * SQLite answers without scanning the collection.
 */
export interface AgentStore {
  client: MongoClient;
  db: Db;
  agents: Collection<Agent>;
  runs: Collection<AgentRun>;
  /** Finished runs' events, a page of ARCHIVE_PAGE_SIZE per document (live ones are in Redis). */
  eventPages: Collection<RunEventPage>;
  idempotencyKeys: Collection<IdempotencyRecord>;
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
    eventPages: db.collection<RunEventPage>("agent_run_event_pages"),
    idempotencyKeys: db.collection<IdempotencyRecord>("agent_idempotency_keys"),
    close: () => client.close(),
  };
  await Promise.all([
    store.agents.createIndex({ workspaceId: 1, createdAt: -1, _id: -1 }),
    store.runs.createIndex({ workspaceId: 1, agentId: 1, createdAt: -1, _id: -1 }),
    store.runs.createIndex({ status: 1, heartbeatAt: 1 }),
    store.idempotencyKeys.createIndex({ createdAt: 1 }),
  ]);
  return store;
}

/**
 * The document with this `_id` when it belongs to the workspace, else null. Looked up by `_id`
 * alone and checked here: FerretDB on SQLite finds a document by `_id` without a scan, but scans
 * the whole collection as soon as the filter has another field.
 */
export async function findInWorkspace<T extends { _id: string; workspaceId: string }>(
  collection: Collection<T>,
  _id: string,
  workspaceId: string,
): Promise<T | null> {
  const found = (await collection.findOne({ _id } as Filter<T>)) as T | null;
  return found?.workspaceId === workspaceId ? found : null;
}
