// Subscriptions at scale through Mary's real platform: viewers of one run share one subscription
// to agents only when every field they select resolves the same for them (same kind of
// principal, workspace, role, scopes and plan; the same user too when `memberships` is
// selected), and a late joiner gets the run from its first event. Also the gateway's edges that
// issue touched: a mutation whose subgraph hangs is OUTCOME_UNKNOWN, not "try again", and a
// client that goes away mid-stream is not logged as an error.
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { createServer as createHttpServer } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { freePort, graphql, TEST_ENV } from "@mary/kit/testing";
import type { RunningServer } from "@mary/kit";
import { loadGatewayConfig } from "../src/config.ts";
import { startGateway } from "../src/server.ts";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";
import { subscribe, wsClient, wsUrl } from "./ws-client.ts";

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

interface RunEvent {
  cursor: string;
  type: string;
  status: string | null;
  run: { id: string; agent: { createdBy: { email: string } } | null };
}

const EVENTS = `subscription ($runId: ID!) {
  agentRunEvents(runId: $runId) { cursor type status run { id agent { createdBy { email } } } } }`;

const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i + 1}`).join(" ");

async function ok<T = any>(credential: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await platform.gql<T>(query, variables, credential);
  if (!response.data || response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data;
}

/** A LOCAL run long enough to watch (about ten seconds of tokens), cancelled by the test. */
async function longRun(account: SignedUp, credential = account.accessToken) {
  const { createAgent } = await ok(
    credential,
    `mutation { createAgent(input: { name: "Streamer", provider: LOCAL }) { id } }`,
  );
  const { startAgentRun } = await ok(
    credential,
    `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id } }`,
    { input: { agentId: createAgent.id, input: words(2_000) } },
  );
  return startAgentRun.id as string;
}

const cancel = (credential: string, runId: string) =>
  ok(credential, `mutation ($id: ID!) { cancelAgentRun(id: $id) { id } }`, { id: runId });

const apiKey = async (account: SignedUp, scopes: string[]) =>
  (
    await ok(account.accessToken, `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`, {
      input: { name: scopes.join(" "), scopes },
    })
  ).createApiKey.key as string;

const stats = async (gateway: RunningServer) =>
  (await (await fetch(new URL("/healthz", gateway.url))).json()) as {
    subscriptions: number;
    subgraphSubscriptions: number;
  };

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(25);
  }
}

const eventsOf = (results: { data?: { agentRunEvents: RunEvent } | null }[]) =>
  results.map((result) => result.data!.agentRunEvents);

describe("viewers of one run", () => {
  test("a session and an API key without users:read are two subscriptions: the key gets users' refusal, never the creator", async () => {
    const gateway = await platform.startGateway({});
    const { account, runId } = await signUpAndStream();
    const key = await apiKey(account, ["agents:read"]);
    // memberships needs users:read; without it users refuses, and createdBy (email included) is null.
    const CREATOR = `subscription ($runId: ID!) {
      agentRunEvents(runId: $runId) { cursor run { agent { createdBy { email memberships { role } } } } } }`;
    const session = wsClient(gateway.url, account.accessToken);
    const keyed = wsClient(gateway.url, key);
    try {
      const asSession = subscribe(session, CREATOR, { runId });
      const asKey = subscribe(keyed, CREATOR, { runId });
      await Promise.all([asSession.received(5), asKey.received(5)]);
      expect(await stats(gateway)).toMatchObject({ subscriptions: 2, subgraphSubscriptions: 2 });
      await cancel(account.accessToken, runId);
      await Promise.all([asSession.done, asKey.done]);

      const creator = { email: account.user.email, memberships: [{ role: "OWNER" }] };
      for (const result of asSession.results) {
        expect(result.errors).toBeUndefined();
        expect(result.data!.agentRunEvents.run.agent).toEqual({ createdBy: creator });
      }
      // The key gets on every event what users answers it over HTTP, where nothing is shared.
      const overHttp = await platform.gql(
        `query ($id: ID!) { agentRun(id: $id) { agent { createdBy { email memberships { role } } } } }`,
        { id: runId },
        key,
      );
      expect(overHttp.data).toEqual({ agentRun: { agent: null } });
      const refusal = overHttp.errors!.map((error) => [error.message, error.extensions?.code]);
      expect(refusal.map(([, code]) => code)).toEqual(["FORBIDDEN"]);
      expect(JSON.stringify(asKey.results)).not.toContain(account.user.email);
      for (const result of asKey.results) {
        expect(result.data!.agentRunEvents.run.agent).toBeNull();
        expect(result.errors?.map((error) => [error.message, error.extensions?.code])).toEqual(refusal);
      }
      const cursors = (results: typeof asKey.results) => results.map((result) => result.data!.agentRunEvents.cursor);
      expect(cursors(asKey.results)).toEqual(cursors(asSession.results));
    } finally {
      await Promise.all([session.dispose(), keyed.dispose()]);
    }
  });

  test("two API keys of one user that differ only in scopes do not share: only the one with users:read gets memberships", async () => {
    const gateway = await platform.startGateway({});
    const { account, runId } = await signUpAndStream();
    const [narrow, wide] = await Promise.all([
      apiKey(account, ["agents:read"]),
      apiKey(account, ["agents:read", "users:read"]),
    ]);
    const MEMBERSHIPS = `subscription ($runId: ID!) {
      agentRunEvents(runId: $runId) { cursor run { agent { createdBy { memberships { role } } } } } }`;
    const clients = [wsClient(gateway.url, narrow!), wsClient(gateway.url, wide!)];
    try {
      const [asNarrow, asWide] = clients.map((client) => subscribe(client, MEMBERSHIPS, { runId }));
      await Promise.all([asNarrow!.received(5), asWide!.received(5)]);
      expect(await stats(gateway)).toMatchObject({ subscriptions: 2, subgraphSubscriptions: 2 });
      await cancel(account.accessToken, runId);
      await Promise.all([asNarrow!.done, asWide!.done]);
      for (const result of asWide!.results) {
        expect(result.errors).toBeUndefined();
        expect(result.data!.agentRunEvents.run.agent).toEqual({ createdBy: { memberships: [{ role: "OWNER" }] } });
      }
      for (const result of asNarrow!.results) {
        expect(result.data!.agentRunEvents.run.agent).toBeNull();
        expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN"]);
      }
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });

  test("a session and an API key selecting the creator's email are two subscriptions, each answered as over HTTP", async () => {
    const gateway = await platform.startGateway({});
    const { account, runId } = await signUpAndStream();
    const key = await apiKey(account, ["agents:read"]);
    const clients = [wsClient(gateway.url, account.accessToken), wsClient(gateway.url, key)];
    try {
      const [asSession, asKey] = clients.map((client) =>
        subscribe<{ agentRunEvents: RunEvent }>(client, EVENTS, { runId }),
      );
      await Promise.all([asSession!.received(5), asKey!.received(5)]);
      expect(await stats(gateway)).toMatchObject({ subscriptions: 2, subgraphSubscriptions: 2 });
      await cancel(account.accessToken, runId);
      await Promise.all([asSession!.done, asKey!.done]);
      for (const [subscription, credential] of [
        [asSession!, account.accessToken],
        [asKey!, key],
      ] as const) {
        const overHttp = await platform.gql(
          `query ($id: ID!) { agentRun(id: $id) { agent { createdBy { email } } } }`,
          { id: runId },
          credential,
        );
        for (const result of subscription.results) {
          expect(result.errors).toEqual(overHttp.errors);
          expect(result.data!.agentRunEvents.run.agent).toEqual(overHttp.data.agentRun.agent);
        }
      }
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });

  test("two sessions of the same user share one subscription; one joining late gets the run from its first event", async () => {
    const gateway = await platform.startGateway({});
    const { account, runId } = await signUpAndStream();
    const clients = [0, 1, 2].map(() => wsClient(gateway.url, account.accessToken));
    try {
      const first = subscribe<{ agentRunEvents: RunEvent }>(clients[0]!, EVENTS, { runId });
      const second = subscribe<{ agentRunEvents: RunEvent }>(clients[1]!, EVENTS, { runId });
      await Promise.all([first.received(5), second.received(5)]);
      expect(await stats(gateway)).toMatchObject({ subscriptions: 2, subgraphSubscriptions: 1 });
      // Joining mid-run without `after`: what its own subscription would send, from the first event.
      await first.received(30);
      const late = subscribe<{ agentRunEvents: RunEvent }>(clients[2]!, EVENTS, { runId });
      await late.received(40);
      expect(await stats(gateway)).toMatchObject({ subscriptions: 3, subgraphSubscriptions: 1 });
      await cancel(account.accessToken, runId);
      await Promise.all([first.done, second.done, late.done]);

      const cursors = eventsOf(first.results).map((event) => event.cursor);
      expect(cursors.length).toBeGreaterThan(40);
      expect(new Set(cursors).size).toBe(cursors.length);
      expect(eventsOf(first.results)[0]).toMatchObject({ type: "STATUS", status: "QUEUED" });
      expect(eventsOf(first.results).at(-1)).toMatchObject({ type: "STATUS", status: "CANCELLED" });
      expect(eventsOf(second.results).map((event) => event.cursor)).toEqual(cursors);
      expect(eventsOf(late.results).map((event) => event.cursor)).toEqual(cursors);
      for (const event of eventsOf(late.results)) {
        expect(event.run.agent).toEqual({ createdBy: { email: account.user.email } });
      }
      await eventually(async () => (await stats(gateway)).subgraphSubscriptions === 0);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });

  test("two users of one workspace with one role share, unless the selection asks for memberships", async () => {
    const gateway = await platform.startGateway({});
    const { account: owner, runId } = await signUpAndStream();
    const admins = await Promise.all([platform.signUp(), platform.signUp()]);
    const sessions: string[] = [];
    for (const admin of admins) {
      await ok(
        owner.accessToken,
        `mutation ($email: String!, $ws: ID!) { addMember(email: $email, workspaceId: $ws, role: ADMIN) { role } }`,
        {
          email: admin.user.email,
          ws: owner.workspace.id,
        },
      );
      const switched = await ok(
        admin.accessToken,
        `mutation ($ws: ID!) { switchWorkspace(workspaceId: $ws) { accessToken } }`,
        {
          ws: owner.workspace.id,
        },
      );
      sessions.push(switched.switchWorkspace.accessToken);
    }
    const MEMBERSHIPS = `subscription ($runId: ID!) {
      agentRunEvents(runId: $runId) { cursor run { agent { createdBy { memberships { role } } } } } }`;
    const clients = sessions.map((session) => wsClient(gateway.url, session));
    try {
      const plain = clients.map((client) => subscribe(client, EVENTS, { runId }));
      await Promise.all(plain.map((subscription) => subscription.received(3)));
      expect(await stats(gateway)).toMatchObject({ subscriptions: 2, subgraphSubscriptions: 1 });
      const personal = clients.map((client) => subscribe(client, MEMBERSHIPS, { runId }));
      await Promise.all(personal.map((subscription) => subscription.received(3)));
      expect(await stats(gateway)).toMatchObject({ subscriptions: 4, subgraphSubscriptions: 3 });
      await cancel(owner.accessToken, runId);
      await Promise.all([...plain, ...personal].map((subscription) => subscription.done));
      for (const subscription of personal) expect(subscription.results[0]!.errors).toBeUndefined();
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  });
});

/** A new account with a long LOCAL run streaming. */
async function signUpAndStream() {
  const account = await platform.signUp();
  return { account, runId: await longRun(account) };
}

/** A server that accepts connections and never answers, as a subgraph stuck in a loop or a deadlock. */
async function hangingServer() {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  let accepted = 0;
  server.on("connection", () => (accepted += 1));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("a mutation whose subgraph does not answer", () => {
  test("timed out, it is OUTCOME_UNKNOWN (it may have taken effect); a query is SERVICE_UNAVAILABLE", async () => {
    const hang = await hangingServer();
    try {
      const gateway = await platform.startGateway({ SUBGRAPH_TIMEOUT_MS: "500" }, { agents: hang.url });
      const account = await platform.signUp();
      const bearer = { authorization: `Bearer ${account.accessToken}` };
      const created = await graphql(
        gateway.url,
        `
          mutation {
            createAgent(input: { name: "Lost", provider: LOCAL }) {
              id
            }
          }
        `,
        {},
        bearer,
      );
      expect(hang.accepted()).toBeGreaterThan(0);
      expect(created.errors).toEqual([
        expect.objectContaining({
          message:
            "The agents service did not answer in time; the mutation may or may not have taken effect. " +
            "Retry with the same idempotency key, or read the result first",
          extensions: { code: "OUTCOME_UNKNOWN" },
        }),
      ]);
      const read = await graphql(
        gateway.url,
        `
          {
            agents {
              edges {
                node {
                  id
                }
              }
            }
          }
        `,
        {},
        bearer,
      );
      expect(read.errors?.map((error) => error.extensions?.code)).toEqual(["SERVICE_UNAVAILABLE"]);
    } finally {
      await hang.close();
    }
  });

  test("refused, it was never sent: SERVICE_UNAVAILABLE, safe to retry", async () => {
    const nobody = `http://127.0.0.1:${await freePort()}/graphql`;
    const gateway = await platform.startGateway({}, { agents: nobody });
    const account = await platform.signUp();
    const created = await graphql(
      gateway.url,
      `
        mutation {
          createAgent(input: { name: "Unsent", provider: LOCAL }) {
            id
          }
        }
      `,
      {},
      { authorization: `Bearer ${account.accessToken}` },
    );
    expect(created.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
      ["The agents service could not be reached; try again", "SERVICE_UNAVAILABLE"],
    ]);
  });
});

describe("a client that goes away mid-stream", () => {
  test("is logged at debug, not as an error, while a real internal error still is, once for a shared subscription", async () => {
    // users answers nonsense, so a selection of its fields fails inside the gateway (INTERNAL).
    const broken = createHttpServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("oops"));
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    const lines: { level: number; msg: string; err?: { message?: string; code?: string } }[] = [];
    const gateway = await startGateway(
      loadGatewayConfig({
        ...TEST_ENV,
        LOG_LEVEL: "debug",
        RATE_LIMIT_REQUESTS: "1000000",
        GATEWAY_PORT: "0",
        JWT_PUBLIC_KEY: platform.keys.publicKey,
      }),
      {
        subgraphUrls: {
          users: `http://127.0.0.1:${(broken.address() as AddressInfo).port}/graphql`,
          crm: platform.crm.url,
          agents: platform.agents.url,
          billing: platform.billing.url,
        },
        logDestination: { write: (line: string) => void lines.push(JSON.parse(line)) },
      },
    );
    try {
      const account = await platform.signUp();
      const input = words(400).replaceAll("w", "x".repeat(140));
      const { createAgent } = await ok(
        account.accessToken,
        `mutation { createAgent(input: { name: "Verbose", provider: LOCAL }) { id } }`,
      );
      const { startAgentRun } = await ok(
        account.accessToken,
        `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id } }`,
        { input: { agentId: createAgent.id, input } },
      );
      await eventually(
        async () =>
          (await ok(account.accessToken, `query ($id: ID!) { agentRun(id: $id) { status } }`, { id: startAgentRun.id }))
            .agentRun.status === "SUCCEEDED",
      );

      // A finished run of ~23 MB replays as fast as the gateway can write; the client vanishes
      // (TCP reset) after its first event, while much more is on its way.
      const socket = new WebSocket(wsUrl(gateway.url), "graphql-transport-ws");
      let events = 0;
      socket.on("message", (data) => {
        const message = JSON.parse(String(data));
        if (message.type === "connection_ack") {
          socket.send(
            JSON.stringify({
              id: "1",
              type: "subscribe",
              payload: {
                query: `subscription ($runId: ID!) { agentRunEvents(runId: $runId) { cursor run { input } } }`,
                variables: { runId: startAgentRun.id },
              },
            }),
          );
        }
        if (message.type === "next" && ++events === 1) socket.pause();
      });
      socket.on("error", () => {});
      socket.on("open", () =>
        socket.send(
          JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${account.accessToken}` } }),
        ),
      );
      await eventually(() => events > 0);
      // The gateway's writes back up while the client does not read; then the client is gone.
      await sleep(500);
      (socket as unknown as { _socket: Socket })._socket.resetAndDestroy();
      await eventually(async () => {
        const now = await stats(gateway);
        return now.subscriptions === 0 && now.subgraphSubscriptions === 0;
      });

      // And a real failure: users' nonsense answer to a field it owns, on a run two sessions
      // watch through one shared subscription, so each event's failure is logged once, not per viewer.
      const { startAgentRun: live } = await ok(
        account.accessToken,
        `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id } }`,
        { input: { agentId: createAgent.id, input: words(2_000) } },
      );
      const clients = [wsClient(gateway.url, account.accessToken), wsClient(gateway.url, account.accessToken)];
      const failing = clients.map((client) => subscribe(client, EVENTS, { runId: live.id }));
      await Promise.all(failing.map((subscription) => subscription.received(5)));
      expect(await stats(gateway)).toMatchObject({ subscriptions: 2, subgraphSubscriptions: 1 });
      await cancel(account.accessToken, live.id);
      await Promise.all(failing.map((subscription) => subscription.done));
      await Promise.all(clients.map((client) => client.dispose()));
      const [first, second] = failing.map((subscription) => subscription.results);
      expect(second!.length).toBe(first!.length);
      for (const result of first!) expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["INTERNAL"]);

      // The write that failed when the client vanished is a debug line; the only errors are the real one.
      const wentAway = lines.filter((line) => line.msg === "a subscription's client went away");
      expect(wentAway.length).toBeGreaterThan(0);
      expect(wentAway.every((line) => line.level === 20)).toBe(true);
      const errors = lines.filter((line) => line.level >= 50);
      expect(errors).toHaveLength(first!.length);
      expect(errors.every((line) => line.msg === "subscription failed")).toBe(true);
      expect(errors[0]!.err?.message).toContain("Expected JSON response body");
      expect(JSON.stringify(lines.filter((line) => line.level >= 40))).not.toMatch(
        /EPIPE|ECONNRESET|ECANCELED|ERR_STREAM_DESTROYED|WebSocket is not open/,
      );
    } finally {
      await gateway.close();
      broken.closeAllConnections();
      await new Promise((resolve) => broken.close(resolve));
    }
  });
});
