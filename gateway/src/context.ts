import type { Logger, Principal } from "@mary/kit/core";
import type { JWTPayload } from "jose";

/**
 * A caller of a supergraph without Mary's accounts, signed in by its own identity provider: the
 * JWT the gateway verified (see auth/token-authenticator.ts) and its claims.
 */
export interface TokenPrincipal {
  kind: "token";
  /** The token's `sub`, when it has one: whom rate limits and subscription caps count. */
  subject?: string;
  claims: JWTPayload;
  /** The token itself, passed on to the subgraphs as `Authorization: Bearer …`. */
  token: string;
}

/** Who calls: one of Mary's principals, or a foreign supergraph's token caller. */
export type GatewayPrincipal = Principal | TokenPrincipal;

/** What every operation carries through the gateway: who asks, how to log and trace it, and its session cookie. */
export interface GatewayContext {
  principal: GatewayPrincipal;
  requestId: string;
  log: Logger;
  /** Cookie mode (see auth/session-cookie.ts), for operations over HTTP; none over WebSocket. */
  session?: GatewaySession;
}

/** Whether the request keeps its refresh token in the gateway's httpOnly cookie, and that cookie's state. */
export interface GatewaySession {
  /** The request asked for cookie mode (`x-mary-session: cookie`). */
  cookieMode: boolean;
  /** The refresh token of the request's cookie; read in cookie mode only. */
  refreshToken?: string;
  /** The request came over HTTPS, so the cookie is set Secure. */
  secure?: boolean;
  /** The Set-Cookie value for the answer, when the users subgraph handed over a new token or cleared it. */
  setCookie?: string;
}
