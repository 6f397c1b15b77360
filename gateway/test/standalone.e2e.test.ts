// The gateway as a product of its own: started through its command line (`mary-gateway
// --supergraph <file> --port <n>`) on a supergraph that is not Mary's, two subgraphs composed
// here, with no Redis and, at first, no JWT key. Queries, mutations and federated subscriptions
// work; the generic protections hold; Mary's own parts are off. Then with a JWKS URL, tokens of
// that key set are accepted and passed on, and others refused.
import { spawn, type ChildProcess } from "node:child_process";
import { on, EventEmitter } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PRINCIPAL_HEADER, verifyPrincipal } from "@mary/kit";
import { errorCode, freePort, graphql, TEST_SIGNING_SECRET } from "@mary/kit/testing";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { composeSupergraph, federatedSdl, serveSubgraph, type TestSubgraph } from "./test-subgraph.ts";
import { subscribe, wsClient } from "./ws-client.ts";

const BIN = resolve(import.meta.dirname, "../bin/mary-gateway.js");

const productsTypeDefs = federatedSdl(`
  type Query { products(first: Int): [Product!]! product(id: ID!): Product secret: String }
  type Mutation { renameProduct(id: ID!, name: String!): Product! }
  type Product @key(fields: "id") { id: ID! name: String! }`);
const reviewsTypeDefs = federatedSdl(`
  type Review { body: String! product: Product! }
  type Product @key(fields: "id") { id: ID! reviews(first: Int): [Review!]! }
  type Mutation { addReview(productId: ID!, body: String!): Review! }
  type Subscription { reviewAdded: Review! }`);

const names = new Map([
  ["p1", "Kettle"],
  ["p2", "Teapot"],
]);
const reviews: { productId: string; body: string }[] = [{ productId: "p1", body: "Boils fast" }];
const reviewEvents = new EventEmitter();
let reviewListeners = 0;
/** The headers of every request the products subgraph got. */
const productsHeaders: IncomingHttpHeaders[] = [];

const product = (id: string) => ({ id, name: names.get(id) });
const reviewOut = (review: { productId: string; body: string }) => ({
  body: review.body,
  product: { id: review.productId },
});

let products: TestSubgraph;
let reviewsGraph: TestSubgraph;
let dir: string;
let supergraphFile: string;

beforeAll(async () => {
  products = await serveSubgraph(
    productsTypeDefs,
    {
      Query: {
        products: () => [...names.keys()].map(product),
        product: (_: unknown, { id }: { id: string }) => (names.has(id) ? product(id) : null),
        secret: () => {
          throw new Error("password hunter2 refused by db.internal:5432");
        },
      },
      Mutation: {
        renameProduct: (_: unknown, { id, name }: { id: string; name: string }) => {
          names.set(id, name);
          return product(id);
        },
      },
      Product: { __resolveReference: ({ id }: { id: string }) => product(id) },
    },
    { onRequest: (req) => productsHeaders.push(req.headers) },
  );
  reviewsGraph = await serveSubgraph(reviewsTypeDefs, {
    Product: {
      reviews: ({ id }: { id: string }) => reviews.filter((review) => review.productId === id).map(reviewOut),
    },
    Mutation: {
      addReview: (_: unknown, { productId, body }: { productId: string; body: string }) => {
        const review = { productId, body };
        reviews.push(review);
        reviewEvents.emit("added", review);
        return reviewOut(review);
      },
    },
    Subscription: {
      reviewAdded: {
        // An iterator of its own rather than an async generator, whose return() would wait for the next event.
        subscribe: () => {
          reviewListeners++;
          const added = on(reviewEvents, "added");
          return {
            [Symbol.asyncIterator]() {
              return this;
            },
            next: () => added.next(),
            return: () => {
              reviewListeners--;
              return added.return!();
            },
          };
        },
        resolve: ([review]: [{ productId: string; body: string }]) => reviewOut(review),
      },
    },
  });
  dir = mkdtempSync(join(tmpdir(), "mary-standalone-"));
  supergraphFile = join(dir, "supergraph.graphql");
  writeFileSync(
    supergraphFile,
    composeSupergraph([
      { name: "products", typeDefs: productsTypeDefs, url: products.url },
      { name: "reviews", typeDefs: reviewsTypeDefs, url: reviewsGraph.url },
    ]),
  );
});
afterAll(async () => {
  await Promise.all([products?.close(), reviewsGraph?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Cli {
  url: string;
  origin: string;
  /** Everything the process wrote to stdout, so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `mary-gateway` as a child process with only these variables (no REDIS_URL, no JWT key
 * unless given), and waits until it answers /healthz.
 */
async function startCli(args: string[], env: Record<string, string> = {}): Promise<Cli> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args, "--port", String(port)], {
    env: { PATH: process.env.PATH, INTERNAL_SIGNING_SECRET: TEST_SIGNING_SECRET, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mary-gateway exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`mary-gateway did not start:\n${output}`);
    const up = await fetch(`${origin}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) break;
    await sleep(100);
  }
  return {
    url: `${origin}/graphql`,
    origin,
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Runs the command line to its end (for the flags that do not start a server). */
async function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH }, stdio: "pipe" });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, output };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(10);
  }
}

describe("the command line", () => {
  test("--help prints the usage; an unknown flag is refused with exit code 2", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/^Usage: mary-gateway .*--supergraph <file>/);
    const unknown = await runCli(["--", "--supergraph", supergraphFile, "--prot", "4000"]);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toMatch(/^mary-gateway: Unknown option '--prot'/);
  });
});

describe("a foreign supergraph with no Redis and no JWT key", () => {
  let gateway: Cli;
  beforeAll(async () => {
    gateway = await startCli(["--supergraph", supergraphFile]);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  test("starts with Mary's parts and rate limits off, and says so", async () => {
    expect(gateway.output()).toContain(
      "Mary's accounts and API keys off (no users subgraph); plans and quotas off (no accounts); " +
        "/webhooks/stripe off (no billing subgraph: 404); /oauth/mastodon/callback off (no social subgraph: 404); " +
        "/calendars/<token>.ics off (no inbox subgraph: 404); " +
        "JWT off (no key or JWKS URL: requests are anonymous); " +
        "rate limits off (no REDIS_URL)",
    );
    const ready = await fetch(`${gateway.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", subgraphs: { products: true, reviews: true } });
  });

  test("a query across both subgraphs, and a mutation", async () => {
    const query = await graphql(gateway.url, '{ product(id: "p1") { name reviews { body } } }');
    expect(query.errors).toBeUndefined();
    expect(query.data).toEqual({ product: { name: "Kettle", reviews: [{ body: "Boils fast" }] } });
    expect(query.headers.get("x-ratelimit-limit")).toBeNull();

    const renamed = await graphql(
      gateway.url,
      `
        mutation {
          renameProduct(id: "p2", name: "Big teapot") {
            id
            name
          }
        }
      `,
    );
    expect(renamed.data).toEqual({ renameProduct: { id: "p2", name: "Big teapot" } });
    // Anonymous: the signed principal says so, and no Authorization reaches the subgraph.
    const seen = productsHeaders.at(-1)!;
    expect(verifyPrincipal(seen[PRINCIPAL_HEADER] as string, TEST_SIGNING_SECRET)).toEqual({ kind: "anonymous" });
    expect(seen.authorization).toBeUndefined();
  });

  test("a subscription over graphql-ws, each event completed with the other subgraph's fields", async () => {
    const client = wsClient(gateway.url, null);
    try {
      const events = subscribe(client, "subscription { reviewAdded { body product { id name } } }");
      await until(() => reviewListeners === 1);
      const added = await graphql(
        gateway.url,
        `
          mutation {
            addReview(productId: "p1", body: "Quiet now") {
              body
            }
          }
        `,
      );
      expect(added.data).toEqual({ addReview: { body: "Quiet now" } });
      await events.received(1);
      expect(events.results[0]).toEqual({
        data: { reviewAdded: { body: "Quiet now", product: { id: "p1", name: "Kettle" } } },
      });
      events.unsubscribe();
      await until(() => reviewListeners === 0);
    } finally {
      await client.dispose();
    }
  });

  test("operation limits: too deep and too costly are refused before any subgraph is called", async () => {
    const before = productsHeaders.length;
    let deep = "id";
    for (let level = 0; level < 7; level++) deep = `reviews { product { ${deep} } }`;
    const tooDeep = await graphql(gateway.url, `{ products { ${deep} } }`);
    expect(tooDeep.status).toBe(400);
    expect(errorCode(tooDeep)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(tooDeep.errors?.[0]?.message).toMatch(/depth/i);

    const tooCostly = await graphql(
      gateway.url,
      `
        {
          products(first: 1000) {
            reviews(first: 1000) {
              body
            }
          }
        }
      `,
    );
    expect(tooCostly.status).toBe(400);
    expect(errorCode(tooCostly)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(tooCostly.errors?.[0]?.message).toMatch(/cost/i);
    expect(productsHeaders.length).toBe(before);
  });

  test("an internal error is masked, and field suggestions are hidden", async () => {
    const failed = await graphql(gateway.url, "{ secret }");
    expect(failed.errors).toEqual([
      { message: "Internal server error", path: ["secret"], extensions: { code: "INTERNAL" } },
    ]);
    expect(JSON.stringify(failed)).not.toMatch(/hunter2|db\.internal/);

    const typo = await graphql(gateway.url, "{ prodcts { id } }");
    expect(errorCode(typo)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  test("CSRF prevention refuses a text/plain POST; /webhooks/stripe is not there", async () => {
    const simple = await fetch(gateway.url, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: `mutation { renameProduct(id: "p1", name: "Hacked") { id } }` }),
    });
    expect(simple.status).toBe(400);
    expect(await simple.text()).toMatch(/CSRF/);
    expect(names.get("p1")).toBe("Kettle");

    const stripe = await fetch(`${gateway.origin}/webhooks/stripe`, { method: "POST", body: "{}" });
    expect(stripe.status).toBe(404);
  });

  test("credentials are refused, since nothing here can check them", async () => {
    const refused = await graphql(gateway.url, "{ products { id } }", {}, { authorization: "Bearer x" });
    expect(refused.status).toBe(401);
    expect(errorCode(refused)).toBe("UNAUTHENTICATED");
    expect(refused.errors?.[0]?.message).toMatch(/accepts no credentials/);
  });
});

describe("a foreign supergraph with a JWKS URL", () => {
  const ISSUER = "https://id.example.test/";
  const AUDIENCE = "shop";
  let signingKey: CryptoKey;
  let jwks: Server;
  let gateway: Cli;

  const token = (
    claims: Record<string, unknown> = {},
    {
      key = signingKey,
      expires = "5m",
      audience = AUDIENCE,
    }: { key?: CryptoKey; expires?: string | number; audience?: string } = {},
  ) =>
    new SignJWT({ scope: "read", ...claims })
      .setProtectedHeader({ alg: "ES256", kid: "key-1" })
      .setSubject("alice")
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(key);

  beforeAll(async () => {
    const pair = await generateKeyPair("ES256");
    signingKey = pair.privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "key-1", alg: "ES256", use: "sig" };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    gateway = await startCli(["--supergraph", supergraphFile], {
      JWT_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    jwks?.close();
  });

  test("a valid token is accepted; the subgraphs get it and its claims in the signed principal", async () => {
    expect(gateway.output()).toContain("JWT verified with the JWKS at http://127.0.0.1:");
    const valid = await token();
    const answer = await graphql(gateway.url, "{ products { name } }", {}, { authorization: `Bearer ${valid}` });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.products).toHaveLength(2);
    const seen = productsHeaders.at(-1)!;
    expect(seen.authorization).toBe(`Bearer ${valid}`);
    expect(verifyPrincipal(seen[PRINCIPAL_HEADER] as string, TEST_SIGNING_SECRET)).toMatchObject({
      kind: "token",
      subject: "alice",
      claims: { sub: "alice", scope: "read", iss: ISSUER, aud: AUDIENCE },
    });
    // Without a token the caller is anonymous, as before.
    expect((await graphql(gateway.url, "{ products { id } }")).data?.products).toHaveLength(2);
  });

  test("expired, foreign-key and wrong-audience tokens are refused", async () => {
    const expired = await token({}, { expires: Math.floor(Date.now() / 1000) - 60 });
    const strangerKey = (await generateKeyPair("ES256")).privateKey;
    const cases = [
      [expired, /expired/],
      [await token({}, { key: strangerKey }), /not valid/],
      [await token({}, { audience: "another-app" }), /not valid/],
    ] as const;
    for (const [credential, message] of cases) {
      const refused = await graphql(gateway.url, "{ products { id } }", {}, { authorization: `Bearer ${credential}` });
      expect(refused.status).toBe(401);
      expect(errorCode(refused)).toBe("UNAUTHENTICATED");
      expect(refused.errors?.[0]?.message).toMatch(message);
    }
  });

  test("a socket authenticates with a token, and its subscription's subgraph gets the token too", async () => {
    const valid = await token();
    const client = wsClient(gateway.url, valid);
    try {
      const events = subscribe(client, "subscription { reviewAdded { body product { name } } }");
      await until(() => reviewListeners === 1);
      await graphql(
        gateway.url,
        `
          mutation {
            addReview(productId: "p2", body: "Pours well") {
              body
            }
          }
        `,
      );
      await events.received(1);
      expect(events.results[0]?.data).toEqual({ reviewAdded: { body: "Pours well", product: { name: "Big teapot" } } });
      // The event's product came from products, asked as the socket's caller.
      expect(productsHeaders.at(-1)?.authorization).toBe(`Bearer ${valid}`);
      events.unsubscribe();
    } finally {
      await client.dispose();
    }
    const stranger = wsClient(gateway.url, await token({}, { key: (await generateKeyPair("ES256")).privateKey }));
    const closed = await new Promise<number>((resolve) =>
      stranger.on("closed", (event) => resolve((event as { code: number }).code)),
    );
    expect(closed).toBe(4403);
    await stranger.dispose();
  });

  test("while the JWKS cannot be fetched, token callers get 503 SERVICE_UNAVAILABLE, not a refusal", async () => {
    const nowhere = await freePort();
    const blind = await startCli(["--supergraph", supergraphFile], {
      JWT_JWKS_URL: `http://127.0.0.1:${nowhere}/jwks.json`,
    });
    try {
      const answer = await graphql(blind.url, "{ products { id } }", {}, { authorization: `Bearer ${await token()}` });
      expect(answer.status).toBe(503);
      expect(errorCode(answer)).toBe("SERVICE_UNAVAILABLE");
      expect((await graphql(blind.url, "{ products { id } }")).data?.products).toHaveLength(2);
    } finally {
      await blind.stop();
    }
  });
});

describe("GATEWAY_WORKERS=2", () => {
  let gateway: Cli;
  beforeAll(async () => {
    gateway = await startCli(["--supergraph", supergraphFile], { GATEWAY_WORKERS: "2" });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  /** The pids answering /healthz over new connections (the workers take connections in turn). */
  const workerPids = async (connections = 8) => {
    const pids = new Set<number>();
    for (let index = 0; index < connections; index++) {
      const response = await fetch(`${gateway.origin}/healthz`, { headers: { connection: "close" } });
      pids.add(((await response.json()) as { pid: number }).pid);
    }
    return pids;
  };

  test("two processes serve the port, and every socket's subscription gets its events", async () => {
    await until(() => (gateway.output().match(/gateway listening/g) ?? []).length === 2, 30_000);
    expect((await workerPids()).size).toBe(2);

    const clients = Array.from({ length: 4 }, () => wsClient(gateway.url, null));
    try {
      const streams = clients.map((client) =>
        subscribe(client, "subscription { reviewAdded { body product { name } } }"),
      );
      await until(() => reviewListeners === 4);
      const added = await graphql(gateway.url, 'mutation { addReview(productId: "p2", body: "Pours well") { body } }');
      expect(added.errors).toBeUndefined();
      for (const stream of streams) {
        await stream.received(1);
        expect(stream.results[0]).toEqual({
          data: { reviewAdded: { body: "Pours well", product: { name: names.get("p2") } } },
        });
        stream.unsubscribe();
      }
      await until(() => reviewListeners === 0);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });

  test("a worker that dies is replaced", async () => {
    const [victim] = await workerPids();
    await sleep(5_000); // a worker that dies in its first 5 s counts as failing to start
    process.kill(victim!, "SIGKILL");
    await until(() => gateway.output().includes(`worker ${victim} exited`), 10_000);
    await until(() => (gateway.output().match(/gateway listening/g) ?? []).length === 3, 30_000);
    const pids = await workerPids();
    expect(pids.size).toBe(2);
    expect(pids.has(victim!)).toBe(false);
  }, 60_000);
});
