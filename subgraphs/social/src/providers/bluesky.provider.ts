import { Agent, AtUri, RichText, XRPCError, type AppBskyRichtextFacet } from "@atproto/api";
import { classifyNoAnswer, classifyStatus, retryAfterMs } from "./network-failure.ts";
import {
  NetworkError,
  type AccountSession,
  type NetworkProvider,
  type PostMetrics,
  type PublishedPost,
  type RemotePage,
  type RemoteProfile,
} from "./provider.ts";
import { postRecordKey, recordKeyFor } from "./record-key.ts";

/** What Mary keeps (sealed) of a Bluesky session: the PDS's JWTs and who they are for. */
export interface BlueskyTokens {
  accessJwt: string;
  refreshJwt: string;
  did: string;
  handle: string;
  /** The account's PDS as its DID document names it (an entryway such as bsky.social hands out others'). */
  pdsUrl?: string;
}

/** A Bluesky account as a password login proved it. */
export interface BlueskyLogin {
  tokens: BlueskyTokens;
  displayName: string | null;
  serviceUrl: string;
}

export interface BlueskyProviderOptions {
  timeoutMs: number;
  /** Whether http:// PDSes are allowed (local test networks). */
  allowHttp: boolean;
  /** The clock the access JWT's expiry is read against (tests move it forward to force a refresh). */
  now?: () => number;
  /** How long before its expiry an access JWT is refreshed, rather than sent. */
  refreshMarginMs?: number;
}

/** Bluesky's 300 graphemes, from the post rules (`@mary/kit/post-rules`). */
export { BLUESKY_MAX_GRAPHEMES } from "@mary/kit/post-rules";
export const DEFAULT_BLUESKY_SERVICE = "https://bsky.social";

const POST = "app.bsky.feed.post";
const FOLLOW = "app.bsky.graph.follow";
const PAGE = 100;

const isRecordNotFound = (error: unknown) =>
  error instanceof XRPCError &&
  (error.error === "RecordNotFound" || (error.status === 400 && /could not locate record/i.test(error.message)));

/** The moment (ms) a JWT expires, from its unverified payload; null when it carries no `exp`. */
export function jwtExpiry(jwt: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** The origin of a PDS URL, or BAD input as a refused NetworkError (http only where allowed). */
export function serviceOrigin(url: string, allowHttp: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NetworkError(`Not a URL: ${url}`, "refused");
  }
  if (parsed.protocol !== "https:" && !(allowHttp && parsed.protocol === "http:")) {
    throw new NetworkError(`The server must be https:// (got ${parsed.protocol})`, "refused");
  }
  return parsed.origin;
}

/**
 * Bluesky (any AT Protocol PDS) with @atproto/api's Agent over Mary's own session manager: the
 * access JWT goes on each call; one that expired (or expires within the margin) is refreshed with
 * the refresh JWT, whose successor is saved through the session before it is used, since the PDS
 * rotates refresh tokens. Refreshes of one account are single-flight in a process; two processes
 * refreshing at once are safe because the PDS answers a refresh token reused within its two-hour
 * grace with a successor of the same id. An expired or revoked refresh JWT is an `auth` error.
 *
 * Writes (posts, follows) are records in the account's repository on its PDS. Reads of the network
 * (profiles, getFollows, getFollowers, a post's likes/reposts/replies from getPosts) are App View
 * queries: sent to the PDS with the account's session like every call, which proxies them to its
 * App View (a 502 when that is down: `retryable`).
 */
export class BlueskyProvider implements NetworkProvider<BlueskyTokens> {
  readonly network = "BLUESKY" as const;
  private readonly now: () => number;
  private readonly refreshMarginMs: number;
  /** Refreshes under way, by account id: one refresh per account per process at a time. */
  private readonly refreshing = new Map<string, Promise<BlueskyTokens>>();

  constructor(private readonly options: BlueskyProviderOptions) {
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
  }

  /**
   * Logs in with a handle (or email) and an app password: the tokens to seal, or an `auth`
   * NetworkError when the PDS refuses the password.
   */
  async login(serviceUrl: string, identifier: string, password: string): Promise<BlueskyLogin> {
    const service = serviceOrigin(serviceUrl, this.options.allowHttp);
    const agent = new Agent({ service, fetch: this.timedFetch() });
    let data;
    try {
      ({ data } = await agent.com.atproto.server.createSession({ identifier, password }));
    } catch (error) {
      throw this.toNetworkError(error, false);
    }
    const tokens: BlueskyTokens = {
      accessJwt: data.accessJwt,
      refreshJwt: data.refreshJwt,
      did: data.did,
      handle: data.handle,
      ...this.pdsOf(data.didDoc, service),
    };
    // Tokens this fresh need no refresh: the session is only for reading the new account's profile.
    const session = { account: null as never, tokens, saveTokens: async () => {} };
    const profile = await this.profileOf(this.agentFor(session, tokens.pdsUrl ?? service), data.did).catch(() => null);
    return { tokens, displayName: profile?.displayName ?? null, serviceUrl: service };
  }

  async publish(
    session: AccountSession<BlueskyTokens>,
    post: { postId: string; text: string },
  ): Promise<PublishedPost> {
    const agent = this.agentFor(session);
    const rkey = postRecordKey(post.postId);
    const text = new RichText({ text: post.text });
    await text.detectFacets(agent);
    const record = {
      $type: POST,
      text: text.text,
      facets: withResolvedMentions(text.facets),
      createdAt: new Date(this.now()).toISOString(),
    };
    try {
      const { data } = await agent.com.atproto.repo.createRecord({
        repo: session.tokens.did,
        collection: POST,
        rkey,
        record,
      });
      return { remoteId: data.uri, url: this.postUrl(session, rkey), publishedAt: new Date(record.createdAt) };
    } catch (error) {
      const failure = this.toNetworkError(error, true);
      if (failure.kind === "auth") throw failure;
      // The key is fixed by the post: a record there means an earlier attempt (or this one) made it.
      const existing = await this.findPublished(session, post.postId).catch(() => null);
      if (existing) return existing;
      throw failure;
    }
  }

  async findPublished(session: AccountSession<BlueskyTokens>, postId: string): Promise<PublishedPost | null> {
    const rkey = postRecordKey(postId);
    try {
      const { data } = await this.agentFor(session).com.atproto.repo.getRecord({
        repo: session.tokens.did,
        collection: POST,
        rkey,
      });
      const createdAt = (data.value as { createdAt?: string }).createdAt;
      return {
        remoteId: data.uri,
        url: this.postUrl(session, rkey),
        publishedAt: createdAt ? new Date(createdAt) : new Date(this.now()),
      };
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      throw this.toNetworkError(error, false);
    }
  }

  async deletePost(session: AccountSession<BlueskyTokens>, remoteId: string): Promise<void> {
    const uri = this.ownUri(session, remoteId, POST);
    try {
      await this.agentFor(session).com.atproto.repo.deleteRecord({
        repo: session.tokens.did,
        collection: POST,
        rkey: uri.rkey,
      });
    } catch (error) {
      throw this.toNetworkError(error, true);
    }
  }

  /**
   * The App View's counts for the post. One it does not show is either gone (no record on the
   * PDS: `refused`, polling stops) or not indexed yet (the App View reads the firehose on its own
   * time; a post just published is often not there at the first poll: `retryable`).
   */
  async metrics(session: AccountSession<BlueskyTokens>, remoteId: string): Promise<PostMetrics> {
    const agent = this.agentFor(session);
    let view;
    try {
      view = (await agent.app.bsky.feed.getPosts({ uris: [remoteId] })).data.posts[0];
    } catch (error) {
      throw this.toNetworkError(error, false);
    }
    if (view) return { likes: view.likeCount ?? 0, reposts: view.repostCount ?? 0, replies: view.replyCount ?? 0 };
    const uri = this.ownUri(session, remoteId, POST);
    try {
      await agent.com.atproto.repo.getRecord({ repo: uri.hostname, collection: POST, rkey: uri.rkey });
    } catch (error) {
      if (isRecordNotFound(error)) throw new NetworkError("The post is not on the network (deleted?)", "refused");
      throw this.toNetworkError(error, false);
    }
    throw new NetworkError("The network's App View has not indexed the post yet", "retryable");
  }

  follows(session: AccountSession<BlueskyTokens>, cursor: string | null): Promise<RemotePage<RemoteProfile>> {
    return this.followsOf(session, { remoteId: session.tokens.did }, cursor);
  }

  async followsOf(
    session: AccountSession<BlueskyTokens>,
    profile: Pick<RemoteProfile, "remoteId">,
    cursor: string | null,
  ): Promise<RemotePage<RemoteProfile>> {
    try {
      const { data } = await this.agentFor(session).app.bsky.graph.getFollows({
        actor: profile.remoteId,
        limit: PAGE,
        cursor: cursor ?? undefined,
      });
      return { items: data.follows.map((view) => this.toProfile(view)), cursor: data.cursor ?? null };
    } catch (error) {
      throw this.toNetworkError(error, false);
    }
  }

  async followers(session: AccountSession<BlueskyTokens>, cursor: string | null): Promise<RemotePage<RemoteProfile>> {
    try {
      const { data } = await this.agentFor(session).app.bsky.graph.getFollowers({
        actor: session.tokens.did,
        limit: PAGE,
        cursor: cursor ?? undefined,
      });
      return { items: data.followers.map((view) => this.toProfile(view)), cursor: data.cursor ?? null };
    } catch (error) {
      throw this.toNetworkError(error, false);
    }
  }

  async lookup(session: AccountSession<BlueskyTokens>, handle: string): Promise<RemoteProfile> {
    const agent = this.agentFor(session);
    const wanted = handle.replace(/^@/, "").trim().toLowerCase();
    let did = wanted;
    if (!wanted.startsWith("did:")) {
      try {
        ({
          data: { did },
        } = await agent.com.atproto.identity.resolveHandle({ handle: wanted }));
      } catch (error) {
        const failure = this.toNetworkError(error, false);
        if (failure.kind === "refused")
          throw new NetworkError(`No Bluesky account has the handle ${wanted}`, "refused");
        throw failure;
      }
    }
    return this.profileOf(agent, did);
  }

  async follow(session: AccountSession<BlueskyTokens>, profile: RemoteProfile): Promise<void> {
    const agent = this.agentFor(session);
    // One key per followed DID: following twice (a retry) conflicts instead of adding a second record.
    const rkey = recordKeyFor("follow", profile.remoteId);
    try {
      await agent.com.atproto.repo.createRecord({
        repo: session.tokens.did,
        collection: FOLLOW,
        rkey,
        record: { $type: FOLLOW, subject: profile.remoteId, createdAt: new Date(this.now()).toISOString() },
      });
    } catch (error) {
      const failure = this.toNetworkError(error, true);
      if (failure.kind === "auth") throw failure;
      const exists = await agent.com.atproto.repo
        .getRecord({ repo: session.tokens.did, collection: FOLLOW, rkey })
        .then(
          () => true,
          () => false,
        );
      if (!exists) throw failure;
    }
  }

  /** Deletes every follow record of the account for that DID (Mary's own and any made elsewhere). */
  async unfollow(session: AccountSession<BlueskyTokens>, profile: RemoteProfile): Promise<void> {
    const agent = this.agentFor(session);
    const rkeys = new Set<string>();
    try {
      let cursor: string | undefined;
      do {
        const { data } = await agent.com.atproto.repo.listRecords({
          repo: session.tokens.did,
          collection: FOLLOW,
          limit: PAGE,
          cursor,
        });
        for (const record of data.records) {
          if ((record.value as { subject?: unknown }).subject === profile.remoteId)
            rkeys.add(new AtUri(record.uri).rkey);
        }
        cursor = data.records.length === PAGE ? data.cursor : undefined;
      } while (cursor);
      for (const rkey of rkeys) {
        await agent.com.atproto.repo.deleteRecord({ repo: session.tokens.did, collection: FOLLOW, rkey });
      }
    } catch (error) {
      throw this.toNetworkError(error, true);
    }
  }

  // ---- sessions ----

  /** An Agent whose every call carries the session's access JWT, refreshed (and saved) when it expires. */
  private agentFor(session: AccountSession<BlueskyTokens>, pds?: string): Agent {
    const send = this.timedFetch();
    const service = () => pds ?? session.tokens.pdsUrl ?? session.account.serviceUrl;
    const call = (url: string, init: RequestInit, jwt: string) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${jwt}`);
      return send(new URL(url, service()), { ...init, headers });
    };
    return new Agent({
      did: session.tokens.did,
      fetchHandler: async (url, init) => {
        const expiry = jwtExpiry(session.tokens.accessJwt);
        if (expiry !== null && expiry - this.now() < this.refreshMarginMs) await this.refresh(session);
        const sent = session.tokens.accessJwt;
        const response = await call(url, init, sent);
        if (!(await isExpiredToken(response))) return response;
        // Expired between the check and the call (or the clocks disagree): refresh once, send again.
        if (session.tokens.accessJwt === sent) await this.refresh(session);
        return call(url, init, session.tokens.accessJwt);
      },
    });
  }

  /** Rotates the session's tokens: the successors are saved before anything uses them. */
  private async refresh(session: AccountSession<BlueskyTokens>): Promise<void> {
    const key = session.account?.id ?? session.tokens.did;
    let pending = this.refreshing.get(key);
    if (!pending) {
      pending = this.rotate(session).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, pending);
    }
    session.tokens = await pending;
  }

  private async rotate(session: AccountSession<BlueskyTokens>): Promise<BlueskyTokens> {
    const service = session.tokens.pdsUrl ?? session.account.serviceUrl;
    let response: Response;
    try {
      response = await this.timedFetch()(new URL("/xrpc/com.atproto.server.refreshSession", service), {
        method: "POST",
        headers: { authorization: `Bearer ${session.tokens.refreshJwt}` },
      });
    } catch (error) {
      throw classifyNoAnswer(error, false);
    }
    const body = (await response.json().catch(() => ({}))) as {
      accessJwt?: string;
      refreshJwt?: string;
      did?: string;
      handle?: string;
      error?: string;
      message?: string;
    };
    if (!response.ok || !body.accessJwt || !body.refreshJwt) {
      if (response.status === 400 && (body.error === "ExpiredToken" || body.error === "InvalidToken")) {
        throw new NetworkError(`The Bluesky session ended (${body.error}): connect the account again`, "auth");
      }
      throw classifyStatus(
        response.status,
        body.message ?? body.error ?? "",
        retryAfterMs(response.headers, this.now()),
      );
    }
    const next: BlueskyTokens = {
      ...session.tokens,
      accessJwt: body.accessJwt,
      refreshJwt: body.refreshJwt,
      handle: body.handle ?? session.tokens.handle,
    };
    // The old refresh JWT is spent: the new one must be kept before anything relies on it.
    await session.saveTokens(next);
    return next;
  }

  /** fetch with the network timeout, failures classified (a lost answer to a write is `unknown`). */
  private timedFetch(): typeof fetch {
    return async (input, init) => {
      const write = (init?.method ?? "GET").toUpperCase() !== "GET";
      const timeout = AbortSignal.timeout(this.options.timeoutMs);
      try {
        return await fetch(input, {
          ...init,
          signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
        });
      } catch (error) {
        throw classifyNoAnswer(error, write);
      }
    };
  }

  // ---- helpers ----

  private toNetworkError(error: unknown, write: boolean): NetworkError {
    if (error instanceof NetworkError) return error;
    const cause = (error as { cause?: unknown })?.cause;
    if (cause instanceof NetworkError) return cause;
    if (error instanceof XRPCError) {
      if (error.error === "InvalidToken" || error.error === "ExpiredToken") {
        return new NetworkError(`The Bluesky session was refused (${error.error})`, "auth");
      }
      if (error.status < 100) return classifyNoAnswer(error, write);
      const headers = new Headers(error.headers ?? {});
      return classifyStatus(error.status, error.message || error.error, retryAfterMs(headers, this.now()));
    }
    return classifyNoAnswer(error, write);
  }

  private ownUri(session: AccountSession<BlueskyTokens>, remoteId: string, collection: string): AtUri {
    let uri: AtUri;
    try {
      uri = new AtUri(remoteId);
    } catch {
      throw new NetworkError(`Not an at:// URI: ${remoteId}`, "refused");
    }
    if (uri.hostname !== session.tokens.did || uri.collection !== collection) {
      throw new NetworkError(`${remoteId} is not a record of this account`, "refused");
    }
    return uri;
  }

  /** A web link for a post: bsky.app shows records of any PDS that federates, but not a local one. */
  private postUrl(session: AccountSession<BlueskyTokens>, rkey: string): string | null {
    const service = session.tokens.pdsUrl ?? session.account?.serviceUrl ?? "";
    return service.startsWith("https:") ? `https://bsky.app/profile/${session.tokens.did}/post/${rkey}` : null;
  }

  private pdsOf(didDoc: unknown, fallback: string): { pdsUrl?: string } {
    const services = (didDoc as { service?: { id?: string; serviceEndpoint?: unknown }[] } | undefined)?.service;
    const endpoint = services?.find((service) => service.id?.endsWith("#atproto_pds"))?.serviceEndpoint;
    if (typeof endpoint !== "string") return {};
    try {
      const origin = serviceOrigin(endpoint, this.options.allowHttp);
      return origin === fallback ? {} : { pdsUrl: origin };
    } catch {
      return {};
    }
  }

  /** A profile by DID, as the App View shows it. */
  private async profileOf(agent: Agent, did: string): Promise<RemoteProfile> {
    try {
      const { data } = await agent.app.bsky.actor.getProfile({ actor: did });
      return this.toProfile(data);
    } catch (error) {
      throw this.toNetworkError(error, false);
    }
  }

  private toProfile(view: { did: string; handle: string; displayName?: string; avatar?: string }): RemoteProfile {
    return {
      remoteId: view.did,
      handle: view.handle,
      displayName: view.displayName || null,
      url: this.profileUrl(view.handle),
      avatarUrl: view.avatar ?? null,
    };
  }

  private profileUrl(handle: string): string | null {
    return handle.startsWith("did:") || handle.endsWith(".test") ? null : `https://bsky.app/profile/${handle}`;
  }
}

/** Whether a PDS answer says the access JWT expired (400 ExpiredToken), without consuming the body. */
async function isExpiredToken(response: Response): Promise<boolean> {
  if (response.status !== 400 && response.status !== 401) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: string } | null;
  return body?.error === "ExpiredToken";
}

/** Mentions whose handle did not resolve are left as plain text rather than sent with an empty DID. */
function withResolvedMentions(
  facets: AppBskyRichtextFacet.Main[] | undefined,
): AppBskyRichtextFacet.Main[] | undefined {
  const kept = facets?.filter((facet) =>
    facet.features.every((feature) => !("did" in feature) || (typeof feature.did === "string" && feature.did !== "")),
  );
  return kept?.length ? kept : undefined;
}
