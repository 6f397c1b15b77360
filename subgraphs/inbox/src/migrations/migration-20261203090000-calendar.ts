import { Migration } from "@mikro-orm/migrations";

/** Calendars, their events (series, changed occurrences, CalDAV state), working hours and CalDAV sync conflicts. */
export class Migration20261203090000Calendar extends Migration {
  override up(): void {
    this.addSql(
      `create table "calendars" ("id" uuid not null, "workspace_id" uuid not null, "owner_id" uuid null, "name" varchar(200) not null, "color" varchar(7) null, "time_zone" varchar(64) not null, "kind" varchar(8) not null, "source" varchar(8) not null default 'LOCAL', "caldav_url" text null, "caldav_username" varchar(320) null, "caldav_secret" text null, "caldav_sync_token" text null, "last_synced_at" timestamptz null, "sync_error" varchar(500) null, "feed_token_hash" varchar(64) null, "feed_created_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "calendars_workspace_id_owner_id_index" on "calendars" ("workspace_id", "owner_id");`);
    this.addSql(
      `alter table "calendars" add constraint "calendars_feed_token_hash_unique" unique ("feed_token_hash");`,
    );
    this.addSql(
      `create table "calendar_events" ("id" uuid not null, "workspace_id" uuid not null, "calendar_id" uuid not null, "uid" varchar(255) not null, "title" varchar(500) not null, "description" text null, "location" varchar(500) null, "status" varchar(10) not null default 'CONFIRMED', "all_day" boolean not null default false, "start_at" timestamptz not null, "end_at" timestamptz not null, "time_zone" varchar(64) not null, "rrule" text null, "exdates" jsonb not null, "rdates" jsonb not null, "series_end_at" timestamptz null, "recurring_event_id" uuid null, "recurrence_id" timestamptz null, "organizer" jsonb null, "attendees" jsonb not null, "attendee_user_ids" uuid[] not null, "sequence" int not null default 0, "created_by" uuid not null, "remote_href" text null, "remote_etag" text null, "synced_at" timestamptz null, "deleted_at" timestamptz null, "idempotency_key" varchar(100) null, "invitations" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "calendar_events_calendar_id_start_at_index" on "calendar_events" ("calendar_id", "start_at");`,
    );
    this.addSql(
      `create index "calendar_events_workspace_id_calendar_id_index" on "calendar_events" ("workspace_id", "calendar_id");`,
    );
    this.addSql(`create index "calendar_events_recurring_event_id_index" on "calendar_events" ("recurring_event_id");`);
    this.addSql(
      `create index "calendar_events_attendee_user_ids_index" on "calendar_events" using gin ("attendee_user_ids");`,
    );
    // One series (or single event) per UID in a calendar, and one change per occurrence of a series.
    this.addSql(
      `create unique index "calendar_events_calendar_id_uid_unique" on "calendar_events" ("calendar_id", "uid") where "recurring_event_id" is null;`,
    );
    this.addSql(
      `create unique index "calendar_events_recurring_event_id_recurrence_id_unique" on "calendar_events" ("recurring_event_id", "recurrence_id") where "recurring_event_id" is not null;`,
    );
    // scheduleMeeting's idempotency key: a retried call finds the meeting booked (and invited) the first time.
    this.addSql(
      `create unique index "calendar_events_idempotency_key_unique" on "calendar_events" ("workspace_id", "created_by", "idempotency_key") where "idempotency_key" is not null;`,
    );
    this.addSql(
      `create table "working_hours" ("workspace_id" uuid not null, "user_id" uuid not null, "time_zone" varchar(64) not null, "weekly" jsonb not null, "exceptions" jsonb not null, "updated_at" timestamptz not null, primary key ("workspace_id", "user_id"));`,
    );
    this.addSql(
      `create table "calendar_sync_conflicts" ("id" uuid not null, "workspace_id" uuid not null, "calendar_id" uuid not null, "event_id" uuid null, "uid" varchar(255) not null, "title" varchar(500) not null, "kept" varchar(6) not null, "mary_updated_at" timestamptz not null, "server_updated_at" timestamptz not null, "detected_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "calendar_sync_conflicts_calendar_id_detected_at_index" on "calendar_sync_conflicts" ("calendar_id", "detected_at");`,
    );
  }
}
