import { createHash, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { rateLimited } from "./errors.ts";
import type { Logger } from "./logger.ts";

/**
 * A Redis client that fails commands fast instead of queueing them forever while disconnected:
 * a command waits for at most two reconnection attempts, made at most a second apart (ioredis 6's
 * own backoff grows to 5 s, so a command would wait ~10 s and a restarted Redis be found late).
 * It reconnects by itself; with a logger, each failed attempt is a log line instead of ioredis's
 * "Unhandled error event" stack trace on stderr.
 */
export function createRedis(url: string, log?: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 2,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    enableOfflineQueue: true,
    lazyConnect: false,
  });
  if (log) redis.on("error", (error: Error) => log.warn({ err: error }, "redis connection failed; reconnecting"));
  return redis;
}

/** API keys are long random strings, so SHA-256 is enough to store and look them up by. */
export const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** Where the gateway caches a resolved API key; users deletes it on revocation. */
export const apiKeyCacheKey = (keyHash: string) => `apikey:${keyHash}`;
/**
 * Access tokens are verified without calling users, so ending access early goes through Redis:
 * users writes these markers (for as long as an access token lives) and the gateway refuses
 * tokens they cover. A signed-out or hijacked session (refresh-token family):
 */
export const sessionRevokedKey = (sessionId: string) => `revoked:session:${sessionId}`;
/** A membership that ended; the value is when (Unix seconds): tokens issued up to then are refused. */
export const membershipRevokedKey = (userId: string, workspaceId: string) =>
  `revoked:membership:${userId}:${workspaceId}`;

export type { Redis };

/**
 * The plan a workspace is on, as the gateway puts it in principals. Billing writes it when a
 * subscription changes; the gateway fills it from billing on a miss. Entries expire, so a write
 * lost between the two is corrected within this time.
 */
export const workspacePlanKey = (workspaceId: string) => `plan:workspace:${workspaceId}`;
export const PLAN_CACHE_SECONDS = 60;
/** The last plan known for a workspace, kept without expiry: what the gateway uses while billing cannot answer. */
export const lastKnownPlanKey = (workspaceId: string) => `plan:last-known:${workspaceId}`;

/** The calendar month (UTC) that API calls are counted in. */
export function usagePeriod(now = new Date()): { id: string; start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { id: start.toISOString().slice(0, 7), start, end };
}

/** API calls a workspace made with API keys in a period; the gateway counts, billing reports. */
export const apiCallsKey = (workspaceId: string, periodId: string) => `usage:api-calls:${workspaceId}:${periodId}`;

/** Deletes the lock only while it still holds this holder's token, so a late release cannot free another's. */
const RELEASE_LOCK = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`;

/**
 * Runs `work` while holding a Redis lock on `key` (SET NX with an expiry), waiting up to `waitMs`
 * for it. For checks that must not interleave where the datastore has no transactions (FerretDB),
 * e.g. "count, then insert within the plan". The expiry frees the lock of a process that died;
 * `work` must finish well within it.
 */
export async function withRedisLock<T>(
  redis: Redis,
  key: string,
  work: () => Promise<T>,
  { ttlMs = 10_000, waitMs = 5_000 }: { ttlMs?: number; waitMs?: number } = {},
): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + waitMs;
  while ((await redis.set(key, token, "PX", ttlMs, "NX")) !== "OK") {
    if (Date.now() > deadline) {
      throw rateLimited("Too many concurrent changes to the same resource; try again", 1);
    }
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE_LOCK, 1, key, token);
  }
}
