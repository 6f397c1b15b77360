import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { stringEnum } from "@mary/kit";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import {
  EVENT_STATUSES,
  RSVP_STATUSES,
  type Attendee,
  type EventStatus,
  type Participant,
} from "../scheduling/types.ts";

export const EventStatusEnum = stringEnum(EVENT_STATUSES, "EventStatus", "Whether an event takes place.", {
  CONFIRMED: "It takes place.",
  TENTATIVE: "It may take place.",
  CANCELLED: "It does not take place (a cancelled occurrence of a series is one of these).",
});

export const RsvpStatusEnum = stringEnum(RSVP_STATUSES, "RsvpStatus", "An attendee's answer to an invitation.", {
  NEEDS_ACTION: "Not answered yet.",
  ACCEPTED: "Coming.",
  DECLINED: "Not coming.",
  TENTATIVE: "Maybe coming.",
});

/**
 * An event of a calendar: a single one, the master of a recurring series (with `rrule`), or one
 * changed or cancelled occurrence of a series (`recurringEventId` and `recurrenceId` set).
 */
@Directive('@key(fields: "id")')
@ObjectType({
  description:
    "An event of a calendar: a single event, a recurring series, or one changed occurrence of a series. " +
    "Its start and end are instants, kept with the IANA time zone the event repeats in.",
})
export class CalendarEvent {
  @Field(() => ID, { description: "Stable identifier of the event." })
  id: string = randomUUID();

  workspaceId!: string;
  calendarId!: string;

  @Field(() => String, {
    description:
      "The iCalendar UID, the same in exports, invitations and on CalDAV servers (a changed occurrence shares its series').",
  })
  uid!: string;

  @Field(() => String, { description: "The event's title." })
  title!: string;

  @Field(() => String, { nullable: true, description: "A longer description, as plain text." })
  description: string | null = null;

  @Field(() => String, { nullable: true, description: "Where it takes place." })
  location: string | null = null;

  @Field(() => EventStatusEnum, { description: "Whether it takes place." })
  status: EventStatus = "CONFIRMED";

  @Field(() => Boolean, {
    description: "Whether it lasts whole days (startDate to endDate) rather than from one instant to another.",
  })
  allDay = false;

  @Field(() => Date, {
    description: "When the (first) occurrence starts; for an all-day event, midnight of startDate in its zone.",
  })
  start!: Date;

  @Field(() => Date, { description: "When the (first) occurrence ends (exclusive)." })
  end!: Date;

  @Field(() => String, { description: "The IANA time zone the event is in, and repeats in." })
  timeZone!: string;

  /** RRULE value without its prefix; null for single events and changed occurrences. */
  rrule: string | null = null;
  /** EXDATE and RDATE starts, as ISO instants. */
  exdates: string[] = [];
  rdates: string[] = [];
  /** The end of the series' last occurrence (the event's end for a single one); null when it repeats forever. */
  seriesEnd: Date | null = null;

  /** A changed occurrence: its series and the start the rule gives it. */
  recurringEventId: string | null = null;
  recurrenceId: Date | null = null;

  organizer: Participant | null = null;
  attendees: Attendee[] = [];
  /** The workspace users among the attendees (and the organizer), for finding a user's events with an index. */
  attendeeUserIds: string[] = [];

  @Field(() => Int, { description: "The iCalendar SEQUENCE: raised by every change invitations must carry." })
  sequence = 0;

  createdBy!: string;

  /** CALDAV: the object's URL on the server and its ETag when Mary last read or wrote it. */
  remoteHref: string | null = null;
  remoteEtag: string | null = null;
  /** CALDAV: when this row and the server's object last agreed; a later updatedAt is a change made in Mary. */
  syncedAt: Date | null = null;
  /** A deletion on a CALDAV calendar waits here until the next sync removes the server's object. */
  deletedAt: Date | null = null;

  /** scheduleMeeting's idempotency key, unique per member: a retried call finds this meeting. */
  idempotencyKey: string | null = null;
  /** What became of each outside guest's invitation, as scheduleMeeting answered it. */
  invitations: { email: string; sent: boolean; error: string | null }[] = [];

  @Field(() => Date, { description: "When the event was made in Mary." })
  createdAt: Date = new Date();

  @Field(() => Date, { description: "When the event last changed." })
  updatedAt: Date = new Date();
}

export const CalendarEventSchema = new EntitySchema<CalendarEvent>({
  class: CalendarEvent,
  tableName: "calendar_events",
  indexes: [
    { properties: ["calendarId", "start"] },
    { properties: ["workspaceId", "calendarId"] },
    { properties: ["recurringEventId"] },
    // A member's events as an attendee (busy time, conflicts, freeSlots).
    { name: "calendar_events_attendee_user_ids_index", properties: ["attendeeUserIds"], type: "gin" },
    // One series (or single event) per UID in a calendar, and one change per occurrence of a series.
    {
      name: "calendar_events_calendar_id_uid_unique",
      expression: `create unique index "calendar_events_calendar_id_uid_unique" on "calendar_events" ("calendar_id", "uid") where "recurring_event_id" is null`,
    },
    {
      name: "calendar_events_recurring_event_id_recurrence_id_unique",
      expression: `create unique index "calendar_events_recurring_event_id_recurrence_id_unique" on "calendar_events" ("recurring_event_id", "recurrence_id") where "recurring_event_id" is not null`,
    },
    {
      name: "calendar_events_idempotency_key_unique",
      expression: `create unique index "calendar_events_idempotency_key_unique" on "calendar_events" ("workspace_id", "created_by", "idempotency_key") where "idempotency_key" is not null`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    calendarId: { type: "uuid" },
    uid: { type: "string", length: 255 },
    title: { type: "string", length: 500 },
    description: { type: "text", nullable: true },
    location: { type: "string", length: 500, nullable: true },
    status: { type: "string", length: 10, default: "CONFIRMED" },
    allDay: { type: "boolean", default: false },
    start: { type: "datetime", fieldName: "start_at" },
    end: { type: "datetime", fieldName: "end_at" },
    timeZone: { type: "string", length: 64 },
    rrule: { type: "text", nullable: true },
    exdates: { type: "jsonb" },
    rdates: { type: "jsonb" },
    seriesEnd: { type: "datetime", fieldName: "series_end_at", nullable: true },
    recurringEventId: { type: "uuid", nullable: true },
    recurrenceId: { type: "datetime", nullable: true },
    organizer: { type: "jsonb", nullable: true },
    attendees: { type: "jsonb" },
    attendeeUserIds: { type: "uuid[]" },
    sequence: { type: "integer" },
    createdBy: { type: "uuid" },
    remoteHref: { type: "text", nullable: true },
    remoteEtag: { type: "text", nullable: true },
    syncedAt: { type: "datetime", nullable: true },
    deletedAt: { type: "datetime", nullable: true },
    idempotencyKey: { type: "string", length: 100, nullable: true },
    invitations: { type: "jsonb" },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
