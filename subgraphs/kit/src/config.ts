import { z } from "zod";

/**
 * Parses environment variables once against a zod shape and returns a frozen
 * object. Fails fast with a message naming every variable that is wrong.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.infer<z.ZodObject<Shape>>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return Object.freeze(result.data);
}

/** Compose passes `${VAR:-}` as an empty string; that means "not set". */
export const unsetWhenEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema);

/** Common pieces of config every service shares. */
export const commonConfig = {
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Shared secret the gateway signs the principal header with. */
  INTERNAL_SIGNING_SECRET: z
    .string()
    .min(32, "must be at least 32 characters")
    .default("mary-local-development-signing-secret-change-me"),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
};

/** A TCP port from the environment. */
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
