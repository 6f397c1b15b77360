import "reflect-metadata";
import { Arg, Ctx, Directive, ID, Query, Resolver } from "type-graphql";
import { PLAN_NAMES, requireService, type PlanName } from "@mary/kit";
import type { BillingContext } from "../context.ts";
import { PlanNameEnum } from "../entities/subscription.entity.ts";
import { Plan, planOf } from "../types/plan.type.ts";

@Resolver(() => Plan)
export class PlanResolver {
  @Query(() => [Plan], { description: "Every plan, cheapest first, with its price and limits. Needs no sign-in." })
  plans(): Plan[] {
    return PLAN_NAMES.map(planOf);
  }

  @Directive("@inaccessible")
  @Query(() => PlanNameEnum, { description: "Internal: the plan a workspace is on, for the gateway's principals." })
  workspacePlan(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() ctx: BillingContext): Promise<PlanName> {
    requireService(ctx.principal, "gateway");
    return ctx.billing.effectivePlan(workspaceId);
  }
}
