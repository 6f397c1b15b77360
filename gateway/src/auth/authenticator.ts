import {
  API_KEY_PREFIX,
  apiKeyCacheKey,
  appError,
  ErrorCode,
  hashApiKey,
  membershipRevokedKey,
  PRINCIPAL_HEADER,
  DEFAULT_PLAN,
  sessionPrincipal,
  sessionRevokedKey,
  signPrincipal,
  verifyAccessToken,
  type AuthenticatedPrincipal,
  type Principal,
  type Redis,
  type Role,
  type Scope,
} from "@mary/kit";
import type { CryptoKey } from "jose";

interface ApiKeyIdentity {
  apiKeyId: string;
  userId: string;
  workspaceId: string;
  role: Role;
  scopes: Scope[];
}

export interface AuthenticatorOptions {
  verifyingKey: CryptoKey;
  redis: Redis;
  /** GraphQL URL of the users subgraph, which resolves API keys. */
  usersUrl: string;
  signingSecret: string;
  apiKeyCacheSeconds: number;
  timeoutMs: number;
}

const unauthenticated = (message: string) => appError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });

/**
 * Turns an `Authorization: Bearer …` header into a principal: JWT access tokens
 * are verified locally with the users' public key; API keys (`mary_…`) are
 * resolved by the users subgraph and cached briefly in Redis. No header means
 * anonymous; a bad credential is an error, never a silent downgrade.
 */
export class Authenticator {
  constructor(private readonly options: AuthenticatorOptions) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) return { kind: "anonymous" };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw unauthenticated("The Authorization header must be `Bearer <token or API key>`");
    const credential = match[1];
    return credential.startsWith(API_KEY_PREFIX) ? this.fromApiKey(credential) : this.fromAccessToken(credential);
  }

  private async fromAccessToken(token: string): Promise<AuthenticatedPrincipal> {
    const result = await verifyAccessToken(this.options.verifyingKey, token);
    if (!result.ok) {
      throw unauthenticated(
        result.reason === "expired"
          ? "The access token has expired; refresh the session"
          : "The access token is not valid",
      );
    }
    const { userId, workspaceId, role, sessionId, issuedAt } = result.claims;
    const [sessionEnded, membershipEndedAt] = await this.options.redis.mget(
      sessionRevokedKey(sessionId),
      membershipRevokedKey(userId, workspaceId),
    );
    if (sessionEnded) throw unauthenticated("This session has ended; sign in again");
    // Seconds resolution: a token issued in the very second the membership ended is refused too.
    if (membershipEndedAt && issuedAt <= Number(membershipEndedAt)) {
      throw unauthenticated("You are no longer a member of this workspace");
    }
    return sessionPrincipal({ userId, workspaceId, role });
  }

  private async fromApiKey(key: string): Promise<AuthenticatedPrincipal> {
    const cacheKey = apiKeyCacheKey(hashApiKey(key));
    const cached = await this.options.redis.get(cacheKey);
    let identity: ApiKeyIdentity | null;
    if (cached !== null) {
      identity = JSON.parse(cached) as ApiKeyIdentity | null;
    } else {
      identity = await this.lookUpApiKey(key);
      // Unknown keys are cached too, for less time, so a flood of bad keys does not reach the database.
      const ttl = identity ? this.options.apiKeyCacheSeconds : Math.min(5, this.options.apiKeyCacheSeconds);
      await this.options.redis.set(cacheKey, JSON.stringify(identity), "EX", ttl);
    }
    if (!identity) throw unauthenticated("The API key is not valid or has been revoked");
    return { kind: "apiKey", ...identity, plan: DEFAULT_PLAN };
  }

  private async lookUpApiKey(key: string): Promise<ApiKeyIdentity | null> {
    const response = await fetch(this.options.usersUrl, {
      method: "POST",
      signal: AbortSignal.timeout(this.options.timeoutMs),
      headers: {
        "content-type": "application/json",
        [PRINCIPAL_HEADER]: signPrincipal({ kind: "service", service: "gateway" }, this.options.signingSecret),
      },
      body: JSON.stringify({
        query: "query ($key: String!) { apiKeyIdentity(key: $key) { apiKeyId userId workspaceId role scopes } }",
        variables: { key },
      }),
    });
    const body = (await response.json()) as { data?: { apiKeyIdentity: ApiKeyIdentity | null }; errors?: unknown[] };
    if (!response.ok || body.errors?.length || !body.data)
      throw new Error(`users could not resolve an API key (${response.status})`);
    return body.data.apiKeyIdentity;
  }
}
