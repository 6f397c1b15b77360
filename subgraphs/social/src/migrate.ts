import { createLogger } from "@mary/kit";
import { loadSocialConfig } from "./config.ts";
import { migrations } from "./migrations/index.ts";
import { GraphStore } from "./store.ts";

/** Applies the graph's constraints and indexes (GraphStore.open does) and exits. */
const config = loadSocialConfig();
const store = await GraphStore.open(config.NEO4J_URL, config.NEO4J_USER, config.NEO4J_PASSWORD);
createLogger("social-migrate", config.LOG_LEVEL).info({ statements: migrations.length }, "graph schema is up to date");
await store.close();
