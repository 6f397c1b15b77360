import { callerOf, createLogger, createRedis, GatewayClient, startSubgraphServer, type RunningServer } from "@mary/kit";
import type { AgentsConfig } from "./config.ts";
import { createLoaders, type AgentsContext } from "./context.ts";
import { LocalProvider } from "./providers/local.provider.ts";
import { OpenAIProvider } from "./providers/openai.provider.ts";
import { buildAgentsSchema } from "./schema.ts";
import { AgentService } from "./services/agent.service.ts";
import { IdempotencyKeys } from "./services/idempotency.ts";
import { RunExecutor } from "./services/run-executor.ts";
import { migrateLegacyEvents, RunLog } from "./services/run-log.ts";
import { CANCEL_CHANNEL, RunService } from "./services/run.service.ts";
import { openStore, type AgentStore } from "./store.ts";
import { ToolGateway } from "./tools/tool-gateway.ts";

export interface AgentsApp extends RunningServer {
  store: AgentStore;
  /** Runs this process follows on Redis (zero once every subscriber has left). */
  listenedRuns: () => number;
  /** Replays of stored events in progress (zero once their subscribers have left). */
  replaysInProgress: () => number;
  /** This process's worker id, as the runs it executes name it. */
  workerId: string;
}

/** How often this process looks for runs whose worker died. */
const SWEEP_INTERVAL_MS = 30_000;

/** Connects to MongoDB and Redis and serves the agents subgraph, subscriptions included. */
export async function startAgents(config: AgentsConfig): Promise<AgentsApp> {
  const log = createLogger("agents", config.LOG_LEVEL);
  const store = await openStore(config.MONGODB_URL);
  const migrated = await migrateLegacyEvents(store);
  if (migrated > 0) log.info({ runs: migrated }, "moved runs' events from agent_run_events to archive pages");
  const publisher = createRedis(config.REDIS_URL, log);
  // A subscribed Redis connection can do nothing else, hence its own.
  const subscriber = createRedis(config.REDIS_URL, log);
  const runLog = new RunLog(store, publisher);
  const idempotency = new IdempotencyKeys(store);
  const openAI = config.OPENAI_API_KEY
    ? new OpenAIProvider({
        apiKey: config.OPENAI_API_KEY,
        baseURL: config.OPENAI_BASE_URL,
        timeoutMs: config.OPENAI_TIMEOUT_MS,
      })
    : undefined;
  const executor = new RunExecutor({
    store,
    log: runLog,
    redis: publisher,
    providers: { LOCAL: new LocalProvider(config.LOCAL_TOKEN_INTERVAL_MS), ...(openAI ? { OPENAI: openAI } : {}) },
    gateway: new ToolGateway(
      new GatewayClient(config.GATEWAY_URL, config.INTERNAL_SIGNING_SECRET, config.TOOL_TIMEOUT_MS),
    ),
    logger: log,
    concurrency: config.RUN_CONCURRENCY,
    maxToolRounds: config.MAX_TOOL_ROUNDS,
  });
  await executor.start();
  const agents = new AgentService(store, publisher, idempotency, {
    provider: openAI ? "OPENAI" : "LOCAL",
    openAIConfigured: !!openAI,
    openAIModel: config.OPENAI_MODEL,
  });
  const runs = new RunService(store, agents, runLog, executor, publisher, idempotency, log);

  subscriber.on("message", (channel: string, runId: string) => {
    if (channel === CANCEL_CHANNEL) executor.cancel(runId);
  });
  await subscriber.subscribe(CANCEL_CHANNEL);
  const sweep = () =>
    void runs.failAbandoned().catch((error: unknown) => log.warn({ err: error }, "abandoned-run sweep failed"));
  sweep();
  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
  sweeper.unref();

  const server = await startSubgraphServer<AgentsContext>({
    name: "agents",
    schema: await buildAgentsSchema(),
    port: config.AGENTS_PORT,
    host: config.AGENTS_HOST,
    signingSecret: config.INTERNAL_SIGNING_SECRET,
    introspection: config.NODE_ENV !== "production",
    subscriptions: true,
    log,
    createContext: (base) => {
      const workspaceId = callerOf(base.principal)?.workspaceId ?? null;
      return { ...base, agents, runs, loaders: createLoaders(workspaceId, agents, runs) };
    },
    checkReady: async () => {
      await store.db.command({ ping: 1 });
      await publisher.ping();
    },
  });
  return {
    ...server,
    store,
    listenedRuns: () => runLog.followedRuns,
    replaysInProgress: () => runLog.replaysInProgress,
    workerId: executor.workerId,
    close: async () => {
      clearInterval(sweeper);
      await server.close();
      await executor.close();
      await store.close();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
