import {
  createLogger,
  openDatabase,
  createRedis,
  pingDatabase,
  startSubgraphServer,
  type RunningServer,
} from "@mary/kit";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import type { BillingConfig } from "./config.ts";
import type { BillingContext } from "./context.ts";
import { entities } from "./entities/index.ts";
import { migrations } from "./migrations/index.ts";
import { buildBillingSchema } from "./schema.ts";
import { BillingService } from "./services/billing.service.ts";
import { PlanCache } from "./services/plan-cache.ts";
import { createStripe } from "./services/stripe-client.ts";
import { WebhookService } from "./services/webhook.service.ts";
import { stripeWebhookRoute } from "./webhook.route.ts";

export interface BillingApp extends RunningServer {
  orm: MikroORM;
}

/** Connects to PostgreSQL, Redis and Stripe, applies migrations and serves the billing subgraph. */
export async function startBilling(
  config: BillingConfig,
  options: { onQuery?: (sql: string) => void } = {},
): Promise<BillingApp> {
  const log = createLogger("billing", config.LOG_LEVEL);
  const { orm } = await openDatabase({
    databaseUrl: config.BILLING_DATABASE_URL,
    entities,
    migrations,
    log,
    onQuery: options.onQuery,
  });
  const redis = createRedis(config.REDIS_URL, log);
  const stripe = createStripe(config);
  const planCache = new PlanCache(redis, log);
  const urls = { successUrl: config.CHECKOUT_SUCCESS_URL, cancelUrl: config.CHECKOUT_CANCEL_URL };
  const billingFor = (em: EntityManager) => new BillingService(em, stripe, redis, planCache, urls);
  const webhooks = new WebhookService(orm, billingFor, planCache, log);

  const server = await startSubgraphServer<BillingContext>({
    name: "billing",
    schema: await buildBillingSchema(),
    port: config.BILLING_PORT,
    host: config.BILLING_HOST,
    signingSecret: config.INTERNAL_SIGNING_SECRET,
    introspection: config.NODE_ENV !== "production",
    log,
    routes: { "/webhooks/stripe": stripeWebhookRoute(stripe, config.STRIPE_WEBHOOK_SECRET, webhooks) },
    createContext: (base) => {
      const em = orm.em.fork();
      return { ...base, em, billing: billingFor(em) };
    },
    checkReady: async () => {
      await pingDatabase(orm);
      await redis.ping();
    },
  });
  return {
    ...server,
    orm,
    close: async () => {
      await server.close();
      await orm.close();
      redis.disconnect();
    },
  };
}
