import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Redis } from "ioredis";
import WebSocket from "ws";
import { errorCode, REDIS_URL } from "@mary/kit/testing";
import type { ReceivedRequest } from "../../subgraphs/agents/test/openai-compatible-server.ts";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";
import { subscribe, wsClient, wsUrl } from "./ws-client.ts";

let platform: Platform;
let redis: Redis;
beforeAll(async () => {
  platform = await startPlatform();
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await platform?.stop();
});

interface RunEvent {
  cursor: string;
  type: "TOKEN" | "TOOL_CALL" | "TOOL_RESULT" | "STATUS" | "ERROR";
  delta: string | null;
  status: string | null;
  error: string | null;
  toolCall: { id: string; name: string; arguments: string; result: string | null; error: string | null } | null;
  run: { id: string; status: string; agent: { name: string; createdBy: { email: string } } | null };
}

const EVENTS = `subscription ($runId: ID!, $after: String) {
  agentRunEvents(runId: $runId, after: $after) {
    cursor type delta status error
    toolCall { id name arguments result error }
    run { id status agent { name createdBy { email } } }
  }
}`;

const createAgent = async (account: SignedUp, input: Record<string, unknown>, credential = account.accessToken) => {
  const response = await platform.gql(
    `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id name provider model tools } }`,
    { input },
    credential,
  );
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.createAgent as { id: string; provider: string; model: string };
};

const startRun = async (credential: string, agentId: string, input: string) => {
  const response = await platform.gql(
    `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id status } }`,
    { input: { agentId, input } },
    credential,
  );
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.startAgentRun as { id: string; status: string };
};

const runState = async (credential: string, id: string) =>
  (
    await platform.gql(
      `query ($id: ID!) { agentRun(id: $id) { status output error tokensUsed finishedAt } }`,
      { id },
      credential,
    )
  ).data.agentRun as { status: string; output: string; error: string | null; tokensUsed: number };

/** Follows a run over the gateway's WebSocket until it ends; returns every event. */
async function follow(credential: string, runId: string, after?: string): Promise<RunEvent[]> {
  const client = wsClient(platform.url, credential);
  try {
    const subscription = subscribe<{ agentRunEvents: RunEvent }>(client, EVENTS, { runId, after });
    await subscription.done;
    for (const result of subscription.results) expect(result.errors).toBeUndefined();
    return subscription.results.map((result) => result.data!.agentRunEvents);
  } finally {
    await client.dispose();
  }
}

const words = (count: number, prefix = "w") => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`).join(" ");
const gatewayStats = async (origin = platform.gatewayOrigin) =>
  (await (await fetch(`${origin}/healthz`)).json()) as {
    sockets: number;
    subscriptions: number;
    subgraphSubscriptions: number;
    viewers: number;
  };
/** Redis connections following the run: each agents process has at most one per run, named for it. */
const runTails = async (runId: string) =>
  ((await redis.call("CLIENT", "LIST", "TYPE", "normal")) as string)
    .split("\n")
    .filter((line) => line.includes(` name=agents-tail:${runId} `)).length;
const LIGHT_EVENTS = `subscription ($runId: ID!) { agentRunEvents(runId: $runId) { cursor type status } }`;

/** A run that stays RUNNING without output: the model server waits before its first chunk. */
async function stalledRun(account: SignedUp, name: string) {
  const agent = await createAgent(account, { name, provider: "OPENAI" });
  platform.openAI.script = () => ({ text: ["late"], chunkDelayMs: 60_000 });
  const run = await startRun(account.accessToken, agent.id, "Take your time");
  await eventually(async () => (await runState(account.accessToken, run.id)).status === "RUNNING");
  return run;
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("a LOCAL run, followed through the gateway", () => {
  test("streams every token in order, with users' createdBy.email on every event, and ends SUCCEEDED", async () => {
    const account = await platform.signUp();
    const agent = await createAgent(account, { name: "Echo", provider: "LOCAL" });
    expect(agent.model).toBe("local-echo");
    const input = words(40);
    const run = await startRun(account.accessToken, agent.id, input);
    expect(run.status).toBe("QUEUED");

    const events = await follow(account.accessToken, run.id);
    expect(events[0]).toMatchObject({ type: "STATUS", status: "QUEUED" });
    expect(events[1]).toMatchObject({ type: "STATUS", status: "RUNNING" });
    expect(events.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED", run: { status: "SUCCEEDED" } });
    const tokens = events.filter((event) => event.type === "TOKEN");
    expect(tokens.map((event) => event.delta).join("")).toBe(input);
    expect(tokens).toHaveLength(40);
    for (const event of events) {
      expect(event.run.id).toBe(run.id);
      expect(event.run.agent).toEqual({ name: "Echo", createdBy: { email: account.user.email } });
    }
    expect(new Set(events.map((event) => event.cursor)).size).toBe(events.length);
    const final = await runState(account.accessToken, run.id);
    expect(final).toMatchObject({ status: "SUCCEEDED", output: input, error: null });
    expect(final.tokensUsed).toBeGreaterThan(0);
  });

  test("a subscriber joining mid-run with `after` gets the rest with no gap and no duplicate", async () => {
    const account = await platform.signUp();
    const agent = await createAgent(account, { name: "Long", provider: "LOCAL" });
    const input = words(300);
    const run = await startRun(account.accessToken, agent.id, input);

    const first = wsClient(platform.url, account.accessToken);
    const early = subscribe<{ agentRunEvents: RunEvent }>(first, EVENTS, { runId: run.id });
    await early.received(25);
    const joinAt = early.results[24]!.data!.agentRunEvents;
    expect(joinAt.run.status).toBe("RUNNING");
    const late = follow(account.accessToken, run.id, joinAt.cursor);
    await early.done;
    await first.dispose();
    const everything = early.results.map((result) => result.data!.agentRunEvents);
    const rest = await late;

    expect(everything.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
    expect(rest.map((event) => event.cursor)).toEqual(everything.slice(25).map((event) => event.cursor));
    expect(rest.map((event) => event.delta)).toEqual(everything.slice(25).map((event) => event.delta));
    expect(
      everything
        .filter((event) => event.type === "TOKEN")
        .map((event) => event.delta)
        .join(""),
    ).toBe(input);
  });

  test("a subscriber to a finished run gets all of it again, then completes", async () => {
    const account = await platform.signUp();
    const agent = await createAgent(account, { name: "Done", provider: "LOCAL" });
    const run = await startRun(account.accessToken, agent.id, words(5));
    const live = await follow(account.accessToken, run.id);
    const replayed = await follow(account.accessToken, run.id);
    expect(replayed.map((event) => event.cursor)).toEqual(live.map((event) => event.cursor));
    const fromMiddle = await follow(account.accessToken, run.id, live[3]!.cursor);
    expect(fromMiddle.map((event) => event.cursor)).toEqual(live.slice(4).map((event) => event.cursor));
  });

  test("cancelAgentRun stops a run within a second and keeps its output so far", async () => {
    const account = await platform.signUp();
    const agent = await createAgent(account, { name: "Chatty", provider: "LOCAL" });
    const input = words(2_000);
    const run = await startRun(account.accessToken, agent.id, input);
    const client = wsClient(platform.url, account.accessToken);
    const subscription = subscribe<{ agentRunEvents: RunEvent }>(client, EVENTS, { runId: run.id });
    await subscription.received(10);

    const asked = performance.now();
    const cancelled = await platform.gql(
      `mutation ($id: ID!) { cancelAgentRun(id: $id) { status output finishedAt } }`,
      { id: run.id },
      account.accessToken,
    );
    const elapsed = performance.now() - asked;
    await subscription.done;
    await client.dispose();

    expect(cancelled.data.cancelAgentRun.status).toBe("CANCELLED");
    expect(elapsed).toBeLessThan(1_000);
    const output = cancelled.data.cancelAgentRun.output as string;
    expect(output.length).toBeGreaterThan(0);
    expect(output.length).toBeLessThan(input.length);
    expect(input.startsWith(output)).toBe(true);
    const events = subscription.results.map((result) => result.data!.agentRunEvents);
    expect(events.at(-1)).toMatchObject({ type: "STATUS", status: "CANCELLED" });
    expect(
      events
        .filter((event) => event.type === "TOKEN")
        .map((event) => event.delta)
        .join(""),
    ).toBe(output);
  });
});

describe("the OPENAI provider, against a local OpenAI-compatible server", () => {
  const toolMessages = (request: ReceivedRequest) => request.messages.filter((message) => message.role === "tool");

  test("calls search_contacts through the gateway, gets the workspace's real contacts, and answers", async () => {
    const account = await platform.signUp();
    const created = await platform.gql(
      `mutation { a: createContact(input: { name: "Ada Lovelace", emails: ["ada@engines.example"] }) { id }
                  b: createContact(input: { name: "Charles Babbage", emails: ["charles@engines.example"] }) { id } }`,
      {},
      account.accessToken,
    );
    expect(created.errors).toBeUndefined();
    const agent = await createAgent(account, { name: "Researcher", provider: "OPENAI", tools: ["SEARCH_CONTACTS"] });
    expect(agent).toMatchObject({ provider: "OPENAI", model: "gpt-test" });

    platform.openAI.script = (request) => {
      const results = toolMessages(request);
      if (results.length === 0) return { toolCalls: [{ name: "search_contacts", arguments: '{"query":"Ada"}' }] };
      const found = JSON.parse(results[0]!.content!) as { contacts: { name: string; emails: string[] }[] };
      return { text: ["Found ", found.contacts.map((contact) => `${contact.name} <${contact.emails[0]}>`).join(", ")] };
    };
    const before = platform.openAI.requests.length;
    const run = await startRun(account.accessToken, agent.id, "Who is Ada?");
    const events = await follow(account.accessToken, run.id);

    const call = events.find((event) => event.type === "TOOL_CALL")!;
    expect(call.toolCall).toMatchObject({ name: "search_contacts", arguments: '{"query":"Ada"}', result: null });
    const result = events.find((event) => event.type === "TOOL_RESULT")!;
    expect(result.toolCall!.id).toBe(call.toolCall!.id);
    expect(result.toolCall!.error).toBeNull();
    const contacts = (JSON.parse(result.toolCall!.result!) as { contacts: { id: string; name: string }[] }).contacts;
    expect(contacts.map((contact) => contact.name)).toEqual(["Ada Lovelace"]);
    expect(contacts[0]!.id).toBe(created.data.a.id);
    expect(events.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
    expect(await runState(account.accessToken, run.id)).toMatchObject({
      status: "SUCCEEDED",
      output: "Found Ada Lovelace <ada@engines.example>",
    });

    // The model saw the agent's tool, and got the tool's answer back under the call's id.
    const sent = platform.openAI.requests.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.stream).toBe(true);
    expect(sent[0]!.authorization).toBe("Bearer sk-test-mary");
    expect(sent[0]!.tools?.map((tool) => tool.function.name)).toEqual(["search_contacts"]);
    expect(toolMessages(sent[1]!)[0]!.tool_call_id).toBe(call.toolCall!.id);
  });

  test("log_activity and whoami act as the run's user, in the user's workspace", async () => {
    const account = await platform.signUp();
    const contact = await platform.gql(
      `mutation { createContact(input: { name: "Grace Hopper" }) { id } }`,
      {},
      account.accessToken,
    );
    const contactId = contact.data.createContact.id as string;
    const agent = await createAgent(account, {
      name: "Assistant",
      provider: "OPENAI",
      tools: ["LOG_ACTIVITY", "WHOAMI"],
    });
    platform.openAI.script = (request) =>
      toolMessages(request).length === 0
        ? {
            toolCalls: [
              { name: "whoami", arguments: "{}" },
              {
                name: "log_activity",
                arguments: JSON.stringify({ type: "NOTE", subject: "Agent was here", contactId }),
              },
            ],
          }
        : { text: ["Logged."] };
    const run = await startRun(account.accessToken, agent.id, "Note that you called Grace");
    const events = await follow(account.accessToken, run.id);
    const results = events.filter((event) => event.type === "TOOL_RESULT").map((event) => event.toolCall!);
    expect(results.map((call) => [call.name, call.error])).toEqual([
      ["whoami", null],
      ["log_activity", null],
    ]);
    expect(JSON.parse(results[0]!.result!)).toMatchObject({
      me: { id: account.user.id, email: account.user.email },
      workspace: { id: account.workspace.id },
    });
    const timeline = await platform.gql(
      `query ($id: ID!) { contact(id: $id) { timeline { edges { node { type subject } } } } }`,
      { id: contactId },
      account.accessToken,
    );
    expect(timeline.data.contact.timeline.edges.map((edge: { node: unknown }) => edge.node)).toEqual([
      { type: "NOTE", subject: "Agent was here" },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
  });

  test("a tool outside the run's scopes fails as a TOOL_RESULT error, and the run still finishes", async () => {
    const account = await platform.signUp();
    const key = await platform.gql(
      `mutation { createApiKey(input: { name: "agents only", scopes: ["agents:read", "agents:write"] }) { key } }`,
      {},
      account.accessToken,
    );
    const apiKey = key.data.createApiKey.key as string;
    const agent = await createAgent(
      account,
      { name: "Limited", provider: "OPENAI", tools: ["SEARCH_CONTACTS"] },
      apiKey,
    );
    platform.openAI.script = (request) =>
      toolMessages(request).length === 0
        ? { toolCalls: [{ name: "search_contacts", arguments: '{"query":"anyone"}' }] }
        : { text: ["I could not search."] };
    const run = await startRun(apiKey, agent.id, "Search for anyone");
    const events = await follow(apiKey, run.id);
    const result = events.find((event) => event.type === "TOOL_RESULT")!.toolCall!;
    expect(result.result).toBeNull();
    expect(result.error).toMatch(/^FORBIDDEN: .*crm:read/);
    expect(events.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
  });

  test("the server failing mid-stream ends the run FAILED with an ERROR event, keeping the output so far", async () => {
    const account = await platform.signUp();
    const agent = await createAgent(account, { name: "Fragile", provider: "OPENAI" });
    // Chunk 0 opens the message; 1-3 carry text; the connection drops before chunk 4.
    platform.openAI.script = () => ({ text: ["The ", "answer ", "is ", "forty-two"], breakAfterChunks: 4 });
    const run = await startRun(account.accessToken, agent.id, "What is the answer?");
    const events = await follow(account.accessToken, run.id);
    expect(events.slice(-2).map((event) => [event.type, event.status])).toEqual([
      ["ERROR", null],
      ["STATUS", "FAILED"],
    ]);
    expect(events.at(-2)!.error).toMatch(/^The model provider failed/);
    const state = await runState(account.accessToken, run.id);
    expect(state).toMatchObject({ status: "FAILED", output: "The answer is " });
    expect(state.error).toBe(events.at(-2)!.error);
  });
});

describe("who may subscribe", () => {
  test("another workspace's run is FORBIDDEN, and its events are not sent", async () => {
    const owner = await platform.signUp();
    const stranger = await platform.signUp();
    const agent = await createAgent(owner, { name: "Private", provider: "LOCAL" });
    const run = await startRun(owner.accessToken, agent.id, words(3));
    const client = wsClient(platform.url, stranger.accessToken);
    const subscription = subscribe<{ agentRunEvents: RunEvent }>(client, EVENTS, { runId: run.id });
    await subscription.done;
    await client.dispose();
    expect(subscription.results).toHaveLength(1);
    expect(subscription.results[0]!.data).toBeFalsy();
    expect(subscription.results[0]!.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // And the HTTP side: the run does not exist for the stranger.
    expect(
      errorCode(
        await platform.gql(`query ($id: ID!) { agentRun(id: $id) { id } }`, { id: run.id }, stranger.accessToken),
      ),
    ).toBe("NOT_FOUND");
  });

  test("a missing, malformed or expired credential closes the socket with 4403 Forbidden", async () => {
    const closeCode = (params: Record<string, unknown>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(wsUrl(platform.url), "graphql-transport-ws");
        socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: params })));
        socket.on("close", (code) => resolve(code));
      });
    expect(await closeCode({})).toBe(4403);
    expect(await closeCode({ authorization: "Bearer not-a-token" })).toBe(4403);
    expect(await closeCode({ authorization: "Bearer mary_unknownkey0000000000000000" })).toBe(4403);
    expect(await closeCode({ authorization: 42 })).toBe(4403);
  });

  test("an API key may subscribe; a bad operation gets a clear error and the socket stays usable", async () => {
    const account = await platform.signUp();
    const key = await platform.gql(
      `mutation { createApiKey(input: { name: "stream", scopes: ["agents:read", "agents:write"] }) { key } }`,
      {},
      account.accessToken,
    );
    const apiKey = key.data.createApiKey.key as string;
    const client = wsClient(platform.url, apiKey);
    const bad = subscribe(client, `subscription { agentRunEvents(runId: "x") { nope } }`);
    await expect(bad.done).rejects.toThrow(/nope/);
    const deep = subscribe(
      client,
      `subscription ($id: ID!) { agentRunEvents(runId: $id) { run { agent { runs { edges { node { agent {
        runs { edges { node { agent { runs { edges { node { id } } } } } } } } } } } } } } }`,
      { id: "x" },
    );
    await expect(deep.done).rejects.toThrow(/depth/i);
    const agent = await createAgent(account, { name: "Keyed", provider: "LOCAL" }, apiKey);
    const run = await startRun(apiKey, agent.id, words(3));
    const ok = subscribe<{ agentRunEvents: RunEvent }>(client, EVENTS, { runId: run.id });
    await ok.done;
    expect(ok.results.at(-1)!.data!.agentRunEvents.status).toBe("SUCCEEDED");
    await client.dispose();
  });

  test("a principal past its subscription cap gets RATE_LIMITED; completing one frees a place", async () => {
    const gateway = await platform.startGateway({ MAX_SUBSCRIPTIONS_PER_PRINCIPAL: "2" });
    const account = await platform.signUp();
    const run = await stalledRun(account, "Capped");
    const clients = [wsClient(gateway.url, account.accessToken), wsClient(gateway.url, account.accessToken)];
    const open = [
      subscribe(clients[0]!, LIGHT_EVENTS, { runId: run.id }),
      subscribe(clients[1]!, LIGHT_EVENTS, { runId: run.id }),
    ];
    await Promise.all(open.map((subscription) => subscription.received(1)));
    const third = subscribe(clients[1]!, LIGHT_EVENTS, { runId: run.id });
    await expect(third.done).rejects.toThrow(/At most 2 subscriptions/);
    open[0]!.unsubscribe();
    await eventually(async () => (await gatewayStats(new URL(gateway.url).origin)).subscriptions === 1);
    const fourth = subscribe(clients[1]!, LIGHT_EVENTS, { runId: run.id });
    await fourth.received(1);
    expect(fourth.results[0]!.errors).toBeUndefined();
    await platform.gql(`mutation ($id: ID!) { cancelAgentRun(id: $id) { id } }`, { id: run.id }, account.accessToken);
    await Promise.all(clients.map((client) => client.dispose()));
  });
});

describe("resources", () => {
  test("200 sockets of one user share one subscription to agents; closed, they leave none in the gateway or Redis", async () => {
    const account = await platform.signUp();
    const run = await stalledRun(account, "Popular");
    const gateway = await platform.startGateway({ MAX_SUBSCRIPTIONS_PER_PRINCIPAL: "500" });
    const origin = new URL(gateway.url).origin;

    const clients = Array.from({ length: 200 }, () => wsClient(gateway.url, account.accessToken));
    const subscriptions = clients.map((client) => subscribe(client, LIGHT_EVENTS, { runId: run.id }));
    // Each gets the stored QUEUED and RUNNING events, then waits for more.
    await Promise.all(subscriptions.map((subscription) => subscription.received(2)));
    // The same operation, variables and principal: one subscription to agents for all of them.
    expect(await gatewayStats(origin)).toEqual(
      expect.objectContaining({ sockets: 200, subscriptions: 200, subgraphSubscriptions: 1, viewers: 200 }),
    );
    expect(await runTails(run.id)).toBe(1);
    expect(platform.agents.listenedRuns()).toBe(1);
    // HTTP is served while the sockets are open.
    const me = await platform.gql(`{ me { email } }`, {}, account.accessToken);
    expect(me.data.me.email).toBe(account.user.email);

    await Promise.all(clients.map((client) => client.dispose()));
    await eventually(async () => {
      const stats = await gatewayStats(origin);
      return stats.sockets === 0 && stats.subscriptions === 0 && stats.subgraphSubscriptions === 0;
    });
    await eventually(async () => (await runTails(run.id)) === 0);
    expect(platform.agents.listenedRuns()).toBe(0);
    expect((await runState(account.accessToken, run.id)).status).toBe("RUNNING");
    await platform.gql(`mutation ($id: ID!) { cancelAgentRun(id: $id) { id } }`, { id: run.id }, account.accessToken);
  });

  test("keep-alive pings idle sockets, and closes one that stops answering", async () => {
    const gateway = await platform.startGateway({ WS_KEEPALIVE_MS: "100" });
    const account = await platform.signUp();
    const open = (autoPong: boolean) =>
      new Promise<WebSocket>((resolve) => {
        const socket = new WebSocket(wsUrl(gateway.url), "graphql-transport-ws", { autoPong });
        socket.on("open", () =>
          socket.send(
            JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${account.accessToken}` } }),
          ),
        );
        socket.on("message", (data) => {
          if (JSON.parse(String(data)).type === "connection_ack") resolve(socket);
        });
      });
    const healthy = await open(true);
    let pings = 0;
    healthy.on("ping", () => pings++);
    const silent = await open(false);
    const silentClosed = new Promise<number>((resolve) => silent.on("close", (code) => resolve(code)));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    expect(await silentClosed).toBe(1006);
    healthy.close();
  });

  test("a subscriber that stops reading is ended with RATE_LIMITED past the queue cap, and resumes with `after`", async () => {
    const gateway = await platform.startGateway({ SUBSCRIPTION_MAX_QUEUED_EVENTS: "20" });
    const account = await platform.signUp();
    const agent = await createAgent(account, { name: "Verbose", provider: "LOCAL" });
    // Each event carries the run's whole input (~56 KB): its 403 events are ~23 MB, far more than
    // the kernel's socket buffers take on loopback, so the gateway must hold what the client does not read.
    const input = words(400, "x".repeat(140));
    const run = await startRun(account.accessToken, agent.id, input);
    await eventually(async () => (await runState(account.accessToken, run.id)).status === "SUCCEEDED");
    const HEAVY = `subscription ($runId: ID!, $after: String) {
      agentRunEvents(runId: $runId, after: $after) { cursor type run { input } } }`;

    const socket = new WebSocket(wsUrl(gateway.url), "graphql-transport-ws");
    const messages: { type: string; id?: string; payload?: any }[] = [];
    const arrived = (check: () => boolean) =>
      new Promise<void>((resolve) => {
        const poll = () => (check() ? resolve() : setTimeout(poll, 20));
        poll();
      });
    socket.on("message", (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.on("open", resolve));
    socket.send(
      JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${account.accessToken}` } }),
    );
    await arrived(() => messages.some((message) => message.type === "connection_ack"));
    socket.send(
      JSON.stringify({ id: "1", type: "subscribe", payload: { query: HEAVY, variables: { runId: run.id } } }),
    );
    socket.pause(); // the client stops reading; the finished run replays as fast as the gateway can send
    // The gateway takes the subscription (after authenticating), then, a second after the client
    // stopped taking events, cuts it off while the client still holds it, unread.
    const origin = new URL(gateway.url).origin;
    await eventually(async () => (await gatewayStats(origin)).subscriptions === 1);
    await eventually(async () => (await gatewayStats(origin)).viewers === 0);
    socket.resume();
    await arrived(() => messages.some((message) => message.id === "1" && message.type !== "next"));

    const firstEvents = messages.filter((message) => message.id === "1" && message.type === "next");
    const ending = messages.find((message) => message.id === "1" && message.type !== "next")!;
    // The last `next` carries the error; the events before it are a gap-free prefix of the run.
    const error = firstEvents.at(-1)!.payload;
    expect(error.errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(error.errors[0].message).toContain("20 events behind");
    expect(ending.type).toBe("complete");
    const received = firstEvents.slice(0, -1).map((message) => message.payload.data.agentRunEvents);
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(403);
    for (const event of received) expect(event.run.input).toBe(input);

    // The socket stays usable: resuming from the last cursor received gets the rest, once each.
    socket.send(
      JSON.stringify({
        id: "2",
        type: "subscribe",
        payload: {
          query: `subscription ($runId: ID!, $after: String) { agentRunEvents(runId: $runId, after: $after) { cursor type } }`,
          variables: { runId: run.id, after: received.at(-1).cursor },
        },
      }),
    );
    await arrived(() => messages.some((message) => message.id === "2" && message.type === "complete"));
    const rest = messages
      .filter((message) => message.id === "2" && message.type === "next")
      .map((message) => message.payload.data.agentRunEvents);
    const all = [...received, ...rest];
    expect(all).toHaveLength(403);
    expect(new Set(all.map((event) => event.cursor)).size).toBe(403);
    expect(all.at(-1).type).toBe("STATUS");
    socket.close();
    await eventually(async () => (await gatewayStats(origin)).subscriptions === 0);
  });

  test("the FREE plan allows one agent; the second is refused with PLAN_LIMIT", async () => {
    const account = await platform.signUp();
    await createAgent(account, { name: "First", provider: "LOCAL" });
    const second = await platform.gql(
      `mutation { createAgent(input: { name: "Second", provider: LOCAL }) { id } }`,
      {},
      account.accessToken,
    );
    expect(errorCode(second)).toBe("PLAN_LIMIT");
    const usage = await platform.gql(`{ workspace { usage { agents } } }`, {}, account.accessToken);
    expect(usage.data.workspace.usage.agents).toBe(1);
  });
});
