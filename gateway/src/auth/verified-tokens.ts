/**
 * Access tokens whose signature was already checked, so a client's next requests with the same
 * token skip the Ed25519 verification (the largest fixed cost of a small request). Only what the
 * signature vouches for is kept; revocation is still read from Redis on every request. An entry
 * is never used from its `exp` second on, and the oldest entry makes way when the cache is full.
 */
export class VerifiedTokens<Claims extends { expiresAt: number }> {
  private readonly entries = new Map<string, Claims>();

  constructor(private readonly maxEntries = 10_000) {}

  get(token: string, nowSeconds = Date.now() / 1000): Claims | undefined {
    const claims = this.entries.get(token);
    if (claims === undefined) return undefined;
    if (claims.expiresAt <= nowSeconds) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  add(token: string, claims: Claims): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(token, claims);
  }

  get size(): number {
    return this.entries.size;
  }
}
