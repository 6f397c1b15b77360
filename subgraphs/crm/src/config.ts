import { commonConfig, loadConfig, port } from "@mary/kit";
import { z } from "zod";

export const crmConfigShape = {
  ...commonConfig,
  CRM_PORT: port(4002),
  CRM_HOST: z.string().default("127.0.0.1"),
  CRM_DATABASE_URL: z.string().url().default("postgres://mary:mary@127.0.0.1:5432/crm"),
};

export type CrmConfig = ReturnType<typeof loadCrmConfig>;
export const loadCrmConfig = (env: Record<string, string | undefined> = process.env) => loadConfig(crmConfigShape, env);
