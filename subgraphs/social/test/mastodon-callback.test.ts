import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLEnumType } from "graphql";
import { describe, expect, test } from "vitest";
import { appError, ErrorCode, type AuthenticatedPrincipal, type BaseSubgraphContext } from "@mary/kit";
import { NetworkError } from "../src/providers/provider.ts";
import { mastodonCallbackRoute } from "../src/routes/mastodon-callback.route.ts";
import { buildSocialSchema } from "../src/schema.ts";
import { ConnectService } from "../src/services/connect.service.ts";
import { MASTODON_CONNECT_ERRORS } from "../src/types/mastodon-connect-error.type.ts";

/**
 * Every way the Mastodon callback can end, with stand-ins for Redis, Neo4j, the instance and the
 * accounts: the browser goes on to the accounts page with `?connected=` or with an `?error=` that
 * is a value of the schema's MastodonConnectError, whatever failed.
 */

const ACCOUNTS_PAGE = "http://web.test/social/accounts";
const ORIGIN = "https://mastodon.test";
const caller: AuthenticatedPrincipal = {
  kind: "user",
  userId: "00000000-0000-4000-8000-000000000001",
  workspaceId: "00000000-0000-4000-8000-000000000002",
  role: "OWNER",
  scopes: ["social:read", "social:write"],
  plan: "FREE",
};

interface Scenario {
  /** The callback's query string. */
  query: string;
  /** The pending authorization is still in Redis under the state. */
  pending?: boolean;
  /** What the instance's POST /oauth/token does. */
  token?: () => unknown;
  /** What saving the account does. */
  save?: () => unknown;
  /** Mary's app on the instance is known (else registering it fails as `register` says). */
  appKnown?: boolean;
  register?: () => unknown;
}

function serviceFor(scenario: Scenario): ConnectService {
  const redis = {
    getdel: async () => (scenario.pending === false ? null : JSON.stringify({ origin: ORIGIN, verifier: "v", caller })),
  };
  const graph = {
    read: async () => ({ records: scenario.appKnown === false ? [] : [{ get: () => "sealed" }] }),
    write: async () => ({ records: [] }),
  };
  const secrets = {
    open: () => JSON.stringify({ clientId: "id", clientSecret: "secret" }),
    seal: () => "sealed",
  };
  const api = {
    call: async (method: string, path: string) => {
      if (path === "/oauth/token") return { body: await (scenario.token ?? (() => ({ access_token: "token" })))() };
      if (path === "/api/v1/accounts/verify_credentials") {
        return { body: { id: "1", username: "alice", acct: "alice", display_name: "Alice" } };
      }
      if (path === "/api/v1/instance") return { body: { domain: "mastodon.test" } };
      if (method === "POST" && path === "/api/v1/apps") return { body: await scenario.register!() };
      throw new Error(`unexpected ${method} ${path}`);
    },
  };
  const accounts = {
    save: async (_caller: unknown, fields: { id: string }) => {
      await scenario.save?.();
      return { ...fields, workspaceId: caller.workspaceId, userId: caller.userId, state: "ACTIVE" };
    },
  };
  const lock = { set: async () => "OK", eval: async () => 1, get: async () => null, del: async () => 1 };
  const log = { warn: () => {}, info: () => {}, error: () => {}, debug: () => {} };
  return new ConnectService(
    accounts as never,
    {} as never,
    { api: () => api } as never,
    graph as never,
    secrets as never,
    { ...redis, ...lock } as never,
    {
      redirectUri: "http://gateway.test/oauth/mastodon/callback",
      accountsPageUrl: ACCOUNTS_PAGE,
      allowHttp: false,
      applicationName: "Mary",
      keyPrefix: "test",
    },
    log as never,
    async () => {},
  );
}

/** Runs the route as the gateway calls it; returns where it sends the browser. */
async function land(scenario: Scenario): Promise<URL> {
  const route = mastodonCallbackRoute(serviceFor(scenario));
  let status = 0;
  let headers: Record<string, string> = {};
  const res = {
    writeHead: (code: number, given: Record<string, string>) => {
      status = code;
      headers = given;
    },
    end: () => {},
  } as unknown as ServerResponse;
  const req = { method: "GET", url: `/oauth/mastodon/callback?${scenario.query}` } as IncomingMessage;
  const base = { principal: { kind: "service", service: "gateway" } } as unknown as BaseSubgraphContext;
  await route(req, res, base);
  expect(status).toBe(303);
  return new URL(headers.location!);
}

const SCENARIOS: Record<string, Scenario> = {
  "no state": { query: "code=c" },
  "a state too long": { query: `state=${"s".repeat(201)}&code=c` },
  "a state unknown, expired or used": { query: "state=s&code=c", pending: false },
  "the member declined": { query: "state=s&error=access_denied" },
  "another OAuth error": { query: "state=s&error=server_error" },
  "no code": { query: "state=s" },
  "the code refused": {
    query: "state=s&code=c",
    token: () => Promise.reject(new NetworkError("invalid_grant", "auth")),
  },
  "the instance down": {
    query: "state=s&code=c",
    token: () => Promise.reject(new NetworkError("503", "retryable")),
  },
  "the instance refusing the request": {
    query: "state=s&code=c",
    token: () => Promise.reject(new NetworkError("400", "refused")),
  },
  "anything else thrown": { query: "state=s&code=c", token: () => Promise.reject(new TypeError("bad JSON")) },
  "the plan's limit": {
    query: "state=s&code=c",
    save: () => Promise.reject(appError(ErrorCode.PLAN_LIMIT, "FREE connects 1 social account")),
  },
  "another API error while saving": {
    query: "state=s&code=c",
    save: () => Promise.reject(appError(ErrorCode.BAD_USER_INPUT, "no")),
  },
  "Mary's app gone and the instance unreachable to register it again": {
    query: "state=s&code=c",
    appKnown: false,
    register: () => Promise.reject(new NetworkError("timeout", "retryable")),
  },
  "Mary's app gone and the instance refusing to register it": {
    query: "state=s&code=c",
    appKnown: false,
    register: () => Promise.reject(new NetworkError("422", "refused")),
  },
};

describe("the Mastodon callback's outcomes", () => {
  test("the schema's MastodonConnectError is exactly the list the route's reasons come from", async () => {
    const type = (await buildSocialSchema()).getType("MastodonConnectError");
    expect(type).toBeInstanceOf(GraphQLEnumType);
    const values = (type as GraphQLEnumType).getValues();
    expect(values.map((value) => value.name).sort()).toEqual([...MASTODON_CONNECT_ERRORS].sort());
    for (const value of values) expect(value.description, value.name).toBeTruthy();
  });

  test.each(Object.entries(SCENARIOS))("%s: ?error= is a value of MastodonConnectError", async (_name, scenario) => {
    const location = await land(scenario);
    expect(`${location.origin}${location.pathname}`).toBe(ACCOUNTS_PAGE);
    expect(location.searchParams.get("connected")).toBeNull();
    expect(MASTODON_CONNECT_ERRORS).toContain(location.searchParams.get("error"));
  });

  test("each reason is reached, and the reasons as the gateway's tests know them stay spelled so", async () => {
    const reasons = new Map<string, string>();
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      reasons.set(name, (await land(scenario)).searchParams.get("error")!);
    }
    expect(new Set(reasons.values())).toEqual(new Set(MASTODON_CONNECT_ERRORS));
    expect(Object.fromEntries(reasons)).toMatchObject({
      "no state": "invalid_state",
      "a state unknown, expired or used": "expired_state",
      "the member declined": "access_denied",
      "another OAuth error": "authorization_failed",
      "the code refused": "authorization_failed",
      "the instance down": "network_error",
      "the instance refusing the request": "authorization_failed",
      "anything else thrown": "network_error",
      "the plan's limit": "PLAN_LIMIT",
      "another API error while saving": "authorization_failed",
      "Mary's app gone and the instance unreachable to register it again": "network_error",
    });
  });

  test("a completed authorization goes on with ?connected=<the new account>", async () => {
    const location = await land({ query: "state=s&code=c" });
    expect(location.searchParams.get("error")).toBeNull();
    expect(location.searchParams.get("connected")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
