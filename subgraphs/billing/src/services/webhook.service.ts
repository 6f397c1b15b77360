import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { isPlanName, isUuid, type Logger, type PlanName } from "@mary/kit";
import { Invoice } from "../entities/invoice.entity.ts";
import { Subscription, type SubscriptionStatus } from "../entities/subscription.entity.ts";
import type { BillingService } from "./billing.service.ts";
import type { PlanCache } from "./plan-cache.ts";

/** The parts of a Stripe event Mary reads; events arrive as JSON, verified by their signature. */
export interface StripeEventLike {
  id: string;
  type: string;
  /** Unix seconds. */
  created: number;
  data: { object: unknown };
}

type StripeObject = Record<string, any>;

const STATUS_FROM_STRIPE: Record<string, SubscriptionStatus> = {
  incomplete: "INCOMPLETE",
  incomplete_expired: "CANCELED",
  trialing: "TRIALING",
  active: "ACTIVE",
  past_due: "PAST_DUE",
  unpaid: "UNPAID",
  paused: "PAUSED",
  canceled: "CANCELED",
};

const idOf = (value: unknown): string | null =>
  typeof value === "string"
    ? value
    : typeof value === "object" && value
      ? ((value as { id?: string }).id ?? null)
      : null;
const dateOf = (seconds: unknown): Date | null => (typeof seconds === "number" ? new Date(seconds * 1000) : null);

export interface WebhookOutcome {
  /** The event had been received before; it was acknowledged and changed nothing. */
  duplicate: boolean;
  /** The event changed Mary's state (false for unknown types and for events older than that state). */
  applied: boolean;
}

/**
 * Applies Stripe events to subscriptions and invoices, each exactly once: the event id is recorded
 * in the same transaction as its effects, so a replay finds it and changes nothing, and a failure
 * records nothing (Stripe retries). Events may arrive in any order: each row remembers the
 * `created` time of the newest event applied to it and ignores older ones.
 */
export class WebhookService {
  constructor(
    private readonly orm: MikroORM,
    private readonly billing: (em: EntityManager) => BillingService,
    private readonly planCache: PlanCache,
    private readonly log: Logger,
  ) {}

  async handle(event: StripeEventLike): Promise<WebhookOutcome> {
    const em = this.orm.em.fork();
    const touched = new Set<string>();
    const outcome = await em.transactional(async (tx) => {
      const recorded = await tx.execute(
        `insert into stripe_events (id, type, created_at, received_at, applied) values (?, ?, ?, now(), false)
         on conflict (id) do nothing returning id`,
        [event.id, event.type, new Date(event.created * 1000)],
      );
      if (recorded.length === 0) return { duplicate: true, applied: false };
      const applied = await this.apply(tx, event, touched);
      if (applied) await tx.execute(`update stripe_events set applied = true where id = ?`, [event.id]);
      return { duplicate: false, applied };
    });
    for (const workspaceId of touched) {
      await this.planCache.publish(workspaceId, await this.billing(em).effectivePlan(workspaceId));
    }
    this.log.info({ eventId: event.id, type: event.type, ...outcome }, "stripe event");
    return outcome;
  }

  private async apply(tx: EntityManager, event: StripeEventLike, touched: Set<string>): Promise<boolean> {
    const object = event.data.object as StripeObject;
    const at = new Date(event.created * 1000);
    switch (event.type) {
      case "checkout.session.completed":
        return this.checkoutCompleted(tx, object, at, touched);
      case "customer.subscription.created":
      case "customer.subscription.updated":
      case "customer.subscription.deleted":
        return this.subscriptionChanged(tx, object, at, event.type.endsWith(".deleted"), touched);
      case "invoice.paid":
      case "invoice.payment_failed":
        return this.invoiceChanged(tx, object, at, event.type === "invoice.paid", touched);
      default:
        return false;
    }
  }

  /**
   * The workspace an object belongs to: by its Stripe customer, else by the workspace id Mary put
   * in the checkout's metadata (linking that customer to it). Taken under a lock on the workspace,
   * so two events for one workspace apply one after the other.
   */
  private async workspaceOf(tx: EntityManager, customer: unknown, hint: unknown): Promise<string | null> {
    const customerId = idOf(customer);
    let workspaceId: string | null = null;
    if (customerId) {
      const [account] = await tx.execute<{ workspace_id: string }[]>(
        `select workspace_id from billing_accounts where stripe_customer_id = ?`,
        [customerId],
      );
      workspaceId = account?.workspace_id ?? null;
    }
    if (!workspaceId && isUuid(hint)) {
      workspaceId = hint;
      await tx.execute(
        `insert into billing_accounts (workspace_id, stripe_customer_id, created_at) values (?, ?, now())
         on conflict (workspace_id) do update set stripe_customer_id = coalesce(billing_accounts.stripe_customer_id, excluded.stripe_customer_id)`,
        [workspaceId, customerId],
      );
    }
    if (workspaceId) await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [workspaceId]);
    return workspaceId;
  }

  private async checkoutCompleted(tx: EntityManager, session: StripeObject, at: Date, touched: Set<string>) {
    const subscriptionId = idOf(session.subscription);
    const plan = session.metadata?.plan;
    if (session.mode !== "subscription" || !subscriptionId || !isPlanName(plan)) return false;
    const workspaceId = await this.workspaceOf(
      tx,
      session.customer,
      session.client_reference_id ?? session.metadata?.workspaceId,
    );
    if (!workspaceId) return this.unknownCustomer(session.customer);
    // The customer.subscription.* events describe the subscription fully; this one only makes sure it exists.
    if (await tx.findOne(Subscription, { id: subscriptionId })) return false;
    const paid = session.payment_status === "paid" || session.payment_status === "no_payment_required";
    tx.persist(
      Object.assign(new Subscription(), {
        id: subscriptionId,
        workspaceId,
        plan,
        status: paid ? "ACTIVE" : "INCOMPLETE",
        lastEventAt: at,
      }),
    );
    await tx.flush();
    touched.add(workspaceId);
    return true;
  }

  private async subscriptionChanged(
    tx: EntityManager,
    object: StripeObject,
    at: Date,
    deleted: boolean,
    touched: Set<string>,
  ) {
    const workspaceId = await this.workspaceOf(tx, object.customer, object.metadata?.workspaceId);
    if (!workspaceId) return this.unknownCustomer(object.customer);
    const existing = await tx.findOne(Subscription, { id: String(object.id) });
    const plan: PlanName | undefined = isPlanName(object.metadata?.plan) ? object.metadata.plan : existing?.plan;
    if (!plan) {
      this.log.warn({ subscription: object.id }, "a Stripe subscription without a Mary plan in its metadata");
      return false;
    }
    if (existing && existing.lastEventAt > at) return false;
    // Stripe never revives a cancelled subscription, so a late update cannot either.
    if (existing?.status === "CANCELED" && !deleted) return false;
    const subscription = existing ?? Object.assign(new Subscription(), { id: String(object.id), workspaceId });
    Object.assign(subscription, {
      plan,
      status: deleted ? "CANCELED" : (STATUS_FROM_STRIPE[object.status] ?? "INCOMPLETE"),
      cancelAtPeriodEnd: Boolean(object.cancel_at_period_end),
      currentPeriodEnd:
        dateOf(object.current_period_end) ?? dateOf(object.items?.data?.[0]?.current_period_end) ?? null,
      lastEventAt: at,
    });
    tx.persist(subscription);
    await tx.flush();
    touched.add(workspaceId);
    return true;
  }

  private async invoiceChanged(tx: EntityManager, object: StripeObject, at: Date, paid: boolean, touched: Set<string>) {
    const subscriptionId = idOf(object.subscription ?? object.parent?.subscription_details?.subscription);
    const workspaceId = await this.workspaceOf(
      tx,
      object.customer,
      object.parent?.subscription_details?.metadata?.workspaceId ?? object.metadata?.workspaceId,
    );
    if (!workspaceId) return this.unknownCustomer(object.customer);

    const invoice = (await tx.findOne(Invoice, { id: String(object.id) })) ?? null;
    if (!invoice || invoice.lastEventAt <= at) {
      tx.persist(
        Object.assign(invoice ?? new Invoice(), {
          id: String(object.id),
          workspaceId,
          subscriptionId,
          number: object.number ?? null,
          status: String(object.status ?? (paid ? "paid" : "open")),
          amountDue: Number(object.amount_due ?? 0),
          amountPaid: Number(object.amount_paid ?? 0),
          currency: String(object.currency ?? "usd").toLowerCase(),
          hostedInvoiceUrl: object.hosted_invoice_url ?? null,
          periodStart: dateOf(object.period_start),
          periodEnd: dateOf(object.period_end),
          createdAt: dateOf(object.created) ?? at,
          lastEventAt: at,
        }),
      );
    }

    const subscription = subscriptionId ? await tx.findOne(Subscription, { id: subscriptionId }) : null;
    if (subscription && subscription.lastEventAt <= at) {
      if (paid && ["PAST_DUE", "UNPAID", "INCOMPLETE"].includes(subscription.status)) subscription.status = "ACTIVE";
      if (!paid && ["ACTIVE", "TRIALING"].includes(subscription.status)) subscription.status = "PAST_DUE";
      subscription.lastEventAt = at;
    }
    await tx.flush();
    touched.add(workspaceId);
    return true;
  }

  private unknownCustomer(customer: unknown): false {
    this.log.warn({ customer: idOf(customer) }, "a Stripe event for a customer no workspace has; ignored");
    return false;
  }
}
