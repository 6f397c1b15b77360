import { buildFederatedSchema } from "@mary/kit";
import { ApiKeyResolver } from "./resolvers/api-key.resolver.ts";
import { AuthResolver } from "./resolvers/auth.resolver.ts";
import { MembershipResolver } from "./resolvers/membership.resolver.ts";
import { referenceResolvers } from "./resolvers/references.ts";
import { UserResolver } from "./resolvers/user.resolver.ts";
import { WorkspaceResolver } from "./resolvers/workspace.resolver.ts";

/** The users subgraph schema; needs no connections, so composition can build it offline. */
export const buildUsersSchema = () =>
  buildFederatedSchema({
    resolvers: [AuthResolver, UserResolver, WorkspaceResolver, MembershipResolver, ApiKeyResolver],
    referenceResolvers,
  });
