import { createHash } from "node:crypto";
import {
  MastodonApi,
  canonicalAcct,
  nextMaxId,
  normalizeText,
  statusText,
  type MastodonAccount,
  type MastodonStatus,
} from "./mastodon-api.ts";
import {
  NetworkError,
  type AccountSession,
  type NetworkProvider,
  type PostMetrics,
  type PublishedPost,
  type RemotePage,
  type RemoteProfile,
} from "./provider.ts";

/** What Mary keeps (sealed) of a Mastodon connection. */
export interface MastodonTokens {
  accessToken: string;
  /** The account's id on its instance (the API's ids are per instance). */
  accountId: string;
  /** The domain the instance's own accounts are addressed at. */
  localDomain: string;
}

/** A publish attempt as first recorded, before the status was sent. */
export interface PublicationAttempt {
  textHash: string;
  startedAt: Date;
  /** The status it made, once known. */
  remoteId: string | null;
  url: string | null;
  /** False when this call recorded it: no earlier attempt can have reached the instance. */
  seenBefore: boolean;
}

/**
 * Where the Mastodon provider notes its publish attempts, so that a post whose answer was lost
 * can be recognised on the instance: GoToSocial ignores Idempotency-Key (Mastodon keeps it one
 * hour), so the key alone does not make a second POST safe.
 */
export interface PublicationLedger {
  /** Records the attempt if it is the first (keeping the first's time), and returns it. */
  begin(accountId: string, postId: string, textHash: string): Promise<PublicationAttempt>;
  find(accountId: string, postId: string): Promise<PublicationAttempt | null>;
  settle(accountId: string, postId: string, remoteId: string, url: string | null): Promise<void>;
  /** Which of these statuses another post of the account already claims. */
  claimedByOthers(accountId: string, postId: string, remoteIds: string[]): Promise<Set<string>>;
}

export interface MastodonProviderOptions {
  timeoutMs: number;
  /** The application name statuses are posted under (visible on them), to recognise Mary's. */
  applicationName: string;
}

const PAGE = 80;
const STATUS_PAGE = 40;
/** How far back from an attempt's first try a status is looked for (instances' clocks differ). */
const CLOCK_SKEW_MS = 5 * 60_000;
/** At most this many pages of the account's statuses are read to find a lost post. */
const SEARCH_PAGES = 10;

export const textHash = (text: string) => createHash("sha256").update(normalizeText(text)).digest("base64url");

/**
 * Mastodon and the servers that speak its API (GoToSocial among them), with an OAuth token.
 *
 * Publishing is exactly once by the post's id: the `Idempotency-Key` header carries it (Mastodon
 * answers a repeat within an hour with the first status), and, since GoToSocial does not honour
 * that header, the attempt is first noted in the ledger: a later attempt, or findPublished, looks
 * on the account's own statuses since the first attempt for one with the post's text (and not
 * already another post's), and only posts again when there is none.
 */
export class MastodonProvider implements NetworkProvider<MastodonTokens> {
  readonly network = "MASTODON" as const;

  constructor(
    private readonly options: MastodonProviderOptions,
    private readonly ledger: PublicationLedger,
  ) {}

  api(origin: string): MastodonApi {
    return new MastodonApi(origin, this.options.timeoutMs);
  }

  async publish(
    session: AccountSession<MastodonTokens>,
    post: { postId: string; text: string },
  ): Promise<PublishedPost> {
    const attempt = await this.ledger.begin(session.account.id, post.postId, textHash(post.text));
    if (attempt.seenBefore) {
      const found = await this.findPublished(session, post.postId);
      if (found) return found;
    }
    const { body: status } = await this.client(session).call<MastodonStatus>("POST", "/api/v1/statuses", {
      token: session.tokens.accessToken,
      json: { status: post.text, visibility: "public" },
      idempotencyKey: post.postId,
    });
    await this.ledger.settle(session.account.id, post.postId, status.id, status.url ?? null);
    return { remoteId: status.id, url: status.url ?? null, publishedAt: new Date(status.created_at) };
  }

  async findPublished(session: AccountSession<MastodonTokens>, postId: string): Promise<PublishedPost | null> {
    const attempt = await this.ledger.find(session.account.id, postId);
    if (!attempt) return null;
    if (attempt.remoteId) {
      const status = await this.status(session, attempt.remoteId);
      return {
        remoteId: attempt.remoteId,
        url: status?.url ?? attempt.url,
        publishedAt: status ? new Date(status.created_at) : attempt.startedAt,
      };
    }
    const since = attempt.startedAt.getTime() - CLOCK_SKEW_MS;
    let maxId: string | null = null;
    for (let page = 0; page < SEARCH_PAGES; page++) {
      const response: { body: MastodonStatus[]; headers: Headers } = await this.client(session).call<MastodonStatus[]>(
        "GET",
        `/api/v1/accounts/${encodeURIComponent(session.tokens.accountId)}/statuses`,
        {
          token: session.tokens.accessToken,
          query: { limit: String(STATUS_PAGE), max_id: maxId ?? undefined, exclude_reblogs: "true" },
        },
      );
      const recent = response.body.filter((status) => Date.parse(status.created_at) >= since);
      const matching = recent.filter(
        (status) =>
          textHash(statusText(status)) === attempt.textHash &&
          (!status.application?.name || status.application.name === this.options.applicationName),
      );
      if (matching.length) {
        const taken = await this.ledger.claimedByOthers(
          session.account.id,
          postId,
          matching.map((status) => status.id),
        );
        // Oldest first: the first status with this text since the attempt is the attempt's.
        const mine = matching.reverse().find((status) => !taken.has(status.id));
        if (mine) {
          await this.ledger.settle(session.account.id, postId, mine.id, mine.url ?? null);
          return { remoteId: mine.id, url: mine.url ?? null, publishedAt: new Date(mine.created_at) };
        }
      }
      maxId = nextMaxId(response.headers.get("link"));
      if (!maxId || recent.length < response.body.length || !response.body.length) break;
    }
    return null;
  }

  async deletePost(session: AccountSession<MastodonTokens>, remoteId: string): Promise<void> {
    try {
      await this.client(session).call("DELETE", `/api/v1/statuses/${encodeURIComponent(remoteId)}`, {
        token: session.tokens.accessToken,
      });
    } catch (error) {
      // Already gone is what was asked for.
      if (error instanceof NetworkError && error.kind === "refused" && /^HTTP 404/.test(error.message)) return;
      throw error;
    }
  }

  async metrics(session: AccountSession<MastodonTokens>, remoteId: string): Promise<PostMetrics> {
    const status = await this.status(session, remoteId);
    if (!status) throw new NetworkError("The status is not on the instance (deleted?)", "refused");
    return {
      likes: status.favourites_count ?? 0,
      reposts: status.reblogs_count ?? 0,
      replies: status.replies_count ?? 0,
    };
  }

  follows(session: AccountSession<MastodonTokens>, cursor: string | null): Promise<RemotePage<RemoteProfile>> {
    return this.accountList(
      session,
      `/api/v1/accounts/${encodeURIComponent(session.tokens.accountId)}/following`,
      cursor,
    );
  }

  async followsOf(
    session: AccountSession<MastodonTokens>,
    profile: Pick<RemoteProfile, "remoteId">,
    cursor: string | null,
  ): Promise<RemotePage<RemoteProfile>> {
    const account = await this.resolve(session, profile.remoteId);
    return this.accountList(session, `/api/v1/accounts/${encodeURIComponent(account.id)}/following`, cursor);
  }

  followers(session: AccountSession<MastodonTokens>, cursor: string | null): Promise<RemotePage<RemoteProfile>> {
    return this.accountList(
      session,
      `/api/v1/accounts/${encodeURIComponent(session.tokens.accountId)}/followers`,
      cursor,
    );
  }

  async lookup(session: AccountSession<MastodonTokens>, handle: string): Promise<RemoteProfile> {
    return this.toProfile(session, await this.resolve(session, handle));
  }

  async follow(session: AccountSession<MastodonTokens>, profile: RemoteProfile): Promise<void> {
    const account = await this.resolve(session, profile.remoteId);
    await this.client(session).call("POST", `/api/v1/accounts/${encodeURIComponent(account.id)}/follow`, {
      token: session.tokens.accessToken,
      json: { reblogs: true },
    });
  }

  async unfollow(session: AccountSession<MastodonTokens>, profile: RemoteProfile): Promise<void> {
    const account = await this.resolve(session, profile.remoteId);
    await this.client(session).call("POST", `/api/v1/accounts/${encodeURIComponent(account.id)}/unfollow`, {
      token: session.tokens.accessToken,
    });
  }

  /** The profile Mary keys a Mastodon account by: its full address, the same from every instance. */
  toProfile(session: AccountSession<MastodonTokens>, account: MastodonAccount): RemoteProfile {
    const acct = canonicalAcct(account, session.tokens.localDomain);
    return {
      remoteId: acct,
      handle: `@${acct}`,
      displayName: account.display_name || null,
      url: account.url ?? null,
      avatarUrl: account.avatar ?? null,
    };
  }

  // ---- helpers ----

  private client(session: AccountSession<MastodonTokens>): MastodonApi {
    return this.api(session.account.serviceUrl);
  }

  private async status(session: AccountSession<MastodonTokens>, id: string): Promise<MastodonStatus | null> {
    try {
      const { body } = await this.client(session).call<MastodonStatus>(
        "GET",
        `/api/v1/statuses/${encodeURIComponent(id)}`,
        {
          token: session.tokens.accessToken,
        },
      );
      return body;
    } catch (error) {
      if (error instanceof NetworkError && error.kind === "refused" && /^HTTP 404/.test(error.message)) return null;
      throw error;
    }
  }

  /** An account of the network by address (`@user@domain`, `user@domain`, or the instance's `user`), as this instance knows it. */
  private async resolve(session: AccountSession<MastodonTokens>, handle: string): Promise<MastodonAccount> {
    const acct = handle.trim().replace(/^@/, "").toLowerCase();
    const [user, domain] = acct.split("@");
    // The instance's own accounts are looked up by their bare name (GoToSocial wants it that way).
    const local = !domain || domain === session.tokens.localDomain;
    try {
      const { body } = await this.client(session).call<MastodonAccount>("GET", "/api/v1/accounts/lookup", {
        token: session.tokens.accessToken,
        query: { acct: local ? user : acct },
      });
      return body;
    } catch (error) {
      if (error instanceof NetworkError && error.kind === "refused") {
        throw new NetworkError(`No account ${acct} is known to ${session.account.serviceUrl}`, "refused");
      }
      throw error;
    }
  }

  private async accountList(
    session: AccountSession<MastodonTokens>,
    path: string,
    cursor: string | null,
  ): Promise<RemotePage<RemoteProfile>> {
    const { body, headers } = await this.client(session).call<MastodonAccount[]>("GET", path, {
      token: session.tokens.accessToken,
      query: { limit: String(PAGE), max_id: cursor ?? undefined },
    });
    return {
      items: body.map((account) => this.toProfile(session, account)),
      cursor: body.length ? nextMaxId(headers.get("link")) : null,
    };
  }
}
