import { apiKeyCacheKey, membershipRevokedKey, sessionRevokedKey, type Redis } from "@mary/kit";

/**
 * Ends access before access tokens expire. The gateway verifies tokens on its own, so it
 * learns of an ended session or membership from markers in Redis, kept as long as an access
 * token can live; and it forgets the API keys of someone who left, which it caches.
 */
export class RevocationService {
  constructor(
    private readonly redis: Redis,
    private readonly accessTtlSeconds: number,
  ) {}

  async endSession(sessionId: string): Promise<void> {
    await this.redis.set(sessionRevokedKey(sessionId), "1", "EX", this.accessTtlSeconds);
  }

  /** Drops the gateway's cached resolution of these API keys, so a change to them applies now. */
  async forgetApiKeys(keyHashes: string[]): Promise<void> {
    if (keyHashes.length) await this.redis.del(...keyHashes.map(apiKeyCacheKey));
  }

  /** Refuses the user's tokens for the workspace issued until now, and drops their cached API keys. */
  async endMembership(userId: string, workspaceId: string, apiKeyHashes: string[]): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    await this.redis.set(membershipRevokedKey(userId, workspaceId), String(now), "EX", this.accessTtlSeconds);
    await this.forgetApiKeys(apiKeyHashes);
  }
}
