import { randomUUID } from "node:crypto";
import type { PlanName, RunningServer } from "@mary/kit";
import {
  createTestDatabase,
  createTestMongoDatabase,
  freePort,
  graphql,
  STRIPE_API_BASE,
  stripeSignature,
  TEST_ENV,
  TEST_STRIPE_WEBHOOK_SECRET,
  testKeyPair,
  type GraphQLResponse,
} from "@mary/kit/testing";
import { startAgents, type AgentsApp } from "../../subgraphs/agents/src/app.ts";
import { loadAgentsConfig } from "../../subgraphs/agents/src/config.ts";
import { OpenAICompatibleServer } from "../../subgraphs/agents/test/openai-compatible-server.ts";
import { startBilling, type BillingApp } from "../../subgraphs/billing/src/app.ts";
import { loadBillingConfig } from "../../subgraphs/billing/src/config.ts";
import { startCrm, type CrmApp } from "../../subgraphs/crm/src/app.ts";
import { startInbox, type InboxApp } from "../../subgraphs/inbox/src/app.ts";
import { loadInboxConfig } from "../../subgraphs/inbox/src/config.ts";
import { startSocial, type SocialApp } from "../../subgraphs/social/src/app.ts";
import { loadSocialConfig } from "../../subgraphs/social/src/config.ts";
import { loadCrmConfig } from "../../subgraphs/crm/src/config.ts";
import { startUsers, type UsersApp } from "../../subgraphs/users/src/app.ts";
import { loadUsersConfig } from "../../subgraphs/users/src/config.ts";
import { loadGatewayConfig } from "../src/config.ts";
import { startGateway } from "../src/server.ts";

export interface Platform {
  /** The gateway's /graphql URL: what clients call. */
  url: string;
  gatewayOrigin: string;
  users: UsersApp;
  crm: CrmApp;
  agents: AgentsApp;
  /** The settings the agents subgraph was started with, for starting another agents process on the same data. */
  agentsEnv: Record<string, string>;
  billing: BillingApp;
  inbox: InboxApp;
  social: SocialApp;
  /** The settings the social subgraph was started with, for starting another social process on the same graph. */
  socialEnv: Record<string, string>;
  /** The settings the inbox subgraph was started with, for starting another inbox process on the same data. */
  inboxEnv: Record<string, string>;
  /** The OpenAI-compatible server the agents subgraph's OPENAI provider talks to; tests script it. */
  openAI: OpenAICompatibleServer;
  /** Every subgraph the platform runs, by the name the supergraph gives it. */
  subgraphNames: string[];
  /** Every SQL statement each subgraph ran, in order (tests count them). */
  sql: { users: string[]; crm: string[]; billing: string[]; inbox: string[] };
  keys: { privateKey: string; publicKey: string };
  /** Another gateway in front of the same subgraphs, with its own settings; stopped with the platform. */
  startGateway: (env: Record<string, string>, subgraphUrls?: Record<string, string>) => Promise<RunningServer>;
  /** Sends an operation to the gateway, with `Authorization: Bearer <credential>` when given one. */
  gql: <T = any>(
    query: string,
    variables?: Record<string, unknown>,
    credential?: string,
  ) => Promise<GraphQLResponse<T>>;
  /** Signs up a new user with a workspace of their own (its OWNER). */
  signUp: () => Promise<SignedUp>;
  /** Posts an event to the gateway's Stripe webhook, signed as Stripe signs it unless told otherwise. */
  deliverStripeEvent: (event: object, sign?: WebhookSigning) => Promise<{ status: number; body: WebhookAnswer }>;
  /** The Stripe customer billing made for the workspace, or null before its first checkout. */
  stripeCustomerOf: (workspaceId: string) => Promise<string | null>;
  /** Puts the account's workspace on a paid plan the way production does: checkout, then Stripe's event. */
  upgrade: (account: SignedUp, plan: PlanName) => Promise<{ subscriptionId: string; customerId: string }>;
  stop: () => Promise<void>;
}

export interface SignedUp {
  accessToken: string;
  user: { id: string; email: string };
  workspace: { id: string };
}

export interface WebhookSigning {
  secret?: string;
  timestamp?: number;
  /** Sent instead of the signed payload (a tampered body). */
  body?: string;
}

export interface WebhookAnswer {
  received?: boolean;
  duplicate?: boolean;
}

/** A Stripe event as Stripe's webhooks deliver it. */
export const stripeEvent = (type: string, created: number, object: Record<string, unknown>) => ({
  id: `evt_${randomUUID().replaceAll("-", "")}`,
  object: "event",
  type,
  created,
  livemode: false,
  data: { object },
});

/** The `checkout.session.completed` event Stripe sends once the customer has paid. */
export const checkoutCompleted = (
  workspaceId: string,
  customerId: string,
  subscriptionId: string,
  plan: PlanName,
  created = Math.floor(Date.now() / 1000),
) =>
  stripeEvent("checkout.session.completed", created, {
    id: `cs_test_${randomUUID().replaceAll("-", "")}`,
    object: "checkout.session",
    mode: "subscription",
    customer: customerId,
    subscription: subscriptionId,
    client_reference_id: workspaceId,
    payment_status: "paid",
    metadata: { workspaceId, plan },
  });

/** Data servers other than those of `scripts/services up` (URLs without a database path). */
export interface PlatformServers {
  postgresUrl?: string;
  mongodbUrl?: string;
  redisUrl?: string;
  neo4jUrl?: string;
}

/**
 * Starts the real subgraphs and the gateway on free ports, each subgraph on a
 * throwaway database of the running PostgreSQL, as one test file's platform.
 */
export async function startPlatform(
  env: Record<string, string> = {},
  servers: PlatformServers = {},
): Promise<Platform> {
  const keys = testKeyPair();
  const common = {
    ...TEST_ENV,
    ...(servers.redisUrl ? { REDIS_URL: servers.redisUrl } : {}),
    // Every test client shares 127.0.0.1 and one Redis: only the rate-limit tests ask for limits.
    RATE_LIMIT_REQUESTS: "1000000",
    RATE_LIMIT_ANONYMOUS_REQUESTS: "1000000",
    ...env,
  };
  const sql = { users: [] as string[], crm: [] as string[], billing: [] as string[], inbox: [] as string[] };
  const [usersDb, crmDb, billingDb, inboxDb] = await Promise.all(
    ["users", "crm", "billing", "inbox"].map((name) => createTestDatabase(name, servers.postgresUrl)),
  );
  const agentsDb = createTestMongoDatabase("agents", servers.mongodbUrl);
  const openAI = await new OpenAICompatibleServer().start();
  // Agents' tools and crm's owner checks call the gateway, which starts after the subgraphs: its port is chosen first.
  const gatewayPort = await freePort();
  const agentsEnv: Record<string, string> = {
    LOCAL_TOKEN_INTERVAL_MS: "5",
    ...common,
    AGENTS_PORT: "0",
    MONGODB_URL: agentsDb.url,
    GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
    OPENAI_API_KEY: "sk-test-mary",
    OPENAI_BASE_URL: openAI.url,
    OPENAI_MODEL: "gpt-test",
  };
  const inboxEnv: Record<string, string> = {
    ...common,
    INBOX_PORT: "0",
    INBOX_DATABASE_URL: inboxDb!.url,
    GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
    PUBLIC_GATEWAY_ORIGIN: `http://127.0.0.1:${gatewayPort}`,
    // Each platform has its own sync queue, so platforms sharing one Redis never take each other's jobs.
    SYNC_QUEUE_NAME: `inbox-sync-${randomUUID()}`,
  };
  const socialEnv: Record<string, string> = {
    ...common,
    SOCIAL_PORT: "0",
    NEO4J_URL: servers.neo4jUrl ?? process.env.NEO4J_URL ?? "bolt://127.0.0.1:7687",
    PUBLIC_GATEWAY_ORIGIN: `http://127.0.0.1:${gatewayPort}`,
    GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
    // Each platform has its own queues, so platforms sharing one Redis never take each other's jobs.
    SOCIAL_QUEUE_PREFIX: `social-${randomUUID()}`,
  };
  const [users, crm, agents, billing, inbox, social] = await Promise.all([
    startUsers(
      loadUsersConfig({
        ...common,
        USERS_PORT: "0",
        USERS_DATABASE_URL: usersDb!.url,
        JWT_PRIVATE_KEY: keys.privateKey,
      }),
      { onQuery: (statement) => sql.users.push(statement) },
    ),
    startCrm(
      loadCrmConfig({
        ...common,
        CRM_PORT: "0",
        CRM_DATABASE_URL: crmDb!.url,
        GATEWAY_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
      }),
      { onQuery: (statement) => sql.crm.push(statement) },
    ),
    startAgents(loadAgentsConfig(agentsEnv)),
    startBilling(
      loadBillingConfig({
        ...common,
        BILLING_PORT: "0",
        BILLING_DATABASE_URL: billingDb!.url,
        STRIPE_API_BASE,
        STRIPE_WEBHOOK_SECRET: TEST_STRIPE_WEBHOOK_SECRET,
      }),
      { onQuery: (statement) => sql.billing.push(statement) },
    ),
    startInbox(loadInboxConfig(inboxEnv), { onQuery: (statement) => sql.inbox.push(statement) }),
    startSocial(loadSocialConfig(socialEnv)),
  ]);
  const subgraphUrls = {
    users: users.url,
    crm: crm.url,
    agents: agents.url,
    inbox: inbox.url,
    social: social.url,
    billing: billing.url,
  };
  const gateways: RunningServer[] = [];
  const addGateway = async (extra: Record<string, string> = {}, overrides: Record<string, string> = {}) => {
    const gateway = await startGateway(
      loadGatewayConfig({ ...common, GATEWAY_PORT: "0", JWT_PUBLIC_KEY: keys.publicKey, ...extra }),
      { subgraphUrls: { ...subgraphUrls, ...overrides } },
    );
    gateways.push(gateway);
    return gateway;
  };
  const gateway = await addGateway({ GATEWAY_PORT: String(gatewayPort) });
  const gatewayOrigin = new URL(gateway.url).origin;
  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}, credential?: string) =>
    graphql<T>(gateway.url, query, variables, credential ? { authorization: `Bearer ${credential}` } : {});

  const deliverStripeEvent = async (event: object, sign: WebhookSigning = {}) => {
    const payload = JSON.stringify(event);
    const response = await fetch(`${gatewayOrigin}/webhooks/stripe`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "stripe-signature": stripeSignature(payload, sign.secret ?? TEST_STRIPE_WEBHOOK_SECRET, sign.timestamp),
      },
      body: sign.body ?? payload,
    });
    return { status: response.status, body: (await response.json()) as WebhookAnswer };
  };

  const stripeCustomerOf = async (workspaceId: string) => {
    const rows = await billing.orm.em
      .fork()
      .getConnection()
      .execute(`select stripe_customer_id from billing_accounts where workspace_id = ?`, [workspaceId]);
    return (rows[0]?.stripe_customer_id as string | undefined) ?? null;
  };

  return {
    url: gateway.url,
    gatewayOrigin,
    users,
    crm,
    agents,
    agentsEnv,
    billing,
    inbox,
    inboxEnv,
    social,
    socialEnv,
    openAI,
    subgraphNames: Object.keys(subgraphUrls),
    sql,
    keys,
    startGateway: addGateway,
    gql,
    signUp: async () => {
      const email = `${randomUUID()}@example.com`;
      const response = await gql<{ signUp: SignedUp }>(
        `mutation ($input: SignUpInput!) { signUp(input: $input) { accessToken user { id email } workspace { id } } }`,
        { input: { email, password: "correct-horse-42", name: "Test User", workspaceName: `Team of ${email}` } },
      );
      if (!response.data) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
      return response.data.signUp;
    },
    deliverStripeEvent,
    stripeCustomerOf,
    upgrade: async (account, plan) => {
      const checkout = await gql(
        `mutation ($plan: PlanName!) { createCheckoutSession(plan: $plan) { id } }`,
        { plan },
        account.accessToken,
      );
      if (checkout.errors) throw new Error(`checkout failed: ${JSON.stringify(checkout.errors)}`);
      const customerId = await stripeCustomerOf(account.workspace.id);
      if (!customerId) throw new Error("checkout made no Stripe customer");
      const subscriptionId = `sub_${randomUUID().replaceAll("-", "")}`;
      const delivered = await deliverStripeEvent(
        checkoutCompleted(account.workspace.id, customerId, subscriptionId, plan),
      );
      if (delivered.status !== 200) throw new Error(`the checkout event was refused (${delivered.status})`);
      return { subscriptionId, customerId };
    },
    stop: async () => {
      await Promise.all(gateways.map((server) => server.close()));
      await Promise.all([
        users.close(),
        crm.close(),
        agents.close(),
        billing.close(),
        inbox.close(),
        social.close(),
        openAI.stop(),
      ]);
      await Promise.all([usersDb!.drop(), crmDb!.drop(), billingDb!.drop(), inboxDb!.drop(), agentsDb.drop()]);
    },
  };
}
