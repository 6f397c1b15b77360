import { Migration } from "@mikro-orm/migrations";

/** Mail accounts, their folders, threads and messages (with full-text search), drafts and triage rules. */
export class Migration20261202100000Initial extends Migration {
  override up(): void {
    this.addSql(
      `create table "drafts" ("id" uuid not null, "workspace_id" uuid not null, "user_id" uuid not null, "account_id" uuid not null, "reply_to_id" uuid null, "message_id_header" text not null, "in_reply_to" text null, "references" text[] not null, "to_addresses" jsonb not null, "cc_addresses" jsonb not null, "subject" text not null default '', "body" text not null default '', "state" varchar(8) not null default 'DRAFT', "send_started_at" timestamptz null, "sent_at" timestamptz null, "send_error" varchar(500) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "drafts" add constraint "drafts_message_id_header_unique" unique ("message_id_header");`);
    this.addSql(
      `create index "drafts_workspace_id_user_id_created_at_id_index" on "drafts" ("workspace_id", "user_id", "created_at", "id");`,
    );
    this.addSql(
      `create table "mail_accounts" ("id" uuid not null, "workspace_id" uuid not null, "user_id" uuid not null, "address" varchar(320) not null, "display_name" varchar(200) null, "imap_host" varchar(253) not null, "imap_port" int not null, "imap_security" varchar(8) not null, "smtp_host" varchar(253) not null, "smtp_port" int not null, "smtp_security" varchar(8) not null, "username" varchar(320) not null, "auth_method" varchar(8) not null default 'PASSWORD', "secret" text not null, "sync_days" int not null default 30, "sync_state" varchar(8) not null default 'PENDING', "sync_error" varchar(500) null, "last_synced_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "mail_accounts_workspace_id_user_id_created_at_id_index" on "mail_accounts" ("workspace_id", "user_id", "created_at", "id");`,
    );
    this.addSql(
      `alter table "mail_accounts" add constraint "mail_accounts_workspace_id_user_id_address_unique" unique ("workspace_id", "user_id", "address");`,
    );
    this.addSql(
      `create table "mail_folders" ("id" uuid not null, "workspace_id" uuid not null, "account_id" uuid not null, "path" varchar(500) not null, "role" varchar(8) not null default 'OTHER', "uid_validity" varchar(10) null, "last_uid" bigint not null default '0', "highest_modseq" varchar(20) null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "mail_folders" add constraint "mail_folders_account_id_path_unique" unique ("account_id", "path");`,
    );
    this.addSql(
      `create table "messages" ("id" uuid not null, "workspace_id" uuid not null, "user_id" uuid not null, "account_id" uuid not null, "folder_id" uuid not null, "uid" bigint not null, "message_id_header" text null, "in_reply_to" text null, "references" text[] not null, "thread_id" uuid not null, "subject" text not null default '', "from_address" jsonb null, "to_addresses" jsonb not null, "cc_addresses" jsonb not null, "correspondents" text[] not null, "sent_at" timestamptz not null, "snippet" text not null default '', "text_body" text null, "html_body" text null, "attachments" jsonb not null, "headers" jsonb not null, "seen" boolean not null default false, "flagged" boolean not null default false, "category" varchar(10) null, "urgency" varchar(6) null, "triage_reason" varchar(300) null, "triage_source" varchar(8) null, "size" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "messages_workspace_id_user_id_sent_at_id_index" on "messages" ("workspace_id", "user_id", "sent_at", "id");`,
    );
    this.addSql(`create index "messages_folder_id_sent_at_id_index" on "messages" ("folder_id", "sent_at", "id");`);
    this.addSql(`create index "messages_thread_id_sent_at_index" on "messages" ("thread_id", "sent_at");`);
    this.addSql(
      `create index "messages_account_id_message_id_header_index" on "messages" ("account_id", "message_id_header");`,
    );
    this.addSql(`create index "messages_correspondents_index" on "messages" using gin ("correspondents");`);
    this.addSql(`create index "messages_references_index" on "messages" using gin ("references");`);
    this.addSql(
      `create index "messages_search_index" on "messages" using gin (to_tsvector('english'::regconfig, "subject" || ' ' || coalesce("text_body", '')));`,
    );
    this.addSql(`alter table "messages" add constraint "messages_folder_id_uid_unique" unique ("folder_id", "uid");`);
    this.addSql(
      `create table "threads" ("id" uuid not null, "workspace_id" uuid not null, "user_id" uuid not null, "account_id" uuid not null, "subject" text not null default '', "message_count" int not null default 0, "last_message_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "threads_workspace_id_user_id_last_message_at_id_index" on "threads" ("workspace_id", "user_id", "last_message_at", "id");`,
    );
    this.addSql(
      `create table "triage_rules" ("id" uuid not null, "workspace_id" uuid not null, "created_by" uuid not null, "field" varchar(8) not null, "header_name" varchar(100) null, "value" varchar(320) not null, "category" varchar(10) not null, "state" varchar(8) not null default 'ACTIVE', "summary" varchar(400) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "triage_rules_workspace_id_state_created_at_index" on "triage_rules" ("workspace_id", "state", "created_at");`,
    );
  }
}
