import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { jwtExpiry, serviceOrigin } from "../src/providers/bluesky.provider.ts";
import {
  accountDomainOf,
  canonicalAcct,
  instanceOrigin,
  nextMaxId,
  statusText,
} from "../src/providers/mastodon-api.ts";
import { textHash } from "../src/providers/mastodon.provider.ts";
import { classifyNoAnswer, classifyStatus, retryAfterMs } from "../src/providers/network-failure.ts";
import { decodeTid, encodeTid, isValidTid, postRecordKey, recordKeyFor } from "../src/providers/record-key.ts";
import { pkcePair } from "../src/services/connect.service.ts";

const headers = (values: Record<string, string>) => new Headers(values);

describe("record keys fixed by the post id", () => {
  test("are valid TIDs, the same for the same id and different for different ids", () => {
    const ids = Array.from({ length: 500 }, () => randomUUID());
    const keys = ids.map(postRecordKey);
    for (const key of keys) expect(isValidTid(key)).toBe(true);
    expect(new Set(keys).size).toBe(ids.length);
    expect(ids.map(postRecordKey)).toEqual(keys);
    expect(postRecordKey(ids[0]!.toUpperCase())).toBe(keys[0]);
  });

  test("a UUIDv7 id gives its own time, so keys sort like the posts; others fall in the hashed window", () => {
    const at = Date.UTC(2026, 4, 1, 12, 0, 0);
    const v7 = (ms: number) => {
      const hex = ms.toString(16).padStart(12, "0");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7abc-8def-0123456789ab`;
    };
    const first = postRecordKey(v7(at));
    const later = postRecordKey(v7(at + 1));
    expect(decodeTid(first).microseconds / 1000n).toBe(BigInt(at));
    expect(first < later).toBe(true);
    const hashed = decodeTid(postRecordKey(randomUUID())).microseconds / 1000n;
    expect(hashed >= BigInt(Date.UTC(2023, 0, 1))).toBe(true);
    expect(hashed < BigInt(Date.UTC(2024, 2, 1))).toBe(true);
  });

  test("encodes like @atproto/common-web's TID (13 base32-sortable characters, top bit clear)", () => {
    // What TID.fromTime(time, clockId) of @atproto/common-web gives for these.
    expect(encodeTid(1_700_000_000_000_000n, 7)).toBe("3ke6kg3wk222b");
    expect(encodeTid(1_672_531_200_012_345n, 1023)).toBe("3jl7442uw3tzz");
    expect(decodeTid("3ke6kg3wk222b")).toEqual({ microseconds: 1_700_000_000_000_000n, clockId: 7 });
    expect(() => encodeTid(1n << 53n, 0)).toThrow(RangeError);
    expect(() => encodeTid(0n, 1024)).toThrow(RangeError);
    expect(isValidTid("kzzzzzzzzzzzz")).toBe(false);
  });

  test("namespaces keep a follow's key apart from a post's", () => {
    const seed = "did:plc:abcdefghijklmnop";
    expect(recordKeyFor("follow", seed)).not.toBe(recordKeyFor("post", seed));
    expect(recordKeyFor("follow", seed)).toBe(recordKeyFor("follow", seed));
  });
});

describe("network failures as the queue acts on them", () => {
  test("401/403 are auth, 422 and other 4xx refused with the server's reason", () => {
    expect(classifyStatus(401, "bad token", null).kind).toBe("auth");
    expect(classifyStatus(403, "", null).kind).toBe("auth");
    const refused = classifyStatus(422, "Validation failed: Text too long", null);
    expect(refused.kind).toBe("refused");
    expect(refused.message).toContain("Text too long");
    expect(classifyStatus(400, "InvalidRequest", null).kind).toBe("refused");
  });

  test("429 and 503 retry after Retry-After (a minute when absent), other 5xx and 408 retry", () => {
    expect(classifyStatus(429, "", 12_000)).toMatchObject({ kind: "retryable", retryAfterMs: 12_000 });
    expect(classifyStatus(503, "", null)).toMatchObject({ kind: "retryable", retryAfterMs: 60_000 });
    expect(classifyStatus(500, "", null)).toMatchObject({ kind: "retryable", retryAfterMs: null });
    expect(classifyStatus(502, "", null).kind).toBe("retryable");
    expect(classifyStatus(408, "", null).kind).toBe("retryable");
  });

  test("Retry-After in seconds or as a date, and AT Protocol's ratelimit-reset", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterMs(headers({ "retry-after": "30" }), now)).toBe(30_000);
    expect(retryAfterMs(headers({ "retry-after": new Date(now + 5_000).toUTCString() }), now)).toBe(5_000);
    expect(retryAfterMs(headers({ "ratelimit-reset": String(now / 1000 + 9) }), now)).toBe(9_000);
    expect(retryAfterMs(headers({}), now)).toBeNull();
    expect(retryAfterMs(headers({ "retry-after": "soon" }), now)).toBeNull();
  });

  test("no answer: a write whose request may have arrived is unknown; one never sent, or a read, is retryable", () => {
    const reset = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(classifyNoAnswer(reset, true).kind).toBe("unknown");
    expect(classifyNoAnswer(timeout, true).kind).toBe("unknown");
    expect(classifyNoAnswer(refused, true).kind).toBe("retryable");
    expect(classifyNoAnswer(reset, false).kind).toBe("retryable");
  });
});

describe("Mastodon helpers", () => {
  test("instance addresses: https by default, http only when allowed, no credentials", () => {
    expect(instanceOrigin("mastodon.social", false)).toBe("https://mastodon.social");
    expect(instanceOrigin("https://mastodon.social/about", false)).toBe("https://mastodon.social");
    expect(() => instanceOrigin("http://127.0.0.1:8080", false)).toThrow(/https/);
    expect(instanceOrigin("http://127.0.0.1:8080", true)).toBe("http://127.0.0.1:8080");
    expect(() => instanceOrigin("https://user:pw@example.org", false)).toThrow(/credentials/);
    expect(() => instanceOrigin("ftp://example.org", true)).toThrow();
  });

  test("accounts are keyed by their full address, the same from every instance", () => {
    expect(canonicalAcct({ acct: "Alice" }, "example.social")).toBe("alice@example.social");
    expect(canonicalAcct({ acct: "bob@other.example" }, "example.social")).toBe("bob@other.example");
    expect(accountDomainOf({ uri: "https://gts.example" }, "https://gts.example")).toBe("gts.example");
    expect(accountDomainOf({ account_domain: "example.org", uri: "gts.example.org" }, "x")).toBe("example.org");
    expect(accountDomainOf({}, "http://127.0.0.1:8080")).toBe("127.0.0.1:8080");
  });

  test("the Link header's next page, and none at the end", () => {
    expect(
      nextMaxId(
        '<https://x.example/api/v1/accounts/1/following?max_id=ABC&limit=80>; rel="next", <https://x.example/api/v1/accounts/1/following?since_id=Z>; rel="prev"',
      ),
    ).toBe("ABC");
    expect(nextMaxId('<https://x.example/a?since_id=Z>; rel="prev"')).toBeNull();
    expect(nextMaxId(null)).toBeNull();
  });

  test("a status's text is recognised from GoToSocial's source or Mastodon's HTML", () => {
    const typed = "Hello & welcome <3\nSee https://example.com/a-long-path";
    expect(textHash(statusText({ text: typed, content: "<p>ignored</p>" }))).toBe(textHash(typed));
    const html =
      '<p>Hello &amp; welcome &lt;3<br />See <a href="https://example.com/a-long-path"><span class="invisible">https://</span><span class="ellipsis">example.com/a-long</span><span class="invisible">-path</span></a></p>';
    expect(textHash(statusText({ content: html }))).toBe(textHash(typed));
    expect(textHash(statusText({ content: "<p>Hello</p>" }))).not.toBe(textHash(typed));
  });

  test("PKCE pairs: an S256 challenge of a 43-character verifier, fresh each time", () => {
    const { verifier, challenge } = pkcePair();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pkcePair().verifier).not.toBe(verifier);
  });
});

describe("Bluesky helpers", () => {
  test("a JWT's expiry from its payload; none for a malformed one", () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_800_000_000 })).toString("base64url");
    expect(jwtExpiry(`x.${payload}.y`)).toBe(1_800_000_000_000);
    expect(jwtExpiry("not-a-jwt")).toBeNull();
  });

  test("a PDS must be https unless http is allowed", () => {
    expect(serviceOrigin("https://bsky.social/xrpc", false)).toBe("https://bsky.social");
    expect(() => serviceOrigin("http://127.0.0.1:2583", false)).toThrow(/https/);
    expect(serviceOrigin("http://127.0.0.1:2583", true)).toBe("http://127.0.0.1:2583");
  });
});
