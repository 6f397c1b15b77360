import { commonConfig, loadConfig, port, unsetWhenEmpty } from "@mary/kit";
import { z } from "zod";

export const agentsConfigShape = {
  ...commonConfig,
  AGENTS_PORT: port(4003),
  AGENTS_HOST: z.string().default("127.0.0.1"),
  /** MongoDB (FerretDB on this machine); the database is the URL's path, `agents` when none. */
  MONGODB_URL: z.string().url().default("mongodb://127.0.0.1:27017/agents"),
  /** The public gateway, which agents' tools call as the run's principal. */
  GATEWAY_URL: z.string().url().default("http://127.0.0.1:4000/graphql"),
  /** Enables the OPENAI provider; without it, agents default to LOCAL. Empty counts as unset. */
  OPENAI_API_KEY: unsetWhenEmpty(z.string().min(1).optional()),
  /** Any OpenAI-compatible server (the SDK's default is OpenAI's own API). */
  OPENAI_BASE_URL: unsetWhenEmpty(z.string().url().optional()),
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(120_000),
  /** The LOCAL provider's pace: milliseconds between tokens, fractions too (0.5 = 2,000 a second; 0 streams as fast as it can). */
  LOCAL_TOKEN_INTERVAL_MS: z.coerce.number().min(0).max(10_000).default(20),
  /** Runs generating at once in one agents process; later ones wait QUEUED. */
  RUN_CONCURRENCY: z.coerce.number().int().min(1).default(16),
  /** Model turns that may end in tool calls before a run is failed. */
  MAX_TOOL_ROUNDS: z.coerce.number().int().min(1).max(50).default(8),
  TOOL_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
};

export type AgentsConfig = ReturnType<typeof loadAgentsConfig>;
export const loadAgentsConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(agentsConfigShape, env);
