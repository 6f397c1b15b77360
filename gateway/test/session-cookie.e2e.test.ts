import { randomUUID } from "node:crypto";
import type { RunningServer } from "@mary/kit";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startPlatform, type Platform } from "./platform.ts";

// The web app's cookie mode: with `x-mary-session: cookie` the refresh token lives in the
// gateway's httpOnly `mary_refresh` cookie, never in a body; without the header nothing changes.

let platform: Platform;
/** A gateway behind a trusted proxy (TRUST_PROXY=true), which believes x-forwarded-proto. */
let proxied: RunningServer;
/** How long a browser may present a used refresh cookie again (users' REFRESH_REUSE_GRACE_SECONDS). */
const REUSE_GRACE_MS = 1_000;
beforeAll(async () => {
  platform = await startPlatform({ REFRESH_REUSE_GRACE_SECONDS: String(REUSE_GRACE_MS / 1000) });
  proxied = await platform.startGateway({ TRUST_PROXY: "true" });
});
afterAll(async () => {
  await platform?.stop();
});

const PASSWORD = "correct-horse-42";
const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken user { id } workspace { id } }
}`;
const LOG_IN = `mutation ($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation { refreshSession { accessToken refreshToken user { id } workspace { id } } }`;
const REFRESH_WITH = `mutation ($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken } }`;
const LOG_OUT = `mutation { logOut }`;
const ME = `{ me { id } }`;

interface Answer {
  status: number;
  data?: any;
  errors?: { message: string; extensions?: { code?: string } }[];
  /** The answer's Set-Cookie headers. */
  setCookies: string[];
}

interface Sent {
  /** Send `x-mary-session: cookie` (the web app always does). */
  cookieMode?: boolean;
  /** The value of the mary_refresh cookie the browser holds. */
  cookie?: string;
  accessToken?: string;
  url?: string;
  headers?: Record<string, string>;
}

/** One operation as the web app (or another client) sends it: a JSON POST with explicit headers. */
async function send(query: string, variables: Record<string, unknown> = {}, sent: Sent = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json", ...sent.headers };
  if (sent.cookieMode) headers["x-mary-session"] = "cookie";
  if (sent.cookie !== undefined) headers.cookie = `theme=dark; mary_refresh=${sent.cookie}`;
  if (sent.accessToken) headers.authorization = `Bearer ${sent.accessToken}`;
  const response = await fetch(sent.url ?? platform.url, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Pick<Answer, "data" | "errors">;
  return { status: response.status, ...body, setCookies: response.headers.getSetCookie() };
}

interface Cookie {
  name: string;
  value: string;
  /** Attribute names as sent, with their values ("" for flags). */
  attributes: Map<string, string>;
}

/** The answer's one mary_refresh Set-Cookie, parsed. */
function refreshCookieOf(answer: Answer): Cookie {
  const cookies = answer.setCookies.filter((header) => header.startsWith("mary_refresh="));
  expect(cookies).toHaveLength(1);
  const [pair, ...attributes] = cookies[0]!.split(";").map((part) => part.trim());
  const [name, value] = pair!.split("=") as [string, string];
  return {
    name,
    value,
    attributes: new Map(
      attributes.map((attribute) => {
        const [key, ...rest] = attribute.split("=");
        return [key!, rest.join("=")];
      }),
    ),
  };
}

const code = (answer: Answer) => answer.errors?.[0]?.extensions?.code;

/** A new account (through a non-cookie client, which also proves they are unchanged). */
async function newAccount() {
  const input = {
    email: `cookie-${randomUUID()}@example.com`,
    password: PASSWORD,
    name: "Cookie User",
    workspaceName: "Cookie Team",
  };
  const answer = await send(SIGN_UP, { input });
  expect(answer.errors).toBeUndefined();
  return { email: input.email, ...(answer.data.signUp as { accessToken: string; refreshToken: string }) };
}

/** Logs in in cookie mode; returns the access token and the cookie's value. */
async function logInWithCookie(email: string, sent: Sent = {}) {
  const answer = await send(LOG_IN, { input: { email, password: PASSWORD } }, { cookieMode: true, ...sent });
  expect(answer.errors).toBeUndefined();
  const cookie = refreshCookieOf(answer);
  return { answer, cookie, accessToken: answer.data.logIn.accessToken as string, token: cookie.value };
}

async function meWith(accessToken: string) {
  return send(ME, {}, { accessToken });
}

describe("cookie mode (x-mary-session: cookie)", () => {
  test("logIn puts the refresh token in an httpOnly, SameSite=Strict cookie on /graphql, not in the body", async () => {
    const account = await newAccount();
    const { answer, cookie, accessToken } = await logInWithCookie(account.email);
    expect(answer.data.logIn.refreshToken).toBeNull();
    expect(cookie.name).toBe("mary_refresh");
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes.has("HttpOnly")).toBe(true);
    expect(cookie.attributes.get("SameSite")).toBe("Strict");
    expect(cookie.attributes.get("Path")).toBe("/graphql");
    expect(Number(cookie.attributes.get("Max-Age"))).toBe(30 * 86_400);
    // Plain http, and no trusted proxy saying otherwise.
    expect(cookie.attributes.has("Secure")).toBe(false);
    expect((await meWith(accessToken)).data.me.id).toBeTruthy();
  });

  test("signUp in cookie mode sets the cookie too", async () => {
    const input = { email: `cookie-${randomUUID()}@example.com`, password: PASSWORD, name: "New", workspaceName: "N" };
    const answer = await send(SIGN_UP, { input }, { cookieMode: true });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.signUp.refreshToken).toBeNull();
    const refreshed = await send(REFRESH, {}, { cookieMode: true, cookie: refreshCookieOf(answer).value });
    expect(refreshed.data.refreshSession.user.id).toBe(answer.data.signUp.user.id);
  });

  test("the cookie is Secure when a trusted proxy says the client came over HTTPS, and only then", async () => {
    const account = await newAccount();
    const https = { "x-forwarded-proto": "https" };
    const behindProxy = await logInWithCookie(account.email, { url: proxied.url, headers: https });
    expect(behindProxy.cookie.attributes.has("Secure")).toBe(true);
    const plainBehindProxy = await logInWithCookie(account.email, { url: proxied.url });
    expect(plainBehindProxy.cookie.attributes.has("Secure")).toBe(false);
    // The default gateway trusts no proxy: a client cannot claim HTTPS for itself.
    const untrusted = await logInWithCookie(account.email, { headers: https });
    expect(untrusted.cookie.attributes.has("Secure")).toBe(false);
    // Refreshing keeps it Secure.
    const refreshed = await send(
      REFRESH,
      {},
      { url: proxied.url, headers: https, cookieMode: true, cookie: behindProxy.token },
    );
    expect(refreshed.errors).toBeUndefined();
    expect(refreshCookieOf(refreshed).attributes.has("Secure")).toBe(true);
  });

  test("refreshSession without an argument trades the cookie for a new one; reusing the old one later ends the session", async () => {
    const account = await newAccount();
    const first = await logInWithCookie(account.email);

    const refreshed = await send(REFRESH, {}, { cookieMode: true, cookie: first.token });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data.refreshSession.refreshToken).toBeNull();
    const second = refreshCookieOf(refreshed);
    expect(second.value).not.toBe(first.token);
    expect(second.attributes.has("HttpOnly")).toBe(true);
    expect(Number(second.attributes.get("Max-Age"))).toBeGreaterThan(0);
    const newAccess = refreshed.data.refreshSession.accessToken as string;
    expect((await meWith(newAccess)).data.me.id).toBe(refreshed.data.refreshSession.user.id);

    // The old cookie again at once (a page reloaded before the rotated cookie arrived, a second
    // tab): another pair of the same session.
    const again = await send(REFRESH, {}, { cookieMode: true, cookie: first.token });
    expect(again.errors).toBeUndefined();
    expect(refreshCookieOf(again).value).not.toBe(second.value);
    expect((await meWith(again.data.refreshSession.accessToken)).data.me.id).toBe(
      refreshed.data.refreshSession.user.id,
    );

    // The old cookie after the grace (a stolen copy, say): refused, and the whole session ends.
    await new Promise((resolve) => setTimeout(resolve, REUSE_GRACE_MS + 200));
    const reused = await send(REFRESH, {}, { cookieMode: true, cookie: first.token });
    expect(code(reused)).toBe("UNAUTHENTICATED");
    expect(reused.setCookies).toEqual([]);
    const afterReuse = await send(REFRESH, {}, { cookieMode: true, cookie: second.value });
    expect(code(afterReuse)).toBe("UNAUTHENTICATED");
    expect(code(await meWith(newAccess))).toBe("UNAUTHENTICATED");
  });

  test("without x-mary-session the cookie is ignored", async () => {
    const account = await newAccount();
    const { token } = await logInWithCookie(account.email);

    const ignored = await send(REFRESH, {}, { cookie: token });
    expect(code(ignored)).toBe("UNAUTHENTICATED");
    expect(ignored.errors?.[0]?.message).toBe("Not signed in: no refresh token was given");
    expect(ignored.setCookies).toEqual([]);
    const logOut = await send(LOG_OUT, {}, { cookie: token });
    expect(code(logOut)).toBe("UNAUTHENTICATED");

    // The cookie was neither used nor ended: the web app's next refresh still works.
    const refreshed = await send(REFRESH, {}, { cookieMode: true, cookie: token });
    expect(refreshed.errors).toBeUndefined();
  });

  test("a client cannot hand the gateway's internal header a token itself", async () => {
    const account = await newAccount();
    const answer = await send(
      REFRESH,
      {},
      { cookieMode: true, headers: { "x-mary-refresh-token": account.refreshToken } },
    );
    expect(code(answer)).toBe("UNAUTHENTICATED");
    expect(answer.errors?.[0]?.message).toBe("Not signed in: no refresh token was given");
    // Untouched: the token still refreshes as an argument.
    expect((await send(REFRESH_WITH, { token: account.refreshToken })).errors).toBeUndefined();
  });

  test("in cookie mode without a cookie there is nothing to refresh", async () => {
    const answer = await send(REFRESH, {}, { cookieMode: true });
    expect(code(answer)).toBe("UNAUTHENTICATED");
    expect(answer.errors?.[0]?.message).toBe("Not signed in: no refresh token was given");
    expect(answer.setCookies).toEqual([]);
  });

  test("logOut in cookie mode clears the cookie and ends the session", async () => {
    const account = await newAccount();
    const { token, accessToken } = await logInWithCookie(account.email);

    const loggedOut = await send(LOG_OUT, {}, { cookieMode: true, cookie: token });
    expect(loggedOut.errors).toBeUndefined();
    expect(loggedOut.data.logOut).toBe(true);
    const cleared = refreshCookieOf(loggedOut);
    expect(cleared.value).toBe("");
    expect(cleared.attributes.get("Max-Age")).toBe("0");
    expect(cleared.attributes.get("Path")).toBe("/graphql");
    expect(cleared.attributes.has("HttpOnly")).toBe(true);

    expect(code(await send(REFRESH, {}, { cookieMode: true, cookie: token }))).toBe("UNAUTHENTICATED");
    expect(code(await meWith(accessToken))).toBe("UNAUTHENTICATED");
  });

  test("switchWorkspace in cookie mode sets a new cookie for the new workspace's session", async () => {
    const account = await newAccount();
    const { token, accessToken } = await logInWithCookie(account.email);
    const created = await send(`mutation { createWorkspace(name: "Second") { id } }`, {}, { accessToken });
    const secondId = created.data.createWorkspace.id as string;

    const switched = await send(
      `mutation ($id: ID!) { switchWorkspace(workspaceId: $id) { accessToken refreshToken workspace { id } } }`,
      { id: secondId },
      { cookieMode: true, cookie: token, accessToken },
    );
    expect(switched.errors).toBeUndefined();
    expect(switched.data.switchWorkspace).toMatchObject({ refreshToken: null, workspace: { id: secondId } });
    const cookie = refreshCookieOf(switched);
    expect(cookie.value).not.toBe(token);
    expect(Number(cookie.attributes.get("Max-Age"))).toBeGreaterThan(0);

    const refreshed = await send(REFRESH, {}, { cookieMode: true, cookie: cookie.value });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data.refreshSession.workspace.id).toBe(secondId);
  });

  test("a query in cookie mode sets no cookie", async () => {
    const account = await newAccount();
    const { token, accessToken } = await logInWithCookie(account.email);
    const answer = await send(ME, {}, { cookieMode: true, cookie: token, accessToken });
    expect(answer.data.me.id).toBeTruthy();
    expect(answer.setCookies).toEqual([]);
  });
});

describe("clients without cookie mode", () => {
  test("get the refresh token in the body and refresh with the argument, as before", async () => {
    const account = await newAccount();
    expect(account.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const loggedIn = await send(LOG_IN, { input: { email: account.email, password: PASSWORD } });
    expect(loggedIn.setCookies).toEqual([]);
    expect(loggedIn.data.logIn.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const refreshed = await send(REFRESH_WITH, { token: loggedIn.data.logIn.refreshToken });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.setCookies).toEqual([]);
    const next = refreshed.data.refreshSession as { accessToken: string; refreshToken: string };
    expect(next.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(next.refreshToken).not.toBe(loggedIn.data.logIn.refreshToken);
    expect((await meWith(next.accessToken)).data.me.id).toBeTruthy();

    const loggedOut = await send(`mutation ($t: String!) { logOut(refreshToken: $t) }`, { t: next.refreshToken });
    expect(loggedOut.data.logOut).toBe(true);
    expect(loggedOut.setCookies).toEqual([]);
    expect(code(await send(REFRESH_WITH, { token: next.refreshToken }))).toBe("UNAUTHENTICATED");
  });

  test("refreshSession and logOut with no token at all are UNAUTHENTICATED", async () => {
    for (const query of [REFRESH, LOG_OUT]) {
      const answer = await send(query);
      expect(code(answer)).toBe("UNAUTHENTICATED");
      expect(answer.errors?.[0]?.message).toBe("Not signed in: no refresh token was given");
    }
  });
});

describe("CSRF", () => {
  test("a cookie-mode refreshSession sent as a simple request is refused, and the cookie is not rotated", async () => {
    const account = await newAccount();
    const { token } = await logInWithCookie(account.email);

    const body = JSON.stringify({ query: REFRESH });
    for (const headers of [
      // What a cross-site form or no-cors fetch can send: a simple content type and the browser's cookie.
      { "content-type": "text/plain", cookie: `mary_refresh=${token}` },
      { "content-type": "text/plain", cookie: `mary_refresh=${token}`, "x-mary-session": "cookie" },
      {
        "content-type": "application/x-www-form-urlencoded",
        cookie: `mary_refresh=${token}`,
        "x-mary-session": "cookie",
      },
    ]) {
      const response = await fetch(platform.url, { method: "POST", headers, body });
      expect(response.status).toBe(400);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
    }
    const viaGet = await fetch(`${platform.url}?query=${encodeURIComponent(REFRESH)}`, {
      headers: { cookie: `mary_refresh=${token}`, "x-mary-session": "cookie" },
    });
    expect(viaGet.status).toBe(400);
    expect(viaGet.headers.getSetCookie()).toEqual([]);

    // The token was never used: it still refreshes (once).
    const refreshed = await send(REFRESH, {}, { cookieMode: true, cookie: token });
    expect(refreshed.errors).toBeUndefined();
    expect(refreshCookieOf(refreshed).value).not.toBe(token);
  });

  test("CORS preflight allows the x-mary-session header for allowed origins", async () => {
    const response = await fetch(platform.url, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, x-mary-session",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")).toContain("x-mary-session");
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
  });
});
