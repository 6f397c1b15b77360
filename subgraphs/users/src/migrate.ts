import { runMigrations } from "@mary/kit";
import { loadUsersConfig } from "./config.ts";
import { entities } from "./entities/index.ts";
import { migrations } from "./migrations/index.ts";

/** Applies pending migrations to the users database and exits. */
const config = loadUsersConfig();
await runMigrations("users", { databaseUrl: config.USERS_DATABASE_URL, entities, migrations }, config.LOG_LEVEL);
