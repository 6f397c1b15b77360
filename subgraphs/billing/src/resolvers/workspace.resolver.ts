import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { BillingContext } from "../context.ts";
import { Subscription } from "../entities/subscription.entity.ts";
import { Plan, planOf } from "../types/plan.type.ts";
import { Usage, Workspace } from "../types/workspace.type.ts";

/** Billing's fields of the workspace; references resolve only for the caller's own workspace. */
@Resolver(() => Workspace)
export class WorkspaceResolver {
  @FieldResolver(() => Plan, { description: "The plan whose limits apply to the workspace now." })
  async plan(@Root() workspace: Workspace, @Ctx() ctx: BillingContext): Promise<Plan> {
    requireScope(ctx.principal, "billing:read");
    return planOf(await ctx.billing.effectivePlan(workspace.id));
  }

  @FieldResolver(() => Subscription, {
    nullable: true,
    description: "The paid subscription: the one that applies, else the latest ended one; null if there never was one.",
  })
  subscription(@Root() workspace: Workspace, @Ctx() ctx: BillingContext): Promise<Subscription | null> {
    requireScope(ctx.principal, "billing:read");
    return ctx.billing.currentSubscription(workspace.id);
  }

  @FieldResolver(() => Usage, { description: "What the workspace uses of its plan's limits." })
  usage(@Root() workspace: Workspace, @Ctx() ctx: BillingContext): Usage {
    requireScope(ctx.principal, "billing:read");
    return { workspaceId: workspace.id };
  }
}
