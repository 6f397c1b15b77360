import { createLogger, createRedis, SecretBox, startSubgraphServer, type RunningServer } from "@mary/kit";
import type { SocialConfig } from "./config.ts";
import { createLoaders, type SocialContext } from "./context.ts";
import { buildSocialSchema } from "./schema.ts";
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
  const network = new PublishNetwork(options.providers ?? (() => undefined), accounts, log);
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

  const server = await startSubgraphServer<SocialContext>({
    name: "social",
    schema: await buildSocialSchema(),
    port: config.SOCIAL_PORT,
    host: config.SOCIAL_HOST,
    signingSecret: config.INTERNAL_SIGNING_SECRET,
    introspection: config.NODE_ENV !== "production",
    subscriptions: true,
    log,
    createContext: (base) => ({
      ...base,
      accounts,
      loaders: createLoaders(base, accounts),
      posts,
      metrics,
      postEvents,
      postLoaders: createPostLoaders(base, posts, metrics),
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
    close: async () => {
      await server.close();
      postEvents.close();
      await Promise.all([publishing.close(), metricsQueue.close()]);
      await graph.close();
      redis.disconnect();
    },
  };
}
