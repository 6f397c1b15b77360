import { runMigrations } from "@mary/kit";
import { loadInboxConfig } from "./config.ts";
import { entities } from "./entities/index.ts";
import { migrations } from "./migrations/index.ts";

/** Applies pending migrations to the inbox database and exits. */
const config = loadInboxConfig();
await runMigrations("inbox", { databaseUrl: config.INBOX_DATABASE_URL, entities, migrations }, config.LOG_LEVEL);
