import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { GraphQLError } from "graphql";
import {
  appError,
  badUserInput,
  ErrorCode,
  withRedisLock,
  type AuthenticatedPrincipal,
  type Logger,
  type SecretBox,
} from "@mary/kit";
import { BLUESKY_MAX_GRAPHEMES, DEFAULT_BLUESKY_SERVICE, type BlueskyProvider } from "../providers/bluesky.provider.ts";
import {
  accountDomainOf,
  canonicalAcct,
  instanceOrigin,
  type MastodonAccount,
  type MastodonInstance,
} from "../providers/mastodon-api.ts";
import type { MastodonProvider, MastodonTokens } from "../providers/mastodon.provider.ts";
import { NetworkError } from "../providers/provider.ts";
import type { GraphStore } from "../store.ts";
import type { MastodonConnectError } from "../types/mastodon-connect-error.type.ts";
import type { SocialAccount } from "../types/social-account.type.ts";
import type { SocialAccountService } from "./social-account.service.ts";

/** How long a Mastodon authorization may take between startMastodonConnect and the callback. */
export const OAUTH_STATE_TTL_SECONDS = 600;
/** What Mary asks a Mastodon instance for: reading (timelines, follows, metrics) and writing (statuses, follows). */
export const MASTODON_SCOPES = "read write";
/** The instance's limit when /api/v1/instance does not say (Mastodon's default). */
const DEFAULT_MASTODON_MAX_CHARACTERS = 500;

export interface ConnectSettings {
  /** Where Mastodon sends the browser back: `${PUBLIC_GATEWAY_ORIGIN}/oauth/mastodon/callback`. */
  redirectUri: string;
  accountsPageUrl: string;
  allowHttp: boolean;
  applicationName: string;
  /** Redis keys of pending authorizations live under this prefix (SOCIAL_QUEUE_PREFIX). */
  keyPrefix: string;
}

/** A Mastodon authorization under way, kept in Redis under its state until the callback (or 10 minutes). */
interface PendingAuthorization {
  origin: string;
  verifier: string;
  caller: AuthenticatedPrincipal;
}

interface MastodonAppSecret {
  clientId: string;
  clientSecret: string;
}

/** Where the callback sends the browser: the accounts page with `connected` or `error` (one of the API's MastodonConnectError). */
export type CallbackOutcome = { connected: string } | { error: MastodonConnectError };

/** The reason for an API error met while completing: PLAN_LIMIT as it is, an unreachable server, else a failed authorization. */
function reasonOfCode(code: unknown): MastodonConnectError {
  if (code === ErrorCode.PLAN_LIMIT) return "PLAN_LIMIT";
  if (code === ErrorCode.SERVICE_UNAVAILABLE) return "network_error";
  return "authorization_failed";
}

/** A PKCE pair (RFC 7636, S256): the verifier kept by Mary, the challenge sent to the instance. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/**
 * Connecting accounts: Bluesky with a handle and an app password (tried before anything is
 * saved), Mastodon with OAuth 2's authorization code and PKCE, the app registered once per
 * instance (client id and secret sealed in the graph), the browser coming back through the
 * gateway's /oauth/mastodon/callback. Connecting an identity the workspace already has
 * reconnects it (new tokens, ACTIVE); a new one counts against the plan (PLAN_LIMIT).
 */
export class ConnectService {
  constructor(
    private readonly accounts: SocialAccountService,
    private readonly bluesky: BlueskyProvider,
    private readonly mastodon: MastodonProvider,
    private readonly graph: GraphStore,
    private readonly secrets: SecretBox,
    private readonly redis: Redis,
    private readonly settings: ConnectSettings,
    private readonly log: Logger,
    private readonly onConnected: (account: SocialAccount) => Promise<void>,
  ) {}

  async connectBluesky(
    caller: AuthenticatedPrincipal,
    input: { handle: string; appPassword: string; serviceUrl?: string | null },
  ): Promise<SocialAccount> {
    const handle = input.handle.trim().replace(/^@/, "");
    if (!handle || handle.length > 253) throw badUserInput("The handle must be 1 to 253 characters", "handle");
    if (!input.appPassword || input.appPassword.length > 200) {
      throw badUserInput("The app password must be 1 to 200 characters", "appPassword");
    }
    let login;
    try {
      login = await this.bluesky.login(input.serviceUrl?.trim() || DEFAULT_BLUESKY_SERVICE, handle, input.appPassword);
    } catch (error) {
      if (error instanceof NetworkError && error.kind === "auth") {
        throw badUserInput("The server refused this handle and app password", "appPassword");
      }
      if (error instanceof NetworkError && error.kind === "refused") {
        throw badUserInput(`The server refused the login: ${error.message}`, "serviceUrl");
      }
      throw this.unavailable(error, "The Bluesky server did not answer; try again");
    }
    const account = await this.accounts.save(
      caller,
      {
        id: randomUUID(),
        network: "BLUESKY",
        handle: login.tokens.handle,
        remoteId: login.tokens.did,
        serviceUrl: login.serviceUrl,
        displayName: login.displayName,
        maxPostLength: BLUESKY_MAX_GRAPHEMES,
      },
      login.tokens,
    );
    await this.connected(account);
    return account;
  }

  /** The instance's authorize URL for the caller, and the state that will come back with the code. */
  async startMastodon(
    caller: AuthenticatedPrincipal,
    instanceUrl: string,
  ): Promise<{ authorizeUrl: string; state: string }> {
    let origin: string;
    try {
      origin = instanceOrigin(instanceUrl, this.settings.allowHttp);
    } catch (error) {
      throw badUserInput((error as Error).message, "instanceUrl");
    }
    const app = await this.mastodonApp(origin);
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(24).toString("base64url");
    const pending: PendingAuthorization = { origin, verifier, caller };
    await this.redis.set(this.stateKey(state), JSON.stringify(pending), "EX", OAUTH_STATE_TTL_SECONDS);
    const url = new URL("/oauth/authorize", origin);
    url.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: this.settings.redirectUri,
      response_type: "code",
      scope: MASTODON_SCOPES,
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }).toString();
    return { authorizeUrl: url.toString(), state };
  }

  /**
   * The instance sent the browser back with `code` and `state` (or `error`): the state is used up,
   * the code exchanged with the PKCE verifier, the account read and saved for whoever started.
   */
  async completeMastodon(query: URLSearchParams): Promise<CallbackOutcome> {
    const state = query.get("state");
    if (!state || state.length > 200) return { error: "invalid_state" };
    const raw = await this.redis.getdel(this.stateKey(state));
    if (!raw) return { error: "expired_state" };
    const pending = JSON.parse(raw) as PendingAuthorization;
    if (query.get("error"))
      return { error: query.get("error") === "access_denied" ? "access_denied" : "authorization_failed" };
    const code = query.get("code");
    if (!code) return { error: "authorization_failed" };
    try {
      const app = await this.mastodonApp(pending.origin);
      const api = this.mastodon.api(pending.origin);
      const { body: token } = await api.call<{ access_token: string }>("POST", "/oauth/token", {
        form: {
          grant_type: "authorization_code",
          code,
          client_id: app.clientId,
          client_secret: app.clientSecret,
          redirect_uri: this.settings.redirectUri,
          code_verifier: pending.verifier,
          scope: MASTODON_SCOPES,
        },
      });
      const [{ body: me }, { body: instance }] = await Promise.all([
        api.call<MastodonAccount>("GET", "/api/v1/accounts/verify_credentials", { token: token.access_token }),
        api.call<MastodonInstance>("GET", "/api/v1/instance", { token: token.access_token }),
      ]);
      const localDomain = accountDomainOf(instance, pending.origin);
      const acct = canonicalAcct(me, localDomain);
      const tokens: MastodonTokens = { accessToken: token.access_token, accountId: me.id, localDomain };
      const account = await this.accounts.save(
        pending.caller,
        {
          id: randomUUID(),
          network: "MASTODON",
          handle: `@${acct}`,
          remoteId: acct,
          serviceUrl: pending.origin,
          displayName: me.display_name || null,
          maxPostLength:
            instance.configuration?.statuses?.max_characters ??
            instance.max_toot_chars ??
            DEFAULT_MASTODON_MAX_CHARACTERS,
        },
        tokens,
      );
      await this.connected(account);
      return { connected: account.id };
    } catch (error) {
      if (error instanceof GraphQLError && typeof error.extensions.code === "string") {
        const reason = reasonOfCode(error.extensions.code);
        if (reason === "authorization_failed") {
          this.log.warn({ err: error, origin: pending.origin }, "a Mastodon authorization was refused");
        }
        return { error: reason };
      }
      this.log.warn({ err: error, origin: pending.origin }, "a Mastodon authorization could not be completed");
      return {
        // Refused (the code, Mary's credentials, the request): authorization_failed; no or no usable answer: network_error.
        error:
          error instanceof NetworkError && (error.kind === "auth" || error.kind === "refused")
            ? "authorization_failed"
            : "network_error",
      };
    }
  }

  /** The accounts page with the outcome in its query. */
  callbackLocation(outcome: CallbackOutcome): string {
    const url = new URL(this.settings.accountsPageUrl);
    if ("connected" in outcome) url.searchParams.set("connected", outcome.connected);
    else url.searchParams.set("error", outcome.error);
    return url.toString();
  }

  /** Mary's app on the instance, registered the first time anyone connects there (once, under a lock). */
  private async mastodonApp(origin: string): Promise<MastodonAppSecret> {
    const known = await this.knownApp(origin);
    if (known) return known;
    return withRedisLock(
      this.redis,
      `${this.settings.keyPrefix}:mastodon-app:${origin}`,
      async () => {
        const again = await this.knownApp(origin);
        if (again) return again;
        let app: { client_id: string; client_secret: string };
        try {
          ({ body: app } = await this.mastodon
            .api(origin)
            .call<{ client_id: string; client_secret: string }>("POST", "/api/v1/apps", {
              form: {
                client_name: this.settings.applicationName,
                redirect_uris: this.settings.redirectUri,
                scopes: MASTODON_SCOPES,
              },
            }));
        } catch (error) {
          if (error instanceof NetworkError && (error.kind === "refused" || error.kind === "auth")) {
            throw badUserInput(`The instance refused to register Mary: ${error.message}`, "instanceUrl");
          }
          throw this.unavailable(error, "The instance did not answer; try again");
        }
        const secret: MastodonAppSecret = { clientId: app.client_id, clientSecret: app.client_secret };
        await this.graph.write(
          `MERGE (m:MastodonApp {origin: $origin})
           SET m.redirectUri = $redirectUri, m.secret = $secret, m.createdAt = timestamp()`,
          {
            origin,
            redirectUri: this.settings.redirectUri,
            secret: this.secrets.seal(JSON.stringify(secret), `mastodon-app:${origin}`),
          },
        );
        return secret;
      },
      { ttlMs: 30_000, waitMs: 30_000 },
    );
  }

  /** The app registered on the instance for this redirect URI (a changed gateway origin registers anew). */
  private async knownApp(origin: string): Promise<MastodonAppSecret | null> {
    const { records } = await this.graph.read<{ secret: string }>(
      "MATCH (m:MastodonApp {origin: $origin, redirectUri: $redirectUri}) RETURN m.secret AS secret",
      { origin, redirectUri: this.settings.redirectUri },
    );
    const sealed = records[0]?.get("secret");
    return sealed ? (JSON.parse(this.secrets.open(sealed, `mastodon-app:${origin}`)) as MastodonAppSecret) : null;
  }

  private async connected(account: SocialAccount): Promise<void> {
    await this.onConnected(account).catch((error: unknown) =>
      this.log.warn({ err: error, accountId: account.id }, "the new account's graph import could not be queued"),
    );
  }

  private stateKey(state: string): string {
    return `${this.settings.keyPrefix}:oauth:mastodon:${state}`;
  }

  private unavailable(error: unknown, message: string): GraphQLError {
    this.log.warn({ err: error }, message);
    return appError(ErrorCode.SERVICE_UNAVAILABLE, message);
  }
}
