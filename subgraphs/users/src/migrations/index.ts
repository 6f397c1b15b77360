import { Migration20261122000000Initial } from "./migration-20261122000000-initial.ts";

/** Every migration of the users database, oldest first. */
export const migrations = [Migration20261122000000Initial];
