import { runMigrations } from "@mary/kit";
import { loadBillingConfig } from "./config.ts";
import { entities } from "./entities/index.ts";
import { migrations } from "./migrations/index.ts";

/** Applies pending migrations to the billing database and exits. */
const config = loadBillingConfig();
await runMigrations("billing", { databaseUrl: config.BILLING_DATABASE_URL, entities, migrations }, config.LOG_LEVEL);
