import { describe, expect, it } from "vitest";
import { countPost, postLength, splitAtGraphemes } from "../src/pages/social/post-length.ts";
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
