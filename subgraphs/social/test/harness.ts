import { randomUUID } from "node:crypto";
import type { AuthenticatedPrincipal, PlanName, Principal } from "@mary/kit";
import { graphql, signedHeaders, TEST_ENV, type GraphQLResponse } from "@mary/kit/testing";
import { startSocial, type SocialApp, type SocialOptions } from "../src/app.ts";
import { loadSocialConfig } from "../src/config.ts";

/** Neo4j as `scripts/services up` starts it. Neo4j Community has one database: tests keep apart by workspace. */
export const NEO4J_URL = process.env.NEO4J_URL ?? "bolt://127.0.0.1:7687";

export interface Harness {
  app: SocialApp;
  call: <T = any>(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ) => Promise<GraphQLResponse<T>>;
  /** A member of a new workspace (its own graph), on the plan given. */
  member: (plan?: PlanName) => AuthenticatedPrincipal;
  stop: () => Promise<void>;
}

/** Starts the social subgraph on a free port against the local Neo4j; `stop` deletes every node of the workspaces it made. */
export async function startHarness(env: Record<string, string> = {}, options: SocialOptions = {}): Promise<Harness> {
  const app = await startSocial(
    loadSocialConfig({
      ...TEST_ENV,
      SOCIAL_PORT: "0",
      NEO4J_URL,
      SOCIAL_QUEUE_PREFIX: `social-test-${randomUUID()}`,
      ...env,
    }),
    options,
  );
  const workspaces: string[] = [];
  return {
    app,
    call: (principal, query, variables = {}) => graphql(app.url, query, variables, signedHeaders(principal)),
    member: (plan = "FREE") => {
      const workspaceId = randomUUID();
      workspaces.push(workspaceId);
      return {
        kind: "user",
        userId: randomUUID(),
        workspaceId,
        role: "OWNER",
        scopes: ["social:read", "social:write"],
        plan,
      };
    },
    stop: async () => {
      await app.graph.write("MATCH (n) WHERE n.workspaceId IN $workspaces OR n.id IN $workspaces DETACH DELETE n", {
        workspaces,
      });
      await app.close();
    },
  };
}
