import { randomUUID } from "node:crypto";
import ICAL from "ical.js";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Calendar } from "../entities/calendar.entity.ts";
import { CalendarEvent } from "../entities/calendar-event.entity.ts";
import { seriesEnd } from "../scheduling/recurrence.ts";
import type { Attendee, ICalEvent, ICalOverride, Participant } from "../scheduling/types.ts";
import { participantIds, timingOf } from "./event.service.ts";

/** A series (or single event) with its changed occurrences, as iCalendar carries it. */
export function toICalEvent(series: CalendarEvent, overrides: CalendarEvent[]): ICalEvent {
  return {
    uid: series.uid,
    title: series.title,
    description: series.description,
    location: series.location,
    status: series.status,
    timing: timingOf(series),
    organizer: series.organizer,
    attendees: series.attendees,
    sequence: series.sequence,
    updatedAt: series.updatedAt,
    overrides: overrides.map((row): ICalOverride => ({
      recurrenceId: row.recurrenceId!,
      title: row.title,
      description: row.description,
      location: row.location,
      status: row.status,
      start: row.start,
      end: row.end,
      attendees: row.attendees,
    })),
  };
}

const iso = (date: Date) => date.toISOString();

/** An RRULE in the order iCalendar files write its parts, so a rule read back from a file compares equal. */
export const canonicalRrule = (rrule: string | null) => (rrule ? ICAL.Recur.fromString(rrule).toString() : null);
const person = (p: Participant | null) => (p ? [p.userId, p.email, p.name] : null);
const attendeeKey = (a: Attendee) => [a.userId, a.email, a.name, a.rsvp];

/**
 * An event's compared fields in a fixed order, to tell whether an import or a sync changes
 * anything (jsonb gives objects back with their keys reordered, so objects are not compared).
 */
export const fingerprint = (event: ICalEvent) =>
  JSON.stringify([
    event.uid,
    event.title,
    event.description,
    event.location,
    event.status,
    event.sequence,
    iso(event.timing.start),
    iso(event.timing.end),
    event.timing.timeZone,
    event.timing.allDay,
    canonicalRrule(event.timing.rrule),
    event.timing.exdates.map(iso).sort(),
    event.timing.rdates.map(iso).sort(),
    person(event.organizer),
    event.attendees.map(attendeeKey),
    [...event.overrides]
      .sort((a, b) => a.recurrenceId.getTime() - b.recurrenceId.getTime())
      .map((o) => [
        iso(o.recurrenceId),
        o.title,
        o.description,
        o.location,
        o.status,
        iso(o.start),
        iso(o.end),
        o.attendees.map(attendeeKey),
      ]),
  ]);

/** The series and changed occurrences of these UIDs in a calendar, by UID. */
export async function loadByUid(
  em: EntityManager,
  calendarId: string,
  uids: string[],
): Promise<Map<string, { series: CalendarEvent; overrides: CalendarEvent[] }>> {
  const found = new Map<string, { series: CalendarEvent; overrides: CalendarEvent[] }>();
  if (!uids.length) return found;
  const rows = await em.find(CalendarEvent, { calendarId, uid: { $in: uids } });
  for (const row of rows) if (!row.recurringEventId) found.set(row.uid, { series: row, overrides: [] });
  for (const row of rows) if (row.recurringEventId) found.get(row.uid)?.overrides.push(row);
  return found;
}

/**
 * Writes an iCalendar event into a calendar: the series row (made when new) and its changed
 * occurrences, replacing the ones it had (deleted at once, so their unique keys are free). Returns
 * the series row; the rest waits for the caller's flush.
 */
export async function writeICalEvent(
  em: EntityManager,
  calendar: Calendar,
  event: ICalEvent,
  existing: { series: CalendarEvent; overrides: CalendarEvent[] } | undefined,
  createdBy: string,
): Promise<CalendarEvent> {
  const series =
    existing?.series ??
    Object.assign(new CalendarEvent(), { workspaceId: calendar.workspaceId, calendarId: calendar.id, createdBy });
  Object.assign(series, {
    uid: event.uid,
    title: event.title.slice(0, 500) || "(no title)",
    description: event.description,
    location: event.location?.slice(0, 500) ?? null,
    status: event.status,
    allDay: event.timing.allDay,
    start: event.timing.start,
    end: event.timing.end,
    timeZone: event.timing.timeZone,
    rrule: event.timing.rrule,
    exdates: event.timing.exdates.map((d) => d.toISOString()),
    rdates: event.timing.rdates.map((d) => d.toISOString()),
    seriesEnd: seriesEnd(event.timing),
    organizer: event.organizer,
    attendees: event.attendees,
    sequence: event.sequence,
    deletedAt: null,
  });
  series.attendeeUserIds = participantIds(series);
  em.persist(series);
  const replaced = (existing?.overrides ?? []).map((row) => row.id);
  if (replaced.length) await em.nativeDelete(CalendarEvent, { id: { $in: replaced } });
  for (const override of event.overrides) {
    const row = Object.assign(new CalendarEvent(), {
      id: randomUUID(),
      workspaceId: calendar.workspaceId,
      calendarId: calendar.id,
      uid: event.uid,
      title: override.title.slice(0, 500) || series.title,
      description: override.description,
      location: override.location?.slice(0, 500) ?? null,
      status: override.status,
      allDay: series.allDay,
      start: override.start,
      end: override.end,
      seriesEnd: override.end,
      timeZone: series.timeZone,
      recurringEventId: series.id,
      recurrenceId: override.recurrenceId,
      organizer: series.organizer,
      attendees: override.attendees,
      sequence: series.sequence,
      createdBy,
    });
    row.attendeeUserIds = participantIds(row);
    em.persist(row);
  }
  return series;
}
