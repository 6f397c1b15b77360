import { runMigrations } from "@mary/kit";
import { loadCrmConfig } from "./config.ts";
import { entities } from "./entities/index.ts";
import { migrations } from "./migrations/index.ts";

/** Applies pending migrations to the crm database and exits. */
const config = loadCrmConfig();
await runMigrations("crm", { databaseUrl: config.CRM_DATABASE_URL, entities, migrations }, config.LOG_LEVEL);
