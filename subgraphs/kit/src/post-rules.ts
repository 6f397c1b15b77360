// `@mary/kit/post-rules`: how each social network counts a post, the one copy of the rules that
// the social subgraph checks before saving (subgraphs/social/src/services/post-rules.ts) and the
// web composer counts live with (clients/web/src/pages/social/post-length.ts). Pure: no imports
// and no Node.js API (no Buffer), so the web app bundles this file alone.

/** The networks a post is counted for (the API's SocialNetwork). */
export type PostNetwork = "BLUESKY" | "MASTODON";

/** What a post is composed for: the network and the longest post its server takes, in its own count. */
export interface PostTarget {
  network: PostNetwork;
  maxPostLength: number;
}

/** Bluesky's post record: at most 300 graphemes and 3,000 bytes of UTF-8 (app.bsky.feed.post). */
export const BLUESKY_MAX_GRAPHEMES = 300;
export const BLUESKY_MAX_BYTES = 3_000;
/** Mastodon counts every link as this many characters, whatever its length (characters_reserved_per_url). */
export const MASTODON_URL_LENGTH = 23;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** User-perceived characters (extended grapheme clusters): an emoji with modifiers, a flag, é as e + ´ are one each. */
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

/** The text's length in UTF-8 bytes (a lone surrogate as the 3 bytes of U+FFFD, as an encoder writes it). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * Links as Mastodon finds them for counting: http(s) URLs after the start, a space or an opening
 * bracket or quote, up to a space; punctuation that ends a sentence is not part of the link.
 */
const MASTODON_URL = /(?<=^|[\s([{"'])https?:\/\/[^\s<>"]+?(?=[.,:;!?)\]}'"]*(?:\s|$))/giu;
/** A remote mention counts as its local part only: `@alice@example.social` counts as `@alice`. */
const MASTODON_REMOTE_MENTION =
  /(?<=^|[^/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[\p{L}\p{N}_.-]+[\p{L}\p{N}_]/giu;

/** The text as Mastodon counts it: links as 23 characters each, remote mentions by their user name. */
const mastodonCountable = (text: string) =>
  text.replace(MASTODON_URL, "x".repeat(MASTODON_URL_LENGTH)).replace(MASTODON_REMOTE_MENTION, "@$1");

/**
 * The post's length as the network counts it: Bluesky counts the graphemes of the text as it is
 * (a link counts in full); Mastodon counts graphemes with each link as 23 and a remote mention
 * as its user name.
 */
export function postLength(text: string, network: PostNetwork): number {
  return graphemeCount(network === "MASTODON" ? mastodonCountable(text) : text);
}

/** The longest post the target takes, in its count: its server's maximum, and never more than Bluesky's 300. */
export function postLimit(target: PostTarget): number {
  return target.network === "BLUESKY"
    ? Math.min(BLUESKY_MAX_GRAPHEMES, target.maxPostLength || BLUESKY_MAX_GRAPHEMES)
    : target.maxPostLength;
}

/** A post measured against its target. */
export interface PostMeasure {
  /** Its length in the network's count. */
  length: number;
  limit: number;
  /** How far over the limit (0 when within). */
  over: number;
  /** Bluesky: its UTF-8 bytes; null on Mastodon, which has no byte limit. */
  bytes: number | null;
  /** Bluesky: 3,000; null on Mastodon. */
  maxBytes: number | null;
  /** How many bytes over Bluesky's 3,000 (0 when within, and on Mastodon). */
  overBytes: number;
}

export function measurePost(text: string, target: PostTarget): PostMeasure {
  const length = postLength(text, target.network);
  const limit = postLimit(target);
  const bytes = target.network === "BLUESKY" ? utf8Length(text) : null;
  return {
    length,
    limit,
    over: Math.max(0, length - limit),
    bytes,
    maxBytes: bytes === null ? null : BLUESKY_MAX_BYTES,
    overBytes: bytes === null ? 0 : Math.max(0, bytes - BLUESKY_MAX_BYTES),
  };
}

/** Why the text is too long for the target (in the words the API refuses it with), or null. */
export function lengthProblem(text: string, target: PostTarget): string | null {
  const { length, limit, bytes, overBytes } = measurePost(text, target);
  if (target.network === "BLUESKY") {
    if (length > limit) return `Bluesky takes at most ${limit} characters (graphemes); this post has ${length}`;
    if (overBytes > 0) return `Bluesky takes at most ${BLUESKY_MAX_BYTES} bytes; this post has ${bytes}`;
    return null;
  }
  if (length > limit) {
    return (
      `This Mastodon server takes at most ${limit} characters; this post counts ${length} ` +
      `(each link counts as ${MASTODON_URL_LENGTH})`
    );
  }
  return null;
}

/** Anything after a start, a space or an opening bracket that begins with @ is meant as a mention. */
const MENTION_CANDIDATE = /(?<=^|[\s([{])@([^\s]*)/gu;
/** Sentence punctuation after a mention is not part of it. */
const TRAILING_PUNCTUATION = /[.,:;!?)\]}'"]+$/u;
/** An AT Protocol handle: a domain name of two or more labels, the last not starting with a digit. */
const BLUESKY_HANDLE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/iu;
/** A Mastodon mention: `@user` on the same server or `@user@domain`. */
const MASTODON_MENTION =
  /^[a-z0-9_]+(?:[a-z0-9_.-]*[a-z0-9_])?(?:@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62})?$/iu;

/** The mentions the text makes, as written after the @ (without trailing punctuation). */
export function mentionsOf(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(MENTION_CANDIDATE)) {
    const mention = match[1]!.replace(TRAILING_PUNCTUATION, "");
    // "@ 5pm" or a lone "@" is not a mention.
    if (mention) found.push(mention);
  }
  return found;
}

/** Why a mention (as written after the @) is not valid on the network, or null. */
export function mentionProblem(mention: string, network: PostNetwork): string | null {
  if (network === "BLUESKY") {
    if (BLUESKY_HANDLE.test(mention)) return null;
    if (mention.includes("@")) {
      return `\`@${mention}\` is a Mastodon-style address; Bluesky mentions a handle such as @alice.bsky.social`;
    }
    return `\`@${mention}\` is not a Bluesky handle: a handle is a domain name such as @alice.bsky.social`;
  }
  if (MASTODON_MENTION.test(mention)) return null;
  return `\`@${mention}\` is not a Mastodon mention: write @user or @user@example.social`;
}

/** The first mention in the text that the network would not recognise, as why, or null. */
export function mentionsProblem(text: string, network: PostNetwork): string | null {
  for (const mention of mentionsOf(text)) {
    const problem = mentionProblem(mention, network);
    if (problem) return problem;
  }
  return null;
}
