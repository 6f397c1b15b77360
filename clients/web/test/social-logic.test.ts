import { describe, expect, it } from "vitest";
import * as server from "../../../subgraphs/social/src/services/post-rules.ts";
import { MASTODON_CONNECT_ERRORS } from "../../../subgraphs/social/src/types/mastodon-connect-error.type.ts";
import { countPost, postLength, splitAtGraphemes } from "../src/pages/social/post-length.ts";
import { MASTODON_CONNECT_ERROR_WORDS, mastodonErrorWords } from "../src/pages/social/social-format.ts";
import { defaultSchedule, localParts } from "../src/pages/social/social-time.ts";

describe("the composer's count, as each network counts", () => {
  it("counts Bluesky in graphemes: an emoji with its skin tone, a flag, e + ´ are one each", () => {
    expect(postLength("👍🏽🇩🇪e\u0301", "BLUESKY")).toBe(3);
    expect(countPost("a".repeat(301), { network: "BLUESKY", maxPostLength: 300 })).toMatchObject({
      length: 301,
      limit: 300,
      over: 1,
    });
    expect(splitAtGraphemes("ab👍🏽c", 3)).toEqual(["ab👍🏽", "c"]);
  });

  it("counts Mastodon links as 23 and a remote mention by its user name, against the server's maximum", () => {
    expect(postLength(`see https://example.com/${"x".repeat(80)}.`, "MASTODON")).toBe(4 + 23 + 1);
    expect(postLength("hi @alice@example.social", "MASTODON")).toBe("hi @alice".length);
    // A link counts in full on Bluesky.
    expect(postLength("https://example.com/abc", "BLUESKY")).toBe(23);
    expect(countPost("x".repeat(501), { network: "MASTODON", maxPostLength: 500 }).over).toBe(1);
  });
});

describe("the composer and the server agree", () => {
  const family = "👨‍👩‍👧‍👦"; // a ZWJ sequence: one grapheme, 25 bytes of UTF-8
  const link = `https://example.com/${"p".repeat(80)}`;
  const TEXTS = [
    "hello",
    family.repeat(120), // 120 graphemes, 3,000 bytes: Bluesky's byte limit exactly
    family.repeat(121), // one family more: over 3,000 bytes while far under 300 graphemes
    "🏳️‍🌈".repeat(300),
    "👍🏽🇩🇪e\u0301".repeat(100),
    `${"a".repeat(270)} ${link}`,
    `${"a".repeat(476)} ${link}`, // 500 on Mastodon, the link as 23
    `${"a".repeat(477)} ${link}`,
    `(${link}). and ${link}!`,
    `hi @alice@example.social ${"x".repeat(490)}`,
    `@bob.bsky.social ${family} ${link}`,
    "a".repeat(300),
    "a".repeat(301),
  ];
  const TARGETS = [
    { network: "BLUESKY" as const, maxPostLength: 300 },
    { network: "MASTODON" as const, maxPostLength: 500 },
    { network: "MASTODON" as const, maxPostLength: 5000 },
  ];

  it("counts each tricky text as the server does, and is over its limit exactly when the server refuses the length", () => {
    for (const target of TARGETS) {
      for (const text of TEXTS) {
        const count = countPost(text, target);
        const where = `${target.network}/${target.maxPostLength}: ${text.slice(0, 40)}`;
        expect(count.length, where).toBe(server.postLength(text, target.network));
        expect(count.limit, where).toBe(server.postLimit(target));
        const refused = server.composeProblem(text, target);
        const refusedForLength = refused !== null && /takes at most/.test(refused);
        expect(count.over > 0 || count.overBytes > 0, `${where}: ${refused}`).toBe(refusedForLength);
      }
    }
  });

  it("shows Bluesky's byte limit, which a ZWJ emoji reaches long before 300 graphemes", () => {
    const bluesky = { network: "BLUESKY" as const, maxPostLength: 300 };
    expect(countPost(family.repeat(120), bluesky)).toMatchObject({ length: 120, over: 0, bytes: 3000, overBytes: 0 });
    expect(countPost(family.repeat(121), bluesky)).toMatchObject({ length: 121, over: 0, bytes: 3025, overBytes: 25 });
    expect(server.composeProblem(family.repeat(121), bluesky)).toMatch(/at most 3000 bytes; this post has 3025/);
    expect(countPost(family, { network: "MASTODON", maxPostLength: 500 })).toMatchObject({ bytes: null, overBytes: 0 });
  });
});

describe("the Mastodon callback's reasons", () => {
  it("has words for every reason the API lists, and general ones for any other", () => {
    const general = mastodonErrorWords("SOMETHING_NEW", MASTODON_CONNECT_ERRORS);
    expect(Object.keys(MASTODON_CONNECT_ERROR_WORDS).sort()).toEqual([...MASTODON_CONNECT_ERRORS].sort());
    for (const reason of MASTODON_CONNECT_ERRORS) {
      expect(mastodonErrorWords(reason, MASTODON_CONNECT_ERRORS)).toBe(MASTODON_CONNECT_ERROR_WORDS[reason]);
      expect(mastodonErrorWords(reason, MASTODON_CONNECT_ERRORS)).not.toBe(general);
    }
    expect(mastodonErrorWords("access_denied", [])).toBe(general);
  });
});

describe("times in a zone", () => {
  it("reads an instant's wall clock in any IANA zone", () => {
    const instant = new Date("2026-03-29T07:30:00Z");
    expect(localParts(instant, "Europe/Berlin")).toEqual({ date: "2026-03-29", time: "09:30" });
    expect(localParts(instant, "America/New_York")).toEqual({ date: "2026-03-29", time: "03:30" });
  });

  it("suggests the next whole hour at least 30 minutes away", () => {
    expect(defaultSchedule("UTC", new Date("2026-05-01T10:40:00Z"))).toEqual({ date: "2026-05-01", time: "12:00" });
    expect(defaultSchedule("UTC", new Date("2026-05-01T10:10:00Z"))).toEqual({ date: "2026-05-01", time: "11:00" });
  });
});
