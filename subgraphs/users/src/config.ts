import { commonConfig, DEFAULT_PRIVATE_KEY_FILE, loadConfig, port } from "@mary/kit";
import { z } from "zod";

export const usersConfigShape = {
  ...commonConfig,
  USERS_PORT: port(4001),
  USERS_HOST: z.string().default("127.0.0.1"),
  USERS_DATABASE_URL: z.string().url().default("postgres://mary:mary@127.0.0.1:5432/users"),
  /** Ed25519 private key (PKCS#8 PEM) that signs access tokens; inline or from a file. */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PRIVATE_KEY_FILE: z.string().default(DEFAULT_PRIVATE_KEY_FILE),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(30 * 86_400),
  /**
   * Browsers (cookie mode) may use a refresh token again this long after it was used, for a page
   * reloaded mid-refresh or two tabs refreshing at once; any later reuse still ends the session.
   */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** Failed logins per email allowed in the window before logIn is refused. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
};

export type UsersConfig = ReturnType<typeof loadUsersConfig>;
export const loadUsersConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(usersConfigShape, env);
