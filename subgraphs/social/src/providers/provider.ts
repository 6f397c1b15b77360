import type { Network, SocialAccount } from "../types/social-account.type.ts";

/** A profile as a network describes it. */
export interface RemoteProfile {
  /** The network's id (a DID on Bluesky, an account id on Mastodon). */
  remoteId: string;
  handle: string;
  displayName: string | null;
  url: string | null;
  avatarUrl: string | null;
}

/** A post as published: where it now lives on the network. */
export interface PublishedPost {
  /** The network's id of the post (an at:// URI on Bluesky, a status id on Mastodon). */
  remoteId: string;
  url: string | null;
  publishedAt: Date;
}

export interface PostMetrics {
  likes: number;
  reposts: number;
  replies: number;
}

/** One page of a list the network pages through, and where the next page starts (null: the end). */
export interface RemotePage<T> {
  items: T[];
  cursor: string | null;
}

/**
 * An account's session with its network: the account, its opened tokens, and how to keep rotated
 * tokens (a Bluesky refresh JWT is single-use: a refreshed session must be saved before it is used).
 */
export interface AccountSession<Tokens = unknown> {
  account: SocialAccount;
  tokens: Tokens;
  saveTokens(tokens: Tokens): Promise<void>;
}

/**
 * Why a call to a network failed, as the publishing queue acts on it:
 * - `retryable`: network errors, 5xx, 429 (with `retryAfterMs` from Retry-After) — try again later;
 * - `auth`: the credentials are refused — the account NEEDS_RECONNECT, no retry;
 * - `refused`: the network refused the content (or the request) — the post FAILED with `message`, no retry;
 * - `unknown`: the request may or may not have taken effect (the answer was lost) — check before any retry.
 */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly kind: "retryable" | "auth" | "refused" | "unknown",
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "NetworkError";
  }
}

/**
 * What Mary does on a network, one implementation per network (providers/bluesky.provider.ts,
 * providers/mastodon.provider.ts), so more networks can follow. Every write is idempotent by the
 * post's Mary id: publishing twice with one id never makes two posts.
 */
export interface NetworkProvider<Tokens = unknown> {
  readonly network: Network;
  /** Publishes once per `postId` (Mastodon: Idempotency-Key; Bluesky: a record key fixed from it). */
  publish(session: AccountSession<Tokens>, post: { postId: string; text: string }): Promise<PublishedPost>;
  /** The post published for `postId`, if any: how an attempt whose outcome is unknown is checked. */
  findPublished(session: AccountSession<Tokens>, postId: string): Promise<PublishedPost | null>;
  deletePost(session: AccountSession<Tokens>, remoteId: string): Promise<void>;
  metrics(session: AccountSession<Tokens>, remoteId: string): Promise<PostMetrics>;
  follows(session: AccountSession<Tokens>, cursor: string | null): Promise<RemotePage<RemoteProfile>>;
  /** Whom another profile follows, as far as the network shows: the second hop that suggestions count common neighbours on. */
  followsOf(
    session: AccountSession<Tokens>,
    profile: Pick<RemoteProfile, "remoteId">,
    cursor: string | null,
  ): Promise<RemotePage<RemoteProfile>>;
  followers(session: AccountSession<Tokens>, cursor: string | null): Promise<RemotePage<RemoteProfile>>;
  /** A profile by handle, for following and for linking a CRM contact. */
  lookup(session: AccountSession<Tokens>, handle: string): Promise<RemoteProfile>;
  follow(session: AccountSession<Tokens>, profile: RemoteProfile): Promise<void>;
  unfollow(session: AccountSession<Tokens>, profile: RemoteProfile): Promise<void>;
}
