import {
  API_KEY_PREFIX,
  apiKeyCacheKey,
  appError,
  DEFAULT_PLAN,
  ErrorCode,
  hashApiKey,
  membershipRevokedKey,
  isPlanName,
  lastKnownPlanKey,
  PLAN_CACHE_SECONDS,
  PRINCIPAL_HEADER,
  sessionPrincipal,
  sessionRevokedKey,
  signPrincipal,
  verifyAccessToken,
  verifyPrincipal,
  workspacePlanKey,
  type AuthenticatedPrincipal,
  type PlanName,
  type Principal,
  type Redis,
  type Role,
  type Scope,
  type VerifiedAccessClaims,
} from "@mary/kit/core";
import type { CryptoKey } from "jose";
import type { GatewayPrincipal } from "../context.ts";
import { VerifiedTokens } from "./verified-tokens.ts";

/** Turns a request's credentials into its principal; a bad credential throws UNAUTHENTICATED. */
export interface Authenticator {
  /** An HTTP request's principal, from its headers. */
  authenticateRequest(headers: Record<string, string | string[] | undefined>): Promise<GatewayPrincipal>;
  /** The principal of an `Authorization` value (a socket's, from `connection_init`); none is anonymous. */
  authenticate(authorization: string | undefined): Promise<GatewayPrincipal>;
  /**
   * The rate-limit subject (as `subjectOf` names it) of a credential whose principal is already
   * known without Redis (an access token verified before), so its count can go out while the
   * rest is checked; null when it is not known yet.
   */
  knownRateSubject?(authorization: string | undefined): string | null;
}

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
  /** GraphQL URL of the billing subgraph, which knows each workspace's plan; without billing every workspace is on FREE. */
  billingUrl?: string;
  signingSecret: string;
  apiKeyCacheSeconds: number;
  timeoutMs: number;
}

/** The credential of an `Authorization: Bearer <credential>` value; null for any other value. */
const bearerCredential = (authorization: string | undefined): string | null =>
  /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "")?.[1] ?? null;

const unauthenticated = (message: string) => appError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });

/**
 * Mary's own authentication, for a supergraph with Mary's users subgraph (see mary-parts.ts).
 * Turns an `Authorization: Bearer …` header into a principal: JWT access tokens
 * are verified locally with the users' public key; API keys (`mary_…`) are
 * resolved by the users subgraph and cached briefly in Redis. The workspace's
 * plan comes from Redis, where billing writes it, or else from billing itself (FREE without billing).
 * No header means anonymous; a bad credential is an error, never a silent downgrade.
 */
export class MaryAuthenticator implements Authenticator {
  private readonly verifiedTokens = new VerifiedTokens<VerifiedAccessClaims>();

  constructor(private readonly options: AuthenticatorOptions) {}

  /**
   * A request's principal: Mary's own services acting for someone (an agent's tools, as the
   * run's principal) send it signed in the internal header; everyone else sends Authorization.
   */
  async authenticateRequest(headers: Record<string, string | string[] | undefined>): Promise<Principal> {
    const internal = headers[PRINCIPAL_HEADER];
    if (internal === undefined) {
      const authorization = headers.authorization;
      return this.authenticate(Array.isArray(authorization) ? authorization[0] : authorization);
    }
    const principal = typeof internal === "string" ? verifyPrincipal(internal, this.options.signingSecret) : null;
    if (principal?.kind !== "user" && principal?.kind !== "apiKey") {
      throw unauthenticated("The internal principal header is not valid");
    }
    return principal;
  }

  knownRateSubject(authorization: string | undefined): string | null {
    const token = bearerCredential(authorization);
    const claims = token && !token.startsWith(API_KEY_PREFIX) ? this.verifiedTokens.get(token) : undefined;
    return claims ? `user:${claims.userId}` : null;
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization) return { kind: "anonymous" };
    const credential = bearerCredential(authorization);
    if (!credential) throw unauthenticated("The Authorization header must be `Bearer <token or API key>`");
    return credential.startsWith(API_KEY_PREFIX) ? this.fromApiKey(credential) : this.fromAccessToken(credential);
  }

  private async fromAccessToken(token: string): Promise<AuthenticatedPrincipal> {
    let claims = this.verifiedTokens.get(token);
    if (!claims) {
      const result = await verifyAccessToken(this.options.verifyingKey, token);
      if (!result.ok) {
        throw unauthenticated(
          result.reason === "expired"
            ? "The access token has expired; refresh the session"
            : "The access token is not valid",
        );
      }
      claims = result.claims;
      this.verifiedTokens.add(token, claims);
    }
    const { userId, workspaceId, role, sessionId, issuedAt } = claims;
    const [sessionEnded, membershipEndedAt, cachedPlan] = await this.options.redis.mget(
      sessionRevokedKey(sessionId),
      membershipRevokedKey(userId, workspaceId),
      workspacePlanKey(workspaceId),
    );
    if (sessionEnded) throw unauthenticated("This session has ended; sign in again");
    // Seconds resolution: a token issued in the very second the membership ended is refused too.
    if (membershipEndedAt && issuedAt <= Number(membershipEndedAt)) {
      throw unauthenticated("You are no longer a member of this workspace");
    }
    return sessionPrincipal({ userId, workspaceId, role }, await this.planOf(workspaceId, cachedPlan));
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
    const plan = await this.planOf(
      identity.workspaceId,
      await this.options.redis.get(workspacePlanKey(identity.workspaceId)),
    );
    return { kind: "apiKey", ...identity, plan };
  }

  /**
   * The workspace's plan: the cached one, else billing's answer (cached for the next requests).
   * While billing cannot answer, the last plan known for the workspace holds; with none, the
   * request fails (503) rather than guess a plan.
   */
  private async planOf(workspaceId: string, cached: string | null | undefined): Promise<PlanName> {
    const { redis, billingUrl } = this.options;
    if (!billingUrl) return DEFAULT_PLAN;
    if (isPlanName(cached)) return cached;
    let plan: unknown;
    try {
      plan = (
        await this.callSubgraph<{ workspacePlan: string }>(
          billingUrl,
          "query ($id: ID!) { workspacePlan(workspaceId: $id) }",
          { id: workspaceId },
        )
      ).workspacePlan;
    } catch {
      const lastKnown = await redis.get(lastKnownPlanKey(workspaceId));
      if (isPlanName(lastKnown)) return lastKnown;
      throw appError(ErrorCode.INTERNAL, "The workspace's plan cannot be read right now; try again shortly", {
        http: { status: 503 },
      });
    }
    if (!isPlanName(plan)) throw new Error(`billing answered an unknown plan for ${workspaceId}`);
    await redis
      .multi()
      .set(workspacePlanKey(workspaceId), plan, "EX", PLAN_CACHE_SECONDS)
      .set(lastKnownPlanKey(workspaceId), plan)
      .exec();
    return plan;
  }

  private async lookUpApiKey(key: string): Promise<ApiKeyIdentity | null> {
    const data = await this.callSubgraph<{ apiKeyIdentity: ApiKeyIdentity | null }>(
      this.options.usersUrl,
      "query ($key: String!) { apiKeyIdentity(key: $key) { apiKeyId userId workspaceId role scopes } }",
      { key },
    );
    return data.apiKeyIdentity;
  }

  /** Asks a subgraph directly, as the gateway itself (for fields hidden from the public graph). */
  private async callSubgraph<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await fetch(url, {
      method: "POST",
      signal: AbortSignal.timeout(this.options.timeoutMs),
      headers: {
        "content-type": "application/json",
        [PRINCIPAL_HEADER]: signPrincipal({ kind: "service", service: "gateway" }, this.options.signingSecret),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (!response.ok || body.errors?.length || !body.data) {
      throw new Error(`${url} did not answer the gateway (${response.status})`);
    }
    return body.data;
  }
}
