// How each network counts a post: the kit's post rules (`@mary/kit/post-rules`), the same module
// the social subgraph checks with before saving, so the composer's live count is the server's.
import { measurePost, type PostMeasure } from "@mary/kit/post-rules";
import type { SocialNetwork } from "../../__generated__/graphql.ts";

export {
  BLUESKY_MAX_BYTES,
  BLUESKY_MAX_GRAPHEMES,
  graphemeCount,
  MASTODON_URL_LENGTH,
  postLength,
  postLimit,
  splitAtGraphemes,
} from "@mary/kit/post-rules";

export interface PostCount extends PostMeasure {
  /** What is counted, in words: "characters (graphemes)" on Bluesky. */
  unit: string;
}

export function countPost(text: string, account: { network: SocialNetwork; maxPostLength: number }): PostCount {
  return {
    ...measurePost(text, account),
    unit: account.network === "BLUESKY" ? "characters (graphemes)" : "characters (each link counts 23)",
  };
}
