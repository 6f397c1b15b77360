// How the federation core fetches the entities of subscription events with no entity cache (the
// plan executor's fresh batches), over a supergraph that is not Mary's: `prices` pushes price
// changes when the test says so, `products` owns the products and names each one for the team in
// the caller's header. Batches are shared by the groups of one share key (a team), never by two;
// a batch is sent after every event in it arrived, so a field is never older than its event;
// errors go back to the events of the entities they are about.
import { setTimeout as sleep } from "node:timers/promises";
import { GraphQLError, parse, type ExecutionResult } from "graphql";
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "vitest";
import { createFederation, type FederationOptions } from "../src/core/federation.ts";
import { composeSupergraph, federatedSdl, serveSubgraph, type TestSubgraph } from "./test-subgraph.ts";

const productsTypeDefs = federatedSdl(`
  type Query { product(id: ID!): Product }
  type Product @key(fields: "id") { id: ID! name: String! }`);
const pricesTypeDefs = federatedSdl(`
  type Query { currency: String! }
  type Subscription { priceChanged(productId: ID!): PriceChange! }
  type PriceChange { price: Int! product: Product! }
  type Product @key(fields: "id", resolvable: false) { id: ID! }`);

const names: Record<string, string> = {};
/** Every products request: who sent it (x-caller) and the products it asked for. */
let productsRequests: { caller: string; ids: string[] }[] = [];
/** How long products holds each answer after computing it (an answer on its way while later events arrive). */
let answerDelayMs = 0;
/** The open subscriptions of prices, by product, each taking its next price. */
const listeners = new Map<string, Set<(price: number) => void>>();

let products: TestSubgraph;
let prices: TestSubgraph;
let supergraphSdl: string;

/** An async iterator fed by `publish`, as graphql-ws's subscribe resolver returns one. */
function pricesOf(productId: string): AsyncIterableIterator<{ priceChanged: unknown }> {
  const queue: number[] = [];
  let wake: ((step: IteratorResult<{ priceChanged: unknown }>) => void) | null = null;
  const push = (price: number) => {
    if (wake) {
      const resolve = wake;
      wake = null;
      resolve({ done: false, value: { priceChanged: { price, product: { id: productId } } } });
    } else queue.push(price);
  };
  let set = listeners.get(productId);
  if (!set) listeners.set(productId, (set = new Set()));
  set.add(push);
  return {
    next: () => {
      const price = queue.shift();
      if (price !== undefined) {
        return Promise.resolve({ done: false, value: { priceChanged: { price, product: { id: productId } } } });
      }
      return new Promise((resolve) => (wake = resolve));
    },
    return: () => {
      set.delete(push);
      wake?.({ done: true, value: undefined });
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const publish = (productId: string, price: number) => {
  for (const push of listeners.get(productId) ?? []) push(price);
};
const openListeners = () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0);

beforeAll(async () => {
  products = await serveSubgraph(
    productsTypeDefs,
    {
      Query: { product: (_: unknown, { id }: { id: string }) => ({ id }) },
      Product: {
        __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
        name: (product: { id: string }, _: unknown, context: { caller?: string }) => {
          const name = names[product.id];
          if (!name) throw new GraphQLError(`No product ${product.id}`, { extensions: { code: "NOT_FOUND" } });
          return `${context.caller?.split("-")[0]}'s ${name}`;
        },
      },
    },
    {
      plugins: [
        {
          async requestDidStart({ request, contextValue }) {
            const caller = request.http?.headers.get("x-caller") ?? "";
            (contextValue as { caller?: string }).caller = caller;
            const representations = (request.variables?.representations ?? []) as { id: string }[];
            productsRequests.push({ caller, ids: representations.map((representation) => representation.id) });
            return {
              async willSendResponse() {
                if (answerDelayMs > 0) await sleep(answerDelayMs);
              },
            };
          },
        },
      ],
    },
  );
  prices = await serveSubgraph(pricesTypeDefs, {
    Query: { currency: () => "EUR" },
    Subscription: {
      priceChanged: { subscribe: (_: unknown, { productId }: { productId: string }) => pricesOf(productId) },
    },
  });
  supergraphSdl = composeSupergraph([
    { name: "products", typeDefs: productsTypeDefs, url: "http://products.invalid/graphql" },
    { name: "prices", typeDefs: pricesTypeDefs, url: "http://prices.invalid/graphql" },
  ]);
});
afterAll(async () => {
  await Promise.all([products?.close(), prices?.close()]);
});
beforeEach(() => {
  Object.assign(names, { p1: "Kettle", p2: "Teapot", p3: "Toaster" });
  productsRequests = [];
  answerDelayMs = 0;
});
// Each test counts prices' subscriptions from none: the last test's are gone first.
afterEach(() => until(() => openListeners() === 0));

/** Who subscribes: viewers of one team share (the share key); `caller` goes to products in x-caller. */
interface Viewer {
  caller: string;
  team: string | null;
}

function engine(options: Partial<FederationOptions<Viewer>> = {}) {
  return createFederation<Viewer>({
    supergraphSdl,
    subgraphUrls: { products: products.url, prices: prices.url },
    subgraphHeaders: (context) => ({ "x-caller": context.caller }),
    subscriptionShareKey: (context) => context.team,
    subscriptionEntityCacheTtlMs: 0,
    ...options,
  }).subscriptions;
}

const PRICE = parse(`subscription ($id: ID!) { priceChanged(productId: $id) { price product { id name } } }`);

/** Subscribes `caller` (of the team before its dash) to a product's prices. */
function watch(subscriptions: ReturnType<typeof engine>, caller: string, productId: string) {
  const team = caller.includes("-") ? caller.split("-")[0]! : null;
  return subscriptions.subscribe({ document: PRICE, variables: { id: productId }, context: { caller, team } });
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(5);
  }
}

const next = async (iterator: AsyncIterableIterator<ExecutionResult>) =>
  (await iterator.next()).value as ExecutionResult;
const productOf = (result: ExecutionResult) => (result.data?.priceChanged as { product: unknown } | undefined)?.product;

test("events of one team's groups that arrive while a batch is on its way go in one request; another team's never", async () => {
  const subscriptions = engine();
  const primer = watch(subscriptions, "red-0", "p3");
  const redKettle = watch(subscriptions, "red-1", "p1");
  const redTeapot = watch(subscriptions, "red-2", "p2");
  const blueKettle = watch(subscriptions, "blue-1", "p1");
  await until(() => openListeners() === 4);
  try {
    // The primer's batch is held on its way; meanwhile the others' events arrive.
    answerDelayMs = 200;
    publish("p3", 1);
    await until(() => productsRequests.length === 1);
    publish("p1", 10);
    publish("p2", 20);
    const [primed, kettle, teapot, blue] = await Promise.all([primer, redKettle, redTeapot, blueKettle].map(next));
    expect(productOf(primed!)).toEqual({ id: "p3", name: "red's Toaster" });
    expect(productOf(kettle!)).toEqual({ id: "p1", name: "red's Kettle" });
    expect(productOf(teapot!)).toEqual({ id: "p2", name: "red's Teapot" });
    // The same product, for another team: its own request, answered for it.
    expect(productOf(blue!)).toEqual({ id: "p1", name: "blue's Kettle" });

    const requests = productsRequests.map(({ caller, ids }) => ({ team: caller.split("-")[0], ids: [...ids].sort() }));
    expect(requests).toHaveLength(3);
    expect(requests).toEqual(
      expect.arrayContaining([
        { team: "red", ids: ["p3"] },
        { team: "red", ids: ["p1", "p2"] },
        { team: "blue", ids: ["p1"] },
      ]),
    );
  } finally {
    await Promise.all([primer, redKettle, redTeapot, blueKettle].map((iterator) => iterator.return!()));
    await subscriptions.close();
  }
});

test("viewers without a share key never share a batch, even watching the same product", async () => {
  const subscriptions = engine();
  const alice = watch(subscriptions, "alice", "p1");
  const bob = watch(subscriptions, "bob", "p1");
  await until(() => openListeners() === 2);
  try {
    publish("p1", 10);
    const [forAlice, forBob] = await Promise.all([alice, bob].map(next));
    expect(productOf(forAlice!)).toEqual({ id: "p1", name: "alice's Kettle" });
    expect(productOf(forBob!)).toEqual({ id: "p1", name: "bob's Kettle" });
    expect(productsRequests.map(({ caller }) => caller).sort()).toEqual(["alice", "bob"]);
  } finally {
    await Promise.all([alice.return!(), bob.return!()]);
    await subscriptions.close();
  }
});

test("a field changed between two events shows the new value in the second, though the first's answer is still on its way", async () => {
  const subscriptions = engine();
  const viewer = watch(subscriptions, "red-1", "p1");
  await until(() => openListeners() === 1);
  try {
    // products computes the first answer at once (the old name) and holds it 200 ms.
    answerDelayMs = 200;
    publish("p1", 10);
    await until(() => productsRequests.length === 1);
    await sleep(20);
    names.p1 = "Electric kettle";
    publish("p1", 20);
    expect(productOf(await next(viewer))).toEqual({ id: "p1", name: "red's Kettle" });
    // Not the answer that was on its way when the event came: one asked for after it.
    expect(productOf(await next(viewer))).toEqual({ id: "p1", name: "red's Electric kettle" });
    expect(productsRequests).toHaveLength(2);
  } finally {
    await viewer.return!();
    await subscriptions.close();
  }
});

test("with the entity cache on, the same second event gets the first one's answer: what the cache trades for fetches", async () => {
  const subscriptions = engine({ subscriptionEntityCacheTtlMs: 60_000 });
  const viewer = watch(subscriptions, "red-1", "p1");
  await until(() => openListeners() === 1);
  try {
    answerDelayMs = 200;
    publish("p1", 10);
    await until(() => productsRequests.length === 1);
    await sleep(20);
    names.p1 = "Electric kettle";
    publish("p1", 20);
    expect(productOf(await next(viewer))).toEqual({ id: "p1", name: "red's Kettle" });
    expect(productOf(await next(viewer))).toEqual({ id: "p1", name: "red's Kettle" });
    expect(productsRequests).toHaveLength(1);
  } finally {
    await viewer.return!();
    await subscriptions.close();
  }
});

test("a burst that arrives while a batch is on its way takes one more request, every event in order", async () => {
  const subscriptions = engine();
  const viewer = watch(subscriptions, "red-1", "p2");
  await until(() => openListeners() === 1);
  try {
    answerDelayMs = 100;
    publish("p2", 1);
    await until(() => productsRequests.length === 1);
    for (let price = 2; price <= 20; price++) publish("p2", price);
    const results: ExecutionResult[] = [];
    for (let i = 0; i < 20; i++) results.push(await next(viewer));
    expect(results.map((result) => (result.data?.priceChanged as { price: number }).price)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    for (const result of results) expect(productOf(result)).toEqual({ id: "p2", name: "red's Teapot" });
    expect(productsRequests).toEqual([
      { caller: "red-1", ids: ["p2"] },
      { caller: "red-1", ids: ["p2"] },
    ]);
  } finally {
    await viewer.return!();
    await subscriptions.close();
  }
});

test("an error in a batched answer goes to the event of the entity it is about, at that event's path", async () => {
  const subscriptions = engine();
  const primer = watch(subscriptions, "red-0", "p3");
  const kettle = watch(subscriptions, "red-1", "p1");
  const missing = watch(subscriptions, "red-2", "p404");
  await until(() => openListeners() === 3);
  try {
    answerDelayMs = 150;
    publish("p3", 1);
    await until(() => productsRequests.length === 1);
    publish("p1", 10);
    publish("p404", 20);
    const [, good, bad] = await Promise.all([primer, kettle, missing].map(next));
    expect(good).toEqual({ data: { priceChanged: { price: 10, product: { id: "p1", name: "red's Kettle" } } } });
    expect(bad!.data).toBeNull();
    expect(bad!.errors?.map((error) => [error.message, error.path, error.extensions?.code])).toEqual([
      ["No product p404", ["priceChanged", "product", "name"], "NOT_FOUND"],
    ]);
    // One request for both, split back by entity rather than sent again one by one.
    expect(productsRequests.map(({ ids }) => [...ids].sort())).toEqual([["p3"], ["p1", "p404"]]);
  } finally {
    await Promise.all([primer, kettle, missing].map((iterator) => iterator.return!()));
    await subscriptions.close();
  }
});

test("GATEWAY_EXECUTOR's apollo keeps the previous way: each group fetches for its own events, with @apollo/gateway's executor", async () => {
  const subscriptions = engine({ executor: "apollo" });
  const primer = watch(subscriptions, "red-0", "p3");
  const redKettle = watch(subscriptions, "red-1", "p1");
  const redTeapot = watch(subscriptions, "red-2", "p2");
  await until(() => openListeners() === 3);
  try {
    answerDelayMs = 150;
    publish("p3", 1);
    await until(() => productsRequests.length === 1);
    publish("p1", 10);
    publish("p2", 20);
    const [, kettle, teapot] = await Promise.all([primer, redKettle, redTeapot].map(next));
    expect(productOf(kettle!)).toEqual({ id: "p1", name: "red's Kettle" });
    expect(productOf(teapot!)).toEqual({ id: "p2", name: "red's Teapot" });
    expect(productsRequests[0]!.ids).toEqual(["p3"]);
    expect(
      productsRequests
        .slice(1)
        .map(({ ids }) => ids[0])
        .sort(),
    ).toEqual(["p1", "p2"]);
    expect(productsRequests).toHaveLength(3);
  } finally {
    await Promise.all([primer, redKettle, redTeapot].map((iterator) => iterator.return!()));
    await subscriptions.close();
  }
});
