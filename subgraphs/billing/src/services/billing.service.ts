import type { EntityManager } from "@mikro-orm/postgresql";
import {
  apiCallsKey,
  badUserInput,
  DEFAULT_PLAN,
  findPage,
  notFound,
  PLANS,
  usagePeriod,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
  type PlanName,
  type Redis,
} from "@mary/kit";
import { Invoice } from "../entities/invoice.entity.ts";
import { PLAN_GRANTING_STATUSES, Subscription } from "../entities/subscription.entity.ts";
import type { PlanCache } from "./plan-cache.ts";
import type { Stripe } from "./stripe-client.ts";

export interface CheckoutUrls {
  successUrl: string;
  cancelUrl: string;
}

/** The plans a workspace can buy; FREE is what it has without a subscription. */
const PAID_PLANS: readonly PlanName[] = ["PRO", "ENTERPRISE"];

/** A workspace's subscription, invoices and usage, and the writes to Stripe that change them. */
export class BillingService {
  constructor(
    private readonly em: EntityManager,
    private readonly stripe: Stripe,
    private readonly redis: Redis,
    private readonly planCache: PlanCache,
    private readonly urls: CheckoutUrls,
  ) {}

  /** The subscription whose plan applies now, if any: the newest one in a plan-granting status. */
  grantingSubscription(workspaceId: string, em: EntityManager = this.em): Promise<Subscription | null> {
    return em.findOne(
      Subscription,
      { workspaceId, status: { $in: [...PLAN_GRANTING_STATUSES] } },
      { orderBy: { createdAt: "desc", id: "desc" } },
    );
  }

  async effectivePlan(workspaceId: string, em: EntityManager = this.em): Promise<PlanName> {
    return (await this.grantingSubscription(workspaceId, em))?.plan ?? DEFAULT_PLAN;
  }

  /** The subscription to show: the one that applies, else the newest (perhaps cancelled) one. */
  async currentSubscription(workspaceId: string): Promise<Subscription | null> {
    return (
      (await this.grantingSubscription(workspaceId)) ??
      this.em.findOne(Subscription, { workspaceId }, { orderBy: { createdAt: "desc", id: "desc" } })
    );
  }

  invoices(workspaceId: string, page: PageRequest): Promise<Connection<Invoice>> {
    return findPage(this.em, Invoice, { workspaceId }, page, { field: "createdAt", direction: "desc" });
  }

  /** API calls made with the workspace's API keys this calendar month, as the gateway counted them. */
  async apiCallsThisPeriod(workspaceId: string): Promise<number> {
    return Number((await this.redis.get(apiCallsKey(workspaceId, usagePeriod().id))) ?? 0);
  }

  /**
   * Starts Stripe Checkout for a paid plan. The workspace's Stripe customer is made once (under a
   * row lock, with an idempotency key, so concurrent or retried calls cannot make two).
   */
  async createCheckoutSession(
    caller: AuthenticatedPrincipal,
    plan: PlanName,
    requestId: string,
  ): Promise<{ id: string; url: string }> {
    if (!PAID_PLANS.includes(plan)) throw badUserInput(`Choose a paid plan (${PAID_PLANS.join(" or ")})`, "plan");
    const current = await this.grantingSubscription(caller.workspaceId);
    if (current) {
      throw badUserInput(
        `The workspace already subscribes to ${current.plan}; cancel it before choosing another plan`,
        "plan",
      );
    }
    const customerId = await this.ensureCustomer(caller.workspaceId);
    const metadata = { workspaceId: caller.workspaceId, plan };
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: "subscription",
        customer: customerId,
        client_reference_id: caller.workspaceId,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: PLANS[plan].currency,
              unit_amount: PLANS[plan].monthlyPriceCents,
              recurring: { interval: "month" },
              product_data: { name: `Mary ${plan}` },
            },
          },
        ],
        success_url: this.urls.successUrl,
        cancel_url: this.urls.cancelUrl,
        metadata,
        subscription_data: { metadata },
      },
      { idempotencyKey: `mary-checkout-${caller.workspaceId}-${plan}-${requestId}` },
    );
    if (!session.url) throw new Error("Stripe returned a checkout session without a URL");
    return { id: session.id, url: session.url };
  }

  private async ensureCustomer(workspaceId: string): Promise<string> {
    return this.em.transactional(async (em) => {
      await em.execute(
        `insert into billing_accounts (workspace_id, created_at) values (?, now()) on conflict do nothing`,
        [workspaceId],
      );
      const [account] = await em.execute<{ stripe_customer_id: string | null }[]>(
        `select stripe_customer_id from billing_accounts where workspace_id = ? for update`,
        [workspaceId],
      );
      if (account?.stripe_customer_id) return account.stripe_customer_id;
      const customer = await this.stripe.customers.create(
        { metadata: { workspaceId } },
        { idempotencyKey: `mary-customer-${workspaceId}` },
      );
      await em.execute(`update billing_accounts set stripe_customer_id = ? where workspace_id = ?`, [
        customer.id,
        workspaceId,
      ]);
      return customer.id;
    });
  }

  /**
   * Asks Stripe to end the subscription at the end of the period (the workspace keeps its plan
   * until then; the `customer.subscription.deleted` event moves it to FREE).
   */
  async cancelSubscription(caller: AuthenticatedPrincipal): Promise<Subscription> {
    const subscription = await this.grantingSubscription(caller.workspaceId);
    if (!subscription) throw notFound("Active subscription");
    if (subscription.cancelAtPeriodEnd) return subscription;
    const updated = await this.stripe.subscriptions.update(
      subscription.id,
      { cancel_at_period_end: true },
      { idempotencyKey: `mary-cancel-${subscription.id}` },
    );
    // Stripe confirms with a customer.subscription.updated event, which the webhook applies as usual.
    subscription.cancelAtPeriodEnd = updated.cancel_at_period_end;
    await this.em.flush();
    await this.planCache.publish(caller.workspaceId, await this.effectivePlan(caller.workspaceId));
    return subscription;
  }
}
