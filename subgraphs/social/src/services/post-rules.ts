import { badUserInput, stringProblem } from "@mary/kit";
import { lengthProblem, mentionsProblem, type PostTarget } from "@mary/kit/post-rules";
import type { Network } from "../types/social-account.type.ts";

// The counting itself is the kit's (`@mary/kit/post-rules`), the one copy the web composer counts with too.
export {
  BLUESKY_MAX_BYTES,
  BLUESKY_MAX_GRAPHEMES,
  graphemeCount,
  MASTODON_URL_LENGTH,
  measurePost,
  mentionsOf,
  postLength,
  postLimit,
} from "@mary/kit/post-rules";

/** What a post is composed for: the network and the longest post its server takes, in its own count. */
export interface ComposeTarget extends PostTarget {
  network: Network;
}

/** Longer than any network takes: refused before counting. */
const MAX_TEXT_LENGTH = 100_000;

/**
 * Why the text cannot be posted to the target, or null: empty text, text that is not valid
 * Unicode, a count over the network's limit (Bluesky: 300 graphemes and 3,000 bytes; Mastodon:
 * the instance's maximum, each link as 23), or a mention the network would not recognise.
 */
export function composeProblem(text: string, target: ComposeTarget): string | null {
  const invalid = stringProblem(text, MAX_TEXT_LENGTH);
  if (invalid) return `The text ${invalid}`;
  if (text.trim() === "") return "A post needs some text";
  return lengthProblem(text, target) ?? mentionsProblem(text, target.network);
}

/** Throws BAD_USER_INPUT on the `text` field unless the text can be posted to the target. */
export function checkCompose(text: string, target: ComposeTarget, field = "text"): void {
  const problem = composeProblem(text, target);
  if (problem) throw badUserInput(problem, field);
}
