import "reflect-metadata";
import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import {
  connectionType,
  PageArgs,
  pageRequest,
  requireRole,
  requireScope,
  type AuthenticatedPrincipal,
  type Connection,
  type PlanName,
  type Principal,
} from "@mary/kit";
import type { BillingContext } from "../context.ts";
import { Invoice } from "../entities/invoice.entity.ts";
import { PlanNameEnum, Subscription } from "../entities/subscription.entity.ts";
import { CheckoutSession } from "../types/workspace.type.ts";

const InvoiceConnection = connectionType(Invoice, "Invoice", "invoice");

/** Changing billing needs the billing:write scope and the OWNER or ADMIN role. */
function requireBillingManager(principal: Principal): AuthenticatedPrincipal {
  requireScope(principal, "billing:write");
  return requireRole(principal, ["OWNER", "ADMIN"]);
}

@Resolver()
export class BillingResolver {
  @Query(() => InvoiceConnection, { description: "The active workspace's invoices, newest first." })
  invoices(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: BillingContext): Promise<Connection<Invoice>> {
    const caller = requireScope(ctx.principal, "billing:read");
    return ctx.billing.invoices(caller.workspaceId, pageRequest(page));
  }

  @Mutation(() => CheckoutSession, {
    description:
      "Starts Stripe Checkout for a paid plan; send the browser to the returned URL. The plan applies once Stripe confirms payment. Owners and admins only.",
  })
  createCheckoutSession(
    @Arg("plan", () => PlanNameEnum, { description: "PRO or ENTERPRISE." }) plan: PlanName,
    @Ctx() ctx: BillingContext,
  ): Promise<CheckoutSession> {
    return ctx.billing.createCheckoutSession(requireBillingManager(ctx.principal), plan, ctx.requestId);
  }

  @Mutation(() => Subscription, {
    description:
      "Cancels the workspace's subscription at the end of the current period; the plan applies until then. Owners and admins only.",
  })
  cancelSubscription(@Ctx() ctx: BillingContext): Promise<Subscription> {
    return ctx.billing.cancelSubscription(requireBillingManager(ctx.principal));
  }
}
