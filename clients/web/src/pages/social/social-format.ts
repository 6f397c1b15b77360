import type { PostState, SocialAccountState, SocialNetwork } from "../../__generated__/graphql.ts";

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

/** The words for `?error=` when a Mastodon instance sent the browser back without an account. */
export function mastodonErrorWords(code: string): string {
  switch (code) {
    case "access_denied":
      return "You did not allow Mary on your Mastodon server, so nothing was connected.";
    case "expired_state":
    case "invalid_state":
      return "That authorization had expired or was already used. Start connecting again.";
    case "PLAN_LIMIT":
      return "Your plan's limit on social accounts is reached. Upgrade to connect more.";
    case "network_error":
      return "Your Mastodon server did not answer while Mary finished connecting. Try again.";
    default:
      return "Your Mastodon server did not complete the authorization. Try again.";
  }
}

/** A post's text shortened for a list row. */
export function snippet(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
