import { createLogger, createOrm, migrate } from "@mary/kit";
import { loadCrmConfig } from "./config.ts";
import { entities } from "./entities/index.ts";
import { migrations } from "./migrations/index.ts";

/** Applies pending migrations to the crm database and exits. */
const config = loadCrmConfig();
const log = createLogger("crm-migrate", config.LOG_LEVEL);
const orm = await createOrm({ databaseUrl: config.CRM_DATABASE_URL, entities, migrations, log });
const applied = await migrate(orm);
log.info({ applied }, applied.length ? "migrations applied" : "database is up to date");
await orm.close();
