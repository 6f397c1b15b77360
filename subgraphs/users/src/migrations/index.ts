import { Migration20261122000000Initial } from "./migration-20261122000000-initial.ts";
import { Migration20261122020000ListIndexes } from "./migration-20261122020000-list-indexes.ts";

/** Every migration of the users database, oldest first. */
export const migrations = [Migration20261122000000Initial, Migration20261122020000ListIndexes];
