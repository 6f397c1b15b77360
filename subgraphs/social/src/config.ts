import { commonConfig, loadConfig, port, secretKeysConfig, unsetWhenEmpty } from "@mary/kit";
import { z } from "zod";

export const socialConfigShape = {
  ...commonConfig,
  SOCIAL_PORT: port(4005),
  SOCIAL_HOST: z.string().default("127.0.0.1"),
  /** Neo4j's Bolt URL; the graph lives in its default database. */
  NEO4J_URL: z.string().url().default("bolt://127.0.0.1:7687"),
  /** Neo4j credentials; unset when the server runs without auth (as scripts/services starts it). */
  NEO4J_USER: unsetWhenEmpty(z.string().min(1).optional()),
  NEO4J_PASSWORD: unsetWhenEmpty(z.string().min(1).optional()),
  /** The public gateway: where a Mastodon instance sends the user back after they authorize Mary. */
  PUBLIC_GATEWAY_ORIGIN: z.string().url().default("http://127.0.0.1:4000"),
  /** Where the browser lands after connecting an account (the web app's accounts page). */
  ACCOUNTS_PAGE_URL: z.string().url().default("http://127.0.0.1:5173/social/accounts"),
  /** Keys sealing network tokens: `id:base64 32 bytes`, comma-separated; the first seals, all open. */
  SECRET_KEYS: secretKeysConfig,
  /** The BullMQ queues every social process of one deployment shares (publishing, graph refresh, metrics). */
  SOCIAL_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/)
    .default("social"),
  /** Publish jobs one social process runs at once. */
  PUBLISH_CONCURRENCY: z.coerce.number().int().min(1).default(4),
  /** Attempts at publishing a post before it FAILED, for failures worth retrying (5xx, 429, lost answers). */
  PUBLISH_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** The first publishing retry's delay; each next one doubles it (a 429's Retry-After replaces it). */
  PUBLISH_BACKOFF_MS: z.coerce.number().int().min(10).default(2_000),
  /** How long a job's lock lives without renewal: a killed worker's job is taken over after this. */
  SOCIAL_JOB_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** How often followers and follows are imported again from the networks. */
  GRAPH_REFRESH_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .default(6 * 3600),
  /** How often a published post's likes, reposts and replies are read. */
  METRICS_POLL_SECONDS: z.coerce.number().int().min(5).default(3600),
  /** For how many days after publishing a post's engagement is polled. */
  METRICS_POLL_DAYS: z.coerce.number().min(0).default(7),
  /** How long a call to a network may take. */
  NETWORK_TIMEOUT_MS: z.coerce.number().int().min(500).default(15_000),
  /** The gateway's /graphql, through which social asks crm about contacts, as the caller. */
  GATEWAY_URL: z.string().url().default("http://127.0.0.1:4000/graphql"),
  /** The application name Mary registers on Mastodon instances (shown on its posts there). */
  MASTODON_APP_NAME: z.string().min(1).max(100).default("Mary"),
  /** How many followed profiles' own follows a graph refresh reads (the second hop suggestions count). */
  GRAPH_SECOND_HOP_PROFILES: z.coerce.number().int().min(0).default(200),
  /** Lets accounts be on http:// servers (local test networks); on by default outside production. */
  NETWORK_ALLOW_HTTP: unsetWhenEmpty(z.enum(["true", "false"]).optional()),
};

export type SocialConfig = ReturnType<typeof loadSocialConfig>;
export const loadSocialConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(socialConfigShape, env);

/** Whether http:// network servers are allowed under this config. */
export const allowsHttp = (config: SocialConfig) =>
  config.NETWORK_ALLOW_HTTP ? config.NETWORK_ALLOW_HTTP === "true" : config.NODE_ENV !== "production";
