import neo4j, { type Driver, type QueryResult, type RecordShape } from "neo4j-driver";
import { migrations } from "./migrations/index.ts";

/** The social graph in Neo4j: one driver per process, queries through executeQuery (retried on transient errors). */
export class GraphStore {
  private constructor(readonly driver: Driver) {}

  static async open(url: string, user?: string, password?: string): Promise<GraphStore> {
    const driver = neo4j.driver(url, user ? neo4j.auth.basic(user, password ?? "") : undefined, {
      // Integers come back as JavaScript numbers (counts and timestamps fit).
      disableLosslessIntegers: true,
    });
    await driver.verifyConnectivity();
    const store = new GraphStore(driver);
    for (const statement of migrations) await store.write(statement);
    return store;
  }

  read<R extends RecordShape = RecordShape>(
    cypher: string,
    params: Record<string, unknown> = {},
  ): Promise<QueryResult<R>> {
    return this.driver.executeQuery<QueryResult<R>>(cypher, params, { routing: neo4j.routing.READ });
  }

  write<R extends RecordShape = RecordShape>(
    cypher: string,
    params: Record<string, unknown> = {},
  ): Promise<QueryResult<R>> {
    return this.driver.executeQuery<QueryResult<R>>(cypher, params, { routing: neo4j.routing.WRITE });
  }

  /** Throws unless Neo4j answers: for /readyz. */
  async ping(): Promise<void> {
    await this.read("RETURN 1");
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
