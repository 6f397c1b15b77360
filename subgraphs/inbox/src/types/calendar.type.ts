import "reflect-metadata";
import { GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { Calendar } from "../entities/calendar.entity.ts";
import { CalendarEvent, RsvpStatusEnum } from "../entities/calendar-event.entity.ts";
import type { RsvpStatus } from "../scheduling/types.ts";
import { Correspondent } from "./correspondent.type.ts";
import { User } from "./user.type.ts";

@ObjectType({ description: "Someone on an event: a workspace user, or an outside address." })
export class EventParticipant {
  @Field(() => User, { nullable: true, description: "The workspace user; null for an outside address." })
  user!: User | null;

  @Field(() => Correspondent, {
    nullable: true,
    description: "The outside address; null for a workspace user without one.",
  })
  correspondent!: Correspondent | null;

  @Field(() => String, { nullable: true, description: "The display name given, if any." })
  name!: string | null;
}

@ObjectType({ description: "An attendee of an event, with their answer." })
export class EventAttendee extends EventParticipant {
  @Field(() => RsvpStatusEnum, { description: "Their answer to the invitation." })
  rsvp!: RsvpStatus;
}

@ObjectType({ description: "How an event repeats, as RFC 5545 says." })
export class EventRecurrence {
  @Field(() => String, { description: "The RRULE, without its prefix, such as FREQ=WEEKLY;BYDAY=MO;COUNT=10." })
  rrule!: string;

  @Field(() => [Date], { description: "Starts of occurrences left out (EXDATE)." })
  exdates!: Date[];

  @Field(() => [Date], { description: "Starts of occurrences added (RDATE)." })
  rdates!: Date[];
}

/** An occurrence as the API returns it: times, and the event when the caller may see it. */
@ObjectType({
  description:
    "One occurrence of an event in a range: a single event's one, or one of a series' expanded in its own time zone.",
})
export class EventOccurrence {
  @Field(() => CalendarEvent, {
    nullable: true,
    description:
      "The event with this occurrence's fields (a changed occurrence's own). Null for a colleague's event the caller " +
      "may not see: only the busy time shows.",
  })
  event!: CalendarEvent | null;

  @Field(() => ID, {
    nullable: true,
    description: "The series' (or single event's) id; null when the event is not visible.",
  })
  seriesId!: string | null;

  @Field(() => Date, { description: "When it starts." })
  start!: Date;

  @Field(() => Date, { description: "When it ends (exclusive)." })
  end!: Date;

  @Field(() => Date, { description: "The start the series' rule gives it: which occurrence it is, for THIS edits." })
  recurrenceId!: Date;

  @Field(() => Boolean, { description: "Whether it lasts whole days." })
  allDay!: boolean;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "All-day: its first day, in the event's zone." })
  startDate!: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "All-day: the day after its last, in the event's zone.",
  })
  endDate!: string | null;

  /** The event's zone, for the local-time fields. */
  timeZone!: string;
}

@ObjectType({ description: "Someone's time two events claim at once." })
export class EventConflict {
  @Field(() => User, { description: "Whose time it is." })
  user!: User;

  @Field(() => EventOccurrence, { description: "The occurrence checked (of the event created, moved or listed)." })
  occurrence!: EventOccurrence;

  @Field(() => EventOccurrence, {
    description: "What it overlaps; its event is null when the caller may not see it (busy time only).",
  })
  conflictingWith!: EventOccurrence;
}

@ObjectType({ description: "An event saved, with the conflicts it makes for its attendees." })
export class EventPayload {
  @Field(() => CalendarEvent, { description: "The event (for a THIS_AND_FOLLOWING edit, the new series)." })
  event!: CalendarEvent;

  @Field(() => [EventConflict], {
    description:
      "Every attendee's and the organizer's events it overlaps: all occurrences of a repeating event within a year of its start.",
  })
  conflicts!: EventConflict[];
}

@ObjectType({ description: "A span of time when everyone asked about is free and working." })
export class TimeSlot {
  @Field(() => Date, { description: "When it starts." })
  start!: Date;

  @Field(() => Date, { description: "When it ends." })
  end!: Date;
}

@ObjectType({ description: "Free slots, and whom they were found for." })
export class FreeSlots {
  @Field(() => [TimeSlot], { description: "The slots, earliest first." })
  slots!: TimeSlot[];

  @Field(() => [User], {
    description: "Everyone whose time was checked: the attendees given, and with dealId the deal's people.",
  })
  attendees!: User[];
}

@ObjectType({ description: "What became of one guest's invitation." })
export class InvitationResult {
  @Field(() => String, { description: "The guest's address." })
  email!: string;

  @Field(() => Boolean, { description: "Whether the mail server accepted the invitation for them." })
  sent!: boolean;

  @Field(() => String, { nullable: true, description: "Why it was not sent, or null." })
  error!: string | null;
}

@ObjectType({ description: "A meeting booked, and its invitations." })
export class ScheduleMeetingPayload {
  @Field(() => CalendarEvent, { description: "The event booked in the organizer's calendar." })
  event!: CalendarEvent;

  @Field(() => [InvitationResult], { description: "Each outside guest's invitation (METHOD:REQUEST by mail)." })
  invitations!: InvitationResult[];
}

@ObjectType({ description: "A calendar's private ICS feed, which calendar apps subscribe to." })
export class CalendarFeed {
  @Field(() => Calendar, { description: "The calendar." })
  calendar!: Calendar;

  @Field(() => String, {
    description:
      "The feed's URL, with its secret token: shown only now. Anyone with it can read the calendar; make a new one or " +
      "revoke it to stop that.",
  })
  url!: string;
}

@ObjectType({ description: "What an .ics import did." })
export class CalendarImportReport {
  @Field(() => Int, { description: "Events added." })
  created!: number;

  @Field(() => Int, { description: "Events whose UID the calendar had, changed to the file's." })
  updated!: number;

  @Field(() => Int, { description: "Events already as the file has them." })
  unchanged!: number;

  @Field(() => [String], { description: "Parts of the file that could not be read and were skipped, in words." })
  errors!: string[];
}

@ObjectType({ description: "Hours on one day of the week, in the user's zone." })
export class WeeklyHours {
  @Field(() => Int, { description: "The ISO weekday: 1 is Monday, 7 is Sunday." })
  weekday!: number;

  @Field(() => String, { description: "Local start, HH:mm." })
  start!: string;

  @Field(() => String, { description: "Local end, HH:mm (24:00 for midnight)." })
  end!: string;
}

@ObjectType({ description: "Local hours of a day, HH:mm to HH:mm." })
export class LocalHours {
  @Field(() => String, { description: "Local start, HH:mm." })
  start!: string;

  @Field(() => String, { description: "Local end, HH:mm (24:00 for midnight)." })
  end!: string;
}

@ObjectType({ description: "A date whose hours differ from the week's." })
export class WorkingHoursException {
  @Field(() => GraphQLLocalDate, { description: "The local date." })
  date!: string;

  @Field(() => [LocalHours], { description: "The hours worked that day; none for a day off." })
  intervals!: LocalHours[];
}

@ObjectType("WorkingHours", {
  description: "When a member works, in their own time zone: freeSlots keeps meetings inside it.",
})
export class WorkingHoursType {
  @Field(() => User, { description: "Whose hours they are." })
  user!: User;

  @Field(() => String, { description: "The IANA zone the hours are in." })
  timeZone!: string;

  @Field(() => [WeeklyHours], { description: "Hours by weekday." })
  weekly!: WeeklyHours[];

  @Field(() => [WorkingHoursException], { description: "Dates with other hours." })
  exceptions!: WorkingHoursException[];

  @Field(() => Boolean, {
    description: "Whether these are the default (Monday to Friday, 09:00 to 17:00) because the member set none.",
  })
  isDefault!: boolean;
}
