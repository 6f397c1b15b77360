import { Migration20261202100000Initial } from "./migration-20261202100000-initial.ts";
import { Migration20261203090000Calendar } from "./migration-20261203090000-calendar.ts";
import { Migration20261203100000Tasks } from "./migration-20261203100000-tasks.ts";

/** Every migration of the inbox database, oldest first. */
export const migrations = [
  Migration20261202100000Initial,
  Migration20261203090000Calendar,
  Migration20261203100000Tasks,
];
