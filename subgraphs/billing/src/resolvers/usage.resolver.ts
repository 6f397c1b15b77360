import "reflect-metadata";
import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { requireScope, usagePeriod } from "@mary/kit";
import type { BillingContext } from "../context.ts";
import { Usage } from "../types/workspace.type.ts";

@Resolver(() => Usage)
export class UsageResolver {
  @FieldResolver(() => Date, { description: "Start of the period API calls are counted in (a calendar month, UTC)." })
  periodStart(): Date {
    return usagePeriod().start;
  }

  @FieldResolver(() => Date, { description: "End of the period (exclusive); the count starts again then." })
  periodEnd(): Date {
    return usagePeriod().end;
  }

  @FieldResolver(() => Int, { description: "Calls to the public graph made with API keys this period." })
  apiCallsThisPeriod(@Root() usage: Usage, @Ctx() ctx: BillingContext): Promise<number> {
    requireScope(ctx.principal, "billing:read");
    return ctx.billing.apiCallsThisPeriod(usage.workspaceId);
  }
}
