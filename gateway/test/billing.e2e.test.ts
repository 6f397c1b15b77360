import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiCallsKey, createRedis, lastKnownPlanKey, usagePeriod, workspacePlanKey, type Redis } from "@mary/kit";
import { errorCode, REDIS_URL, stripeSignature, TEST_STRIPE_WEBHOOK_SECRET } from "@mary/kit/testing";
import {
  checkoutCompleted,
  startPlatform,
  stripeEvent,
  type Platform,
  type SignedUp,
  type WebhookSigning,
} from "./platform.ts";

let platform: Platform;
let redis: Redis;
beforeAll(async () => {
  platform = await startPlatform();
  redis = createRedis(REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await platform?.stop();
});

const BILLING = `{ workspace { plan { name limits { contacts apiCallsPerMonth } }
  subscription { id plan status cancelAtPeriodEnd } usage { apiCallsThisPeriod } } }`;
const CHECKOUT = `mutation ($plan: PlanName!) { createCheckoutSession(plan: $plan) { id url } }`;
const INVOICES = `query ($after: String) { invoices(first: 1, after: $after) {
  edges { node { id status amountDue { amount currency } amountPaid { amount currency } } }
  pageInfo { hasNextPage endCursor } } }`;

async function billingOf(account: SignedUp) {
  const response = await platform.gql(BILLING, {}, account.accessToken);
  expect(response.errors).toBeUndefined();
  return response.data.workspace as {
    plan: { name: string; limits: { contacts: number | null; apiCallsPerMonth: number | null } };
    subscription: { id: string; plan: string; status: string; cancelAtPeriodEnd: boolean } | null;
    usage: { apiCallsThisPeriod: number };
  };
}

const deliver = (event: object, sign?: WebhookSigning) => platform.deliverStripeEvent(event, sign);
const event = stripeEvent;

const stripeCustomerOf = (workspaceId: string) => platform.stripeCustomerOf(workspaceId);

const eventCount = async () =>
  Number(
    (await platform.billing.orm.em.fork().getConnection().execute(`select count(*)::int as n from stripe_events`))[0]!
      .n,
  );

/** Adds one contact; returns the error code, or null when it was created. */
async function addContact(account: SignedUp, name = "Another contact"): Promise<string | null> {
  const response = await platform.gql(
    `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`,
    { input: { name } },
    account.accessToken,
  );
  return response.errors ? String(errorCode(response)) : null;
}

describe("plans", () => {
  test("the plan table is public, with prices in minor units and null for unlimited", async () => {
    const response = await platform.gql(`{ plans { name monthlyPrice { amount currency } limits {
      agents apiCallsPerMonth contacts socialAccounts storageGb } } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data.plans).toEqual([
      {
        name: "FREE",
        monthlyPrice: { amount: 0, currency: "USD" },
        limits: { agents: 1, apiCallsPerMonth: 1000, contacts: 100, socialAccounts: 1, storageGb: 1 },
      },
      {
        name: "PRO",
        monthlyPrice: { amount: 2500, currency: "USD" },
        limits: { agents: 5, apiCallsPerMonth: 50000, contacts: 5000, socialAccounts: 10, storageGb: 50 },
      },
      {
        name: "ENTERPRISE",
        monthlyPrice: { amount: 10000, currency: "USD" },
        limits: { agents: null, apiCallsPerMonth: null, contacts: null, socialAccounts: null, storageGb: 500 },
      },
    ]);
  });

  test("the gateway's internal plan look-up is hidden from clients", async () => {
    const owner = await platform.signUp();
    const response = await platform.gql(
      `query ($w: ID!) { workspacePlan(workspaceId: $w) }`,
      { w: owner.workspace.id },
      owner.accessToken,
    );
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  test("a new workspace is on FREE with no subscription", async () => {
    const owner = await platform.signUp();
    expect(await billingOf(owner)).toEqual({
      plan: { name: "FREE", limits: { contacts: 100, apiCallsPerMonth: 1000 } },
      subscription: null,
      usage: { apiCallsThisPeriod: 0 },
    });
  });
});

describe("checkout against stripe-mock", () => {
  test("creates the Stripe customer once per workspace and a checkout session each time", async () => {
    const owner = await platform.signUp();
    const first = await platform.gql(CHECKOUT, { plan: "PRO" }, owner.accessToken);
    expect(first.errors).toBeUndefined();
    expect(first.data.createCheckoutSession.id).toMatch(/^cs_/);
    expect(first.data.createCheckoutSession.url).toMatch(/^https:\/\//);
    const customer = await stripeCustomerOf(owner.workspace.id);
    expect(customer).toMatch(/^cus_/);

    const again = await platform.gql(CHECKOUT, { plan: "ENTERPRISE" }, owner.accessToken);
    expect(again.errors).toBeUndefined();
    expect(await stripeCustomerOf(owner.workspace.id)).toBe(customer);
  });

  test("FREE and unknown plans are refused, and nothing is created in Stripe", async () => {
    const owner = await platform.signUp();
    const free = await platform.gql(CHECKOUT, { plan: "FREE" }, owner.accessToken);
    expect(errorCode(free)).toBe("BAD_USER_INPUT");
    const unknown = await platform.gql(CHECKOUT, { plan: "GOLD" }, owner.accessToken);
    expect(unknown.status).toBe(400);
    expect(unknown.data).toBeUndefined();
    expect(await stripeCustomerOf(owner.workspace.id)).toBeNull();
  });

  test("members, read-only API keys and anonymous callers cannot change billing", async () => {
    const owner = await platform.signUp();
    const member = await platform.signUp();
    const added = await platform.gql(
      `mutation ($w: ID!, $e: String!) { addMember(workspaceId: $w, email: $e, role: MEMBER) { role } }`,
      { w: owner.workspace.id, e: member.user.email },
      owner.accessToken,
    );
    expect(added.errors).toBeUndefined();
    const switched = await platform.gql(
      `mutation ($w: ID!) { switchWorkspace(workspaceId: $w) { accessToken } }`,
      { w: owner.workspace.id },
      member.accessToken,
    );
    const memberToken = switched.data.switchWorkspace.accessToken as string;
    expect(errorCode(await platform.gql(CHECKOUT, { plan: "PRO" }, memberToken))).toBe("FORBIDDEN");
    expect(errorCode(await platform.gql(`mutation { cancelSubscription { id } }`, {}, memberToken))).toBe("FORBIDDEN");

    const key = await platform.gql(
      `mutation { createApiKey(input: { name: "ci", scopes: ["billing:read"] }) { key } }`,
      {},
      owner.accessToken,
    );
    expect(errorCode(await platform.gql(CHECKOUT, { plan: "PRO" }, key.data.createApiKey.key))).toBe("FORBIDDEN");
    expect(errorCode(await platform.gql(CHECKOUT, { plan: "PRO" }))).toBe("UNAUTHENTICATED");
    expect(await stripeCustomerOf(owner.workspace.id)).toBeNull();
  });
});

describe("Stripe webhooks through the gateway", () => {
  test("move a workspace FREE → PRO → PAST_DUE → PRO → FREE, in order and out of order, each event once", async () => {
    const owner = await platform.signUp();
    const other = await platform.signUp();
    const workspaceId = owner.workspace.id;
    const contacts = Array.from({ length: 100 }, (_, i) => ({ name: `Contact ${i}` }));
    const filled = await platform.gql(
      `mutation ($inputs: [CreateContactInput!]!) { createContacts(inputs: $inputs) { id } }`,
      { inputs: contacts },
      owner.accessToken,
    );
    expect(filled.errors).toBeUndefined();
    expect(await addContact(owner)).toBe("PLAN_LIMIT");
    await platform.gql(CHECKOUT, { plan: "PRO" }, owner.accessToken);
    const customer = await stripeCustomerOf(workspaceId);
    const subscription = `sub_${randomUUID().replaceAll("-", "")}`;
    const invoice = `in_${randomUUID().replaceAll("-", "")}`;
    const t0 = Math.floor(Date.now() / 1000) - 100;
    const subscriptionObject = (status: string, extra: Record<string, unknown> = {}) => ({
      id: subscription,
      object: "subscription",
      customer,
      status,
      cancel_at_period_end: false,
      metadata: { workspaceId, plan: "PRO" },
      items: { data: [{ current_period_end: t0 + 30 * 86_400 }] },
      ...extra,
    });
    const invoiceObject = (status: string, amountPaid: number) => ({
      id: invoice,
      object: "invoice",
      customer,
      status,
      number: "MARY-0001",
      amount_due: 2500,
      amount_paid: amountPaid,
      currency: "usd",
      created: t0 + 5,
      parent: { subscription_details: { subscription, metadata: { workspaceId, plan: "PRO" } } },
    });

    const completed = checkoutCompleted(workspaceId, customer!, subscription, "PRO", t0);
    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, duplicate: false } });
    expect((await billingOf(owner)).plan.name).toBe("PRO");
    // The plan reaches the gateway's principal at once, so crm's limit is PRO's for the same token.
    expect(await addContact(owner, "The 101st")).toBeNull();
    expect(await deliver(event("customer.subscription.created", t0 + 1, subscriptionObject("active")))).toMatchObject({
      status: 200,
    });
    expect((await billingOf(owner)).subscription).toEqual({
      id: subscription,
      plan: "PRO",
      status: "ACTIVE",
      cancelAtPeriodEnd: false,
    });

    // A failed payment: PAST_DUE, and the plan's limits stay while Stripe retries.
    const failed = event("invoice.payment_failed", t0 + 10, invoiceObject("open", 0));
    expect((await deliver(failed)).status).toBe(200);
    let state = await billingOf(owner);
    expect([state.plan.name, state.subscription?.status]).toEqual(["PRO", "PAST_DUE"]);
    expect(await addContact(owner, "The 102nd")).toBeNull();

    // Paid on retry: back to ACTIVE. An older failure arriving afterwards changes nothing.
    expect((await deliver(event("invoice.paid", t0 + 20, invoiceObject("paid", 2500)))).status).toBe(200);
    expect((await deliver(event("invoice.payment_failed", t0 + 15, invoiceObject("open", 0)))).status).toBe(200);
    state = await billingOf(owner);
    expect([state.plan.name, state.subscription?.status]).toEqual(["PRO", "ACTIVE"]);
    const invoices = await platform.gql(INVOICES, {}, owner.accessToken);
    expect(invoices.data.invoices.edges).toEqual([
      {
        node: {
          id: invoice,
          status: "paid",
          amountDue: { amount: 2500, currency: "USD" },
          amountPaid: { amount: 2500, currency: "USD" },
        },
      },
    ]);
    expect(invoices.data.invoices.pageInfo.hasNextPage).toBe(false);
    // Another workspace sees none of it.
    expect((await platform.gql(INVOICES, {}, other.accessToken)).data.invoices.edges).toEqual([]);
    expect(errorCode(await platform.gql(`mutation { cancelSubscription { id } }`, {}, other.accessToken))).toBe(
      "NOT_FOUND",
    );

    // Cancelling asks Stripe (stripe-mock) to end at the period's end; the plan stays until then.
    const cancelled = await platform.gql(
      `mutation { cancelSubscription { id status cancelAtPeriodEnd } }`,
      {},
      owner.accessToken,
    );
    expect(cancelled.data.cancelSubscription).toEqual({ id: subscription, status: "ACTIVE", cancelAtPeriodEnd: true });
    expect((await billingOf(owner)).plan.name).toBe("PRO");

    // Stripe ends it: FREE. A late "active" update from before cannot revive it.
    const deleted = event("customer.subscription.deleted", t0 + 40, subscriptionObject("canceled"));
    expect((await deliver(deleted)).status).toBe(200);
    expect((await deliver(event("customer.subscription.updated", t0 + 30, subscriptionObject("active")))).status).toBe(
      200,
    );
    state = await billingOf(owner);
    expect([state.plan.name, state.subscription?.status]).toEqual(["FREE", "CANCELED"]);
    // Back on FREE, the contacts stay but no more can be added.
    expect(await addContact(owner)).toBe("PLAN_LIMIT");

    // Replays are acknowledged and ignored: the completed checkout does not bring PRO back.
    const before = await eventCount();
    expect(await deliver(completed)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await deliver(deleted)).toEqual({ status: 200, body: { received: true, duplicate: true } });
    expect(await eventCount()).toBe(before);
    expect((await billingOf(owner)).plan.name).toBe("FREE");
    expect(await addContact(owner)).toBe("PLAN_LIMIT");
  });

  test("tampered, stale, unsigned and wrongly signed events are refused with 400 and change nothing", async () => {
    const owner = await platform.signUp();
    await platform.gql(CHECKOUT, { plan: "PRO" }, owner.accessToken);
    const customer = await stripeCustomerOf(owner.workspace.id);
    const upgrade = checkoutCompleted(owner.workspace.id, customer!, `sub_${randomUUID().replaceAll("-", "")}`, "PRO");
    const before = await eventCount();
    const tampered = JSON.stringify(upgrade).replace('"PRO"', '"ENTERPRISE"');
    expect((await deliver(upgrade, { body: tampered })).status).toBe(400);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 360;
    expect((await deliver(upgrade, { timestamp: sixMinutesAgo })).status).toBe(400);
    expect((await deliver(upgrade, { secret: "whsec_someone_else" })).status).toBe(400);
    const unsigned = await fetch(`${platform.gatewayOrigin}/webhooks/stripe`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(upgrade),
    });
    expect(unsigned.status).toBe(400);
    expect(await eventCount()).toBe(before);
    expect((await billingOf(owner)).plan.name).toBe("FREE");

    // billing's endpoint cannot be reached around the gateway.
    const direct = await fetch(new URL("/webhooks/stripe", platform.billing.url), {
      method: "POST",
      headers: { "stripe-signature": stripeSignature(JSON.stringify(upgrade), TEST_STRIPE_WEBHOOK_SECRET) },
      body: JSON.stringify(upgrade),
    });
    expect(direct.status).toBe(401);
    expect((await fetch(`${platform.gatewayOrigin}/webhooks/stripe`)).status).toBe(405);
    expect(await eventCount()).toBe(before);
  });

  test("the same event delivered five times at once is applied exactly once", async () => {
    const owner = await platform.signUp();
    await platform.gql(CHECKOUT, { plan: "ENTERPRISE" }, owner.accessToken);
    const upgrade = checkoutCompleted(
      owner.workspace.id,
      (await stripeCustomerOf(owner.workspace.id))!,
      `sub_${randomUUID().replaceAll("-", "")}`,
      "ENTERPRISE",
    );
    const before = await eventCount();
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(upgrade)));
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.filter((result) => result.body.duplicate === false)).toHaveLength(1);
    expect(await eventCount()).toBe(before + 1);
    expect((await billingOf(owner)).plan.name).toBe("ENTERPRISE");
  });

  test("an event for a customer no workspace has is acknowledged and changes nothing", async () => {
    const stray = event("customer.subscription.updated", Math.floor(Date.now() / 1000), {
      id: "sub_stray",
      object: "subscription",
      customer: "cus_nobody",
      status: "active",
      metadata: {},
    });
    expect(await deliver(stray)).toEqual({ status: 200, body: { received: true, duplicate: false } });
    const rows = await platform.billing.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as n from subscriptions where id = 'sub_stray'`);
    expect(rows[0]!.n).toBe(0);
  });
});

describe("the monthly API-call quota", () => {
  test("API-key calls count against the plan; over FREE's 1,000 they fail with QUOTA_EXCEEDED until PRO", async () => {
    const owner = await platform.signUp();
    const created = await platform.gql(
      `mutation { createApiKey(input: { name: "integration", scopes: ["users:read", "billing:read"] }) { key } }`,
      {},
      owner.accessToken,
    );
    const key = created.data.createApiKey.key as string;
    const counter = apiCallsKey(owner.workspace.id, usagePeriod().id);

    expect((await platform.gql(`{ me { id } }`, {}, key)).errors).toBeUndefined();
    expect(await redis.get(counter)).toBe("1");
    // The web app's own session is not metered.
    expect((await billingOf(owner)).usage.apiCallsThisPeriod).toBe(1);

    await redis.set(counter, "999");
    expect((await platform.gql(`{ me { id } }`, {}, key)).errors).toBeUndefined();
    const refused = await platform.gql(`{ me { id } }`, {}, key);
    expect(refused.status).toBe(429);
    expect(errorCode(refused)).toBe("QUOTA_EXCEEDED");
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await billingOf(owner)).usage.apiCallsThisPeriod).toBe(1000);

    // On PRO the same key works again: the plan reaches the gateway's principal at once.
    await platform.gql(CHECKOUT, { plan: "PRO" }, owner.accessToken);
    const upgrade = checkoutCompleted(
      owner.workspace.id,
      (await stripeCustomerOf(owner.workspace.id))!,
      `sub_${randomUUID().replaceAll("-", "")}`,
      "PRO",
    );
    expect((await deliver(upgrade)).status).toBe(200);
    const again = await platform.gql(`{ me { id } workspace { plan { name } } }`, {}, key);
    expect(again.errors).toBeUndefined();
    expect(again.data.workspace.plan.name).toBe("PRO");
  });
});

describe("the plan in the gateway's principal", () => {
  test("while billing cannot answer, the last known plan holds; with none known, 503 and no guess", async () => {
    const owner = await platform.signUp();
    await platform.upgrade(owner, "PRO");
    const created = await platform.gql(
      `mutation { createApiKey(input: { name: "ops", scopes: ["users:read"] }) { key } }`,
      {},
      owner.accessToken,
    );
    const key = created.data.createApiKey.key as string;
    // FREE's quota is used up, so only PRO lets the next call through.
    await redis.set(apiCallsKey(owner.workspace.id, usagePeriod().id), "1000");
    // A gateway whose billing does not answer (nothing listens on port 9), with the fresh plan entry expired.
    const orphan = await platform.startGateway({}, { billing: "http://127.0.0.1:9/graphql" });
    await redis.del(workspacePlanKey(owner.workspace.id));
    const call = () =>
      fetch(orphan.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: "{ me { id } }" }),
      });
    const held = await call();
    expect(held.status).toBe(200);
    expect(((await held.json()) as { data: unknown }).data).toEqual({ me: { id: owner.user.id } });

    await redis.del(workspacePlanKey(owner.workspace.id), lastKnownPlanKey(owner.workspace.id));
    const unknown = await call();
    expect(unknown.status).toBe(503);
    const body = (await unknown.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({ extensions: { code: "INTERNAL" } });
    expect(body.errors[0]!.message).toMatch(/plan cannot be read/);
  });
});
