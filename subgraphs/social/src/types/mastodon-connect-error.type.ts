import "reflect-metadata";
import { stringEnum } from "@mary/kit";

/**
 * Why the Mastodon OAuth callback sent the browser back to the accounts page without an account:
 * exactly the values of its `?error=` (routes/mastodon-callback.route.ts). They are spelled as
 * they always went out: OAuth 2's own lower-case codes (RFC 6749's access_denied), and Mary's
 * error code PLAN_LIMIT.
 */
export const MASTODON_CONNECT_ERRORS = [
  "access_denied",
  "authorization_failed",
  "expired_state",
  "invalid_state",
  "network_error",
  "PLAN_LIMIT",
] as const;
export type MastodonConnectError = (typeof MASTODON_CONNECT_ERRORS)[number];

export const MastodonConnectErrorEnum = stringEnum(
  MASTODON_CONNECT_ERRORS,
  "MastodonConnectError",
  "Why connecting a Mastodon account did not complete: the OAuth callback sends the browser back to the accounts " +
    "page with `?error=<value>`, always one of these (spelled as they are, OAuth 2's lower-case codes and Mary's " +
    "PLAN_LIMIT). A client shows its own words for each and general ones for a value it does not know yet.",
  {
    access_denied: "The member did not allow Mary on their server (they declined on its consent page).",
    authorization_failed:
      "The authorization did not go through: the server sent no code or an error other than access_denied, or " +
      "refused the code or Mary's requests. Start connecting again.",
    expired_state:
      "The authorization is unknown: older than 10 minutes, or already used (a reload of the callback). Start again.",
    invalid_state: "The callback came without a valid `state`: not the end of an authorization Mary started.",
    network_error:
      "The server did not answer, or not usably, while Mary exchanged the code or read the account: try again.",
    PLAN_LIMIT: "The account would be one more than the workspace's plan allows: nothing was connected.",
  },
);
