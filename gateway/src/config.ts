import { resolve } from "node:path";
import { commonConfig, DEFAULT_INPUT_BOUNDS, loadConfig, port, REPO_ROOT, type InputBounds } from "@mary/kit/core";
import { z } from "zod";
import type { JwtSettings } from "./auth/token-authenticator.ts";

/** An optional variable, where set-but-empty counts as unset. */
const optional = <T extends z.ZodType>(type: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), type.optional());

export const gatewayConfigShape = {
  ...commonConfig,
  GATEWAY_PORT: port(4000),
  GATEWAY_HOST: z.string().default("127.0.0.1"),
  SUPERGRAPH_PATH: z.string().default(resolve(REPO_ROOT, "schema/supergraph.graphql")),
  /**
   * Redis, for rate limits (and Mary's revocations, API-key cache, plans and quotas). Mary's own
   * supergraph requires it (the local one when unset); another supergraph uses it only when set.
   */
  REDIS_URL: optional(z.string().url()),
  /**
   * The public key (SPKI PEM) that verifies access tokens; inline or from a file. Mary's own
   * supergraph requires it (Ed25519, by default the local key pair's); another may use any
   * RSA, EC or Ed25519 key, or a JWKS URL instead.
   */
  JWT_PUBLIC_KEY: optional(z.string()),
  JWT_PUBLIC_KEY_FILE: optional(z.string()),
  /** A foreign supergraph's identity provider's key set (JWKS), instead of a public key. */
  JWT_JWKS_URL: optional(z.string().url()),
  /** What a foreign supergraph's tokens must say in `iss`, and one of the audiences (comma-separated) in `aud`. */
  JWT_ISSUER: optional(z.string()),
  JWT_AUDIENCE: optional(z.string()),
  /** Browser origins allowed to call the gateway, comma-separated. */
  CORS_ORIGINS: z.string().default("http://localhost:5173,http://127.0.0.1:5173"),
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * Who runs query plans: "plan", Mary's executor (which hands what it does not support to
   * @apollo/gateway's), or "apollo", @apollo/gateway's alone (for comparison, or as a way back).
   */
  GATEWAY_EXECUTOR: z.enum(["plan", "apollo"]).default("plan"),
  /**
   * How much the operations each gateway process executes at once may weigh while its event
   * loop is saturated, in characters of what their subgraphs answered the last time: about four
   * operations with 90 KB answers, hundreds of small ones. The rest wait their turn (a few
   * milliseconds when a subgraph is slow instead). 0: no limit.
   */
  GATEWAY_EXECUTION_BUDGET_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(384 * 1024),
  /**
   * Gateway processes sharing the port (node:cluster), each with its own connections; what they
   * must agree on (rate limits, quotas, revocations, API keys) is in Redis. Default: one per core.
   */
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(1).default(12),
  MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  MAX_ROOT_FIELDS: z.coerce.number().int().min(1).default(20),
  MAX_TOKENS: z.coerce.number().int().min(100).default(5_000),
  /** Largest operation cost: fields, times the page size under each connection. */
  MAX_QUERY_COST: z.coerce.number().int().min(1).default(10_000),
  /** Longest string any argument or variable may hold, in characters (UTF-16 code units). */
  MAX_STRING_LENGTH: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_INPUT_BOUNDS.maxStringLength),
  /** Deepest nesting of lists and objects in one argument or variable (JSON values included). */
  MAX_INPUT_DEPTH: z.coerce.number().int().min(2).max(1_000).default(DEFAULT_INPUT_BOUNDS.maxDepth),
  /** Requests per window for each signed-in user and each API key. */
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(1).default(600),
  /** Requests per window for each client address without credentials (sign-up, log-in). */
  RATE_LIMIT_ANONYMOUS_REQUESTS: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Subscriptions one user (in one workspace) or one API key may have open at once, over all its sockets. */
  MAX_SUBSCRIPTIONS_PER_PRINCIPAL: z.coerce.number().int().min(1).default(25),
  /** Events one subscription may have waiting for a client that reads too slowly; past it the subscription ends (RATE_LIMITED). */
  SUBSCRIPTION_MAX_QUEUED_EVENTS: z.coerce.number().int().min(1).default(1_000),
  /**
   * How long one shared subscription reuses an entity another subgraph returned for its events
   * (a run's agent and its creator), so consecutive events do not fetch it again: the staleness
   * a viewer may see. 0 (the default) fetches for every event, batched with the other events
   * of the moment, so a field is never older than its event.
   */
  SUBSCRIPTION_ENTITY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Events all shared subscriptions together keep for viewers who join late (a run's output so far). */
  SUBSCRIPTION_MAX_RETAINED_EVENTS: z.coerce.number().int().min(0).default(200_000),
  /** WebSocket keep-alive: a ping this often; a socket that has not answered the last one is closed. */
  WS_KEEPALIVE_MS: z.coerce.number().int().min(100).default(12_000),
  /** Largest WebSocket message a client may send. */
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1_024).default(1_048_576),
  /** Behind a reverse proxy: take the client address from the first X-Forwarded-For entry. */
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const loadGatewayConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(gatewayConfigShape, env);

/** What an operation may ask for, checked before it is planned (see limits/operation-limits.ts). */
export interface OperationLimits {
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxCost: number;
  input: InputBounds;
}

/** What the WebSocket side needs beyond the shared admission path. */
export interface WebSocketSettings {
  keepAliveMs: number;
  maxPayloadBytes: number;
  maxSubscriptionsPerPrincipal: number;
}

/** The config as the shapes its parts take, so each part sees only what it needs. */
export function gatewaySettings(config: GatewayConfig) {
  return {
    jwt: {
      publicKey: config.JWT_PUBLIC_KEY,
      publicKeyFile: config.JWT_PUBLIC_KEY_FILE,
      jwksUrl: config.JWT_JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: commaList(config.JWT_AUDIENCE),
    } satisfies JwtSettings,
    operationLimits: {
      maxTokens: config.MAX_TOKENS,
      maxDepth: config.MAX_QUERY_DEPTH,
      maxAliases: config.MAX_ALIASES,
      maxRootFields: config.MAX_ROOT_FIELDS,
      maxCost: config.MAX_QUERY_COST,
      input: { maxStringLength: config.MAX_STRING_LENGTH, maxDepth: config.MAX_INPUT_DEPTH },
    } satisfies OperationLimits,
    rateLimit: {
      requests: config.RATE_LIMIT_REQUESTS,
      anonymousRequests: config.RATE_LIMIT_ANONYMOUS_REQUESTS,
      windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    },
    webSocket: {
      keepAliveMs: config.WS_KEEPALIVE_MS,
      maxPayloadBytes: config.WS_MAX_PAYLOAD_BYTES,
      maxSubscriptionsPerPrincipal: config.MAX_SUBSCRIPTIONS_PER_PRINCIPAL,
    } satisfies WebSocketSettings,
  };
}

/** The entries of a comma-separated list, or undefined when it has none. */
function commaList(value: string | undefined): string[] | undefined {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length ? entries : undefined;
}

/** Subgraph URL overrides from `<NAME>_URL` variables, keyed by subgraph name. */
export function subgraphUrlOverrides(env: Record<string, string | undefined> = process.env): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^([A-Z]+)_URL$/.exec(key);
    if (match?.[1] && value && !["REDIS", "MONGODB", "NEO4J", "POSTGRES", "GATEWAY"].includes(match[1])) {
      overrides[match[1].toLowerCase()] = value;
    }
  }
  return overrides;
}
