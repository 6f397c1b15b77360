import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { expect } from "vitest";
import {
  PRINCIPAL_HEADER,
  signPrincipal,
  type AuthenticatedPrincipal,
  type PlanName,
  type Principal,
  type Scope,
} from "@mary/kit";
import {
  createTestMongoDatabase,
  graphql,
  recordSubscription,
  REDIS_URL,
  signedHeaders,
  TEST_ENV,
  TEST_SIGNING_SECRET,
  type GraphQLResponse,
} from "@mary/kit/testing";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { startAgents, type AgentsApp } from "../src/app.ts";
import { loadAgentsConfig } from "../src/config.ts";
import type { AgentRun } from "../src/types/run.type.ts";
import { OpenAICompatibleServer } from "./openai-compatible-server.ts";

/** The OpenAI model the harness configures as the server's default. */
export const OPENAI_TEST_MODEL = "gpt-test-mini";
/** Nothing listens here: tools that call the gateway fail to reach it. */
export const UNREACHABLE_GATEWAY = "http://127.0.0.1:9/graphql";

export interface Harness {
  app: AgentsApp;
  /** The settings the app was started with, for starting a second agents process on the same database. */
  env: Record<string, string>;
  /** The OpenAI-compatible server the OPENAI provider talks to; tests set its `script`. */
  openAI: OpenAICompatibleServer;
  /** A plain Redis connection (never subscribed), for PUBSUB look-ups. */
  redis: Redis;
  /** The subgraph's graphql-ws URL. */
  wsUrl: string;
  /** Sends an operation over HTTP as the principal (none: no principal header at all). */
  call: <T = any>(
    query: string,
    variables?: Record<string, unknown>,
    principal?: Principal | null,
  ) => Promise<GraphQLResponse<T>>;
  /** Like `call`, and fails the test on any error. */
  ok: <T = any>(query: string, variables: Record<string, unknown>, principal: Principal) => Promise<T>;
  stop: () => Promise<void>;
}

/** Starts the agents subgraph on a free port, a throwaway MongoDB database and a local OpenAI-compatible server. */
export async function startHarness(): Promise<Harness> {
  const mongo = createTestMongoDatabase("agents");
  const openAI = await new OpenAICompatibleServer().start();
  const env: Record<string, string> = {
    ...TEST_ENV,
    AGENTS_PORT: "0",
    MONGODB_URL: mongo.url,
    LOCAL_TOKEN_INTERVAL_MS: "2",
    GATEWAY_URL: UNREACHABLE_GATEWAY,
    OPENAI_API_KEY: "sk-test-agents",
    OPENAI_BASE_URL: openAI.url,
    OPENAI_MODEL: OPENAI_TEST_MODEL,
    TOOL_TIMEOUT_MS: "2000",
  };
  const app = await startAgents(loadAgentsConfig(env));
  const redis = new Redis(REDIS_URL);
  const call = <T = any>(query: string, variables: Record<string, unknown> = {}, principal: Principal | null = null) =>
    graphql<T>(app.url, query, variables, principal ? signedHeaders(principal) : {});
  return {
    app,
    env,
    openAI,
    redis,
    wsUrl: app.url.replace(/^http/, "ws"),
    call,
    ok: async <T = any>(query: string, variables: Record<string, unknown>, principal: Principal) => {
      const response = await call<T>(query, variables, principal);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return response.data as T;
    },
    stop: async () => {
      redis.disconnect();
      await app?.close();
      await openAI.stop();
      await mongo.drop();
    },
  };
}

// --- principals -------------------------------------------------------------------------------

export const AGENT_SCOPES: Scope[] = ["agents:read", "agents:write"];

/** A caller of a fresh (or the given) workspace, as the gateway would sign it. */
export function principal(
  options: {
    kind?: "user" | "apiKey";
    plan?: PlanName;
    scopes?: Scope[];
    workspaceId?: string;
  } = {},
): AuthenticatedPrincipal {
  return {
    kind: options.kind ?? "user",
    userId: randomUUID(),
    workspaceId: options.workspaceId ?? randomUUID(),
    role: "OWNER",
    scopes: options.scopes ?? [...AGENT_SCOPES],
    plan: options.plan ?? "ENTERPRISE",
  };
}

/** A signed-in user of a fresh workspace on the plan, with both agents scopes (or those given). */
export const user = (plan: PlanName = "ENTERPRISE", scopes: Scope[] = AGENT_SCOPES, workspaceId?: string) =>
  principal({ kind: "user", plan, scopes, workspaceId });

/** An API key of a fresh workspace with exactly the scopes given. */
export const apiKey = (scopes: Scope[], plan: PlanName = "ENTERPRISE", workspaceId?: string) =>
  principal({ kind: "apiKey", plan, scopes, workspaceId });

/** The gateway's own principal, which a graphql-ws connection must open with. */
export const gatewayParams = (secret = TEST_SIGNING_SECRET) => ({
  [PRINCIPAL_HEADER]: signPrincipal({ kind: "service", service: "gateway" }, secret),
});

// --- operations -------------------------------------------------------------------------------

export const AGENT_FIELDS = "id name instructions provider model tools createdAt updatedAt createdBy { id }";
export const CREATE_AGENT = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { ${AGENT_FIELDS} } }`;
export const UPDATE_AGENT = `mutation ($id: ID!, $input: UpdateAgentInput!) {
  updateAgent(id: $id, input: $input) { ${AGENT_FIELDS} } }`;
export const DELETE_AGENT = `mutation ($id: ID!) { deleteAgent(id: $id) }`;
export const AGENT = `query ($id: ID!) { agent(id: $id) { ${AGENT_FIELDS} } }`;
export const AGENTS = `query ($first: Int, $after: String) { agents(first: $first, after: $after) {
  edges { cursor node { id name createdAt } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
export const RUN_FIELDS =
  "id status input output tokensUsed error createdAt startedAt finishedAt agent { id } startedBy { id }";
export const START_RUN = `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { ${RUN_FIELDS} } }`;
export const CANCEL_RUN = `mutation ($id: ID!) { cancelAgentRun(id: $id) { ${RUN_FIELDS} } }`;
export const RUN = `query ($id: ID!) { agentRun(id: $id) { ${RUN_FIELDS} } }`;
export const EVENT_FIELDS = "cursor type delta status error toolCall { id name arguments result error }";
export const RUN_EVENTS = `query ($id: ID!, $first: Int, $after: String) { agentRun(id: $id) {
  events(first: $first, after: $after) {
    edges { cursor node { ${EVENT_FIELDS} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
export const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  __typename ... on Agent { id name } ... on AgentRun { id status } ... on Usage { workspaceId agents } } }`;
export const SUBSCRIBE_EVENTS = `subscription ($runId: ID!, $after: String) {
  agentRunEvents(runId: $runId, after: $after) { ${EVENT_FIELDS} run { id status } } }`;

export type RunStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
export const FINISHED: readonly RunStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

export interface AgentView {
  id: string;
  name: string;
  instructions: string;
  provider: "OPENAI" | "LOCAL";
  model: string;
  tools: string[];
  createdAt: string;
  updatedAt: string;
  createdBy: { id: string };
}

export interface RunView {
  id: string;
  status: RunStatus;
  input: string;
  output: string;
  tokensUsed: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  agent: { id: string } | null;
  startedBy: { id: string };
}

export interface EventView {
  cursor: string;
  type: "TOKEN" | "TOOL_CALL" | "TOOL_RESULT" | "STATUS" | "ERROR";
  delta: string | null;
  status: RunStatus | null;
  error: string | null;
  toolCall: { id: string; name: string; arguments: string; result: string | null; error: string | null } | null;
}

/** `count` distinct words: w1 w2 … */
export const words = (count: number, prefix = "w") =>
  Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`).join(" ");

/** The sequence number an event cursor stands for (cursors are opaque to clients; tests may peek). */
export const seqOf = (cursor: string) => Number(Buffer.from(cursor, "base64url").toString("utf8").split(":")[1]);

/** Waits until `check` holds, polling. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A run document as agents stores it, for a test that sets a run's state up by hand: by default
 * RUNNING since `createdAt` (now), executed by a process that is gone (its worker id has no
 * liveness key).
 */
export function runDocument(owner: AuthenticatedPrincipal, agentId: string, fields: Partial<AgentRun> = {}): AgentRun {
  const at = fields.createdAt ?? new Date();
  return {
    _id: randomUUID(),
    workspaceId: owner.workspaceId,
    agentId,
    startedById: owner.userId,
    status: "RUNNING",
    input: "",
    output: "",
    tokensUsed: 0,
    error: null,
    createdAt: at,
    startedAt: at,
    finishedAt: null,
    workerId: randomUUID(),
    heartbeatAt: at,
    ...fields,
  };
}

/** Agent and run helpers bound to a harness. */
export function helpers(h: Harness) {
  const createAgent = async (caller: Principal, input: Record<string, unknown>) =>
    (await h.ok<{ createAgent: AgentView }>(CREATE_AGENT, { input }, caller)).createAgent;
  const startRun = async (caller: Principal, agentId: string, input: string) =>
    (await h.ok<{ startAgentRun: RunView }>(START_RUN, { input: { agentId, input } }, caller)).startAgentRun;
  const getRun = async (caller: Principal, id: string) =>
    (await h.ok<{ agentRun: RunView }>(RUN, { id }, caller)).agentRun;
  /** Polls the run until it has finished. */
  const finished = async (caller: Principal, id: string, timeoutMs = 10_000) => {
    let run = await getRun(caller, id);
    await eventually(async () => FINISHED.includes((run = await getRun(caller, id)).status), timeoutMs);
    return run;
  };
  /** Every stored event of the run, paging `first` at a time; also the pages' infos. */
  const allEvents = async (caller: Principal, id: string, first = 100) => {
    const events: EventView[] = [];
    const pages: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null }[] = [];
    let after: string | null = null;
    for (;;) {
      const data: any = await h.ok(RUN_EVENTS, { id, first, after }, caller);
      const connection = data.agentRun.events;
      events.push(...connection.edges.map((edge: { cursor: string; node: EventView }) => edge.node));
      pages.push(connection.pageInfo);
      if (!connection.pageInfo.hasNextPage) return { events, pages };
      after = connection.pageInfo.endCursor;
    }
  };
  return { createAgent, startRun, getRun, finished, allEvents };
}

// --- graphql-ws, straight to the subgraph -----------------------------------------------------

/** A graphql-ws client to the subgraph, opened as the gateway opens it (or with the params given). */
export function wsClient(h: Harness, connectionParams: Record<string, unknown> = gatewayParams()): Client {
  return createClient({
    url: h.wsUrl,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    keepAlive: 0,
    connectionParams,
  });
}

/**
 * Subscribes on the client, the operation carrying the caller's signed principal in
 * `extensions.headers` as the gateway sends it (none when `caller` is null; `headers` replaces them).
 */
export const subscribe = <T = any>(
  client: Client,
  caller: Principal | null,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, unknown> = caller ? signedHeaders(caller) : {},
) => recordSubscription<T>(client, { query, variables, extensions: { headers } });

/**
 * Opens a raw graphql-transport-ws socket and sends connection_init with `payload`: resolves with
 * "ack" when the server accepts the connection, else with the code the server closed it with.
 */
export function connectionOutcome(h: Harness, payload: Record<string, unknown>): Promise<"ack" | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(h.wsUrl, "graphql-transport-ws");
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("the server neither acknowledged nor closed the connection"));
    }, 5_000);
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload })));
    socket.on("error", () => {});
    socket.on("message", (data) => {
      if ((JSON.parse(data.toString("utf8")) as { type: string }).type !== "connection_ack") return;
      clearTimeout(timer);
      resolve("ack");
      socket.close();
    });
    socket.on("close", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
