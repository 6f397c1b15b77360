// The federation core's subscriptions over a supergraph that is not Mary's: a subgraph pushes
// price changes over graphql-ws, another owns the products they point at, and each event comes
// back with fields of both, without Mary's authentication or limits. Subscriptions of the same
// operation, variables and share key share one subscription to prices and one resolution of
// each event, whose products are fetched in batches and cached per group.
import { setTimeout as sleep } from "node:timers/promises";
import { GraphQLError, parse, type ExecutionResult } from "graphql";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createFederation, type FederationOptions } from "../src/core/federation.ts";
import { composeSupergraph, federatedSdl, serveSubgraph, type TestSubgraph } from "./test-subgraph.ts";

const productsTypeDefs = federatedSdl(`
  type Query { product(id: ID!): Product }
  type Product @key(fields: "id") { id: ID! name: String! }`);
const pricesTypeDefs = federatedSdl(`
  type Query { currency: String! }
  type Subscription { priceChanged(productId: ID!, count: Int!, intervalMs: Int! = 5): PriceChange! }
  type PriceChange { price: Int! product: Product! }
  type Product @key(fields: "id", resolvable: false) { id: ID! }`);

const names: Record<string, string> = { p1: "Kettle", p2: "Teapot" };
const productsFetched: string[][] = [];
let openSubscriptions = 0;
/** Subscriptions prices has been asked for, ever: a shared group asks once. */
let subscriptionsStarted = 0;
const extensionsSeen: unknown[] = [];

let products: TestSubgraph;
let prices: TestSubgraph;
let supergraphSdl: string;

beforeAll(async () => {
  products = await serveSubgraph(
    productsTypeDefs,
    {
      Query: { product: (_: unknown, { id }: { id: string }) => (names[id] ? { id } : null) },
      Product: {
        __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
        name: (product: { id: string }) => names[product.id],
      },
    },
    {
      plugins: [
        {
          async requestDidStart({ request }) {
            const representations = (request.variables?.representations ?? []) as { id: string }[];
            productsFetched.push(representations.map((representation) => representation.id));
          },
        },
      ],
    },
  );
  prices = await serveSubgraph(
    pricesTypeDefs,
    {
      Query: { currency: () => "EUR" },
      Subscription: {
        priceChanged: {
          subscribe: async function* (_: unknown, args: { productId: string; count: number; intervalMs: number }) {
            openSubscriptions++;
            subscriptionsStarted++;
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
    },
    {
      onSubscribe: (_ctx, _id, payload) => {
        extensionsSeen.push(payload.extensions);
        const headers = (payload.extensions as { headers?: Record<string, string> } | undefined)?.headers;
        if (headers?.["x-caller"] === "mallory") {
          return [new GraphQLError("Not for you", { extensions: { code: "FORBIDDEN" } })];
        }
      },
    },
  );
  supergraphSdl = composeSupergraph([
    { name: "products", typeDefs: productsTypeDefs, url: "http://products.invalid/graphql" },
    { name: "prices", typeDefs: pricesTypeDefs, url: "http://prices.invalid/graphql" },
  ]);
});
afterAll(async () => {
  await Promise.all([products?.close(), prices?.close()]);
});

/** Who subscribes; viewers of the same `team` may share (the test's share key). */
interface Viewer {
  caller: string;
  team?: string;
}

function federation(options: Partial<FederationOptions<Viewer>> = {}) {
  return createFederation<Viewer>({
    supergraphSdl,
    subgraphUrls: { products: products.url, prices: prices.url },
    subgraphHeaders: (context) => ({ "x-caller": context.caller }),
    subscriptionShareKey: (context) => context.team ?? null,
    ...options,
  }).subscriptions;
}

/** The next `count` results of a subscription. */
async function take(iterator: AsyncIterableIterator<ExecutionResult>, count: number): Promise<ExecutionResult[]> {
  const results: ExecutionResult[] = [];
  while (results.length < count) {
    const step = await iterator.next();
    if (step.done) break;
    results.push(step.value);
  }
  return results;
}

const pricesOf = (results: ExecutionResult[]) =>
  results.map((result) => (result.data?.priceChanged as { price: number } | undefined)?.price);
/** Prices `from`, `from + 100`, … : `count` consecutive events. */
const series = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + 100 * i);

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
  const engine = federation({ subscriptionEntityCacheTtlMs: 60_000 });
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
  // The product is fetched for the first event and reused for the next ones (within the cache's
  // TTL); the caller's headers went with the subscription.
  expect(productsFetched.slice(before)).toEqual([["p2"]]);
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

test("a client that stops reading is cut off even after the subgraph's subscription ended, holding nothing", async () => {
  const engine = federation({ maxQueuedEvents: 5, maxStallMs: 200 });
  const iterator = engine.subscribe({
    document: parse(`subscription { priceChanged(productId: "p1", count: 50, intervalMs: 0) { price } }`),
    context: { caller: "idle" },
  });
  expect((await iterator.next()).value).toEqual({ data: { priceChanged: { price: 100 } } });
  await until(() => engine.openSubgraphSubscriptions === 0);
  // Past maxStallMs with 49 results waiting and none taken: they are let go.
  await sleep(600);
  const rest = await collect(iterator);
  expect(rest).toHaveLength(1);
  expect(rest[0]!.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
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

const PRICE = `subscription ($id: ID!, $count: Int!, $intervalMs: Int! = 5) {
  priceChanged(productId: $id, count: $count, intervalMs: $intervalMs) { price product { id name } } }`;
const subscribeTo = (
  engine: ReturnType<typeof federation>,
  viewer: Viewer,
  variables: Record<string, unknown>,
  query = PRICE,
) => engine.subscribe({ document: parse(query), variables, context: viewer });

describe("shared subscriptions", () => {
  test("viewers with the same share key share one subgraph subscription, and products are fetched once, not per viewer per event", async () => {
    const engine = federation({ subscriptionEntityCacheTtlMs: 60_000 });
    const [started, fetched] = [subscriptionsStarted, productsFetched.length];
    const viewers = Array.from({ length: 5 }, (_, i) =>
      subscribeTo(engine, { caller: `viewer${i}`, team: "red" }, { id: "p1", count: 20 }),
    );
    expect(engine.openSubgraphSubscriptions).toBe(1);
    expect(engine.openViewers).toBe(5);
    const everyone = await Promise.all(viewers.map(collect));
    for (const results of everyone) {
      expect(results).toEqual(
        series(100, 20).map((price) => ({ data: { priceChanged: { price, product: { id: "p1", name: "Kettle" } } } })),
      );
    }
    // One subscription; one products fetch for 5 viewers × 20 events (the result objects are shared too).
    expect(subscriptionsStarted - started).toBe(1);
    expect(productsFetched.slice(fetched)).toEqual([["p1"]]);
    expect(everyone[1]![0]).toBe(everyone[0]![0]);
    expect(engine.openSubgraphSubscriptions).toBe(0);
    expect(engine.openViewers).toBe(0);
    await engine.close();
  });

  test("different share keys, different variables or no share key at all are separate subscriptions", async () => {
    const engine = federation({ subscriptionEntityCacheTtlMs: 60_000 });
    const [started, fetched] = [subscriptionsStarted, productsFetched.length];
    const viewers = [
      subscribeTo(engine, { caller: "a", team: "red" }, { id: "p1", count: 3 }),
      subscribeTo(engine, { caller: "b", team: "blue" }, { id: "p1", count: 3 }),
      subscribeTo(engine, { caller: "c", team: "red" }, { id: "p2", count: 3 }),
      subscribeTo(engine, { caller: "d" }, { id: "p1", count: 3 }),
      subscribeTo(engine, { caller: "e" }, { id: "p1", count: 3 }),
      // The same variables in another order are the same variables: shares with "a".
      subscribeTo(engine, { caller: "f", team: "red" }, { count: 3, id: "p1" }),
    ];
    expect(engine.openSubgraphSubscriptions).toBe(5);
    const everyone = await Promise.all(viewers.map(collect));
    expect(everyone.map(pricesOf)).toEqual(viewers.map(() => [100, 200, 300]));
    expect(subscriptionsStarted - started).toBe(5);
    // Each group fetched its product once, on its own: nothing is shared between groups.
    expect(productsFetched.slice(fetched).sort()).toEqual([["p1"], ["p1"], ["p1"], ["p1"], ["p2"]]);
    await engine.close();
  });

  test("a late joiner of a replay-from-start field gets the whole history, then live, each once and in order", async () => {
    const engine = federation({ replayFromStart: ["priceChanged"] });
    const started = subscriptionsStarted;
    const first = subscribeTo(engine, { caller: "early", team: "red" }, { id: "p1", count: 1_000 });
    expect(pricesOf(await take(first, 5))).toEqual(series(100, 5));
    const late = subscribeTo(engine, { caller: "late", team: "red" }, { id: "p1", count: 1_000 });
    // What its own subscription would have sent: from the first event, with no gap and no repeat.
    expect(pricesOf(await take(late, 40))).toEqual(series(100, 40));
    expect(pricesOf(await take(first, 35))).toEqual(series(600, 35));
    expect(subscriptionsStarted - started).toBe(1);
    await Promise.all([first.return!(), late.return!()]);
    await until(() => engine.openSubgraphSubscriptions === 0);
    await engine.close();
  });

  test("a late joiner of a live field gets only the events after it joined", async () => {
    const engine = federation();
    const started = subscriptionsStarted;
    const first = subscribeTo(engine, { caller: "early", team: "red" }, { id: "p1", count: 1_000 });
    expect(pricesOf(await take(first, 5))).toEqual(series(100, 5));
    const late = subscribeTo(engine, { caller: "late", team: "red" }, { id: "p1", count: 1_000 });
    const joined = pricesOf(await take(late, 10)) as number[];
    expect(joined[0]).toBeGreaterThan(500);
    expect(joined).toEqual(series(joined[0]!, 10));
    expect(subscriptionsStarted - started).toBe(1);
    await Promise.all([first.return!(), late.return!()]);
    await engine.close();
  });

  test("a group past the retention cap takes no more joiners: a later viewer starts its own subscription", async () => {
    const engine = federation({ replayFromStart: ["priceChanged"], maxRetainedEvents: 10 });
    const started = subscriptionsStarted;
    const first = subscribeTo(engine, { caller: "early", team: "red" }, { id: "p1", count: 1_000 });
    expect(pricesOf(await take(first, 15))).toEqual(series(100, 15));
    const late = subscribeTo(engine, { caller: "late", team: "red" }, { id: "p1", count: 1_000 });
    expect(pricesOf(await take(late, 5))).toEqual(series(100, 5));
    expect(subscriptionsStarted - started).toBe(2);
    expect(engine.openSubgraphSubscriptions).toBe(2);
    // The new group is the joinable one, and keeps history again.
    const third = subscribeTo(engine, { caller: "third", team: "red" }, { id: "p1", count: 1_000 });
    expect(pricesOf(await take(third, 8))).toEqual(series(100, 8));
    expect(subscriptionsStarted - started).toBe(2);
    await Promise.all([first.return!(), late.return!(), third.return!()]);
    await until(() => engine.openSubgraphSubscriptions === 0);
    await engine.close();
  });

  test("one slow viewer is cut off with RATE_LIMITED while another of the same group receives everything", async () => {
    const engine = federation({ maxQueuedEvents: 5, maxStallMs: 200 });
    const reader = subscribeTo(engine, { caller: "reader", team: "red" }, { id: "p2", count: 1_000, intervalMs: 1 });
    const slow = subscribeTo(engine, { caller: "slow", team: "red" }, { id: "p2", count: 1_000, intervalMs: 1 });
    const reading = collect(reader);
    expect(pricesOf(await take(slow, 1))).toEqual([100]);
    // The slow viewer takes nothing more: it alone is ended, the group's subscription goes on.
    await until(() => engine.openViewers === 1);
    expect(engine.openSubgraphSubscriptions).toBe(1);
    expect(pricesOf(await reading)).toEqual(series(100, 1_000));
    const rest = await collect(slow);
    expect(rest).toHaveLength(1);
    expect(rest[0]!.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(engine.openSubgraphSubscriptions).toBe(0);
    await engine.close();
  });

  test("the subgraph's subscription ends with the last viewer to leave, not before", async () => {
    const engine = federation();
    await until(() => openSubscriptions === 0);
    const viewers = ["a", "b", "c"].map((caller) =>
      subscribeTo(engine, { caller, team: "red" }, { id: "p1", count: 1_000 }),
    );
    for (const viewer of viewers) expect(await take(viewer, 1)).toHaveLength(1);
    await viewers[0]!.return!();
    await viewers[1]!.return!();
    expect(await take(viewers[2]!, 3)).toHaveLength(3);
    expect(openSubscriptions).toBe(1);
    expect(engine.openSubgraphSubscriptions).toBe(1);
    await viewers[2]!.return!();
    expect(engine.openSubgraphSubscriptions).toBe(0);
    await until(() => openSubscriptions === 0);
    await engine.close();
  });

  test("a subscription the subgraph refuses ends every viewer of the group with the subgraph's error", async () => {
    const engine = federation();
    const viewers = [1, 2].map(() => subscribeTo(engine, { caller: "mallory", team: "red" }, { id: "p1", count: 3 }));
    expect(engine.openSubgraphSubscriptions).toBe(1);
    for (const results of await Promise.all(viewers.map(collect))) {
      expect(results.map((result) => result.errors?.map((error) => error.extensions?.code))).toEqual([["FORBIDDEN"]]);
    }
    expect(engine.openSubgraphSubscriptions).toBe(0);
    await engine.close();
  });

  test("one event reaches a thousand viewers over several turns of the event loop, not in one block", async () => {
    const engine = federation();
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    tick();
    const viewers = Array.from({ length: 1_000 }, (_, i) =>
      subscribeTo(engine, { caller: `v${i}`, team: "red" }, { id: "p1", count: 1 }),
    );
    const turnReached = await Promise.all(viewers.map(async (viewer) => (await viewer.next(), turns)));
    ticking = false;
    // Viewers are handed the event in chunks, with the event loop free to run between them.
    expect(new Set(turnReached).size).toBeGreaterThanOrEqual(3);
    await Promise.all(viewers.map(collect));
    await engine.close();
  });
});

describe("entity fetches of a group", () => {
  test("with the cache off, every event fetches its product, once for all the group's viewers", async () => {
    const engine = federation({ subscriptionEntityCacheTtlMs: 0 });
    const fetched = productsFetched.length;
    const viewers = [1, 2].map((i) =>
      subscribeTo(engine, { caller: `v${i}`, team: "red" }, { id: "p2", count: 3, intervalMs: 20 }),
    );
    for (const results of await Promise.all(viewers.map(collect))) expect(pricesOf(results)).toEqual([100, 200, 300]);
    expect(productsFetched.slice(fetched)).toEqual([["p2"], ["p2"], ["p2"]]);
    await engine.close();
  });

  test("events of a burst resolved side by side share their entity fetches", async () => {
    const engine = federation({ subscriptionEntityCacheTtlMs: 0 });
    const fetched = productsFetched.length;
    const results = await collect(subscribeTo(engine, { caller: "burst" }, { id: "p1", count: 300, intervalMs: 0 }));
    expect(pricesOf(results)).toEqual(series(100, 300));
    for (const result of results) expect(result.data?.priceChanged).toMatchObject({ product: { name: "Kettle" } });
    // Coalesced requests ask for each distinct product once.
    const requests = productsFetched.slice(fetched);
    expect(requests.length).toBeLessThan(300);
    for (const representations of requests) expect(representations).toEqual(["p1"]);
    await engine.close();
  });

  test("a product whose name changes is seen changed once the cache's TTL has passed", async () => {
    const engine = federation({ subscriptionEntityCacheTtlMs: 300 });
    const fetched = productsFetched.length;
    const iterator = subscribeTo(engine, { caller: "watcher" }, { id: "p1", count: 1_000 });
    const name = (result: ExecutionResult) => (result.data?.priceChanged as { product: { name: string } }).product.name;
    expect((await take(iterator, 1)).map(name)).toEqual(["Kettle"]);
    names.p1 = "Electric kettle";
    try {
      const seen: string[] = [];
      for await (const result of iterator) {
        seen.push(name(result));
        if (seen.at(-1) === "Electric kettle") break;
      }
      expect(seen.at(-1)).toBe("Electric kettle");
      // The old name until the cached one expired, then the new one; far fewer fetches than events.
      expect(seen.slice(0, -1).every((value) => value === "Kettle")).toBe(true);
      expect(productsFetched.length - fetched).toBeLessThan(seen.length / 2);
    } finally {
      names.p1 = "Kettle";
      await iterator.return!();
      await engine.close();
    }
  });

  test("an answer with errors is not cached, and each event gets its own error at its own path", async () => {
    const engine = federation({ subscriptionEntityCacheTtlMs: 60_000 });
    const fetched = productsFetched.length;
    const results = await collect(subscribeTo(engine, { caller: "lost" }, { id: "p404", count: 3, intervalMs: 20 }));
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result.data).toBeNull();
      expect(result.errors?.map((error) => error.path)).toEqual([["priceChanged", "product", "name"]]);
    }
    expect(productsFetched.slice(fetched)).toEqual([["p404"], ["p404"], ["p404"]]);
    await engine.close();
  });
});
