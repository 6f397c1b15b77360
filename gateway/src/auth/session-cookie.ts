import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { COOKIE_SESSION_MODE, SESSION_MODE_HEADER } from "@mary/kit/core";

/**
 * Cookie mode: the web app sends `x-mary-session: cookie` on every request, and its refresh token
 * lives in this httpOnly cookie of the gateway instead of in a body page scripts can read.
 * Without the header the cookie is ignored, so a script cannot turn it into a token it reads.
 */
export const REFRESH_COOKIE = "mary_refresh";
/** The only path the cookie is sent to. */
export const REFRESH_COOKIE_PATH = "/graphql";

/** What the characters of a cookie value may be (RFC 6265's cookie-octet, less the quote). */
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

type HeaderValue = string | string[] | undefined;

const first = (value: HeaderValue) => (Array.isArray(value) ? value[0] : value);

/** True when the request asks for cookie mode. */
export function isCookieMode(headers: IncomingMessage["headers"]): boolean {
  return first(headers[SESSION_MODE_HEADER])?.trim().toLowerCase() === COOKIE_SESSION_MODE;
}

/** The value of the named cookie in a `Cookie` header (the first, when it appears more than once). */
export function readCookie(header: HeaderValue, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join("; ") : header;
  if (!text) return undefined;
  for (const pair of text.split(";")) {
    const equals = pair.indexOf("=");
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    let value = pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    return value || undefined;
  }
  return undefined;
}

/** True when the client reached us over HTTPS: on our own TLS socket, or so says a trusted proxy. */
export function isSecureRequest(req: Pick<IncomingMessage, "socket" | "headers">, trustProxy: boolean): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted === true) return true;
  if (!trustProxy) return false;
  return first(req.headers["x-forwarded-proto"])?.split(",")[0]?.trim().toLowerCase() === "https";
}

/** Reads a max-age in seconds; anything but a whole number of seconds is none. */
export function parseMaxAge(value: string | null | undefined): number | undefined {
  return value && /^\d{1,10}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/**
 * The Set-Cookie value that stores a refresh token (for `maxAgeSeconds`; without one, until the
 * browser closes), or with an empty token, clears the cookie. Secure when the client came over
 * HTTPS (a browser on plain http would drop a Secure cookie).
 */
export function refreshCookie(token: string, maxAgeSeconds: number | undefined, secure: boolean): string {
  if (!COOKIE_VALUE.test(token)) throw new Error("A refresh token holds characters a cookie cannot");
  const parts = [`${REFRESH_COOKIE}=${token}`, "HttpOnly", "SameSite=Strict", `Path=${REFRESH_COOKIE_PATH}`];
  if (!token) parts.push("Max-Age=0");
  else if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (secure) parts.push("Secure");
  return parts.join("; ");
}
