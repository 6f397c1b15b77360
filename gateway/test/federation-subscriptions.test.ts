// The federation core's subscriptions over a supergraph that is not Mary's: a subgraph pushes
// price changes over graphql-ws, another owns the products they point at, and each event comes
// back with fields of both, without Mary's authentication or limits.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { composeServices } from "@apollo/composition";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { handleGraphQLRequest } from "@mary/kit";
import { GraphQLError, parse, type ExecutionResult } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { afterAll, beforeAll, expect, test } from "vitest";
import { WebSocketServer } from "ws";
import { createFederation } from "../src/core/federation.ts";

const FED = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])`;
const productsTypeDefs = parse(`${FED}
  type Query { product(id: ID!): Product }
  type Product @key(fields: "id") { id: ID! name: String! }`);
const pricesTypeDefs = parse(`${FED}
  type Query { currency: String! }
  type Subscription { priceChanged(productId: ID!, count: Int!, intervalMs: Int! = 5): PriceChange! }
  type PriceChange { price: Int! product: Product! }
  type Product @key(fields: "id", resolvable: false) { id: ID! }`);

const names: Record<string, string> = { p1: "Kettle", p2: "Teapot" };
const productsFetched: string[][] = [];
let openSubscriptions = 0;
const extensionsSeen: unknown[] = [];

let products: { url: string; close: () => Promise<void> };
let prices: { url: string; close: () => Promise<void> };
let supergraphSdl: string;

beforeAll(async () => {
  const productsSchema = buildSubgraphSchema([
    {
      typeDefs: productsTypeDefs,
      resolvers: {
        Query: { product: (_: unknown, { id }: { id: string }) => (names[id] ? { id } : null) },
        Product: {
          __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
          name: (product: { id: string }) => names[product.id],
        },
      } as never,
    },
  ]);
  const apollo = new ApolloServer({ schema: productsSchema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  await apollo.start();
  const productsServer: Server = createServer((req, res) => {
    void handleGraphQLRequest(apollo, req, res, async () => ({})).catch(() => res.end());
  });
  const originalExecute = apollo.executeHTTPGraphQLRequest.bind(apollo);
  apollo.executeHTTPGraphQLRequest = async (request) => {
    const body = request.httpGraphQLRequest.body as { variables?: { representations?: { id: string }[] } };
    productsFetched.push((body.variables?.representations ?? []).map((representation) => representation.id));
    return originalExecute(request);
  };
  await new Promise<void>((resolve) => productsServer.listen(0, "127.0.0.1", resolve));
  products = {
    url: `http://127.0.0.1:${(productsServer.address() as AddressInfo).port}/graphql`,
    close: async () => {
      productsServer.closeAllConnections();
      await new Promise((resolve) => productsServer.close(resolve));
      await apollo.stop();
    },
  };

  const pricesSchema = buildSubgraphSchema([
    {
      typeDefs: pricesTypeDefs,
      resolvers: {
        Query: { currency: () => "EUR" },
        Subscription: {
          priceChanged: {
            subscribe: async function* (_: unknown, args: { productId: string; count: number; intervalMs: number }) {
              openSubscriptions++;
              try {
                for (let i = 1; i <= args.count; i++) {
                  if (args.intervalMs > 0) await sleep(args.intervalMs);
                  yield { priceChanged: { price: 100 * i, product: { id: args.productId } } };
                }
              } finally {
                openSubscriptions--;
              }
            },
          },
        },
      } as never,
    },
  ]);
  const pricesServer = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: pricesServer, path: "/graphql" });
  const disposable = useServer(
    {
      schema: pricesSchema,
      onSubscribe: (_ctx, _id, payload) => {
        extensionsSeen.push(payload.extensions);
        const headers = (payload.extensions as { headers?: Record<string, string> } | undefined)?.headers;
        if (headers?.["x-caller"] === "mallory") {
          return [new GraphQLError("Not for you", { extensions: { code: "FORBIDDEN" } })];
        }
      },
    },
    wss,
  );
  await new Promise<void>((resolve) => pricesServer.listen(0, "127.0.0.1", resolve));
  prices = {
    url: `http://127.0.0.1:${(pricesServer.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await disposable.dispose();
      await new Promise((resolve) => wss.close(resolve));
      pricesServer.closeAllConnections();
      await new Promise((resolve) => pricesServer.close(resolve));
    },
  };

  const composed = composeServices([
    { name: "products", typeDefs: productsTypeDefs, url: "http://products.invalid/graphql" },
    { name: "prices", typeDefs: pricesTypeDefs, url: "http://prices.invalid/graphql" },
  ]);
  expect(composed.errors).toBeUndefined();
  supergraphSdl = composed.supergraphSdl!;
});
afterAll(async () => {
  await Promise.all([products?.close(), prices?.close()]);
});

function federation(options: { maxQueuedEvents?: number; maxStallMs?: number } = {}) {
  return createFederation<{ caller: string }>({
    supergraphSdl,
    subgraphUrls: { products: products.url, prices: prices.url },
    subgraphHeaders: (context) => ({ "x-caller": context.caller }),
    ...options,
  }).subscriptions;
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(10);
  }
}

const collect = async (iterator: AsyncIterableIterator<ExecutionResult>) => {
  const results: ExecutionResult[] = [];
  for await (const result of iterator) results.push(result);
  return results;
};

test("the plan of a subscription has a primary fetch to its subgraph and a rest for the other fields", () => {
  const engine = federation();
  const plan = engine.plan(
    parse(`subscription { priceChanged(productId: "p1", count: 1) { price product { name } } }`),
  );
  expect(plan.node?.kind).toBe("Subscription");
  if (plan.node?.kind !== "Subscription") return;
  expect(plan.node.primary.serviceName).toBe("prices");
  expect(JSON.stringify(plan.node.rest)).toContain('"serviceName":"products"');
});

test("every event is completed with the other subgraph's fields, in order, then the stream ends", async () => {
  const engine = federation();
  const before = productsFetched.length;
  const results = await collect(
    engine.subscribe({
      document: parse(
        `subscription ($id: ID!) { priceChanged(productId: $id, count: 3) { price product { id name } } }`,
      ),
      variables: { id: "p2" },
      context: { caller: "alice" },
    }),
  );
  expect(results).toEqual([
    { data: { priceChanged: { price: 100, product: { id: "p2", name: "Teapot" } } } },
    { data: { priceChanged: { price: 200, product: { id: "p2", name: "Teapot" } } } },
    { data: { priceChanged: { price: 300, product: { id: "p2", name: "Teapot" } } } },
  ]);
  // One entity fetch per event, for that event's product; the caller's headers went with the subscription.
  expect(productsFetched.slice(before)).toEqual([["p2"], ["p2"], ["p2"]]);
  expect(extensionsSeen.at(-1)).toEqual({ headers: { "x-caller": "alice" } });
  await engine.close();
});

test("fields of the subscribing subgraph alone need no other fetch, and the result keeps only what was asked", async () => {
  const engine = federation();
  const before = productsFetched.length;
  const results = await collect(
    engine.subscribe({
      document: parse(`subscription { changed: priceChanged(productId: "p1", count: 2) { price } }`),
      context: { caller: "bob" },
    }),
  );
  expect(results).toEqual([{ data: { changed: { price: 100 } } }, { data: { changed: { price: 200 } } }]);
  expect(productsFetched.length).toBe(before);
  await engine.close();
});

test("return() ends the subgraph's subscription", async () => {
  const engine = federation();
  const iterator = engine.subscribe({
    document: parse(`subscription { priceChanged(productId: "p1", count: 1000) { price } }`),
    context: { caller: "carol" },
  });
  expect((await iterator.next()).value).toEqual({ data: { priceChanged: { price: 100 } } });
  expect(openSubscriptions).toBe(1);
  await iterator.return!();
  await until(() => openSubscriptions === 0);
  expect(engine.openSubgraphSubscriptions).toBe(0);
  await engine.close();
});

test("a burst far past the queue cap reaches a client that keeps reading, whole and in order", async () => {
  const engine = federation({ maxQueuedEvents: 5, maxStallMs: 2_000 });
  // Every event waits for a products fetch, so the burst piles up in the queue while the client reads.
  const results = await collect(
    engine.subscribe({
      document: parse(
        `subscription { priceChanged(productId: "p1", count: 300, intervalMs: 0) { price product { name } } }`,
      ),
      context: { caller: "dave" },
    }),
  );
  expect(results.map((result) => result.data?.priceChanged)).toEqual(
    Array.from({ length: 300 }, (_, i) => ({ price: 100 * (i + 1), product: { name: "Kettle" } })),
  );
  expect(engine.openSubgraphSubscriptions).toBe(0);
  await engine.close();
});

test("a client that stops taking events past the queue cap is cut off with RATE_LIMITED", async () => {
  const engine = federation({ maxQueuedEvents: 5, maxStallMs: 200 });
  const iterator = engine.subscribe({
    document: parse(`subscription { priceChanged(productId: "p2", count: 1000, intervalMs: 1) { price } }`),
    context: { caller: "erin" },
  });
  expect((await iterator.next()).value).toEqual({ data: { priceChanged: { price: 100 } } });
  expect(engine.openSubgraphSubscriptions).toBe(1);
  // The client takes nothing more: the subgraph's subscription is ended, and what waited is let go.
  await until(() => engine.openSubgraphSubscriptions === 0 && openSubscriptions === 0);
  const rest = await collect(iterator);
  expect(rest).toHaveLength(1);
  expect(rest[0]!.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  expect(rest[0]!.errors?.[0]?.message).toContain("more than 5 events behind");
  await engine.close();
});

test("a subscription the subgraph refuses ends with the subgraph's own error", async () => {
  const engine = federation();
  const results = await collect(
    engine.subscribe({
      document: parse(`subscription { priceChanged(productId: "p1", count: 3) { price } }`),
      context: { caller: "mallory" },
    }),
  );
  expect(results).toHaveLength(1);
  expect(results[0]!.data).toBeUndefined();
  expect(results[0]!.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
    ["Not for you", "FORBIDDEN"],
  ]);
  expect(engine.openSubgraphSubscriptions).toBe(0);
  await engine.close();
});
