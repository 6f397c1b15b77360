import { rateLimited, type Redis } from "@mary/kit";

/**
 * Counts failed logins per email in Redis and refuses further attempts for the
 * rest of the window once the limit is reached, so passwords cannot be guessed
 * at speed (also across several users-subgraph replicas).
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  private key = (email: string) => `login:failures:${email}`;

  async assertAllowed(email: string): Promise<void> {
    const failures = Number(await this.redis.get(this.key(email)));
    if (failures >= this.maxFailures) {
      const ttl = await this.redis.ttl(this.key(email));
      throw rateLimited("Too many failed sign-in attempts; try again later", Math.max(ttl, 1));
    }
  }

  async recordFailure(email: string): Promise<void> {
    await this.redis.multi().incr(this.key(email)).expire(this.key(email), this.windowSeconds, "NX").exec();
  }

  async reset(email: string): Promise<void> {
    await this.redis.del(this.key(email));
  }
}
