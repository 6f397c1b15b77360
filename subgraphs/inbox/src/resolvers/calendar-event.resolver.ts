import "reflect-metadata";
import { requireScope } from "@mary/kit";
import { GraphQLLocalDate } from "graphql-scalars";
import { DateTime } from "luxon";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { InboxContext } from "../context.ts";
import { Calendar } from "../entities/calendar.entity.ts";
import { CalendarEvent } from "../entities/calendar-event.entity.ts";
import { stringEnum } from "@mary/kit";
import { checkTimeZone } from "../scheduling/time-zones.ts";
import {
  EDIT_SCOPES,
  type ConflictRecord,
  type EditScope,
  type EventInputFields,
  type ExpandedOccurrence,
} from "../services/event.service.ts";
import type { Participant } from "../scheduling/types.ts";
import {
  EventAttendee,
  EventConflict,
  EventOccurrence,
  EventParticipant,
  EventPayload,
  EventRecurrence,
} from "../types/calendar.type.ts";
import { EventInput } from "./calendar.input.ts";

export const EditScopeEnum = stringEnum(
  EDIT_SCOPES,
  "EventEditScope",
  "Which occurrences of a series an edit changes.",
  {
    THIS: "Only the occurrence named by `occurrence` (its recurrenceId).",
    THIS_AND_FOLLOWING:
      "That occurrence and every later one: the series is split there, the rest becomes a new series.",
    ALL: "The whole series (or the single event).",
  },
);

/** An occurrence for the API: its event only when the caller may see it. */
export function occurrenceOf(occurrence: ExpandedOccurrence, visible = true): EventOccurrence {
  const { event, series, start, end } = occurrence;
  const local = (date: Date) => DateTime.fromJSDate(date, { zone: event.timeZone }).toISODate();
  return {
    event: visible ? event : null,
    seriesId: visible ? series.id : null,
    start,
    end,
    recurrenceId: occurrence.recurrenceId,
    allDay: event.allDay,
    startDate: event.allDay ? local(start) : null,
    endDate: event.allDay ? local(end) : null,
    timeZone: event.timeZone,
  };
}

export const conflictOf = (record: ConflictRecord): EventConflict => ({
  user: { id: record.userId },
  occurrence: occurrenceOf(record.occurrence),
  conflictingWith: occurrenceOf(record.conflictingWith, record.visible),
});

const participantOf = (participant: Participant): EventParticipant => ({
  user: participant.userId ? { id: participant.userId } : null,
  correspondent: participant.email ? { email: participant.email, name: participant.name } : null,
  name: participant.name,
});

/** The instant as local ISO time (with its offset) in the zone asked (a viewer's), else in `own` (the event's). */
export function localTime(date: Date, asked: string | null, own: string): string {
  const zone = asked ? checkTimeZone(asked, "timeZone") : own;
  return DateTime.fromJSDate(date, { zone }).toISO({ suppressMilliseconds: true })!;
}

/** The EventInput as the event service takes it. */
export const eventFields = (input: EventInput): EventInputFields => ({
  ...input,
  rrule: input.recurrence === undefined || input.recurrence === null ? undefined : input.recurrence.rrule,
  exdates: input.recurrence?.exdates,
  rdates: input.recurrence?.rdates,
  attendees: input.attendees,
});

const zoneArg = {
  nullable: true,
  description: "An IANA zone to show the time in (a viewer's); the event's own by default.",
} as const;

@Resolver(() => CalendarEvent)
export class CalendarEventResolver {
  @Query(() => [EventOccurrence], {
    description:
      "The occurrences in [from, to) of events in these calendars (all the caller's by default), earliest first: " +
      "repeating events expanded in their own zone, changed occurrences as changed, cancelled ones left out. At most " +
      "400 days; at most 10,000 occurrences.",
  })
  async events(
    @Arg("calendarIds", () => [ID], {
      nullable: true,
      description: "The calendars; the caller's own and shared ones by default.",
    })
    calendarIds: string[] | null,
    @Arg("from", () => Date, { description: "The range's start." }) from: Date,
    @Arg("to", () => Date, { description: "The range's end (exclusive)." }) to: Date,
    @Ctx() ctx: InboxContext,
  ): Promise<EventOccurrence[]> {
    const caller = requireScope(ctx.principal, "inbox:read");
    const occurrences = await ctx.calendarEvents.occurrences(caller, calendarIds, from, to);
    return occurrences.filter((one) => one.event.status !== "CANCELLED").map((one) => occurrenceOf(one));
  }

  @Query(() => CalendarEvent, {
    description: "An event of the caller's calendars, or one they attend; else NOT_FOUND.",
  })
  event(
    @Arg("id", () => ID, { description: "The event's id." }) id: string,
    @Ctx() ctx: InboxContext,
  ): Promise<CalendarEvent> {
    return ctx.calendarEvents.find(requireScope(ctx.principal, "inbox:read"), id);
  }

  @Query(() => [EventConflict], {
    description:
      "The caller's double bookings in [from, to): pairs of their events (not cancelled, not declined) that overlap.",
  })
  async conflicts(
    @Arg("from", () => Date, { description: "The range's start." }) from: Date,
    @Arg("to", () => Date, { description: "The range's end." }) to: Date,
    @Ctx() ctx: InboxContext,
  ): Promise<EventConflict[]> {
    const records = await ctx.calendarEvents.conflicts(requireScope(ctx.principal, "inbox:read"), from, to);
    return records.map(conflictOf);
  }

  @Query(() => [EventConflict], {
    description:
      "What an event (or one occurrence of it) would conflict with if moved to [start, end): for showing conflicts " +
      "while dragging, before anything is saved.",
  })
  async eventMoveConflicts(
    @Arg("id", () => ID, { description: "The event (or changed occurrence)." }) id: string,
    @Arg("start", () => Date, { description: "The new start." }) start: Date,
    @Arg("end", () => Date, { description: "The new end." }) end: Date,
    @Ctx() ctx: InboxContext,
  ): Promise<EventConflict[]> {
    const records = await ctx.calendarEvents.previewMove(requireScope(ctx.principal, "inbox:read"), id, start, end);
    return records.map(conflictOf);
  }

  @Mutation(() => EventPayload, {
    description:
      "Creates an event in one of the caller's calendars, organized by them, and reports every attendee's conflicts. " +
      "Bad input is BAD_USER_INPUT with the field named, and nothing is saved.",
  })
  async createEvent(
    @Arg("calendarId", () => ID, { description: "The calendar." }) calendarId: string,
    @Arg("input", () => EventInput, { description: "The event." }) input: EventInput,
    @Ctx() ctx: InboxContext,
  ): Promise<EventPayload> {
    const { event, conflicts } = await ctx.calendarEvents.create(
      requireScope(ctx.principal, "inbox:write"),
      calendarId,
      eventFields(input),
    );
    return { event, conflicts: conflicts.map(conflictOf) };
  }

  @Mutation(() => EventPayload, {
    description:
      "Changes an event, or for a series the occurrences `scope` says (THIS and THIS_AND_FOLLOWING need `occurrence`, " +
      "the occurrence's recurrenceId), and reports the conflicts it then has.",
  })
  async updateEvent(
    @Arg("id", () => ID, { description: "The event (a series, or a changed occurrence)." }) id: string,
    @Arg("input", () => EventInput, { description: "The fields to change." }) input: EventInput,
    @Arg("scope", () => EditScopeEnum, { defaultValue: "ALL", description: "Which occurrences of a series." })
    scope: EditScope,
    @Arg("occurrence", () => Date, {
      nullable: true,
      description: "The occurrence's recurrenceId, for THIS and THIS_AND_FOLLOWING.",
    })
    occurrence: Date | null,
    @Ctx() ctx: InboxContext,
  ): Promise<EventPayload> {
    const { event, conflicts } = await ctx.calendarEvents.update(
      requireScope(ctx.principal, "inbox:write"),
      id,
      eventFields(input),
      scope,
      occurrence,
    );
    return { event, conflicts: conflicts.map(conflictOf) };
  }

  @Mutation(() => ID, {
    description:
      "Deletes an event, or for a series one occurrence (THIS), it and every later one (THIS_AND_FOLLOWING) or all. Returns its id.",
  })
  deleteEvent(
    @Arg("id", () => ID, { description: "The event." }) id: string,
    @Arg("scope", () => EditScopeEnum, { defaultValue: "ALL", description: "Which occurrences of a series." })
    scope: EditScope,
    @Arg("occurrence", () => Date, {
      nullable: true,
      description: "The occurrence's recurrenceId, for THIS and THIS_AND_FOLLOWING.",
    })
    occurrence: Date | null,
    @Ctx() ctx: InboxContext,
  ): Promise<string> {
    return ctx.calendarEvents.delete(requireScope(ctx.principal, "inbox:write"), id, scope, occurrence);
  }

  @FieldResolver(() => Calendar, {
    nullable: true,
    description: "The calendar it is in; null when the caller attends but may not see it.",
  })
  calendar(@Root() event: CalendarEvent, @Ctx() ctx: InboxContext): Promise<Calendar | null> {
    return ctx.loaders.calendar.load(event.calendarId);
  }

  @FieldResolver(() => EventParticipant, { nullable: true, description: "Who organizes it." })
  organizer(@Root() event: CalendarEvent): EventParticipant | null {
    return event.organizer ? participantOf(event.organizer) : null;
  }

  @FieldResolver(() => [EventAttendee], { description: "Who is invited, with their answers." })
  attendees(@Root() event: CalendarEvent): EventAttendee[] {
    return event.attendees.map((attendee) => ({ ...participantOf(attendee), rsvp: attendee.rsvp }));
  }

  @FieldResolver(() => EventRecurrence, {
    nullable: true,
    description: "How it repeats; null for a single event or a changed occurrence.",
  })
  recurrence(@Root() event: CalendarEvent): EventRecurrence | null {
    if (!event.rrule) return null;
    return {
      rrule: event.rrule,
      exdates: event.exdates.map((d) => new Date(d)),
      rdates: event.rdates.map((d) => new Date(d)),
    };
  }

  @FieldResolver(() => ID, { nullable: true, description: "A changed occurrence's series; null otherwise." })
  recurringEventId(@Root() event: CalendarEvent): string | null {
    return event.recurringEventId;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: "A changed occurrence's start as the series gives it; null otherwise.",
  })
  recurrenceId(@Root() event: CalendarEvent): Date | null {
    return event.recurrenceId;
  }

  @FieldResolver(() => GraphQLLocalDate, { nullable: true, description: "All-day: the first day, in its zone." })
  startDate(@Root() event: CalendarEvent): string | null {
    return event.allDay ? DateTime.fromJSDate(event.start, { zone: event.timeZone }).toISODate() : null;
  }

  @FieldResolver(() => GraphQLLocalDate, {
    nullable: true,
    description: "All-day: the day after the last, in its zone.",
  })
  endDate(@Root() event: CalendarEvent): string | null {
    return event.allDay ? DateTime.fromJSDate(event.end, { zone: event.timeZone }).toISODate() : null;
  }

  @FieldResolver(() => String, {
    description: "The start as local ISO time with its offset, in the zone asked or the event's.",
  })
  localStart(@Root() event: CalendarEvent, @Arg("timeZone", () => String, zoneArg) timeZone: string | null): string {
    return localTime(event.start, timeZone, event.timeZone);
  }

  @FieldResolver(() => String, {
    description: "The end as local ISO time with its offset, in the zone asked or the event's.",
  })
  localEnd(@Root() event: CalendarEvent, @Arg("timeZone", () => String, zoneArg) timeZone: string | null): string {
    return localTime(event.end, timeZone, event.timeZone);
  }
}

@Resolver(() => EventOccurrence)
export class EventOccurrenceResolver {
  @FieldResolver(() => String, {
    description: "The start as local ISO time with its offset, in the zone asked (a viewer's) or the event's own.",
  })
  localStart(
    @Root() occurrence: EventOccurrence,
    @Arg("timeZone", () => String, zoneArg) timeZone: string | null,
  ): string {
    return localTime(occurrence.start, timeZone, occurrence.timeZone);
  }

  @FieldResolver(() => String, {
    description: "The end as local ISO time with its offset, in the zone asked or the event's own.",
  })
  localEnd(
    @Root() occurrence: EventOccurrence,
    @Arg("timeZone", () => String, zoneArg) timeZone: string | null,
  ): string {
    return localTime(occurrence.end, timeZone, occurrence.timeZone);
  }

  @FieldResolver(() => Int, { description: "How long it lasts, in minutes." })
  durationMinutes(@Root() occurrence: EventOccurrence): number {
    return Math.round((occurrence.end.getTime() - occurrence.start.getTime()) / 60_000);
  }
}
