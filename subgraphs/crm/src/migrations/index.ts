import { Migration20261122100000Initial } from "./migration-20261122100000-initial.ts";

/** Every migration of the crm database, oldest first. */
export const migrations = [Migration20261122100000Initial];
