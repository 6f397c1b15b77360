import { Migration } from "@mikro-orm/migrations";

/** Companies, contacts (with their search text), deals with their stage history, and activities. */
export class Migration20261122100000Initial extends Migration {
  override up(): void {
    // Trigram indexes make `ilike '%term%'` searches use an index; pg_trgm is a trusted extension.
    this.addSql(`create extension if not exists pg_trgm;`);

    this.addSql(
      `create table "companies" ("id" uuid not null, "workspace_id" uuid not null, "name" varchar(200) not null, "domain" varchar(253) null, "industry" varchar(100) null, "size" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "companies_workspace_id_created_at_id_index" on "companies" ("workspace_id", "created_at", "id");`,
    );
    this.addSql(`create index "companies_name_trgm_index" on "companies" using gin ("name" gin_trgm_ops);`);
    this.addSql(`create index "companies_domain_trgm_index" on "companies" using gin ("domain" gin_trgm_ops);`);
    this.addSql(
      `create unique index "companies_workspace_id_domain_unique" on "companies" ("workspace_id", "domain") where domain is not null;`,
    );

    this.addSql(
      `create table "contacts" ("id" uuid not null, "workspace_id" uuid not null, "name" varchar(200) not null, "emails" text[] not null, "phones" text[] not null, "title" varchar(200) null, "company_id" uuid null, "owner_id" uuid null, "tags" text[] not null, "custom_fields" jsonb not null, "search_text" text not null default '', "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "contacts_workspace_id_created_at_id_index" on "contacts" ("workspace_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "contacts_workspace_id_owner_id_created_at_id_index" on "contacts" ("workspace_id", "owner_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "contacts_company_id_created_at_id_index" on "contacts" ("company_id", "created_at", "id");`,
    );
    this.addSql(`create index "contacts_search_text_trgm_index" on "contacts" using gin ("search_text" gin_trgm_ops);`);
    this.addSql(`create index "contacts_tags_index" on "contacts" using gin ("tags");`);

    this.addSql(
      `create table "deals" ("id" uuid not null, "workspace_id" uuid not null, "title" varchar(200) not null, "amount" bigint not null, "currency" char(3) not null, "stage" varchar(16) not null default 'LEAD', "contact_id" uuid null, "company_id" uuid null, "owner_id" uuid null, "expected_close_date" date null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "deals_workspace_id_created_at_id_index" on "deals" ("workspace_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "deals_workspace_id_owner_id_created_at_id_index" on "deals" ("workspace_id", "owner_id", "created_at", "id");`,
    );
    this.addSql(`create index "deals_contact_id_created_at_id_index" on "deals" ("contact_id", "created_at", "id");`);
    this.addSql(`create index "deals_company_id_created_at_id_index" on "deals" ("company_id", "created_at", "id");`);
    this.addSql(
      `create index "deals_workspace_id_stage_currency_index" on "deals" ("workspace_id", "stage", "currency");`,
    );

    this.addSql(
      `create table "deal_stage_changes" ("id" uuid not null, "workspace_id" uuid not null, "deal_id" uuid not null, "position" int not null, "from_stage" varchar(16) null, "to_stage" varchar(16) not null, "changed_at" timestamptz not null, "changed_by_id" uuid not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "deal_stage_changes" add constraint "deal_stage_changes_deal_id_position_unique" unique ("deal_id", "position");`,
    );

    this.addSql(
      `create table "activities" ("id" uuid not null, "workspace_id" uuid not null, "type" varchar(16) not null, "subject" varchar(200) not null, "body" text null, "occurred_at" timestamptz not null, "author_id" uuid not null, "contact_id" uuid null, "deal_id" uuid null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "activities_contact_id_occurred_at_id_index" on "activities" ("contact_id", "occurred_at", "id");`,
    );
    this.addSql(
      `create index "activities_deal_id_occurred_at_id_index" on "activities" ("deal_id", "occurred_at", "id");`,
    );
    this.addSql(
      `alter table "activities" add constraint "activities_contact_or_deal_check" check (contact_id is not null or deal_id is not null);`,
    );

    // Deleting a company or a contact leaves what pointed at it, unlinked; a deal's history goes with it.
    this.addSql(
      `alter table "contacts" add constraint "contacts_company_id_foreign" foreign key ("company_id") references "companies" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "deals" add constraint "deals_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "deals" add constraint "deals_company_id_foreign" foreign key ("company_id") references "companies" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "deal_stage_changes" add constraint "deal_stage_changes_deal_id_foreign" foreign key ("deal_id") references "deals" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "activities" add constraint "activities_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "activities" add constraint "activities_deal_id_foreign" foreign key ("deal_id") references "deals" ("id") on delete set null;`,
    );

    // contacts.search_text is kept by the database, so no writer can forget or falsify it: it is recomputed
    // whenever a contact's name, emails, company or the text itself is written (the company's deletion
    // too, through the foreign key's set null), and when its company is renamed.
    this.addSql(
      `create function "contacts_search_text_fn"() returns trigger language plpgsql as $$ begin new.search_text := lower(concat_ws(' ', new.name, nullif(array_to_string(new.emails, ' '), ''), (select c.name from companies c where c.id = new.company_id))); return new; end; $$;`,
    );
    this.addSql(
      `create trigger "search_text" before insert or update of name, emails, company_id, search_text on "contacts" for each row execute function contacts_search_text_fn();`,
    );
    this.addSql(
      `create function "companies_contact_search_text_fn"() returns trigger language plpgsql as $$ begin update contacts set search_text = search_text where company_id = new.id; return null; end; $$;`,
    );
    this.addSql(
      `create trigger "contact_search_text" after update of name on "companies" for each row when (old.name is distinct from new.name) execute function companies_contact_search_text_fn();`,
    );
  }
}
