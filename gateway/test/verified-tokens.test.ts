import { describe, expect, test } from "vitest";
import { VerifiedTokens } from "../src/auth/verified-tokens.ts";

describe("the cache of verified access tokens", () => {
  test("gives back a token's claims until its exp second, then forgets it", () => {
    const cache = new VerifiedTokens<{ expiresAt: number; userId: string }>();
    cache.add("token-a", { expiresAt: 1_000, userId: "a" });
    expect(cache.get("token-a", 999.9)?.userId).toBe("a");
    expect(cache.get("token-a", 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get("token-a", 10)).toBeUndefined();
  });

  test("never answers for a token it was not given", () => {
    const cache = new VerifiedTokens<{ expiresAt: number }>();
    cache.add("token-a", { expiresAt: 1_000 });
    expect(cache.get("token-a ", 1)).toBeUndefined();
    expect(cache.get("token-b", 1)).toBeUndefined();
  });

  test("makes way for new tokens by dropping the oldest when full", () => {
    const cache = new VerifiedTokens<{ expiresAt: number }>(2);
    cache.add("first", { expiresAt: 1_000 });
    cache.add("second", { expiresAt: 1_000 });
    cache.add("second", { expiresAt: 1_000 });
    expect(cache.size).toBe(2);
    cache.add("third", { expiresAt: 1_000 });
    expect(cache.size).toBe(2);
    expect(cache.get("first", 1)).toBeUndefined();
    expect(cache.get("second", 1)).toBeDefined();
    expect(cache.get("third", 1)).toBeDefined();
  });
});
