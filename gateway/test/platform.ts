import { randomUUID } from "node:crypto";
import type { RunningServer } from "@mary/kit";
import {
  createTestDatabase,
  graphql,
  type GraphQLResponse,
  REDIS_URL,
  STRIPE_API_BASE,
  TEST_SIGNING_SECRET,
  TEST_STRIPE_WEBHOOK_SECRET,
  testKeyPair,
} from "@mary/kit/testing";
import { startBilling, type BillingApp } from "../../subgraphs/billing/src/app.ts";
import { loadBillingConfig } from "../../subgraphs/billing/src/config.ts";
import { startUsers, type UsersApp } from "../../subgraphs/users/src/app.ts";
import { loadUsersConfig } from "../../subgraphs/users/src/config.ts";
import { loadGatewayConfig } from "../src/config.ts";
import { startGateway } from "../src/server.ts";

export interface Platform {
  /** The gateway's /graphql URL: what clients call. */
  url: string;
  gatewayOrigin: string;
  users: UsersApp;
  billing: BillingApp;
  /** Every subgraph the platform runs, by the name the supergraph gives it. */
  subgraphNames: string[];
  keys: { privateKey: string; publicKey: string };
  /** Another gateway in front of the same subgraphs, with its own settings; stopped with the platform. */
  startGateway: (env: Record<string, string>, subgraphUrls?: Record<string, string>) => Promise<RunningServer>;
  /** Sends an operation to the gateway, with `Authorization: Bearer <credential>` when given one. */
  gql: <T = any>(query: string, variables?: Record<string, unknown>, credential?: string) => Promise<GraphQLResponse<T>>;
  /** Signs up a new user with a workspace of their own (its OWNER). */
  signUp: () => Promise<SignedUp>;
  stop: () => Promise<void>;
}

export interface SignedUp {
  accessToken: string;
  user: { id: string; email: string };
  workspace: { id: string };
}

/**
 * Starts the real subgraphs and the gateway on free ports, each subgraph on a
 * throwaway database of the running PostgreSQL, as one test file's platform.
 */
export async function startPlatform(env: Record<string, string> = {}): Promise<Platform> {
  const keys = testKeyPair();
  const common = {
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    INTERNAL_SIGNING_SECRET: TEST_SIGNING_SECRET,
    REDIS_URL,
    // Every test client shares 127.0.0.1 and one Redis: only the rate-limit tests ask for limits.
    RATE_LIMIT_REQUESTS: "1000000",
    RATE_LIMIT_ANONYMOUS_REQUESTS: "1000000",
    ...env,
  };
  const usersDb = await createTestDatabase("users");
  const users = await startUsers(
    loadUsersConfig({ ...common, USERS_PORT: "0", USERS_DATABASE_URL: usersDb.url, JWT_PRIVATE_KEY: keys.privateKey }),
  );
  const billingDb = await createTestDatabase("billing");
  const billing = await startBilling(
    loadBillingConfig({
      ...common,
      BILLING_PORT: "0",
      BILLING_DATABASE_URL: billingDb.url,
      STRIPE_API_BASE,
      STRIPE_WEBHOOK_SECRET: TEST_STRIPE_WEBHOOK_SECRET,
    }),
  );
  const gateways: RunningServer[] = [];
  const addGateway = async (extra: Record<string, string> = {}, subgraphUrls: Record<string, string> = {}) => {
    const gateway = await startGateway(
      loadGatewayConfig({ ...common, GATEWAY_PORT: "0", JWT_PUBLIC_KEY: keys.publicKey, ...extra }),
      { subgraphUrls: { users: users.url, billing: billing.url, ...subgraphUrls } },
    );
    gateways.push(gateway);
    return gateway;
  };
  const gateway = await addGateway();
  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}, credential?: string) =>
    graphql<T>(gateway.url, query, variables, credential ? { authorization: `Bearer ${credential}` } : {});
  return {
    url: gateway.url,
    gatewayOrigin: new URL(gateway.url).origin,
    users,
    billing,
    subgraphNames: ["users", "billing"],
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
    stop: async () => {
      await Promise.all(gateways.map((server) => server.close()));
      await Promise.all([users.close(), billing.close()]);
      await Promise.all([usersDb.drop(), billingDb.drop()]);
    },
  };
}
