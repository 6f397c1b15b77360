import { createPublicKey } from "node:crypto";
import { appError, ErrorCode, readPem } from "@mary/kit/core";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { GatewayPrincipal, TokenPrincipal } from "../context.ts";
import type { Authenticator } from "./authenticator.ts";

/** How a foreign supergraph's access tokens are checked (see `tokenVerification`). */
export interface TokenVerification {
  /** The key (or key set) that signed the token, picked by its header. */
  key: JWTVerifyGetKey;
  /** What the key is, for the start log. */
  source: string;
  issuer?: string;
  audience?: string[];
}

/** The JWT settings, as the environment gives them (see config.ts). */
export interface JwtSettings {
  publicKey?: string;
  publicKeyFile?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string[];
}

const unauthenticated = (message: string) => appError(ErrorCode.UNAUTHENTICATED, message, { http: { status: 401 } });

/** jose's codes for a token that is at fault (anything else, such as a JWKS that cannot be fetched, is the gateway's trouble). */
const INVALID_TOKEN_CODES = new Set([
  "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
  "ERR_JWT_CLAIM_VALIDATION_FAILED",
  "ERR_JWS_INVALID",
  "ERR_JWT_INVALID",
  "ERR_JOSE_ALG_NOT_ALLOWED",
  "ERR_JOSE_NOT_SUPPORTED",
  "ERR_JWKS_NO_MATCHING_KEY",
  "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
]);

/**
 * The verification configured for a foreign supergraph, or null when none is: a public key
 * (PEM, inline or from a file; RSA, EC or Ed25519, the algorithm read from the key) or a JWKS
 * URL (fetched when a token names a key not seen yet, and cached), not both.
 */
export function tokenVerification(jwt: JwtSettings): TokenVerification | null {
  const hasKey = jwt.publicKey !== undefined || jwt.publicKeyFile !== undefined;
  if (hasKey && jwt.jwksUrl) {
    throw new Error(
      "Invalid configuration:\n  JWT_JWKS_URL: set either a public key (JWT_PUBLIC_KEY[_FILE]) or a JWKS URL",
    );
  }
  const checks = { issuer: jwt.issuer, audience: jwt.audience };
  if (jwt.jwksUrl) {
    return { key: createRemoteJWKSet(new URL(jwt.jwksUrl)), source: `the JWKS at ${jwt.jwksUrl}`, ...checks };
  }
  if (!hasKey) return null;
  const publicKey = createPublicKey(readPem(jwt.publicKey, jwt.publicKeyFile ?? "", "JWT_PUBLIC_KEY_FILE"));
  return { key: async () => publicKey, source: `the public key (${publicKey.asymmetricKeyType})`, ...checks };
}

/**
 * Authentication for a supergraph without Mary's accounts: `Authorization: Bearer <JWT>`
 * verified with the configured key or JWKS (signature, expiry, which it must have, and issuer
 * and audience when configured), the principal being its claims. Without a configured
 * verification every request is anonymous, and one that brings credentials is refused rather
 * than let through unchecked. Mary's own internal header means nothing here.
 */
export class TokenAuthenticator implements Authenticator {
  constructor(private readonly verification: TokenVerification | null) {}

  async authenticateRequest(headers: Record<string, string | string[] | undefined>): Promise<GatewayPrincipal> {
    const authorization = headers.authorization;
    return this.authenticate(Array.isArray(authorization) ? authorization[0] : authorization);
  }

  async authenticate(authorization: string | undefined): Promise<GatewayPrincipal> {
    if (!authorization) return { kind: "anonymous" };
    if (!this.verification) {
      throw unauthenticated(
        "This gateway accepts no credentials (it has no key to verify tokens with); send the request without Authorization",
      );
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw unauthenticated("The Authorization header must be `Bearer <token>`");
    return this.verify(match[1]);
  }

  private async verify(token: string): Promise<TokenPrincipal> {
    const { key, issuer, audience } = this.verification!;
    try {
      const { payload } = await jwtVerify(token, key, { issuer, audience, requiredClaims: ["exp"] });
      return { kind: "token", subject: payload.sub, claims: payload, token };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "ERR_JWT_EXPIRED") throw unauthenticated("The access token has expired; get a new one");
      if (typeof code === "string" && INVALID_TOKEN_CODES.has(code)) {
        throw unauthenticated("The access token is not valid");
      }
      // The JWKS could not be fetched or read: admission answers 503, and the caller may retry.
      throw error;
    }
  }
}
