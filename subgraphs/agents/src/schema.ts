import { buildFederatedSchema } from "@mary/kit";
import { AgentResolver } from "./resolvers/agent.resolver.ts";
import { EventResolver } from "./resolvers/event.resolver.ts";
import { referenceResolvers } from "./resolvers/references.ts";
import { RunResolver } from "./resolvers/run.resolver.ts";
import { UsageResolver } from "./resolvers/usage.resolver.ts";
import { User } from "./types/user.type.ts";
import { Usage } from "./types/workspace.type.ts";

/** The agents subgraph schema; needs no connections, so composition can build it offline. */
export const buildAgentsSchema = () =>
  buildFederatedSchema({
    resolvers: [AgentResolver, RunResolver, EventResolver, UsageResolver],
    orphanedTypes: [User, Usage],
    referenceResolvers,
  });
