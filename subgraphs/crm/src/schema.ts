import { buildFederatedSchema } from "@mary/kit";
import { ActivityResolver } from "./resolvers/activity.resolver.ts";
import { CompanyResolver } from "./resolvers/company.resolver.ts";
import { ContactResolver } from "./resolvers/contact.resolver.ts";
import { CorrespondentResolver } from "./resolvers/correspondent.resolver.ts";
import { DealResolver, DealStageChangeResolver } from "./resolvers/deal.resolver.ts";
import { referenceResolvers } from "./resolvers/references.ts";
import { UserResolver } from "./resolvers/user.resolver.ts";
import { UsageResolver, WorkspaceResolver } from "./resolvers/workspace.resolver.ts";
import { Correspondent } from "./types/correspondent.type.ts";
import { Usage, Workspace } from "./types/workspace.type.ts";

/** The crm subgraph schema; needs no connections, so composition can build it offline. */
export const buildCrmSchema = () =>
  buildFederatedSchema({
    resolvers: [
      ContactResolver,
      CompanyResolver,
      DealResolver,
      DealStageChangeResolver,
      ActivityResolver,
      UserResolver,
      WorkspaceResolver,
      UsageResolver,
      CorrespondentResolver,
    ],
    orphanedTypes: [Workspace, Usage, Correspondent],
    referenceResolvers,
  });
