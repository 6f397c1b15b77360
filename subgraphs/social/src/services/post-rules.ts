import { badUserInput, stringProblem } from "@mary/kit";
import type { Network } from "../types/social-account.type.ts";

/** What a post is composed for: the network and the longest post its server takes, in its own count. */
export interface ComposeTarget {
  network: Network;
  maxPostLength: number;
}

/** Bluesky's post record: at most 300 graphemes and 3,000 bytes of UTF-8 (app.bsky.feed.post). */
export const BLUESKY_MAX_GRAPHEMES = 300;
export const BLUESKY_MAX_BYTES = 3_000;
/** Mastodon counts every link as this many characters, whatever its length (characters_reserved_per_url). */
export const MASTODON_URL_LENGTH = 23;
/** Longer than any network takes: refused before counting. */
const MAX_TEXT_LENGTH = 100_000;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** User-perceived characters (extended grapheme clusters): an emoji with modifiers, a flag, é as e + ´ are one each. */
export function graphemeCount(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
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
export function postLength(text: string, network: Network): number {
  return graphemeCount(network === "MASTODON" ? mastodonCountable(text) : text);
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

/** Why a mention is not valid on the network, or null. */
function mentionProblem(mention: string, network: Network): string | null {
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

/**
 * Why the text cannot be posted to the target, or null: empty text, text that is not valid
 * Unicode, a count over the network's limit, or a mention the network would not recognise.
 */
export function composeProblem(text: string, target: ComposeTarget): string | null {
  const invalid = stringProblem(text, MAX_TEXT_LENGTH);
  if (invalid) return `The text ${invalid}`;
  if (text.trim() === "") return "A post needs some text";
  const length = postLength(text, target.network);
  if (target.network === "BLUESKY") {
    const max = Math.min(BLUESKY_MAX_GRAPHEMES, target.maxPostLength || BLUESKY_MAX_GRAPHEMES);
    if (length > max) return `Bluesky takes at most ${max} characters (graphemes); this post has ${length}`;
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > BLUESKY_MAX_BYTES) return `Bluesky takes at most ${BLUESKY_MAX_BYTES} bytes; this post has ${bytes}`;
  } else if (length > target.maxPostLength) {
    return (
      `This Mastodon server takes at most ${target.maxPostLength} characters; this post counts ${length} ` +
      `(each link counts as ${MASTODON_URL_LENGTH})`
    );
  }
  for (const mention of mentionsOf(text)) {
    const problem = mentionProblem(mention, target.network);
    if (problem) return problem;
  }
  return null;
}

/** Throws BAD_USER_INPUT on the `text` field unless the text can be posted to the target. */
export function checkCompose(text: string, target: ComposeTarget, field = "text"): void {
  const problem = composeProblem(text, target);
  if (problem) throw badUserInput(problem, field);
}
