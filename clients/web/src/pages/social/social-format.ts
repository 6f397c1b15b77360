import type {
  MastodonConnectError,
  PostState,
  SocialAccountState,
  SocialNetwork,
} from "../../__generated__/graphql.ts";

export const NETWORK_LABEL: Record<SocialNetwork, string> = { BLUESKY: "Bluesky", MASTODON: "Mastodon" };

export const ACCOUNT_STATE_LABEL: Record<SocialAccountState, string> = {
  ACTIVE: "Connected",
  NEEDS_RECONNECT: "Needs reconnecting",
};

export const POST_STATE_LABEL: Record<PostState, string> = {
  DRAFT: "Draft",
  SCHEDULED: "Scheduled",
  PUBLISHING: "Publishing",
  PUBLISHED: "Published",
  FAILED: "Failed",
};

/**
 * The words for each reason the Mastodon callback gives in `?error=` (the API's
 * MastodonConnectError: a reason added to it fails to type-check here until it has words).
 */
export const MASTODON_CONNECT_ERROR_WORDS: Record<MastodonConnectError, string> = {
  access_denied: "You did not allow Mary on your Mastodon server, so nothing was connected.",
  authorization_failed: "Your Mastodon server did not complete the authorization. Try again.",
  expired_state: "That authorization had expired or was already used. Start connecting again.",
  invalid_state: "That authorization had expired or was already used. Start connecting again.",
  network_error: "Your Mastodon server did not answer while Mary finished connecting. Try again.",
  PLAN_LIMIT: "Your plan's limit on social accounts is reached. Upgrade to connect more.",
};

/**
 * The words for `?error=` when a Mastodon server sent the browser back without an account:
 * `known` is the API's list of reasons (mastodonConnectErrors); anything else gets general words.
 */
export function mastodonErrorWords(reason: string, known: readonly MastodonConnectError[]): string {
  const found = known.find((candidate) => candidate === reason);
  return found ? MASTODON_CONNECT_ERROR_WORDS[found] : "Connecting your Mastodon account did not complete. Try again.";
}

/** A post's text shortened for a list row. */
export function snippet(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
