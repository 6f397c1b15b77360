// How each network counts a post, as the social subgraph checks it before saving
// (subgraphs/social/src/services/post-rules.ts): the composer shows the same count live.
import type { SocialNetwork } from "../../__generated__/graphql.ts";

/** Bluesky's record takes at most 300 graphemes (and 3,000 bytes of UTF-8). */
export const BLUESKY_MAX_GRAPHEMES = 300;
export const BLUESKY_MAX_BYTES = 3_000;
/** Mastodon counts every link as this many characters, whatever its length. */
export const MASTODON_URL_LENGTH = 23;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** User-perceived characters: an emoji with modifiers, a flag, or e + ´ count one each. */
export function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/** The first `max` graphemes of the text, and the rest (the part over the limit). */
export function splitAtGraphemes(text: string, max: number): [string, string] {
  let count = 0;
  for (const { index } of segmenter.segment(text)) {
    if (count === max) return [text.slice(0, index), text.slice(index)];
    count++;
  }
  return [text, ""];
}

const MASTODON_URL = /(?<=^|[\s([{"'])https?:\/\/[^\s<>"]+?(?=[.,:;!?)\]}'"]*(?:\s|$))/giu;
const MASTODON_REMOTE_MENTION =
  /(?<=^|[^/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[\p{L}\p{N}_.-]+[\p{L}\p{N}_]/giu;

/**
 * The post's length as its network counts it: Bluesky, the graphemes of the text as it is (a link
 * in full); Mastodon, with each link as 23 and a remote mention as its user name.
 */
export function postLength(text: string, network: SocialNetwork): number {
  if (network === "BLUESKY") return graphemeCount(text);
  return graphemeCount(
    text.replace(MASTODON_URL, "x".repeat(MASTODON_URL_LENGTH)).replace(MASTODON_REMOTE_MENTION, "@$1"),
  );
}

/** The longest post the account takes: its own maximum, and never more than Bluesky's 300. */
export function postLimit(account: { network: SocialNetwork; maxPostLength: number }): number {
  return account.network === "BLUESKY"
    ? Math.min(BLUESKY_MAX_GRAPHEMES, account.maxPostLength || BLUESKY_MAX_GRAPHEMES)
    : account.maxPostLength;
}

export interface PostCount {
  length: number;
  limit: number;
  /** How far over the limit (0 when within). */
  over: number;
  /** What is counted, in words: "characters (graphemes)" on Bluesky. */
  unit: string;
}

export function countPost(text: string, account: { network: SocialNetwork; maxPostLength: number }): PostCount {
  const length = postLength(text, account.network);
  const limit = postLimit(account);
  return {
    length,
    limit,
    over: Math.max(0, length - limit),
    unit: account.network === "BLUESKY" ? "characters (graphemes)" : "characters (each link counts 23)",
  };
}
