import type { EntityManager } from "@mikro-orm/postgresql";
import type { BaseSubgraphContext } from "@mary/kit";
import type { BillingService } from "./services/billing.service.ts";

export interface BillingContext extends BaseSubgraphContext {
  em: EntityManager;
  billing: BillingService;
}
