// Which of Mary's parts the gateway runs on a supergraph, and how its command line reads.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { REPO_ROOT } from "@mary/kit";
import { describe, expect, test } from "vitest";
import { parseCommandLine } from "../src/cli.ts";
import { maryParts, redisUrlFor } from "../src/mary-parts.ts";
import { composeSupergraph, federatedSdl } from "./test-subgraph.ts";

const marySupergraph = readFileSync(resolve(REPO_ROOT, "schema/supergraph.graphql"), "utf8");

const foreign = (users: string) =>
  composeSupergraph([
    { name: "users", typeDefs: federatedSdl(users), url: "http://users.invalid/graphql" },
    {
      name: "billing",
      typeDefs: federatedSdl(`type Query { invoices: [String!]! }`),
      url: "http://billing.invalid/graphql",
    },
  ]);

describe("maryParts", () => {
  test("Mary's own supergraph has every part, and requires Redis", () => {
    const parts = maryParts(marySupergraph);
    expect(parts).toEqual({
      accounts: true,
      plans: true,
      stripeWebhook: true,
      mastodonCallback: true,
      calendarFeeds: true,
      replayFromStart: ["agentRunEvents"],
    });
    expect(redisUrlFor(parts, undefined)).toBe("redis://127.0.0.1:6379");
    expect(redisUrlFor(parts, "redis://cache:6379")).toBe("redis://cache:6379");
  });

  test("a foreign supergraph with subgraphs named users and billing gets none, and Redis only when configured", () => {
    const parts = maryParts(foreign(`type Query { me: String }`));
    expect(parts).toEqual({
      accounts: false,
      plans: false,
      stripeWebhook: false,
      mastodonCallback: false,
      calendarFeeds: false,
      replayFromStart: [],
    });
    expect(redisUrlFor(parts, undefined)).toBeUndefined();
    expect(redisUrlFor(parts, "redis://cache:6379")).toBe("redis://cache:6379");
  });

  test("accounts need users to resolve Query.apiKeyIdentity; plans need accounts too", () => {
    const accounts = maryParts(foreign(`type Query { apiKeyIdentity(key: String!): String }`));
    expect(accounts).toMatchObject({ accounts: true, plans: false, stripeWebhook: false });
  });
});

describe("the command line", () => {
  test("flags override the environment; pnpm's `--` is skipped; a relative supergraph is the caller's", () => {
    const parsed = parseCommandLine(
      ["--", "--supergraph", "graphs/shop.graphql", "--port", "4100", "--host", "0.0.0.0"],
      {
        INIT_CWD: "/home/me/shop",
        GATEWAY_PORT: "4000",
        LOG_LEVEL: "warn",
      },
    );
    expect(parsed).toEqual({
      env: {
        INIT_CWD: "/home/me/shop",
        LOG_LEVEL: "warn",
        SUPERGRAPH_PATH: "/home/me/shop/graphs/shop.graphql",
        GATEWAY_PORT: "4100",
        GATEWAY_HOST: "0.0.0.0",
      },
    });
    expect(parseCommandLine([], { GATEWAY_PORT: "4000" })).toEqual({ env: { GATEWAY_PORT: "4000" } });
  });

  test("--help, unknown flags and stray arguments", () => {
    expect(parseCommandLine(["-h"], {})).toMatchObject({ exit: 0, output: expect.stringMatching(/^Usage: /) });
    expect(parseCommandLine(["--supergraph"], {})).toMatchObject({
      exit: 2,
      output: expect.stringMatching(/argument missing/),
    });
    expect(parseCommandLine(["--port=1", "extra"], {})).toMatchObject({ exit: 2 });
    expect(parseCommandLine(["--verbose"], {})).toMatchObject({
      exit: 2,
      output: expect.stringMatching(/^mary-gateway: Unknown option '--verbose'/),
    });
  });
});
