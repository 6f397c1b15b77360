import { commonConfig, loadConfig, port } from "@mary/kit";
import { z } from "zod";

export const crmConfigShape = {
  ...commonConfig,
  CRM_PORT: port(4002),
  CRM_HOST: z.string().default("127.0.0.1"),
  CRM_DATABASE_URL: z.string().url().default("postgres://mary:mary@127.0.0.1:5432/crm"),
  /** The public gateway, which crm asks (in the caller's workspace) whether an owner is a member. */
  GATEWAY_URL: z.string().url().default("http://127.0.0.1:4000/graphql"),
  CRM_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
};

export type CrmConfig = ReturnType<typeof loadCrmConfig>;
export const loadCrmConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(crmConfigShape, env);
