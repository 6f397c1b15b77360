import {
  createLogger,
  createRedis,
  GatewayClient,
  SecretBox,
  startSubgraphServer,
  type RunningServer,
} from "@mary/kit";
import { allowsHttp, type SocialConfig } from "./config.ts";
import { createLoaders, type SocialContext } from "./context.ts";
import { createProviders } from "./providers/index.ts";
import { MASTODON_CALLBACK_PATH, mastodonCallbackRoute } from "./routes/mastodon-callback.route.ts";
import { buildSocialSchema } from "./schema.ts";
import { ConnectService } from "./services/connect.service.ts";
import { CrmContacts } from "./services/crm-directory.ts";
import { GraphQueue } from "./services/graph-queue.ts";
import { createGraphLoaders } from "./services/graph-loaders.ts";
import { SocialGraphService } from "./services/social-graph.service.ts";
import { MetricsQueue } from "./services/metrics-queue.ts";
import { MetricsService } from "./services/metrics.service.ts";
import { PostEvents } from "./services/post-events.ts";
import { createPostLoaders } from "./services/post-loaders.ts";
import { PostService } from "./services/post.service.ts";
import { PublishNetwork, type ProviderLookup } from "./services/publish-network.ts";
import { PublishQueue } from "./services/publish-queue.ts";
import { Publisher } from "./services/publish-worker.ts";
import { SocialAccountService } from "./services/social-account.service.ts";
import { GraphStore } from "./store.ts";

export interface SocialApp extends RunningServer {
  graph: GraphStore;
  accounts: SocialAccountService;
  posts: PostService;
  publishing: PublishQueue;
  metricsQueue: MetricsQueue;
  metrics: MetricsService;
  connect: ConnectService;
  socialGraph: SocialGraphService;
  graphQueue: GraphQueue;
}

export interface SocialOptions {
  /** The network providers to publish with, instead of the real ones (tests of the queue). */
  providers?: ProviderLookup;
}

/** Connects to Neo4j and Redis, applies the graph's schema and serves the social subgraph. */
export async function startSocial(config: SocialConfig, options: SocialOptions = {}): Promise<SocialApp> {
  const log = createLogger("social", config.LOG_LEVEL);
  const graph = await GraphStore.open(config.NEO4J_URL, config.NEO4J_USER, config.NEO4J_PASSWORD);
  const redis = createRedis(config.REDIS_URL, log);
  const secrets = new SecretBox(config.SECRET_KEYS);
  const accounts = new SocialAccountService(graph, secrets);

  // Publishing: posts, their events, the publish queue and engagement polling; workers in every process.
  const providers = createProviders(config, graph);
  const network = new PublishNetwork(options.providers ?? providers.lookup, accounts, log);
  const postEvents = new PostEvents(redis);
  const posts = new PostService(graph, accounts, network, postEvents, log);
  const queueConnection = {
    redisUrl: config.REDIS_URL,
    prefix: config.SOCIAL_QUEUE_PREFIX,
    lockMs: config.SOCIAL_JOB_LOCK_MS,
    log,
  };
  const publishing = new PublishQueue({
    ...queueConnection,
    concurrency: config.PUBLISH_CONCURRENCY,
    attempts: config.PUBLISH_ATTEMPTS,
    backoffMs: config.PUBLISH_BACKOFF_MS,
  });
  const metricsQueue = new MetricsQueue({
    ...queueConnection,
    concurrency: config.PUBLISH_CONCURRENCY,
    pollSeconds: config.METRICS_POLL_SECONDS,
    windowMs: config.METRICS_POLL_DAYS * 86_400_000,
  });
  posts.useQueues(publishing, metricsQueue);
  const metrics = new MetricsService(graph, posts, accounts, network, (id) => metricsQueue.untrack(id), log);
  const publisher = new Publisher(posts, accounts, network, metricsQueue, log);
  publishing.start(
    (job, token) => publisher.run(job, token),
    (postId, error) => publisher.settle(postId, error),
  );
  metricsQueue.start((postId) => metrics.poll(postId));

  // The follow graph (imported by a repeatable job per account) and connecting accounts.
  const gateway = new GatewayClient(config.GATEWAY_URL, config.INTERNAL_SIGNING_SECRET, config.NETWORK_TIMEOUT_MS);
  const socialGraph = new SocialGraphService(
    graph,
    accounts,
    network,
    new CrmContacts(gateway, log),
    log,
    config.GRAPH_SECOND_HOP_PROFILES,
  );
  const graphQueue = new GraphQueue({ ...queueConnection, refreshSeconds: config.GRAPH_REFRESH_SECONDS });
  graphQueue.start(async ({ workspaceId, accountId }) => (await socialGraph.refresh(workspaceId, accountId)) !== null);
  const connect = new ConnectService(
    accounts,
    providers.bluesky,
    providers.mastodon,
    graph,
    secrets,
    redis,
    {
      redirectUri: new URL(MASTODON_CALLBACK_PATH, config.PUBLIC_GATEWAY_ORIGIN).toString(),
      accountsPageUrl: config.ACCOUNTS_PAGE_URL,
      allowHttp: allowsHttp(config),
      applicationName: config.MASTODON_APP_NAME,
      keyPrefix: config.SOCIAL_QUEUE_PREFIX,
    },
    log,
    (account) => graphQueue.track(account),
  );

  const server = await startSubgraphServer<SocialContext>({
    name: "social",
    schema: await buildSocialSchema(),
    port: config.SOCIAL_PORT,
    host: config.SOCIAL_HOST,
    signingSecret: config.INTERNAL_SIGNING_SECRET,
    introspection: config.NODE_ENV !== "production",
    subscriptions: true,
    routes: { [MASTODON_CALLBACK_PATH]: mastodonCallbackRoute(connect) },
    log,
    createContext: (base) => ({
      ...base,
      accounts,
      loaders: createLoaders(base, accounts),
      posts,
      metrics,
      postEvents,
      postLoaders: createPostLoaders(base, posts, metrics),
      connect,
      socialGraph,
      graphLoaders: createGraphLoaders(base, socialGraph),
    }),
    checkReady: async () => {
      await graph.ping();
      await redis.ping();
    },
  });
  return {
    ...server,
    graph,
    accounts,
    posts,
    publishing,
    metricsQueue,
    metrics,
    connect,
    socialGraph,
    graphQueue,
    close: async () => {
      await server.close();
      postEvents.close();
      await Promise.all([publishing.close(), metricsQueue.close(), graphQueue.close()]);
      await graph.close();
      redis.disconnect();
    },
  };
}
