import { createHash } from "node:crypto";
import { Redis } from "ioredis";

/** A Redis client that fails commands fast instead of queueing them forever while disconnected. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
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
