import { Migration } from "@mikro-orm/migrations";

/** The workspace's tasks (zone-aware due times, where they came from, due notifications) and their dependencies. */
export class Migration20261203100000Tasks extends Migration {
  override up(): void {
    // Trigram indexes make `title ilike '%term%'` use an index; pg_trgm is a trusted extension.
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(
      `create table "tasks" ("id" uuid not null, "workspace_id" uuid not null, "title" varchar(500) not null, "description" text null, "status" varchar(11) not null default 'TODO', "priority" varchar(6) not null default 'MEDIUM', "progress" int not null default 0, "due_at" timestamptz null, "due_time_zone" varchar(64) not null default 'UTC', "due_date" date null, "assignee_id" uuid null, "source" varchar(7) not null default 'MANUAL', "source_message_id" uuid null, "source_item" varchar(500) null, "source_event_id" uuid null, "created_by" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "completed_at" timestamptz null, "due_notified_at" timestamptz null, "overdue_notified_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "tasks_workspace_due_order_index" on "tasks" ("workspace_id", (coalesce("due_at", 'infinity'::timestamptz)), "created_at", "id");`,
    );
    this.addSql(
      `create index "tasks_workspace_assignee_due_order_index" on "tasks" ("workspace_id", "assignee_id", (coalesce("due_at", 'infinity'::timestamptz)), "created_at", "id");`,
    );
    this.addSql(
      `create index "tasks_workspace_status_due_order_index" on "tasks" ("workspace_id", "status", (coalesce("due_at", 'infinity'::timestamptz)), "created_at", "id");`,
    );
    this.addSql(`create index "tasks_title_trgm_index" on "tasks" using gin ("title" gin_trgm_ops);`);
    this.addSql(
      `create index "tasks_workspace_id_source_message_id_index" on "tasks" ("workspace_id", "source_message_id");`,
    );
    this.addSql(
      `create index "tasks_due_check_index" on "tasks" ("due_at") where "status" <> 'DONE' and "due_at" is not null and ("due_notified_at" is null or "overdue_notified_at" is null);`,
    );
    this.addSql(
      `create unique index "tasks_source_item_unique" on "tasks" ("workspace_id", "source_message_id", "source_item") where "source_item" is not null;`,
    );
    this.addSql(
      `create table "task_dependencies" ("task_id" uuid not null, "blocked_by_id" uuid not null, "workspace_id" uuid not null, "created_at" timestamptz not null, primary key ("task_id", "blocked_by_id"));`,
    );
    this.addSql(`create index "task_dependencies_blocked_by_id_index" on "task_dependencies" ("blocked_by_id");`);
  }
}
