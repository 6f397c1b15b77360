import { Migration } from "@mikro-orm/migrations";

/** Users, workspaces, memberships, refresh tokens and API keys. */
export class Migration20261122000000Initial extends Migration {
  override up(): void {
    this.addSql(
      `create table "users" ("id" uuid not null, "email" varchar(254) not null, "name" varchar(100) not null, "password_hash" text not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(
      `create table "workspaces" ("id" uuid not null, "name" varchar(100) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(
      `create table "memberships" ("id" uuid not null, "user_id" uuid not null, "workspace_id" uuid not null, "role" varchar(16) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "memberships_user_id_index" on "memberships" ("user_id");`);
    this.addSql(`create index "memberships_workspace_id_index" on "memberships" ("workspace_id");`);
    this.addSql(
      `alter table "memberships" add constraint "memberships_user_id_workspace_id_unique" unique ("user_id", "workspace_id");`,
    );

    this.addSql(
      `create table "refresh_tokens" ("id" uuid not null, "family_id" uuid not null, "user_id" uuid not null, "workspace_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);
    this.addSql(`create index "refresh_tokens_user_id_index" on "refresh_tokens" ("user_id");`);
    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`,
    );

    this.addSql(
      `create table "api_keys" ("id" uuid not null, "workspace_id" uuid not null, "created_by_id" uuid not null, "name" varchar(100) not null, "prefix" varchar(16) not null, "key_hash" varchar(64) not null, "scopes" jsonb not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "api_keys_workspace_id_index" on "api_keys" ("workspace_id");`);
    this.addSql(`alter table "api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);
  }
}
