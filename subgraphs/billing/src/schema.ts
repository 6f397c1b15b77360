import { buildFederatedSchema } from "@mary/kit";
import { BillingResolver } from "./resolvers/billing.resolver.ts";
import { InvoiceResolver } from "./resolvers/invoice.resolver.ts";
import { PlanResolver } from "./resolvers/plan.resolver.ts";
import { referenceResolvers } from "./resolvers/references.ts";
import { UsageResolver } from "./resolvers/usage.resolver.ts";
import { WorkspaceResolver } from "./resolvers/workspace.resolver.ts";
import { Usage, Workspace } from "./types/workspace.type.ts";

/** The billing subgraph schema; needs no connections, so composition can build it offline. */
export const buildBillingSchema = () =>
  buildFederatedSchema({
    resolvers: [PlanResolver, BillingResolver, InvoiceResolver, WorkspaceResolver, UsageResolver],
    orphanedTypes: [Workspace, Usage],
    referenceResolvers,
  });
