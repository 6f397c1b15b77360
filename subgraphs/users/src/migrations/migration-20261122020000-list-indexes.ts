import { Migration } from "@mikro-orm/migrations";

/** Composite indexes for the keyset-paginated lists of a workspace's members and API keys. */
export class Migration20261122020000ListIndexes extends Migration {
  override up(): void {
    this.addSql(
      `create index "api_keys_workspace_id_created_at_id_index" on "api_keys" ("workspace_id", "created_at", "id");`,
    );
    this.addSql(`drop index "api_keys_workspace_id_index";`);
    this.addSql(
      `create index "memberships_workspace_id_created_at_id_index" on "memberships" ("workspace_id", "created_at", "id");`,
    );
    this.addSql(`drop index "memberships_workspace_id_index";`);
  }

  override down(): void {
    this.addSql(`create index "api_keys_workspace_id_index" on "api_keys" ("workspace_id");`);
    this.addSql(`drop index "api_keys_workspace_id_created_at_id_index";`);
    this.addSql(`create index "memberships_workspace_id_index" on "memberships" ("workspace_id");`);
    this.addSql(`drop index "memberships_workspace_id_created_at_id_index";`);
  }
}
