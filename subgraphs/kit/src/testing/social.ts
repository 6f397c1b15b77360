import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The Mastodon-API server that `scripts/services up` starts (GoToSocial, built by
// scripts/gotosocial/build.sh), or the `gotosocial` service of docker-compose.yml. Plain HTTP on
// loopback; registration open; no rate limits. Its accounts are made with GoToSocial's admin
// command; an app's user token comes from the OAuth 2 authorization-code flow, which
// mastodonAuthorize completes as a person in a browser would (sign in, then Allow).
//
// What this version (0.17.3) does not do, which a client must not rely on:
// - Idempotency-Key on POST /api/v1/statuses is ignored: the same key posts twice.
// - PKCE: code_challenge is accepted on /oauth/authorize but not kept, so /oauth/token takes any
//   code_verifier (or none).
// - There is no /oauth/revoke; a token stops working when its account is suspended
//   (suspendGoToSocialUser) or deletes itself.

/** Where GoToSocial serves (GOTOSOCIAL_URL; `scripts/services` serves http://127.0.0.1:8980). */
export const GOTOSOCIAL_URL = (process.env.GOTOSOCIAL_URL ?? "http://127.0.0.1:8980").replace(/\/+$/, "");

const root = fileURLToPath(new URL("../../../..", import.meta.url));

/**
 * The command that runs `gotosocial admin ...`, split on spaces: GOTOSOCIAL_ADMIN_COMMAND (with
 * docker compose: `docker compose exec -T gotosocial /gotosocial/gotosocial admin`), else the
 * binary `scripts/services` built, on the configuration it writes (SERVICES_DATA_DIR, default
 * `<repo>/.data`). The admin command opens the server's SQLite database beside the running server
 * (SQLite's locking makes that safe); the server caches accounts it has read, so change an account
 * with it only before the server has seen the account (create, confirm, promote a new user).
 */
export function gotosocialAdminCommand(): string[] {
  const configured = process.env.GOTOSOCIAL_ADMIN_COMMAND?.trim();
  if (configured) return configured.split(/\s+/);
  const dataDir = resolve(process.env.SERVICES_DATA_DIR ?? resolve(root, ".data"));
  return [
    process.env.GOTOSOCIAL_BIN ?? resolve(root, ".data/bin/gotosocial"),
    "--config-path",
    resolve(dataDir, "gotosocial/config.yaml"),
    "admin",
  ];
}

function gotosocialAdmin(args: string[]): Promise<void> {
  const [command, ...prefix] = gotosocialAdminCommand();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command!, [...prefix, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: string) => (output = (output + chunk).slice(-4000));
    child.stdout.setEncoding("utf8").on("data", collect);
    child.stderr.setEncoding("utf8").on("data", collect);
    child.on("error", (error) => reject(new Error(`could not run ${command}`, { cause: error })));
    child.on("close", (code) => {
      if (code === 0) resolvePromise();
      else {
        const reason = output.match(/msg="([^"]*)"/g)?.pop() ?? output.trim().split("\n").pop();
        reject(new Error(`gotosocial admin ${args.join(" ")} failed (${code}): ${reason}`));
      }
    });
  });
}

/** A GoToSocial account made for a test. It signs in with its email address and password. */
export interface GoToSocialUser {
  /** The account's id in the Mastodon API (GET /api/v1/accounts/:id). */
  id: string;
  username: string;
  email: string;
  password: string;
  /** `@username@host`, as other servers address it. */
  acct: string;
  /** A token of the helper's own app (scopes read write follow), for setting up a test. */
  accessToken: string;
}

function call(path: string, init: RequestInit & { token?: string; form?: Record<string, string> } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(init.form);
  }
  return fetch(new URL(path, `${GOTOSOCIAL_URL}/`), { ...init, headers, body, redirect: "manual" });
}

async function json<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/**
 * A confirmed, approved account on GoToSocial, made with the admin command (2 to 3 s each: make
 * several with Promise.all). Unlocked (follows are accepted at once) unless `locked`; an instance
 * admin when `admin`.
 */
export async function createGoToSocialUser(
  options: { username?: string; password?: string; admin?: boolean; locked?: boolean } = {},
): Promise<GoToSocialUser> {
  // Usernames: lower-case letters, digits and underscores, at most 64.
  const username = options.username ?? `u${randomBytes(6).toString("hex")}`;
  const email = `${username}@mary.test`;
  // GoToSocial wants a strong password (go-password-validator, entropy >= 60 bits).
  const password = options.password ?? `Pw-${randomBytes(12).toString("base64url")}`;
  // `create` marks the email confirmed and the account approved.
  await gotosocialAdmin(["account", "create", "--username", username, "--email", email, "--password", password]);
  if (options.admin) await gotosocialAdmin(["account", "promote", "--username", username]);

  const app = await registerMastodonApp({ clientName: "Mary test setup" });
  const { accessToken } = await mastodonLogin({ app, email, password });
  let account = await json<{ id: string; username: string }>(
    await call("api/v1/accounts/verify_credentials", { token: accessToken }),
    "verify_credentials",
  );
  if (!options.locked) {
    // GoToSocial's accounts start locked: each follower needs approval.
    account = await json(
      await call("api/v1/accounts/update_credentials", {
        method: "PATCH",
        token: accessToken,
        form: { locked: "false" },
      }),
      "update_credentials",
    );
  }
  const host = new URL(GOTOSOCIAL_URL).host;
  return { id: account.id, username, email, password, acct: `@${username}@${host}`, accessToken };
}

/** An app registered on the server (POST /api/v1/apps). */
export interface MastodonApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string;
}

/** POST /api/v1/apps. `redirectUri` defaults to the out-of-band one (the code is shown on a page). */
export async function registerMastodonApp(
  options: { clientName?: string; redirectUri?: string; scopes?: string; baseUrl?: string } = {},
): Promise<MastodonApp> {
  const scopes = options.scopes ?? "read write follow";
  const redirectUri = options.redirectUri ?? "urn:ietf:wg:oauth:2.0:oob";
  const response = await fetch(`${options.baseUrl ?? GOTOSOCIAL_URL}/api/v1/apps`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: options.clientName ?? "Mary", redirect_uris: redirectUri, scopes }),
  });
  const app = await json<{ client_id: string; client_secret: string }>(response, "POST /api/v1/apps");
  return { clientId: app.client_id, clientSecret: app.client_secret, redirectUri, scopes };
}

/** A PKCE pair: a random verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string; method: "S256" } {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge, method: "S256" };
}

/** The /oauth/authorize URL an app sends its user to (response_type=code). */
export function mastodonAuthorizeUrl(
  app: MastodonApp,
  options: { state?: string; codeChallenge?: string; baseUrl?: string } = {},
): string {
  const url = new URL("/oauth/authorize", options.baseUrl ?? GOTOSOCIAL_URL);
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("redirect_uri", app.redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", app.scopes);
  if (options.state) url.searchParams.set("state", options.state);
  if (options.codeChallenge) {
    url.searchParams.set("code_challenge", options.codeChallenge);
    url.searchParams.set("code_challenge_method", "S256");
  }
  return url.toString();
}

/**
 * Completes GoToSocial's consent for an authorize URL as its user would in a browser: opens it
 * (GoToSocial keeps the request in a session cookie and sends the browser to /auth/sign_in),
 * signs in with email and password, and presses Allow on the /oauth/authorize page. Returns where
 * GoToSocial then redirects: the app's redirect_uri with `code` and `state`. With the
 * out-of-band redirect_uri, the code is read from GoToSocial's page instead.
 * A wrong password throws (GoToSocial answers the sign-in with its error page).
 */
export async function mastodonAuthorize(options: {
  authorizeUrl: string;
  email: string;
  password: string;
}): Promise<{ code: string; state: string | null; location: string }> {
  const authorizeUrl = new URL(options.authorizeUrl);
  const origin = authorizeUrl.origin;
  const cookies = new Map<string, string>();
  const browse = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(new URL(path, origin), { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const at = pair.indexOf("=");
      if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  };
  const form = (fields: Record<string, string>): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  const expectRedirect = async (response: Response, step: string) => {
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || !location) {
      const text = await response.text();
      const reason = text.match(/<p[^>]*>([^<]*(?:error|invalid|incorrect|password)[^<]*)<\/p>/i)?.[1];
      throw new Error(`GoToSocial ${step}: ${response.status}${reason ? ` (${reason.trim()})` : ""}`);
    }
    return location;
  };

  let location = await expectRedirect(await browse(authorizeUrl.pathname + authorizeUrl.search), "authorize");
  if (new URL(location, origin).pathname === "/auth/sign_in") {
    location = await expectRedirect(
      await browse("/auth/sign_in", form({ username: options.email, password: options.password })),
      "sign in",
    );
  }
  // The consent page (sign-in sends the browser back to /oauth/authorize), then its Allow button:
  // a form that posts nothing but the session cookie.
  const page = await browse(location);
  if (page.status !== 200) await expectRedirect(page, "consent page");
  await page.text();
  const allowed = await browse("/oauth/authorize", form({}));
  const target = await expectRedirect(allowed, "allow");
  const redirect = new URL(target, origin);
  if (redirect.origin === origin && redirect.pathname === "/oauth/oob") {
    const oob = await browse(redirect.pathname + redirect.search);
    const html = await oob.text();
    const code = html.match(/<code>([^<]+)<\/code>/)?.[1];
    if (!code) throw new Error("GoToSocial out-of-band page without a code");
    return { code, state: authorizeUrl.searchParams.get("state"), location: redirect.toString() };
  }
  const code = redirect.searchParams.get("code");
  if (!code) throw new Error(`GoToSocial redirected without a code: ${target}`);
  return { code, state: redirect.searchParams.get("state"), location: redirect.toString() };
}

/** POST /oauth/token with grant_type=authorization_code. */
export async function mastodonToken(options: {
  app: MastodonApp;
  code: string;
  codeVerifier?: string;
  baseUrl?: string;
}): Promise<{ accessToken: string; scope: string }> {
  const response = await fetch(`${options.baseUrl ?? GOTOSOCIAL_URL}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "authorization_code",
      code: options.code,
      client_id: options.app.clientId,
      client_secret: options.app.clientSecret,
      redirect_uri: options.app.redirectUri,
      ...(options.codeVerifier ? { code_verifier: options.codeVerifier } : {}),
    }),
  });
  const token = await json<{ access_token: string; scope: string }>(response, "POST /oauth/token");
  return { accessToken: token.access_token, scope: token.scope };
}

/** The whole flow for one user: authorize (with PKCE), consent, and the token. */
export async function mastodonLogin(options: {
  app: MastodonApp;
  email: string;
  password: string;
}): Promise<{ accessToken: string }> {
  const pkce = pkcePair();
  const state = randomBytes(8).toString("hex");
  const { code } = await mastodonAuthorize({
    authorizeUrl: mastodonAuthorizeUrl(options.app, { state, codeChallenge: pkce.challenge }),
    email: options.email,
    password: options.password,
  });
  return mastodonToken({ app: options.app, code, codeVerifier: pkce.verifier });
}

/** The instance admin `scripts/services` makes at GoToSocial's first start (GOTOSOCIAL_ADMIN_*). */
export const GOTOSOCIAL_ADMIN = {
  email: process.env.GOTOSOCIAL_ADMIN_EMAIL ?? "admin@mary.test",
  password: process.env.GOTOSOCIAL_ADMIN_PASSWORD ?? "Mary-local-admin-password-1",
};

let adminToken: Promise<string> | undefined;

/** A token of the instance admin (one per process), for the admin API. */
export function gotosocialAdminToken(): Promise<string> {
  adminToken ??= registerMastodonApp({ clientName: "Mary test admin" })
    .then((app) => mastodonLogin({ app, ...GOTOSOCIAL_ADMIN }))
    .then(({ accessToken }) => accessToken);
  adminToken.catch(() => (adminToken = undefined));
  return adminToken;
}

/**
 * Makes every token of a user fail (401), as a revoked grant does elsewhere: the instance admin
 * suspends the account through the admin API (GoToSocial 0.17 has no token revocation, and the
 * admin command's `disable` is not seen by a running server, which caches accounts). The
 * suspension runs in the background; this waits until the user's token is refused.
 */
export async function suspendGoToSocialUser(user: GoToSocialUser): Promise<void> {
  await json(
    await call(`api/v1/admin/accounts/${user.id}/action`, {
      method: "POST",
      token: await gotosocialAdminToken(),
      form: { type: "suspend", text: "suspended by a test" },
    }),
    "admin account action",
  );
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const response = await call("api/v1/accounts/verify_credentials", { token: user.accessToken });
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`GoToSocial did not suspend ${user.username} within 15 s`);
}
