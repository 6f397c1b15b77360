import { describe, expect, test } from "vitest";
import { checkCompose, composeProblem, graphemeCount, mentionsOf, postLength } from "../src/services/post-rules.ts";

const bluesky = { network: "BLUESKY" as const, maxPostLength: 300 };
const mastodon = (maxPostLength = 500) => ({ network: "MASTODON" as const, maxPostLength });

describe("counting as the networks count", () => {
  test("graphemes: an emoji with a skin tone, a family, a flag and a combining accent are one each", () => {
    expect(graphemeCount("👍🏽")).toBe(1);
    expect(graphemeCount("👨‍👩‍👧‍👦")).toBe(1);
    expect(graphemeCount("🇩🇪")).toBe(1);
    expect(graphemeCount("e\u0301")).toBe(1);
    expect(graphemeCount("héllo")).toBe(5);
  });

  test("Bluesky counts a link in full; Mastodon counts it as 23", () => {
    const link = `https://example.com/${"a".repeat(100)}`;
    const text = `Read ${link} now`;
    expect(postLength(text, "BLUESKY")).toBe(9 + link.length);
    expect(postLength(text, "MASTODON")).toBe(9 + 23);
    // A short link counts 23 on Mastodon too.
    expect(postLength("https://a.io", "MASTODON")).toBe(23);
  });

  test("Mastodon: punctuation after a link is not part of it; two links are 23 each", () => {
    expect(postLength("see https://example.com/page.", "MASTODON")).toBe(4 + 23 + 1);
    expect(postLength("(https://example.com/x) and https://example.org/y", "MASTODON")).toBe(1 + 23 + 1 + 5 + 23);
  });

  test("Mastodon counts a remote mention by its user name", () => {
    expect(postLength("hi @alice@example.social", "MASTODON")).toBe("hi @alice".length);
    expect(postLength("hi @alice@example.social", "BLUESKY")).toBe(24);
  });
});

describe("compose rules", () => {
  test("Bluesky: 300 graphemes pass, 301 are refused, whatever the UTF-16 length", () => {
    expect(composeProblem("👍🏽".repeat(300), bluesky)).toBeNull();
    expect(composeProblem("a".repeat(301), bluesky)).toMatch(/at most 300 characters.*301/);
  });

  test("Bluesky: 3,000 bytes too, which a ZWJ sequence (25 bytes, one grapheme) reaches first", () => {
    expect(composeProblem("👨‍👩‍👧‍👦".repeat(120), bluesky)).toBeNull();
    expect(composeProblem("👨‍👩‍👧‍👦".repeat(121), bluesky)).toMatch(/at most 3000 bytes; this post has 3025/);
    expect(composeProblem("👨‍👩‍👧‍👦".repeat(121), mastodon())).toBeNull();
  });

  test("Bluesky: a long link counts in full", () => {
    const text = `${"a".repeat(250)} https://example.com/${"p".repeat(40)}`;
    expect(composeProblem(text, bluesky)).toMatch(/at most 300/);
    expect(composeProblem(text, mastodon(300))).toBeNull();
  });

  test("Mastodon: the instance's own maximum", () => {
    expect(composeProblem("a".repeat(500), mastodon(500))).toBeNull();
    expect(composeProblem("a".repeat(501), mastodon(500))).toMatch(/at most 500 characters; this post counts 501/);
    expect(composeProblem("a".repeat(501), mastodon(5000))).toBeNull();
  });

  test("empty or blank text is refused, and text that is not Unicode", () => {
    expect(composeProblem("", bluesky)).toMatch(/needs some text/);
    expect(composeProblem("  \n\t ", mastodon())).toMatch(/needs some text/);
    expect(composeProblem("bad \ud800 half", bluesky)).toMatch(/not valid Unicode/);
    expect(composeProblem("nul \u0000", bluesky)).toMatch(/NUL/);
  });

  test("mentions: Bluesky handles are domains; Mastodon takes @user and @user@domain", () => {
    expect(mentionsOf("hi @alice.bsky.social, and @bob! mail me: me@example.com, meet @ 5")).toEqual([
      "alice.bsky.social",
      "bob",
    ]);
    expect(composeProblem("hi @alice.bsky.social!", bluesky)).toBeNull();
    expect(composeProblem("hi @alice", bluesky)).toMatch(/not a Bluesky handle/);
    expect(composeProblem("hi @alice@example.social", bluesky)).toMatch(/Mastodon-style/);
    expect(composeProblem("hi @1.2", bluesky)).toMatch(/not a Bluesky handle/);
    expect(composeProblem("hi @alice and @bob@example.social.", mastodon())).toBeNull();
    expect(composeProblem("hi @bob@", mastodon())).toMatch(/not a Mastodon mention/);
    expect(composeProblem("hi @bo#b", mastodon())).toMatch(/not a Mastodon mention/);
    expect(composeProblem("hi @bob@bad_domain", mastodon())).toMatch(/not a Mastodon mention/);
    // An email address is not a mention on either network.
    expect(composeProblem("write to me@example.com", bluesky)).toBeNull();
  });

  test("checkCompose throws BAD_USER_INPUT naming the field", () => {
    try {
      checkCompose("", bluesky);
      expect.unreachable();
    } catch (error) {
      expect((error as { extensions: Record<string, unknown> }).extensions).toEqual({
        code: "BAD_USER_INPUT",
        field: "text",
      });
    }
  });
});
