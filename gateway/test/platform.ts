import { createTestDatabase, REDIS_URL, TEST_SIGNING_SECRET, testKeyPair } from "@mary/kit/testing";
import { startUsers, type UsersApp } from "../../subgraphs/users/src/app.ts";
import { loadUsersConfig } from "../../subgraphs/users/src/config.ts";
import { loadGatewayConfig } from "../src/config.ts";
import { startGateway } from "../src/server.ts";

export interface Platform {
  /** The gateway's /graphql URL: what clients call. */
  url: string;
  gatewayOrigin: string;
  users: UsersApp;
  keys: { privateKey: string; publicKey: string };
  stop: () => Promise<void>;
}

/**
 * Starts the real subgraphs and the gateway on free ports, each subgraph on a
 * throwaway database of the running PostgreSQL, as one test file's platform.
 */
export async function startPlatform(env: Record<string, string> = {}): Promise<Platform> {
  const keys = testKeyPair();
  const common = {
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    INTERNAL_SIGNING_SECRET: TEST_SIGNING_SECRET,
    REDIS_URL,
    ...env,
  };
  const usersDb = await createTestDatabase("users");
  const users = await startUsers(
    loadUsersConfig({ ...common, USERS_PORT: "0", USERS_DATABASE_URL: usersDb.url, JWT_PRIVATE_KEY: keys.privateKey }),
  );
  const gateway = await startGateway(
    loadGatewayConfig({ ...common, GATEWAY_PORT: "0", JWT_PUBLIC_KEY: keys.publicKey }),
    {
      subgraphUrls: { users: users.url },
    },
  );
  return {
    url: gateway.url,
    gatewayOrigin: new URL(gateway.url).origin,
    users,
    keys,
    stop: async () => {
      await gateway.close();
      await users.close();
      await usersDb.drop();
    },
  };
}
