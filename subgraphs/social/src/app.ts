import { createLogger, createRedis, SecretBox, startSubgraphServer, type RunningServer } from "@mary/kit";
import type { SocialConfig } from "./config.ts";
import { createLoaders, type SocialContext } from "./context.ts";
import { buildSocialSchema } from "./schema.ts";
import { SocialAccountService } from "./services/social-account.service.ts";
import { GraphStore } from "./store.ts";

export interface SocialApp extends RunningServer {
  graph: GraphStore;
  accounts: SocialAccountService;
}

/** Connects to Neo4j and Redis, applies the graph's schema and serves the social subgraph. */
export async function startSocial(config: SocialConfig): Promise<SocialApp> {
  const log = createLogger("social", config.LOG_LEVEL);
  const graph = await GraphStore.open(config.NEO4J_URL, config.NEO4J_USER, config.NEO4J_PASSWORD);
  const redis = createRedis(config.REDIS_URL, log);
  const secrets = new SecretBox(config.SECRET_KEYS);
  const accounts = new SocialAccountService(graph, secrets);

  const server = await startSubgraphServer<SocialContext>({
    name: "social",
    schema: await buildSocialSchema(),
    port: config.SOCIAL_PORT,
    host: config.SOCIAL_HOST,
    signingSecret: config.INTERNAL_SIGNING_SECRET,
    introspection: config.NODE_ENV !== "production",
    subscriptions: true,
    log,
    createContext: (base) => ({ ...base, accounts, loaders: createLoaders(base, accounts) }),
    checkReady: async () => {
      await graph.ping();
      await redis.ping();
    },
  });
  return {
    ...server,
    graph,
    accounts,
    close: async () => {
      await server.close();
      await graph.close();
      redis.disconnect();
    },
  };
}
