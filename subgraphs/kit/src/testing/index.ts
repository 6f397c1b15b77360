import { createHmac, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import type { Client, FormattedExecutionResult, SubscribePayload } from "graphql-ws";
import { MongoClient } from "mongodb";
import pg from "pg";
import { PRINCIPAL_HEADER, signPrincipal, type Principal } from "../principal.ts";

export * from "./caldav.ts";
export * from "./mail.ts";
export * from "./social.ts";

/** The signing secret tests share between the gateway and the subgraphs they start. */
export const TEST_SIGNING_SECRET = "mary-test-signing-secret-0123456789abcdef";

/** The PostgreSQL server started by `scripts/services up`. */
export const POSTGRES_URL = process.env.POSTGRES_URL ?? "postgres://mary:mary@127.0.0.1:5432";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** The MongoDB-wire server (FerretDB) started by `scripts/services up`. */
export const MONGODB_URL = process.env.MONGODB_URL ?? "mongodb://127.0.0.1:27017";
/** stripe-mock, started by `scripts/services up`. */
export const STRIPE_API_BASE = process.env.STRIPE_API_BASE ?? "http://127.0.0.1:12111";
/** The settings every service a test starts shares: quiet logs, the test secret, the local Redis. */
export const TEST_ENV = {
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  INTERNAL_SIGNING_SECRET: TEST_SIGNING_SECRET,
  REDIS_URL,
} as const;

/** The webhook signing secret tests sign Stripe events with. */
export const TEST_STRIPE_WEBHOOK_SECRET = "whsec_mary_test_0123456789abcdef";

/**
 * Creates an empty database named after the test, so test runs never touch the
 * databases `pnpm start` uses and never see each other's rows. Returns its URL
 * and a function that drops it. `serverUrl` (no database path) defaults to POSTGRES_URL.
 */
export async function createTestDatabase(
  prefix: string,
  serverUrl = POSTGRES_URL,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_test_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    url: `${serverUrl}/${name}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * A MongoDB database of its own for a test run (created on first write), and a function that drops it.
 * `serverUrl` (no database path) defaults to MONGODB_URL.
 */
export function createTestMongoDatabase(
  prefix: string,
  serverUrl = MONGODB_URL,
): { url: string; drop: () => Promise<void> } {
  const name = `${prefix}_test_${randomBytes(4).toString("hex")}`;
  const url = `${serverUrl.replace(/\/+$/, "")}/${name}`;
  return {
    url,
    drop: async () => {
      const client = await MongoClient.connect(url);
      await client.db(name).dropDatabase();
      await client.close();
    },
  };
}

/** A TCP port nothing listens on right now, for a server whose URL others need before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Headers the gateway would send for this principal. */
export function signedHeaders(principal: Principal, secret = TEST_SIGNING_SECRET): Record<string, string> {
  return { [PRINCIPAL_HEADER]: signPrincipal(principal, secret) };
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: unknown[] }[];
  headers: Headers;
}

/** Sends one GraphQL operation over real HTTP, as a client would. */
export async function graphql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T; errors?: GraphQLResponse["errors"] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Non-JSON response (${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
}

/** The first error code of a response, for assertions. */
export const errorCode = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

/** A fresh Ed25519 key pair as PEM, for tests that sign and verify access tokens. */
export function testKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync("ed25519", {
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

/**
 * A `Stripe-Signature` header as Stripe sends it: `t=<unix seconds>,v1=<HMAC-SHA256 of "t.payload">`,
 * written from Stripe's documented scheme rather than with its SDK, so the tests check the SDK's verification.
 */
export function stripeSignature(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

/** A graphql-ws subscription as a test sees it. */
export interface RecordedSubscription<T> {
  /** Every result received so far, in order. */
  results: FormattedExecutionResult<T, unknown>[];
  /**
   * Resolves when the server completes the subscription; rejects on a socket or protocol error,
   * with an Error whose message holds what the sink's `error` got (its `cause`).
   */
  done: Promise<void>;
  /** Resolves once `count` results have arrived. */
  received: (count: number) => Promise<void>;
  /** Ends the subscription from the client's side. */
  unsubscribe: () => void;
}

/** Subscribes on the client and records what arrives. */
export function recordSubscription<T = any>(client: Client, payload: SubscribePayload): RecordedSubscription<T> {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let unsubscribe = () => {};
  const done = new Promise<void>((resolve, reject) => {
    unsubscribe = client.subscribe<T>(payload, {
      next: (result) => {
        results.push(result);
        for (const waiter of waiters.filter((w) => results.length >= w.count)) waiter.resolve();
      },
      error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error), { cause: error })),
      complete: () => resolve(),
    });
  });
  done.catch(() => {});
  return {
    results,
    done,
    unsubscribe: () => unsubscribe(),
    received: (count) =>
      results.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}
