import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";

// The gateway serves a plain JSON POST without Apollo Server's pipeline (json-post.ts), and hands
// everything else to Apollo Server. Whichever way a request goes, its answer is the same.

let platform: Platform;
let alice: SignedUp;
beforeAll(async () => {
  platform = await startPlatform();
  alice = await platform.signUp();
});
afterAll(async () => {
  await platform?.stop();
});

interface Sent {
  variables?: Record<string, unknown>;
  operationName?: string;
  token?: string;
  /** An empty `extensions` in the body: a request the short path leaves to Apollo Server. */
  throughApollo?: boolean;
  headers?: Record<string, string>;
}

async function post(query: string, sent: Sent = {}) {
  const response = await fetch(platform.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(sent.token ? { authorization: `Bearer ${sent.token}` } : {}),
      ...sent.headers,
    },
    body: JSON.stringify({
      query,
      variables: sent.variables ?? {},
      operationName: sent.operationName,
      ...(sent.throughApollo ? { extensions: {} } : {}),
    }),
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    cacheControl: response.headers.get("cache-control"),
    rateRemaining: response.headers.get("x-ratelimit-remaining"),
    body: (await response.json()) as { data?: any; errors?: any[] },
  };
}

/** The gateway's count of JSON POSTs it served itself, and of those it handed to Apollo Server. */
async function counts(): Promise<{ served: number; toApollo: number }> {
  const health = (await (await fetch(`${platform.gatewayOrigin}/healthz`)).json()) as {
    jsonPosts: { served: number; toApollo: number };
  };
  return health.jsonPosts;
}

/** Sends the request both ways; returns both answers, having checked which way each went. */
async function bothWays(query: string, sent: Sent) {
  const before = await counts();
  const short = await post(query, sent);
  const between = await counts();
  const apollo = await post(query, { ...sent, throughApollo: true });
  const after = await counts();
  expect(between).toEqual({ served: before.served + 1, toApollo: before.toApollo });
  expect(after).toEqual({ served: between.served, toApollo: between.toApollo + 1 });
  return { short, apollo };
}

const UPDATE_CONTACT = `mutation ($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id name } }`;

describe("a plain JSON POST is served by the gateway itself, with Apollo Server's answer", () => {
  test("a query: data, status and headers alike", async () => {
    const { short, apollo } = await bothWays(`{ me { id email memberships { role workspace { id name } } } }`, {
      token: alice.accessToken,
    });
    expect(short.status).toBe(200);
    expect(short.body).toEqual({
      data: {
        me: {
          id: alice.user.id,
          email: expect.any(String),
          memberships: [{ role: "OWNER", workspace: { id: alice.workspace.id, name: expect.any(String) } }],
        },
      },
    });
    expect(short.contentType).toBe("application/json; charset=utf-8");
    expect(short.cacheControl).toBe("no-store");
    expect({ ...short, rateRemaining: null }).toEqual({ ...apollo, rateRemaining: null });
  });

  test("aliases, fragments, __typename and an operation chosen by name", async () => {
    const query = `query Other { me { id } } query Mine { who: me { __typename ...U } } fragment U on User { id }`;
    const { short, apollo } = await bothWays(query, { token: alice.accessToken, operationName: "Mine" });
    expect(short.body).toEqual({ data: { who: { __typename: "User", id: alice.user.id } } });
    expect({ ...short, rateRemaining: null }).toEqual({ ...apollo, rateRemaining: null });
  });

  test("a subgraph's error: the same message, code and path", async () => {
    const { short, apollo } = await bothWays(UPDATE_CONTACT, {
      token: alice.accessToken,
      variables: { id: randomUUID(), input: { name: "Nobody" } },
    });
    expect(short.status).toBe(200);
    expect(short.body.errors).toHaveLength(1);
    expect(short.body.errors![0]).toMatchObject({ path: ["updateContact"], extensions: { code: "NOT_FOUND" } });
    expect({ ...short, rateRemaining: null }).toEqual({ ...apollo, rateRemaining: null });
  });
});

describe("what the gateway does not serve itself goes through Apollo Server", () => {
  test("invalid documents, refused callers and introspection are handed over; other Accept types never taken", async () => {
    const before = await counts();
    const invalid = await post(`{ me { nope } }`, { token: alice.accessToken });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const refused = await post(`{ me { id } }`, { token: "not-a-token" });
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const introspection = await post(`{ __schema { queryType { name } } }`, { token: alice.accessToken });
    expect(introspection.body).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
    // Also when a fragment asks it: Apollo Server is the one that allows introspection, or refuses it in production.
    const inFragment = await post(`{ ...Q } fragment Q on Query { __schema { queryType { name } } }`, {
      token: alice.accessToken,
    });
    expect(inFragment.body).toEqual(introspection.body);
    expect(await counts()).toEqual({ served: before.served, toApollo: before.toApollo + 4 });

    const graphqlResponse = await post(`{ me { id } }`, {
      token: alice.accessToken,
      headers: { accept: "application/graphql-response+json" },
    });
    expect(graphqlResponse.contentType).toBe("application/graphql-response+json; charset=utf-8");
    expect(graphqlResponse.body).toEqual({ data: { me: { id: alice.user.id } } });
    expect(await counts()).toEqual({ served: before.served, toApollo: before.toApollo + 4 });
  });

  test("in production, introspection is refused however it is asked", async () => {
    const production = await platform.startGateway({ NODE_ENV: "production" });
    for (const query of [
      `{ __schema { queryType { name } } }`,
      `{ ...Q } fragment Q on Query { __schema { queryType { name } } }`,
      `{ me { id } ...T } fragment T on Query { __type(name: "User") { name } }`,
    ]) {
      const response = await fetch(production.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${alice.accessToken}` },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      expect(response.status, query).toBe(400);
      expect(body.data, query).toBeUndefined();
      expect(body.errors?.[0]?.extensions?.code, query).toBe("GRAPHQL_VALIDATION_FAILED");
    }
  });

  test("a request handed over is counted against the rate limit once", async () => {
    const first = await post(`{ me { id } }`, { token: alice.accessToken });
    const handedOver = await post(`{ me { nope } }`, { token: alice.accessToken });
    const third = await post(`{ me { id } }`, { token: alice.accessToken });
    const remaining = [first, handedOver, third].map((answer) => Number(answer.rateRemaining));
    expect(remaining[0]! - remaining[1]!).toBe(1);
    expect(remaining[1]! - remaining[2]!).toBe(1);
  });
});
