import { Migration } from "@mikro-orm/migrations";

/** Billing accounts (Stripe customers), subscriptions, invoices and the received Stripe events. */
export class Migration20261122100000Initial extends Migration {
  override up(): void {
    this.addSql(
      `create table "billing_accounts" ("workspace_id" uuid not null, "stripe_customer_id" varchar(255) null, "created_at" timestamptz not null, primary key ("workspace_id"));`,
    );
    this.addSql(
      `alter table "billing_accounts" add constraint "billing_accounts_stripe_customer_id_unique" unique ("stripe_customer_id");`,
    );

    this.addSql(
      `create table "subscriptions" ("id" varchar(255) not null, "workspace_id" uuid not null, "plan" varchar(16) not null, "status" varchar(16) not null, "cancel_at_period_end" boolean not null default false, "current_period_end" timestamptz null, "last_event_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "subscriptions_workspace_id_created_at_index" on "subscriptions" ("workspace_id", "created_at");`,
    );

    this.addSql(
      `create table "invoices" ("id" varchar(255) not null, "workspace_id" uuid not null, "subscription_id" varchar(255) null, "number" varchar(255) null, "status" varchar(32) not null, "amount_due" bigint not null, "amount_paid" bigint not null, "currency" varchar(3) not null, "hosted_invoice_url" text null, "period_start" timestamptz null, "period_end" timestamptz null, "created_at" timestamptz not null, "last_event_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "invoices_workspace_id_created_at_id_index" on "invoices" ("workspace_id", "created_at", "id");`,
    );

    this.addSql(
      `create table "stripe_events" ("id" varchar(255) not null, "type" varchar(100) not null, "created_at" timestamptz not null, "received_at" timestamptz not null, "applied" boolean not null, primary key ("id"));`,
    );
  }
}
