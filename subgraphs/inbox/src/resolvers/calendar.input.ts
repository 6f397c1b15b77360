import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, InputType, Int } from "type-graphql";
import { CalendarKindEnum, type CalendarKind } from "../entities/calendar.entity.ts";
import { EventStatusEnum, RsvpStatusEnum } from "../entities/calendar-event.entity.ts";
import type { EventStatus, RsvpStatus } from "../scheduling/types.ts";

@InputType({ description: "A new calendar." })
export class CreateCalendarInput {
  @Field(() => String, { description: "Its name, 1 to 200 characters." })
  name!: string;

  @Field(() => CalendarKindEnum, { defaultValue: "PERSONAL", description: "The caller's own, or the workspace's." })
  kind!: CalendarKind;

  @Field(() => String, { nullable: true, description: "A colour, #rrggbb." })
  color?: string | null;

  @Field(() => String, { defaultValue: "UTC", description: "The IANA zone new events default to." })
  timeZone!: string;
}

@InputType({ description: "Changes to a calendar; fields left out keep their value." })
export class UpdateCalendarInput {
  @Field(() => String, { nullable: true, description: "A new name." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "A new colour, #rrggbb; empty for none." })
  color?: string | null;

  @Field(() => String, { nullable: true, description: "A new default IANA zone (existing events keep theirs)." })
  timeZone?: string | null;
}

@InputType({ description: "An attendee: a workspace user by id, or an outside address." })
export class AttendeeInput {
  @Field(() => ID, { nullable: true, description: "A workspace user's id." })
  userId?: string | null;

  @Field(() => String, { nullable: true, description: "An outside address." })
  email?: string | null;

  @Field(() => String, { nullable: true, description: "A display name." })
  name?: string | null;

  @Field(() => RsvpStatusEnum, { nullable: true, description: "Their answer so far; NEEDS_ACTION by default." })
  rsvp?: RsvpStatus | null;
}

@InputType({ description: "How an event repeats (RFC 5545)." })
export class RecurrenceInput {
  @Field(() => String, {
    description:
      "An RRULE, such as FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20270101T000000Z. It repeats in the event's zone. " +
      "SECONDLY, MINUTELY and HOURLY rules are refused.",
  })
  rrule!: string;

  @Field(() => [Date], { defaultValue: [], description: "Starts of occurrences to leave out (EXDATE)." })
  exdates!: Date[];

  @Field(() => [Date], { defaultValue: [], description: "Starts of extra occurrences (RDATE)." })
  rdates!: Date[];
}

/** The fields createEvent and updateEvent share. */
@InputType({ description: "An event's fields; on update, fields left out keep their value." })
export class EventInput {
  @Field(() => String, { nullable: true, description: "The title, 1 to 500 characters (required to create)." })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "A description, as plain text." })
  description?: string | null;

  @Field(() => String, { nullable: true, description: "Where it takes place." })
  location?: string | null;

  @Field(() => EventStatusEnum, { nullable: true, description: "CONFIRMED by default." })
  status?: EventStatus | null;

  @Field(() => Boolean, { nullable: true, description: "Whole days (startDate, endDate) instead of start and end." })
  allDay?: boolean | null;

  @Field(() => Date, { nullable: true, description: "A timed event's start." })
  start?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: "A timed event's end, after start, at most 31 days later. On update, left out keeps the duration.",
  })
  end?: Date | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "An all-day event's first day." })
  startDate?: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "The day after an all-day event's last; the next day by default.",
  })
  endDate?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The IANA zone the event is in and repeats in; its calendar's by default.",
  })
  timeZone?: string | null;

  @Field(() => RecurrenceInput, {
    nullable: true,
    description:
      "How it repeats. On update, left out or null keeps it; given, it replaces the rule, exdates and rdates " +
      "together (send the exdates to keep); a rule of an empty string makes it a single event.",
  })
  recurrence?: RecurrenceInput | null;

  @Field(() => [AttendeeInput], {
    nullable: true,
    description: "Everyone invited (on update, the whole list); at most 100.",
  })
  attendees?: AttendeeInput[] | null;
}

@InputType({ description: "An outside guest of a meeting, invited by mail." })
export class GuestInput {
  @Field(() => String, { description: "Their address." })
  email!: string;

  @Field(() => String, { nullable: true, description: "Their name." })
  name?: string | null;
}

@InputType({ description: "A meeting to book in the first (or a chosen) free slot." })
export class ScheduleMeetingInput {
  @Field(() => String, { description: "The title." })
  title!: string;

  @Field(() => String, { nullable: true, description: "A description." })
  description?: string | null;

  @Field(() => String, { nullable: true, description: "Where." })
  location?: string | null;

  @Field(() => ID, { nullable: true, description: "The calendar to book in; the caller's own by default." })
  calendarId?: string | null;

  @Field(() => [ID], { defaultValue: [], description: "Workspace members to invite (the caller is always on it)." })
  attendeeIds!: string[];

  @Field(() => ID, {
    nullable: true,
    description: "A deal: its owner and the members on its contact's recent meetings join.",
  })
  dealId?: string | null;

  @Field(() => [GuestInput], { defaultValue: [], description: "Outside guests, sent an iCalendar invitation." })
  guests!: GuestInput[];

  @Field(() => Int, { description: "How long, in minutes (5 to 1440)." })
  durationMinutes!: number;

  @Field(() => Date, { description: "The earliest start." })
  from!: Date;

  @Field(() => Date, { description: "The latest end; at most 62 days after from." })
  to!: Date;

  @Field(() => Int, { defaultValue: 15, description: "Slots start on multiples of this many minutes." })
  granularityMinutes!: number;

  @Field(() => Int, { defaultValue: 0, description: "Minutes kept free before and after other events." })
  bufferMinutes!: number;

  @Field(() => Date, {
    nullable: true,
    description: "A chosen slot's start (from freeSlots); the first free one by default.",
  })
  start?: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: "The caller's mail account invitations are sent from; their first by default.",
  })
  mailAccountId?: string | null;

  @Field(() => String, { nullable: true, description: "The event's IANA zone; the calendar's by default." })
  timeZone?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "A key of the caller's choosing, 1 to 100 characters: a call repeated with it (after a lost answer, say) returns " +
      "the meeting booked the first time, with its invitations' results, and books and mails nothing again.",
  })
  idempotencyKey?: string | null;
}

@InputType({ description: "Hours on one weekday." })
export class WeeklyHoursInput {
  @Field(() => Int, { description: "ISO weekday: 1 Monday … 7 Sunday." })
  weekday!: number;

  @Field(() => String, { description: "Local start, HH:mm." })
  start!: string;

  @Field(() => String, { description: "Local end, HH:mm (24:00 for midnight)." })
  end!: string;
}

@InputType({ description: "Local hours, HH:mm to HH:mm." })
export class LocalHoursInput {
  @Field(() => String, { description: "Local start, HH:mm." })
  start!: string;

  @Field(() => String, { description: "Local end, HH:mm." })
  end!: string;
}

@InputType({ description: "A date with other hours." })
export class WorkingHoursExceptionInput {
  @Field(() => GraphQLLocalDate, { description: "The local date." })
  date!: string;

  @Field(() => [LocalHoursInput], { description: "Hours worked that day; empty for a day off." })
  intervals!: LocalHoursInput[];
}

@InputType({ description: "A member's working hours, replacing what they had." })
export class WorkingHoursInput {
  @Field(() => String, { description: "The IANA zone they are in." })
  timeZone!: string;

  @Field(() => [WeeklyHoursInput], { description: "Hours by weekday (several intervals per day allowed)." })
  weekly!: WeeklyHoursInput[];

  @Field(() => [WorkingHoursExceptionInput], { defaultValue: [], description: "Dates with other hours." })
  exceptions!: WorkingHoursExceptionInput[];
}
