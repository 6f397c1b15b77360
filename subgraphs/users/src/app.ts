import {
  createLogger,
  openDatabase,
  createRedis,
  importSigningKey,
  pingDatabase,
  readPem,
  startSubgraphServer,
  type RunningServer,
} from "@mary/kit";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { UsersConfig } from "./config.ts";
import { createLoaders, type UsersContext } from "./context.ts";
import { entities } from "./entities/index.ts";
import { migrations } from "./migrations/index.ts";
import { buildUsersSchema } from "./schema.ts";
import { ApiKeyService } from "./services/api-key.service.ts";
import { LoginThrottle } from "./services/login-throttle.service.ts";
import { RevocationService } from "./services/revocation.service.ts";
import { SessionService } from "./services/session.service.ts";
import { WorkspaceService } from "./services/workspace.service.ts";

export interface UsersApp extends RunningServer {
  orm: MikroORM;
}

/** Connects to PostgreSQL and Redis, applies migrations and serves the users subgraph. */
export async function startUsers(
  config: UsersConfig,
  options: { onQuery?: (sql: string) => void } = {},
): Promise<UsersApp> {
  const log = createLogger("users", config.LOG_LEVEL);
  const signingKey = await importSigningKey(
    readPem(config.JWT_PRIVATE_KEY, config.JWT_PRIVATE_KEY_FILE, "JWT_PRIVATE_KEY_FILE"),
  );
  const { orm } = await openDatabase({
    databaseUrl: config.USERS_DATABASE_URL,
    entities,
    migrations,
    log,
    onQuery: options.onQuery,
  });
  const redis = createRedis(config.REDIS_URL, log);
  const throttle = new LoginThrottle(redis, config.LOGIN_MAX_FAILURES, config.LOGIN_FAILURE_WINDOW_SECONDS);
  const revocations = new RevocationService(redis, config.ACCESS_TOKEN_TTL_SECONDS);
  const sessionSettings = {
    signingKey,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
  };

  const server = await startSubgraphServer<UsersContext>({
    name: "users",
    schema: await buildUsersSchema(),
    port: config.USERS_PORT,
    host: config.USERS_HOST,
    signingSecret: config.INTERNAL_SIGNING_SECRET,
    introspection: config.NODE_ENV !== "production",
    log,
    createContext: (base) => {
      const em = orm.em.fork();
      return {
        ...base,
        em,
        sessions: new SessionService(em, sessionSettings, throttle, revocations),
        workspaces: new WorkspaceService(em, revocations),
        apiKeys: new ApiKeyService(em, revocations),
        loaders: createLoaders(em, base),
      };
    },
    checkReady: async () => {
      await pingDatabase(orm);
      await redis.ping();
    },
  });
  return {
    ...server,
    orm,
    close: async () => {
      await server.close();
      await orm.close();
      redis.disconnect();
    },
  };
}
