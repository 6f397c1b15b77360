import { describe, expect, test } from "vitest";
import { NetworkError } from "../src/providers/provider.ts";
import { uuidV7 } from "../src/services/post.service.ts";
import { retryDelay } from "../src/services/publish-queue.ts";

describe("the publish queue's retry delays", () => {
  test("exponential from the base delay", () => {
    const error = new NetworkError("HTTP 503", "retryable");
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelay(attempt, error, 2_000))).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000,
    ]);
    expect(retryDelay(2, new Error("socket hang up"), 100)).toBe(200);
  });

  test("a network's Retry-After replaces the backoff, capped at six hours", () => {
    expect(retryDelay(1, new NetworkError("HTTP 429", "retryable", 30_000), 2_000)).toBe(30_000);
    expect(retryDelay(5, new NetworkError("HTTP 429", "retryable", 500), 2_000)).toBe(500);
    expect(retryDelay(1, new NetworkError("HTTP 429", "retryable", 86_400_000), 2_000)).toBe(6 * 3_600_000);
  });
});

describe("post ids", () => {
  test("are UUIDv7: version 7, variant 10, their first 48 bits the creation time in ms", () => {
    const at = Date.parse("2026-12-02T01:00:00Z");
    const id = uuidV7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBe(at);
    expect(uuidV7(at + 1) > id).toBe(true);
    expect(new Set(Array.from({ length: 1_000 }, () => uuidV7(at))).size).toBe(1_000);
  });
});
