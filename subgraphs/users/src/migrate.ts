import { createLogger, createOrm, migrate } from "@mary/kit";
import { loadUsersConfig } from "./config.ts";
import { entities } from "./entities/index.ts";
import { migrations } from "./migrations/index.ts";

/** Applies pending migrations to the users database and exits. */
const config = loadUsersConfig();
const log = createLogger("users-migrate", config.LOG_LEVEL);
const orm = await createOrm({ databaseUrl: config.USERS_DATABASE_URL, entities, migrations, log });
const applied = await migrate(orm);
log.info({ applied }, applied.length ? "migrations applied" : "database is up to date");
await orm.close();
