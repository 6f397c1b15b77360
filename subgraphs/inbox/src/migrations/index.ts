import { Migration20261202100000Initial } from "./migration-20261202100000-initial.ts";

/** Every migration of the inbox database, oldest first. */
export const migrations = [Migration20261202100000Initial];
