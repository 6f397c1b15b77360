import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  clientErrorFormatter,
  closeServer,
  COOKIE_SESSION_MODE,
  createLogger,
  createRedis,
  DEFAULT_PUBLIC_KEY_FILE,
  ErrorCode,
  handleGraphQLRequest,
  HttpError,
  readGraphQLBody,
  importVerifyingKey,
  listen,
  readBody,
  PRINCIPAL_HEADER,
  readPem,
  REFRESH_MAX_AGE_HEADER,
  REFRESH_TOKEN_HEADER,
  REQUEST_ID_HEADER,
  sendGraphQLError,
  sendHttpError,
  sendJson,
  SESSION_MODE_HEADER,
  SET_REFRESH_TOKEN_HEADER,
  signPrincipal,
  SUBGRAPH_MAX_BODY_BYTES,
  type Principal,
  type Redis,
  type RunningServer,
} from "@mary/kit/core";
import { BREAK, visit, type DocumentNode } from "graphql";
import type { DestinationStream } from "pino";
import { Admission, admissionPlugin } from "./admission.ts";
import { MaryAuthenticator, type Authenticator } from "./auth/authenticator.ts";
import {
  isCookieMode,
  isSecureRequest,
  parseMaxAge,
  readCookie,
  REFRESH_COOKIE,
  refreshCookie,
} from "./auth/session-cookie.ts";
import { TokenAuthenticator, tokenVerification } from "./auth/token-authenticator.ts";
import { gatewaySettings, subgraphUrlOverrides, type GatewayConfig } from "./config.ts";
import type { GatewayContext, GatewayPrincipal, GatewaySession } from "./context.ts";
import { createFederation, type SubgraphEndpoint } from "./core/federation.ts";
import { PlanGateway } from "./core/plan-gateway.ts";
import { JsonPostPath } from "./json-post.ts";
import { ApiCallQuota } from "./limits/api-quota.ts";
import { RateLimiter } from "./limits/rate-limit.ts";
import { describeParts, maryParts, redisUrlFor, type MaryParts } from "./mary-parts.ts";
import { serveWebSockets } from "./websocket.ts";

export interface GatewayOptions {
  /** Subgraph URLs by name, overriding the supergraph's routing URLs (and `<NAME>_URL` variables). */
  subgraphUrls?: Record<string, string>;
  /** Where the gateway's log lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
}

/** Sets CORS headers for allowed origins; answers preflight requests. Returns true when the request is done. */
function applyCors(req: IncomingMessage, res: ServerResponse, allowed: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin && allowed.has(origin)) {
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("vary", "Origin");
    res.setHeader("access-control-allow-credentials", "true");
  }
  if (req.method !== "OPTIONS") return false;
  res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
  res.setHeader(
    "access-control-allow-headers",
    `authorization, content-type, apollo-require-preflight, x-request-id, ${SESSION_MODE_HEADER}`,
  );
  res.setHeader("access-control-max-age", "600");
  res.writeHead(origin && allowed.has(origin) ? 204 : 403).end();
  return true;
}

/** The caller's address: the socket's peer, or the proxy's word for it when the proxy is trusted. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return (trustProxy && first) || req.socket.remoteAddress || "unknown";
}

/**
 * Whether each subgraph is ready: Mary's report it on /readyz (their datastores included); any
 * other GraphQL server is asked `{ __typename }`, which every one answers.
 */
async function subgraphsReady(subgraphs: SubgraphEndpoint[], marys: boolean): Promise<Record<string, boolean>> {
  const results = await Promise.all(
    subgraphs.map(async ({ name, url }) => {
      try {
        const signal = AbortSignal.timeout(2_000);
        const response = marys
          ? await fetch(new URL("/readyz", url), { signal })
          : await fetch(url, {
              method: "POST",
              signal,
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ query: "{ __typename }" }),
            });
        return [name, response.ok] as const;
      } catch {
        return [name, false] as const;
      }
    }),
  );
  return Object.fromEntries(results);
}

/** Fields whose answer depends on which user asks (a user sees all their own memberships, others' in this workspace only). */
const VIEWER_DEPENDENT_FIELDS = new Set(["memberships"]);

const viewerDependent = new WeakMap<DocumentNode, boolean>();

/**
 * True when the document selects one of VIEWER_DEPENDENT_FIELDS anywhere (fragments included);
 * found once per document (admission hands the same one to every viewer of it).
 */
const selectsViewerDependentField = (document: DocumentNode) => {
  let found = viewerDependent.get(document);
  if (found !== undefined) return found;
  found = false;
  visit(document, {
    Field: (field) => {
      if (!VIEWER_DEPENDENT_FIELDS.has(field.name.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  viewerDependent.set(document, found);
  return found;
};

/**
 * Which subscriptions may share one subscription to their subgraph: those whose every field
 * resolves the same, that is the same kind of principal in the same workspace with the same
 * role, scopes and plan, and the same user too when a field depends on who asks. Service and
 * anonymous principals never share.
 */
function subscriptionShareKey(principal: GatewayPrincipal, document: DocumentNode): string | null {
  if (principal.kind !== "user" && principal.kind !== "apiKey") return null;
  const key = [
    principal.kind,
    principal.workspaceId,
    principal.role,
    [...principal.scopes].sort().join(","),
    principal.plan,
  ];
  if (selectsViewerDependentField(document)) key.push(principal.userId);
  return key.join("|");
}

const STRIPE_WEBHOOK_PATH = "/webhooks/stripe";
const MASTODON_CALLBACK_PATH = "/oauth/mastodon/callback";

/** The subgraph that issues sessions: the only one cookie mode's headers go to and come from. */
const SESSIONS_SUBGRAPH = "users";

/** The request's cookie mode: on with the header, and only then with the cookie's refresh token. */
function sessionOf(req: IncomingMessage, trustProxy: boolean): GatewaySession {
  if (!isCookieMode(req.headers)) return { cookieMode: false };
  return {
    cookieMode: true,
    refreshToken: readCookie(req.headers.cookie, REFRESH_COOKIE),
    secure: isSecureRequest(req, trustProxy),
  };
}

/** Cookie mode's headers for the users subgraph: the mode, and the refresh token of the cookie. */
function sessionHeaders(session: GatewaySession | undefined, subgraphName: string): Record<string, string> {
  if (subgraphName !== SESSIONS_SUBGRAPH || !session?.cookieMode) return {};
  return {
    [SESSION_MODE_HEADER]: COOKIE_SESSION_MODE,
    ...(session.refreshToken ? { [REFRESH_TOKEN_HEADER]: session.refreshToken } : {}),
  };
}

/**
 * What the subgraphs learn of the caller: its principal in the signed internal header and, for a
 * token caller of a foreign supergraph, the verified token itself as `Authorization`, since such
 * subgraphs are written against their identity provider's tokens (the claims are in the signed
 * header too, for those that trust the gateway instead). Nothing the client sent is passed on
 * unverified.
 */
/**
 * The caller's headers, signed once per operation rather than per subgraph request (a plan has
 * many): kept with the operation's context for a few seconds, well inside the signature's
 * validity, so a long subscription's later fetches are signed afresh.
 */
function signedCallers(secret: string) {
  const signed = new WeakMap<GatewayContext, { at: number; headers: Record<string, string> }>();
  return (context: GatewayContext): Record<string, string> => {
    const now = Date.now();
    let entry = signed.get(context);
    if (!entry || now - entry.at > 5_000) {
      entry = { at: now, headers: callerHeaders(context.principal, secret) };
      signed.set(context, entry);
    }
    return entry.headers;
  };
}

function callerHeaders(principal: GatewayPrincipal, secret: string): Record<string, string> {
  if (principal.kind !== "token") return { [PRINCIPAL_HEADER]: signPrincipal(principal, secret) };
  const { token, ...signed } = principal;
  return {
    // kit's Principal lists Mary's callers only; Mary's subgraphs refuse a kind they do not know.
    [PRINCIPAL_HEADER]: signPrincipal(signed as unknown as Principal, secret),
    authorization: `Bearer ${token}`,
  };
}

/**
 * Mary's authentication when the supergraph has Mary's accounts; else JWTs verified with the
 * configured public key or JWKS, or no credentials at all. Also says which, for the start log.
 */
async function createAuthenticator(
  parts: MaryParts,
  config: GatewayConfig,
  redis: Redis | undefined,
  urlOf: (subgraph: string) => string,
): Promise<{ authenticator: Authenticator; jwt: string }> {
  const { jwt } = gatewaySettings(config);
  if (!parts.accounts) {
    const verification = tokenVerification(jwt);
    return {
      authenticator: new TokenAuthenticator(verification),
      jwt: verification ? `verified with ${verification.source}` : "off (no key or JWKS URL: requests are anonymous)",
    };
  }
  if (jwt.jwksUrl || jwt.issuer || jwt.audience) {
    throw new Error(
      "Invalid configuration:\n  JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE: only for supergraphs without Mary's users " +
        "subgraph; Mary's own access tokens are verified with JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE",
    );
  }
  if (!redis) throw new Error("Mary's accounts need Redis");
  const authenticator = new MaryAuthenticator({
    verifyingKey: await importVerifyingKey(
      readPem(jwt.publicKey, jwt.publicKeyFile ?? DEFAULT_PUBLIC_KEY_FILE, "JWT_PUBLIC_KEY_FILE"),
    ),
    redis,
    usersUrl: urlOf("users"),
    billingUrl: parts.plans ? urlOf("billing") : undefined,
    signingSecret: config.INTERNAL_SIGNING_SECRET,
    apiKeyCacheSeconds: config.API_KEY_CACHE_SECONDS,
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
  });
  return { authenticator, jwt: "Mary's access tokens (users' public key)" };
}

/** Sets `set-cookie` on the answer when the users subgraph handed over a refresh token (or cleared it). */
const sessionCookiePlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const cookie = contextValue.session?.setCookie;
        if (cookie) response.http.headers.set("set-cookie", cookie);
      },
    };
  },
};

/**
 * Stripe's webhook: the raw body and its signature header go to billing unchanged (the signature
 * covers the exact bytes), with the gateway's own signed header; billing's answer comes back as is.
 */
async function forwardStripeWebhook(
  req: IncomingMessage,
  res: ServerResponse,
  billingUrl: string,
  config: GatewayConfig,
  headers: Record<string, string>,
): Promise<void> {
  if (req.method !== "POST") return sendJson(res, 405, { error: "Use POST" }, { allow: "POST" });
  const body = await readBody(req);
  const signature = req.headers["stripe-signature"];
  const response = await fetch(new URL(STRIPE_WEBHOOK_PATH, billingUrl), {
    method: "POST",
    signal: AbortSignal.timeout(config.SUBGRAPH_TIMEOUT_MS),
    headers: {
      "content-type": req.headers["content-type"] ?? "application/json",
      ...(typeof signature === "string" ? { "stripe-signature": signature } : {}),
      ...headers,
    },
    body,
  });
  res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * A GET the gateway forwards to a subgraph's route with its own signed header: a Mastodon
 * instance's redirect back to Mary (social answers with a redirect to the accounts page), or a
 * calendar app polling an ICS feed (inbox answers with the calendar). The answer comes back as is.
 */
async function forwardGet(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  config: GatewayConfig,
  headers: Record<string, string>,
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: "Use GET" }, { allow: "GET" });
  const response = await fetch(target, {
    method: req.method,
    signal: AbortSignal.timeout(config.SUBGRAPH_TIMEOUT_MS),
    redirect: "manual",
    headers,
  });
  const location = response.headers.get("location");
  const passed = ["content-type", "cache-control", "content-disposition"].flatMap((name) => {
    const value = response.headers.get(name);
    return value ? [[name, value] as const] : [];
  });
  res.writeHead(response.status, {
    "cache-control": "no-store",
    ...Object.fromEntries(passed),
    "content-type": response.headers.get("content-type") ?? "text/plain",
    ...(location ? { location } : {}),
  });
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** GET /calendars/<token>.ics: a calendar's private feed, whose token is its only credential. */
const CALENDAR_FEED = /^\/calendars\/([A-Za-z0-9_-]{20,64})\.ics$/;

/**
 * Starts the public gateway on any supergraph: /graphql, /healthz and /readyz on one HTTP server,
 * and Mary's parts (see mary-parts.ts) when the supergraph has them, /webhooks/stripe among them.
 */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningServer> {
  const log = createLogger("gateway", config.LOG_LEVEL, options.logDestination);
  const settings = gatewaySettings(config);
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, "utf8");
  const parts = maryParts(supergraphSdl);
  const subgraphUrls = { ...subgraphUrlOverrides(), ...options.subgraphUrls };
  const gatewayHeader = () => ({
    [PRINCIPAL_HEADER]: signPrincipal({ kind: "service", service: "gateway" }, config.INTERNAL_SIGNING_SECRET),
  });
  const signedCaller = signedCallers(config.INTERNAL_SIGNING_SECRET);
  const { gateway, subgraphs, subscriptions } = createFederation<GatewayContext>({
    supergraphSdl,
    executor: config.GATEWAY_EXECUTOR,
    executionBudgetBytes: config.GATEWAY_EXECUTION_BUDGET_BYTES,
    subgraphUrls,
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    maxRequestBytes: SUBGRAPH_MAX_BODY_BYTES,
    subgraphHeaders: (context, subgraphName) => ({
      ...signedCaller(context),
      [REQUEST_ID_HEADER]: context.requestId,
      ...sessionHeaders(context.session, subgraphName),
    }),
    onSubgraphResponse: (subgraphName, headers, context) => {
      const session = context.session;
      if (subgraphName !== SESSIONS_SUBGRAPH || !session?.cookieMode) return;
      const token = headers.get(SET_REFRESH_TOKEN_HEADER);
      if (token === null) return;
      session.setCookie = refreshCookie(
        token.trim(),
        parseMaxAge(headers.get(REFRESH_MAX_AGE_HEADER)),
        session.secure === true,
      );
    },
    subscriptionConnectionParams: gatewayHeader,
    logger: log,
    maxQueuedEvents: config.SUBSCRIPTION_MAX_QUEUED_EVENTS,
    subscriptionShareKey: (context, document) => subscriptionShareKey(context.principal, document),
    // A run's events are replayed from its first to every new subscription (without `after`).
    replayFromStart: parts.replayFromStart,
    maxRetainedEvents: config.SUBSCRIPTION_MAX_RETAINED_EVENTS,
    subscriptionEntityCacheTtlMs: config.SUBSCRIPTION_ENTITY_CACHE_MS,
  });
  const urlOf = (name: string) => {
    const url = subgraphs.find((subgraph) => subgraph.name === name)?.url;
    if (!url) throw new Error(`The supergraph's ${name} subgraph has no URL`);
    return url;
  };
  const billingUrl = parts.stripeWebhook ? urlOf("billing") : undefined;
  const socialUrl = parts.mastodonCallback ? urlOf("social") : undefined;
  const inboxUrl = parts.calendarFeeds ? urlOf("inbox") : undefined;

  const redisUrl = redisUrlFor(parts, config.REDIS_URL);
  const redis = redisUrl ? createRedis(redisUrl, log) : undefined;
  const { authenticator, jwt } = await createAuthenticator(parts, config, redis, urlOf);
  const admission = new Admission({
    schema: subscriptions.schema,
    authenticator,
    rateLimiter: redis && new RateLimiter(redis, settings.rateLimit),
    apiCallQuota: redis && parts.plans ? new ApiCallQuota(redis) : undefined,
    limits: settings.operationLimits,
    log,
  });
  log.info(
    { accounts: parts.accounts, plans: parts.plans, stripeWebhook: parts.stripeWebhook, jwt, rateLimits: !!redis },
    describeParts(parts, jwt, !!redis),
  );
  const production = config.NODE_ENV === "production";
  const formatError = clientErrorFormatter(log, "operation failed");
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    parseOptions: { maxTokens: settings.operationLimits.maxTokens },
    plugins: [admissionPlugin(admission), sessionCookiePlugin],
    formatError,
  });
  await apollo.start();
  const jsonPost =
    gateway instanceof PlanGateway
      ? new JsonPostPath({ admission, gateway: gateway as PlanGateway<GatewayContext>, formatError })
      : undefined;

  const allowedOrigins = new Set(
    config.CORS_ORIGINS.split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  );
  const server = createServer(async (req, res) => {
    const requestId = randomUUID();
    const reqLog = log.child({ requestId });
    res.setHeader(REQUEST_ID_HEADER, requestId);
    try {
      if (applyCors(req, res, allowedOrigins)) return;
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (path === "/healthz") {
        return sendJson(res, 200, {
          status: "ok",
          service: "gateway",
          pid: process.pid,
          ...webSockets.stats(),
          ...(jsonPost ? { jsonPosts: jsonPost.stats() } : {}),
        });
      }
      if (path === "/readyz") {
        // The gateway needs Redis itself when it has one, for API keys, revocations and rate limits.
        const [ready, redisReady] = await Promise.all([
          subgraphsReady(subgraphs, parts.accounts),
          redis?.ping().then(
            () => true,
            () => false,
          ),
        ]);
        const allReady = redisReady !== false && Object.values(ready).every(Boolean);
        return sendJson(res, allReady ? 200 : 503, {
          status: allReady ? "ready" : "unavailable",
          ...(redis ? { redis: redisReady } : {}),
          subgraphs: ready,
        });
      }
      if (billingUrl && path === STRIPE_WEBHOOK_PATH) {
        return await forwardStripeWebhook(req, res, billingUrl, config, {
          ...gatewayHeader(),
          [REQUEST_ID_HEADER]: requestId,
        });
      }
      if (socialUrl && path === MASTODON_CALLBACK_PATH) {
        const target = new URL(MASTODON_CALLBACK_PATH, socialUrl);
        target.search = new URL(req.url ?? "/", "http://localhost").search;
        return await forwardGet(req, res, target, config, { ...gatewayHeader(), [REQUEST_ID_HEADER]: requestId });
      }
      const feed = inboxUrl ? CALENDAR_FEED.exec(path) : null;
      if (feed) {
        const target = new URL("/calendars/feed", inboxUrl);
        target.searchParams.set("token", feed[1]!);
        return await forwardGet(req, res, target, config, { ...gatewayHeader(), [REQUEST_ID_HEADER]: requestId });
      }
      if (path !== "/graphql") return sendJson(res, 404, { error: "not found" });
      // Who calls, found once whichever way the request is served.
      const context = async (): Promise<GatewayContext> => {
        const { principal, rate } = await admission.admitCaller(
          { headers: req.headers },
          clientAddress(req, config.TRUST_PROXY),
        );
        if (rate) {
          res.setHeader("x-ratelimit-limit", rate.limit);
          res.setHeader("x-ratelimit-remaining", rate.remaining);
          res.setHeader("x-ratelimit-reset", rate.resetSeconds);
        }
        // Cookie mode belongs to Mary's accounts: the refresh token goes to their users subgraph only.
        const session = parts.accounts ? sessionOf(req, config.TRUST_PROXY) : undefined;
        return { principal, requestId, log: reqLog, session };
      };
      if (!jsonPost?.accepts(req)) return await handleGraphQLRequest(apollo, req, res, context);
      const body = await readGraphQLBody(req);
      const caller = context();
      caller.catch(() => {}); // awaited by both paths; Apollo Server reports a refusal
      if (!(await jsonPost.serve(body, caller, res))) {
        await handleGraphQLRequest(apollo, req, res, () => caller, undefined, { body });
      }
    } catch (error) {
      if (error instanceof HttpError) return sendHttpError(req, res, error);
      reqLog.error({ err: error }, "request failed");
      if (!res.headersSent) sendGraphQLError(res, 500, "Internal server error", ErrorCode.INTERNAL);
      else res.end();
    }
  });
  const webSockets = serveWebSockets({
    server,
    apollo,
    engine: subscriptions,
    admission,
    authenticator,
    anonymousSockets: !parts.accounts,
    settings: settings.webSocket,
    log,
  });
  const port = await listen(server, config.GATEWAY_PORT, config.GATEWAY_HOST);
  log.info({ port, subgraphs }, "gateway listening");
  return {
    url: `http://${config.GATEWAY_HOST}:${port}/graphql`,
    port,
    close: async () => {
      await webSockets.close();
      await closeServer(server);
      await apollo.stop();
      redis?.disconnect();
    },
  };
}
