// The gateway's federation core over a supergraph that is not Mary's: two tiny subgraphs
// composed here, without Mary's authentication, limits or principal header.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import type { DocumentNode } from "graphql";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createFederation, subgraphsOf } from "../src/core/federation.ts";
import { composeSupergraph, federatedSdl, serveSubgraph } from "./test-subgraph.ts";

const products = [
  { id: "p1", name: "Kettle" },
  { id: "p2", name: "Teapot" },
];
const reviews = [
  { productId: "p1", body: "Boils fast" },
  { productId: "p1", body: "Loud" },
  { productId: "p2", body: "Pours well" },
];

interface Seen {
  headers: (string | undefined)[];
}

/** Serves one subgraph on a free port, recording the `x-test` header of each request. */
async function serveRecording(typeDefs: DocumentNode, resolvers: object, delayMs = 0) {
  const seen: Seen = { headers: [] };
  const subgraph = await serveSubgraph(typeDefs, resolvers, {
    delayMs,
    onRequest: (req) => seen.headers.push(req.headers["x-test"] as string | undefined),
  });
  return { ...subgraph, seen };
}

const productsTypeDefs = federatedSdl(`
  type Query { products: [Product!]! }
  type Product @key(fields: "id") { id: ID! name: String! }`);
const reviewsTypeDefs = federatedSdl(`
  type Review { body: String! }
  type Product @key(fields: "id") { id: ID! reviews: [Review!]! }`);

let productsGraph: Awaited<ReturnType<typeof serveRecording>>;
let reviewsGraph: Awaited<ReturnType<typeof serveRecording>>;
let slowGraph: Awaited<ReturnType<typeof serveRecording>>;
let supergraphSdl: string;

beforeAll(async () => {
  productsGraph = await serveRecording(productsTypeDefs, { Query: { products: () => products } });
  reviewsGraph = await serveRecording(reviewsTypeDefs, {
    Product: {
      reviews: (product: { id: string }) => reviews.filter((review) => review.productId === product.id),
    },
  });
  // Same schema as reviews, answering only after a minute: longer than any test may take.
  slowGraph = await serveRecording(reviewsTypeDefs, { Product: { reviews: () => [] } }, 60_000);
  supergraphSdl = composeSupergraph([
    { name: "products", typeDefs: productsTypeDefs, url: "http://products.invalid/graphql" },
    { name: "reviews", typeDefs: reviewsTypeDefs, url: "http://reviews.invalid/graphql" },
  ]);
});
afterAll(async () => {
  await Promise.all([productsGraph?.close(), reviewsGraph?.close(), slowGraph?.close()]);
});

async function gatewayOver(reviewsUrl: string, timeoutMs = 5_000, executionBudgetBytes?: number) {
  const { gateway, subgraphs } = createFederation<{ testValue: string }>({
    supergraphSdl,
    subgraphUrls: { products: productsGraph.url, reviews: reviewsUrl },
    timeoutMs,
    executionBudgetBytes,
    subgraphHeaders: (context) => ({ "x-test": context.testValue }),
  });
  const server = new ApolloServer<{ testValue: string }>({ gateway });
  await server.start();
  return { server, subgraphs };
}

async function run(server: ApolloServer<{ testValue: string }>, query: string, testValue = "ctx-1") {
  const response = await server.executeOperation({ query }, { contextValue: { testValue } });
  if (response.body.kind !== "single") throw new Error("expected a single result");
  return response.body.singleResult;
}

describe("federation core", () => {
  test("reads the subgraphs and their routing URLs from the supergraph", () => {
    expect(subgraphsOf(supergraphSdl)).toEqual([
      { name: "products", url: "http://products.invalid/graphql" },
      { name: "reviews", url: "http://reviews.invalid/graphql" },
    ]);
  });

  test("joins two subgraphs with one batched entity fetch, and forwards the context's headers", async () => {
    const { server, subgraphs } = await gatewayOver(reviewsGraph.url);
    try {
      expect(subgraphs.map((s) => s.url)).toEqual([productsGraph.url, reviewsGraph.url]);
      const before = reviewsGraph.seen.headers.length;
      const result = await run(server, `{ products { name reviews { body } } }`, "ctx-42");
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        products: [
          { name: "Kettle", reviews: [{ body: "Boils fast" }, { body: "Loud" }] },
          { name: "Teapot", reviews: [{ body: "Pours well" }] },
        ],
      });
      // Both products' reviews came in one request to the reviews subgraph, not one per product.
      expect(reviewsGraph.seen.headers.slice(before)).toEqual(["ctx-42"]);
      expect(productsGraph.seen.headers.at(-1)).toBe("ctx-42");
    } finally {
      await server.stop();
    }
  });

  test("a subgraph slower than the timeout fails the fetch instead of holding the request", async () => {
    // Without the timeout this would wait for the slow subgraph's minute and fail the test.
    const { server } = await gatewayOver(slowGraph.url, 200);
    try {
      const result = await run(server, `{ products { name reviews { body } } }`);
      expect(result.errors?.[0]?.message).toMatch(/reviews|abort|timeout/i);
      expect(result.data).toBeNull();
    } finally {
      await server.stop();
    }
  });

  test("with one operation at a time, one waiting on a slow subgraph does not hold back the next", async () => {
    // The gate holds operations back only while the CPU is saturated: waiting on a subgraph, it is not.
    const { server } = await gatewayOver(slowGraph.url, 3_000, 1);
    try {
      // Each plan run once, so that both weigh what their answers did: more than the budget of 1.
      await run(server, `{ products { name } }`);
      await run(server, `{ products { name reviews { body } } }`);
      let slowSettled = false;
      const slow = run(server, `{ products { name reviews { body } } }`).finally(() => (slowSettled = true));
      const fast = await run(server, `{ products { name } }`);
      expect(fast).toEqual({ data: { products: [{ name: "Kettle" }, { name: "Teapot" }] } });
      // The fast one is done while the slow one still waits on its subgraph (it times out after 3 s).
      expect(slowSettled).toBe(false);
      expect((await slow).errors?.[0]?.message).toMatch(/reviews|abort|timeout/i);
    } finally {
      await server.stop();
    }
  });

  test("a subgraph's 400 with a GraphQL body keeps its message and code; other 400s stay generic", async () => {
    // Stands in for a subgraph that refuses a variable its scalar rejects, which the gateway cannot check.
    const refusing = createServer((req, res) => {
      const graphqlBody = req.headers["x-test"] === "graphql";
      res.writeHead(400, { "content-type": graphqlBody ? "application/json" : "text/plain" });
      res.end(
        graphqlBody
          ? JSON.stringify({
              errors: [{ message: "Amount must be a whole number", extensions: { code: "BAD_USER_INPUT" } }],
            })
          : "Bad Request",
      );
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    const { server } = await gatewayOver(`http://127.0.0.1:${(refusing.address() as AddressInfo).port}/graphql`);
    try {
      const query = `{ products { name reviews { body } } }`;
      const explained = await run(server, query, "graphql");
      expect(explained.errors?.[0]).toMatchObject({
        message: "Amount must be a whole number",
        extensions: { code: "BAD_USER_INPUT" },
      });
      const bare = await run(server, query, "plain");
      expect(bare.errors?.[0]?.message).toMatch(/400/);
      expect(bare.errors?.[0]?.extensions?.code).not.toBe("BAD_USER_INPUT");
    } finally {
      await server.stop();
      refusing.close();
    }
  });
});
