import { Migration } from "@mikro-orm/migrations";

/** Serves looking contacts up by address (`contactsByEmail`, `Correspondent.contact`): array overlap on emails. */
export class Migration20261203100000ContactEmails extends Migration {
  override up(): void {
    this.addSql(`create index "contacts_emails_index" on "contacts" using gin ("emails");`);
  }

  override down(): void {
    this.addSql(`drop index if exists "contacts_emails_index";`);
  }
}
