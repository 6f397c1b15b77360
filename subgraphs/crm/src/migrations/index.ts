import { Migration20261122100000Initial } from "./migration-20261122100000-initial.ts";
import { Migration20261203100000ContactEmails } from "./migration-20261203100000-contact-emails.ts";

/** Every migration of the crm database, oldest first. */
export const migrations = [Migration20261122100000Initial, Migration20261203100000ContactEmails];
