import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
  badUserInput,
  isEmailAddress,
  isUuid,
  notFound,
  optionalText,
  requiredText,
  type AuthenticatedPrincipal,
} from "@mary/kit";
import { DateTime } from "luxon";
import { Calendar } from "../entities/calendar.entity.ts";
import { CalendarEvent } from "../entities/calendar-event.entity.ts";
import { overlapping } from "../scheduling/conflicts.ts";
import { expandOccurrences, seriesEnd, splitSeries, validateRrule } from "../scheduling/recurrence.ts";
import type { Attendee, EventStatus, EventTiming, OccurrenceOverride, RsvpStatus } from "../scheduling/types.ts";
import { canonicalRrule } from "./calendar-ical.ts";
import { visibleCalendarsWhere, type CalendarService } from "./calendar.service.ts";
import { checkTimeZone } from "../scheduling/time-zones.ts";

/** The most occurrences one query expands (the rest are cut off, and the range should be narrowed). */
export const MAX_OCCURRENCES = 10_000;
/** How far ahead a repeating event's conflicts are looked for: every occurrence within it is checked. */
export const CONFLICT_HORIZON_DAYS = 366;
/** The longest range events(), conflicts() and freeSlots() take. */
export const MAX_RANGE_DAYS = 400;
const MAX_ATTENDEES = 100;
const MAX_DATES = 500;

/** An occurrence of an event, with the row that holds its fields (the series, or its changed occurrence). */
export interface ExpandedOccurrence {
  /** The row with this occurrence's fields: the series, or the changed occurrence's own row. */
  event: CalendarEvent;
  /** The series (or single event) it belongs to. */
  series: CalendarEvent;
  start: Date;
  end: Date;
  recurrenceId: Date;
}

/** A user's occurrence another event overlaps; `event` is null when the caller may not see it (busy time only). */
export interface ConflictRecord {
  userId: string;
  occurrence: ExpandedOccurrence;
  conflictingWith: ExpandedOccurrence;
  /** Whether the caller may see `conflictingWith`'s details. */
  visible: boolean;
}

export interface AttendeeInputFields {
  userId?: string | null;
  email?: string | null;
  name?: string | null;
  rsvp?: RsvpStatus | null;
}

/** An event's fields as createEvent and updateEvent take them; absent ones keep their value on update. */
export interface EventInputFields {
  title?: string | null;
  description?: string | null;
  location?: string | null;
  status?: EventStatus | null;
  start?: Date | null;
  end?: Date | null;
  timeZone?: string | null;
  allDay?: boolean | null;
  startDate?: string | null;
  endDate?: string | null;
  rrule?: string | null;
  exdates?: Date[] | null;
  rdates?: Date[] | null;
  attendees?: AttendeeInputFields[] | null;
}

export const EDIT_SCOPES = ["THIS", "THIS_AND_FOLLOWING", "ALL"] as const;
export type EditScope = (typeof EDIT_SCOPES)[number];

/** [from, to) of a query: valid instants, from before to, at most MAX_RANGE_DAYS apart. */
export function checkRange(from: Date, to: Date, maxDays = MAX_RANGE_DAYS): void {
  if (Number.isNaN(from.getTime())) throw badUserInput("from must be a date-time", "from");
  if (Number.isNaN(to.getTime())) throw badUserInput("to must be a date-time", "to");
  if (to <= from) throw badUserInput("to must be after from", "to");
  if (to.getTime() - from.getTime() > maxDays * 86_400_000)
    throw badUserInput(`from and to may be at most ${maxDays} days apart`, "to");
}

/** The timing the recurrence functions work on, from an event row. */
export const timingOf = (event: CalendarEvent): EventTiming => ({
  start: event.start,
  end: event.end,
  timeZone: event.timeZone,
  allDay: event.allDay,
  rrule: event.rrule,
  exdates: event.exdates.map((date) => new Date(date)),
  rdates: event.rdates.map((date) => new Date(date)),
});

const overrideOf = (row: CalendarEvent): OccurrenceOverride => ({
  recurrenceId: row.recurrenceId!,
  start: row.start,
  end: row.end,
  cancelled: row.status === "CANCELLED",
});

/** The workspace users an event involves: its attendees and organizer. */
export const participantIds = (event: Pick<CalendarEvent, "attendees" | "organizer">) => [
  ...new Set(
    [event.organizer?.userId, ...event.attendees.map((attendee) => attendee.userId)].filter(
      (id): id is string => typeof id === "string",
    ),
  ),
];

const localDate = (value: string, field: string, zone: string) => {
  const date = DateTime.fromISO(value, { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !date.isValid)
    throw badUserInput(`${field} must be a date (YYYY-MM-DD)`, field);
  return date.startOf("day");
};

function checkAttendees(input: AttendeeInputFields[]): Attendee[] {
  if (input.length > MAX_ATTENDEES) throw badUserInput(`an event has at most ${MAX_ATTENDEES} attendees`, "attendees");
  const seen = new Set<string>();
  return input.map((attendee) => {
    const userId = attendee.userId ? attendee.userId.toLowerCase() : null;
    const email = attendee.email ? attendee.email.trim().toLowerCase() : null;
    if (!userId && !email) throw badUserInput("an attendee needs a userId or an email", "attendees");
    if (userId && !isUuid(userId)) throw badUserInput("an attendee's userId must be an ID (a UUID)", "attendees");
    if (email && !isEmailAddress(email)) throw badUserInput(`${email} is not an email address`, "attendees");
    const key = userId ?? email!;
    if (seen.has(key)) throw badUserInput(`${key} is listed twice`, "attendees");
    seen.add(key);
    return {
      userId,
      email,
      name: optionalText(attendee.name, "attendees.name", 200),
      rsvp: attendee.rsvp ?? "NEEDS_ACTION",
    };
  });
}

function checkDates(dates: Date[], field: string): string[] {
  if (dates.length > MAX_DATES) throw badUserInput(`${field} takes at most ${MAX_DATES} dates`, field);
  return dates.map((date) => {
    if (Number.isNaN(date.getTime())) throw badUserInput(`${field} must hold date-times`, field);
    return date.toISOString();
  });
}

/**
 * Applies the input's timing fields to the event (which has its calendar's zone when new): an
 * all-day event runs from startDate to endDate (exclusive; a day by default) as midnights of its
 * zone; a timed one from start to end.
 */
function applyTiming(event: CalendarEvent, input: EventInputFields, isNew: boolean): void {
  if (input.timeZone != null) event.timeZone = checkTimeZone(input.timeZone, "timeZone");
  if (input.allDay != null) event.allDay = input.allDay;
  if (event.allDay) {
    const startDate =
      input.startDate ??
      (input.start ? null : isNew ? null : DateTime.fromJSDate(event.start, { zone: event.timeZone }).toISODate());
    if (!startDate) throw badUserInput("an all-day event needs startDate", "startDate");
    const start = localDate(startDate, "startDate", event.timeZone);
    const end = input.endDate ? localDate(input.endDate, "endDate", event.timeZone) : start.plus({ days: 1 });
    if (end <= start) throw badUserInput("endDate must be after startDate", "endDate");
    event.start = start.toJSDate();
    event.end = end.toJSDate();
  } else {
    const start = input.start ?? (isNew ? null : event.start);
    if (!start || Number.isNaN(start.getTime())) throw badUserInput("a timed event needs start", "start");
    const duration = isNew ? null : event.end.getTime() - event.start.getTime();
    const end = input.end ?? (duration !== null ? new Date(start.getTime() + duration) : null);
    if (!end || Number.isNaN(end.getTime())) throw badUserInput("a timed event needs end", "end");
    if (end <= start) throw badUserInput("end must be after start", "end");
    if (end.getTime() - start.getTime() > 31 * 86_400_000) throw badUserInput("an event lasts at most 31 days", "end");
    event.start = start;
    event.end = end;
  }
  if (input.rrule !== undefined) {
    const rrule = input.rrule?.trim().replace(/^RRULE:/i, "") || null;
    if (rrule) {
      const problem = validateRrule(rrule);
      if (problem) throw badUserInput(`rrule: ${problem}`, "rrule");
    }
    event.rrule = canonicalRrule(rrule);
  }
  if (input.exdates != null) event.exdates = checkDates(input.exdates, "exdates");
  if (input.rdates != null) event.rdates = checkDates(input.rdates, "rdates");
  event.seriesEnd = seriesEnd(timingOf(event));
}

function applyFields(event: CalendarEvent, input: EventInputFields, isNew: boolean): void {
  if (isNew || input.title != null) event.title = requiredText(input.title, "title", 500);
  if (input.description !== undefined) event.description = optionalText(input.description, "description", 20_000);
  if (input.location !== undefined) event.location = optionalText(input.location, "location", 500);
  if (input.status != null) event.status = input.status;
  if (input.attendees != null) {
    event.attendees = checkAttendees(input.attendees);
    event.attendeeUserIds = participantIds(event);
  }
}

/** Whether the caller may see an event: it is in a calendar of theirs (`visible`), or they attend it. */
const seesEvent = (caller: AuthenticatedPrincipal, visible: Set<string>, event: CalendarEvent) =>
  visible.has(event.calendarId) || event.attendeeUserIds.includes(caller.userId);

/** Whether a change touches what invitations carry, so SEQUENCE goes up. */
const changesSchedule = (input: EventInputFields) =>
  [
    "start",
    "end",
    "startDate",
    "endDate",
    "allDay",
    "timeZone",
    "rrule",
    "exdates",
    "rdates",
    "status",
    "attendees",
  ].some((key) => input[key as keyof EventInputFields] != null);

/**
 * Events and their occurrences: creating and editing series (one occurrence, this and following,
 * or all), expanding them over a range in their own zone, and finding the conflicts of every
 * attendee.
 */
export class EventService {
  constructor(
    private readonly em: EntityManager,
    private readonly calendars: CalendarService,
  ) {}

  /** An event the caller may see: in one of their calendars, or one they attend. Else NOT_FOUND. */
  async find(caller: AuthenticatedPrincipal, id: string): Promise<CalendarEvent> {
    const [event] = await this.findMany(caller, [id]);
    if (!event) throw notFound("Event");
    return event;
  }

  /** The events with these ids the caller may see (others are missing), in two queries. */
  async findMany(caller: AuthenticatedPrincipal, ids: readonly string[]): Promise<CalendarEvent[]> {
    const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
    if (!valid.length) return [];
    const events = await this.em.find(CalendarEvent, {
      id: { $in: valid },
      workspaceId: caller.workspaceId,
      deletedAt: null,
    });
    const visible = await this.visibleCalendarIds(caller);
    return events.filter((event) => seesEvent(caller, visible, event));
  }

  private visibleIds: Promise<Set<string>> | null = null;
  private visibleCalendarIds(caller: AuthenticatedPrincipal): Promise<Set<string>> {
    this.visibleIds ??= this.em
      .find(Calendar, visibleCalendarsWhere(caller), { fields: ["id"] })
      .then((rows) => new Set(rows.map((row) => row.id)));
    return this.visibleIds;
  }

  /** Creates an event in a calendar of the caller's, organized by them; returns it with every attendee's conflicts. */
  async create(
    caller: AuthenticatedPrincipal,
    calendarId: string,
    input: EventInputFields,
    options: { idempotencyKey?: string | null } = {},
  ): Promise<{ event: CalendarEvent; conflicts: ConflictRecord[] }> {
    const calendar = await this.calendars.find(caller, calendarId);
    const event = Object.assign(new CalendarEvent(), {
      workspaceId: caller.workspaceId,
      calendarId: calendar.id,
      uid: `${randomUUID()}@mary`,
      timeZone: calendar.timeZone,
      createdBy: caller.userId,
      organizer: { userId: caller.userId, email: null, name: null },
      idempotencyKey: options.idempotencyKey ?? null,
    });
    applyFields(event, input, true);
    applyTiming(event, input, true);
    event.attendeeUserIds = participantIds(event);
    await this.em.persist(event).flush();
    return { event, conflicts: await this.conflictsOf(caller, event) };
  }

  /**
   * Changes an event. For a series, `scope` says which occurrences: THIS (the one starting at
   * `occurrence`, kept as a changed occurrence), THIS_AND_FOLLOWING (the series is split there:
   * the rest becomes a new series with the change), or ALL (the series itself).
   */
  async update(
    caller: AuthenticatedPrincipal,
    id: string,
    input: EventInputFields,
    scope: EditScope = "ALL",
    occurrence: Date | null = null,
  ): Promise<{ event: CalendarEvent; conflicts: ConflictRecord[] }> {
    let event = await this.find(caller, id);
    if (input.rrule !== undefined && event.recurringEventId)
      throw badUserInput("a changed occurrence cannot repeat; change its series", "rrule");
    if (scope === "THIS_AND_FOLLOWING" && occurrence && occurrence.getTime() === event.start.getTime()) scope = "ALL";
    if (event.rrule && scope !== "ALL") {
      if (!occurrence) throw badUserInput(`scope ${scope} needs the occurrence's start`, "occurrence");
      await this.checkOccurrence(event, occurrence);
      event =
        scope === "THIS"
          ? await this.changeOne(event, occurrence, input)
          : await this.splitAt(event, occurrence, input);
    } else {
      applyFields(event, input, false);
      applyTiming(event, input, false);
      if (changesSchedule(input)) event.sequence += 1;
      await this.em.flush();
    }
    return { event, conflicts: await this.conflictsOf(caller, event) };
  }

  /** Deletes an event; for a series, one occurrence (an EXDATE), this and following (an UNTIL) or all of it. */
  async delete(
    caller: AuthenticatedPrincipal,
    id: string,
    scope: EditScope = "ALL",
    occurrence: Date | null = null,
  ): Promise<string> {
    const event = await this.find(caller, id);
    const calendar = await this.em.findOneOrFail(Calendar, { id: event.calendarId });
    const series = event.recurringEventId
      ? await this.em.findOneOrFail(CalendarEvent, { id: event.recurringEventId })
      : event;
    // "This and following" from the first occurrence is the whole series.
    const fromFirst =
      scope === "THIS_AND_FOLLOWING" && (occurrence ?? event.recurrenceId)?.getTime() === series.start.getTime();
    if (series.rrule && scope !== "ALL" && !fromFirst) {
      const at = occurrence ?? event.recurrenceId;
      if (!at) throw badUserInput(`scope ${scope} needs the occurrence's start`, "occurrence");
      await this.checkOccurrence(series, at);
      if (scope === "THIS") {
        series.exdates = [...new Set([...series.exdates, at.toISOString()])];
        await this.em.nativeDelete(CalendarEvent, { recurringEventId: series.id, recurrenceId: at });
      } else {
        const { before } = splitSeries(timingOf(series), at);
        Object.assign(series, { rrule: before.rrule, exdates: before.exdates.map((d) => d.toISOString()) });
        series.rdates = before.rdates.map((d) => d.toISOString());
        series.seriesEnd = seriesEnd(before);
        await this.em.nativeDelete(CalendarEvent, { recurringEventId: series.id, recurrenceId: { $gte: at } });
      }
      series.sequence += 1;
      await this.em.flush();
      return event.id;
    }
    await this.em.transactional(async (em) => {
      const ids = [
        series.id,
        ...(await em.find(CalendarEvent, { recurringEventId: series.id }, { fields: ["id"] })).map((row) => row.id),
      ];
      // A CalDAV calendar's deletions wait as tombstones until a sync removes the server's object.
      if (calendar.source === "CALDAV" && series.remoteHref)
        await em.nativeUpdate(CalendarEvent, { id: { $in: ids } }, { deletedAt: new Date() });
      else await em.nativeDelete(CalendarEvent, { id: { $in: ids } });
    });
    return event.id;
  }

  /** `occurrence` must be a start the series gives (its recurrence id). */
  private async checkOccurrence(series: CalendarEvent, at: Date): Promise<void> {
    if (Number.isNaN(at.getTime())) throw badUserInput("occurrence must be a date-time", "occurrence");
    const found = expandOccurrences(timingOf(series), [], new Date(at.getTime() - 1), new Date(at.getTime() + 1), {
      limit: 10,
    });
    const exdated = series.exdates.includes(at.toISOString());
    if (!exdated && !found.some((one) => one.recurrenceId.getTime() === at.getTime()))
      throw badUserInput("occurrence is not a start of this series", "occurrence");
  }

  /** THIS: the occurrence's own row (made from the series' fields on first change). */
  private async changeOne(series: CalendarEvent, at: Date, input: EventInputFields): Promise<CalendarEvent> {
    let row = await this.em.findOne(CalendarEvent, { recurringEventId: series.id, recurrenceId: at });
    const isNew = !row;
    if (!row) {
      const duration = series.end.getTime() - series.start.getTime();
      row = Object.assign(new CalendarEvent(), {
        workspaceId: series.workspaceId,
        calendarId: series.calendarId,
        uid: series.uid,
        title: series.title,
        description: series.description,
        location: series.location,
        status: series.status,
        allDay: series.allDay,
        start: at,
        end: new Date(at.getTime() + duration),
        timeZone: series.timeZone,
        recurringEventId: series.id,
        recurrenceId: at,
        organizer: series.organizer,
        attendees: series.attendees,
        attendeeUserIds: series.attendeeUserIds,
        sequence: series.sequence,
        createdBy: series.createdBy,
      });
    }
    applyFields(row, input, false);
    applyTiming(row, { ...input, rrule: undefined, exdates: undefined, rdates: undefined }, false);
    row.seriesEnd = row.end;
    if (!isNew && changesSchedule(input)) row.sequence += 1;
    series.sequence += isNew ? 1 : 0;
    await this.em.persist(row).flush();
    return row;
  }

  /** THIS_AND_FOLLOWING: the series ends before `at`; a new series (a new UID) starts there with the change. */
  private async splitAt(series: CalendarEvent, at: Date, input: EventInputFields): Promise<CalendarEvent> {
    const { before, after } = splitSeries(timingOf(series), at);
    const rest = Object.assign(new CalendarEvent(), {
      workspaceId: series.workspaceId,
      calendarId: series.calendarId,
      uid: `${randomUUID()}@mary`,
      title: series.title,
      description: series.description,
      location: series.location,
      status: series.status,
      allDay: after.allDay,
      start: after.start,
      end: after.end,
      timeZone: after.timeZone,
      rrule: after.rrule,
      exdates: after.exdates.map((d) => d.toISOString()),
      rdates: after.rdates.map((d) => d.toISOString()),
      organizer: series.organizer,
      attendees: series.attendees,
      attendeeUserIds: series.attendeeUserIds,
      createdBy: series.createdBy,
    });
    applyFields(rest, input, false);
    applyTiming(rest, input, false);
    await this.em.transactional(async (em) => {
      // Changed occurrences from `at` on belong to the new series now.
      await em.nativeUpdate(
        CalendarEvent,
        { recurringEventId: series.id, recurrenceId: { $gte: at } },
        { recurringEventId: rest.id, uid: rest.uid },
      );
      series.rrule = before.rrule;
      series.exdates = before.exdates.map((d) => d.toISOString());
      series.rdates = before.rdates.map((d) => d.toISOString());
      series.seriesEnd = seriesEnd(before);
      series.sequence += 1;
      em.persist(rest);
      em.persist(series);
    });
    return rest;
  }

  /** The occurrences in [from, to) of the given calendars' events (all the caller's calendars by default), by start. */
  async occurrences(
    caller: AuthenticatedPrincipal,
    calendarIds: string[] | null,
    from: Date,
    to: Date,
  ): Promise<ExpandedOccurrence[]> {
    checkRange(from, to);
    const visible = await this.visibleCalendarIds(caller);
    const wanted = calendarIds ? calendarIds.map((id) => id.toLowerCase()) : [...visible];
    for (const id of wanted) if (!visible.has(id)) throw notFound("Calendar");
    const masters = await this.seriesInRange({ calendarId: { $in: wanted } }, from, to);
    return this.expand(masters, from, to);
  }

  /** Masters (series and single events) matching `where` with an occurrence that may fall in [from, to). */
  private async seriesInRange(where: Record<string, unknown>, from: Date, to: Date): Promise<CalendarEvent[]> {
    // `where` may hold an $or of its own, so each condition is its own $and term.
    const base = { $and: [where, { deletedAt: null }] };
    const [masters, moved] = await Promise.all([
      this.em.find(CalendarEvent, {
        $and: [
          where,
          { deletedAt: null, recurringEventId: null, start: { $lt: to } },
          { $or: [{ seriesEnd: null }, { seriesEnd: { $gt: from } }] },
        ],
      }),
      // A changed occurrence moved into the range belongs to a series that may not reach it.
      this.em.find(
        CalendarEvent,
        { $and: [...base.$and, { recurringEventId: { $ne: null }, start: { $lt: to }, end: { $gt: from } }] },
        { fields: ["recurringEventId"] },
      ),
    ]);
    const have = new Set(masters.map((event) => event.id));
    const missing = [...new Set(moved.map((row) => row.recurringEventId!))].filter((id) => !have.has(id));
    if (missing.length) masters.push(...(await this.em.find(CalendarEvent, { id: { $in: missing }, deletedAt: null })));
    return masters;
  }

  /** Expands masters over [from, to) with their changed occurrences (one query for all of them). */
  private async expand(masters: CalendarEvent[], from: Date, to: Date): Promise<ExpandedOccurrence[]> {
    const recurring = masters.filter((event) => event.rrule || event.rdates.length);
    const overrides = recurring.length
      ? await this.em.find(CalendarEvent, {
          recurringEventId: { $in: recurring.map((event) => event.id) },
          deletedAt: null,
        })
      : [];
    const bySeries = new Map<string, CalendarEvent[]>();
    for (const row of overrides)
      bySeries.set(row.recurringEventId!, [...(bySeries.get(row.recurringEventId!) ?? []), row]);
    const result: ExpandedOccurrence[] = [];
    for (const series of masters) {
      const own = bySeries.get(series.id) ?? [];
      const byId = new Map(own.map((row) => [row.recurrenceId!.getTime(), row]));
      const limit = MAX_OCCURRENCES - result.length;
      if (limit <= 0) break;
      for (const occurrence of expandOccurrences(timingOf(series), own.map(overrideOf), from, to, { limit })) {
        const row = byId.get(occurrence.recurrenceId.getTime()) ?? series;
        result.push({
          event: row,
          series,
          start: occurrence.start,
          end: occurrence.end,
          recurrenceId: occurrence.recurrenceId,
        });
      }
    }
    return result.sort((a, b) => a.start.getTime() - b.start.getTime() || a.series.id.localeCompare(b.series.id));
  }

  /**
   * Each user's busy occurrences in [from, to): events of their personal calendars and events they
   * attend, except cancelled ones, ones they declined, and `except` (an event being checked).
   */
  async busyOf(
    workspaceId: string,
    userIds: readonly string[],
    from: Date,
    to: Date,
    except: string[] = [],
  ): Promise<Map<string, ExpandedOccurrence[]>> {
    const users = [...new Set(userIds)];
    const busy = new Map<string, ExpandedOccurrence[]>(users.map((id) => [id, []]));
    if (!users.length) return busy;
    const personal = await this.em.find(
      Calendar,
      { workspaceId, kind: "PERSONAL", ownerId: { $in: users } },
      { fields: ["id", "ownerId"] },
    );
    const ownerOf = new Map(personal.map((calendar) => [calendar.id, calendar.ownerId!]));
    const masters = (
      await this.seriesInRange(
        {
          workspaceId,
          $or: [{ calendarId: { $in: [...ownerOf.keys()] } }, { attendeeUserIds: { $overlap: users } }],
        },
        from,
        to,
      )
    ).filter((event) => !except.includes(event.id));
    for (const occurrence of await this.expand(masters, from, to)) {
      const { event } = occurrence;
      if (event.status === "CANCELLED" || except.includes(event.id)) continue;
      const owner = ownerOf.get(event.calendarId);
      for (const userId of users) {
        const attends = event.attendees.find((attendee) => attendee.userId === userId);
        const involved = owner === userId || event.organizer?.userId === userId || attends;
        if (involved && attends?.rsvp !== "DECLINED") busy.get(userId)!.push(occurrence);
      }
    }
    return busy;
  }

  /**
   * Every attendee's (and the organizer's) conflicts with the event's occurrences: all of them
   * within CONFLICT_HORIZON_DAYS of its start for a repeating event, not only the first few.
   */
  async conflictsOf(caller: AuthenticatedPrincipal, event: CalendarEvent): Promise<ConflictRecord[]> {
    if (event.status === "CANCELLED") return [];
    const series = event.recurringEventId
      ? await this.em.findOneOrFail(CalendarEvent, { id: event.recurringEventId })
      : event;
    const from = event.recurringEventId ? event.start : series.start;
    const to = new Date(
      Math.min(
        (event.recurringEventId ? event.end : (series.seriesEnd ?? new Date(8.64e15))).getTime(),
        from.getTime() + CONFLICT_HORIZON_DAYS * 86_400_000,
      ) + 1,
    );
    const own = (await this.expand([series], from, to)).filter(
      (one) => !event.recurringEventId || one.event.id === event.id,
    );
    return this.conflictsWith(caller, own, participantIds(event), [series.id, event.id]);
  }

  /** What moving one occurrence (or a whole event) to [start, end) would conflict with, before saving it. */
  async previewMove(caller: AuthenticatedPrincipal, id: string, start: Date, end: Date): Promise<ConflictRecord[]> {
    const event = await this.find(caller, id);
    if (end <= start) throw badUserInput("end must be after start", "end");
    const moved = Object.assign(new CalendarEvent(), { ...event, start, end, rrule: null, exdates: [], rdates: [] });
    const occurrence: ExpandedOccurrence = { event: moved, series: event, start, end, recurrenceId: start };
    const series = event.recurringEventId ?? event.id;
    return this.conflictsWith(caller, [occurrence], participantIds(event), [series, event.id]);
  }

  private async conflictsWith(
    caller: AuthenticatedPrincipal,
    own: ExpandedOccurrence[],
    users: string[],
    except: string[],
  ): Promise<ConflictRecord[]> {
    if (!own.length || !users.length) return [];
    const from = own[0]!.start;
    const to = new Date(Math.max(...own.map((one) => one.end.getTime())));
    const busy = await this.busyOf(caller.workspaceId, users, from, to, except);
    const visible = await this.visibleCalendarIds(caller);
    const conflicts: ConflictRecord[] = [];
    for (const [userId, occurrences] of busy) {
      for (const [mine, theirs] of overlapping(own, occurrences)) {
        conflicts.push({
          userId,
          occurrence: mine,
          conflictingWith: theirs,
          visible: seesEvent(caller, visible, theirs.event),
        });
      }
    }
    return conflicts.sort(
      (a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime() || a.userId.localeCompare(b.userId),
    );
  }

  /** The caller's double bookings in [from, to): pairs of their busy occurrences that overlap. */
  async conflicts(caller: AuthenticatedPrincipal, from: Date, to: Date): Promise<ConflictRecord[]> {
    checkRange(from, to);
    const mine = (await this.busyOf(caller.workspaceId, [caller.userId], from, to)).get(caller.userId)!;
    const pairs = overlapping(mine, mine).filter(
      ([a, b]) =>
        a !== b &&
        (a.start.getTime() < b.start.getTime() || (a.start.getTime() === b.start.getTime() && a.event.id < b.event.id)),
    );
    return pairs.map(([occurrence, conflictingWith]) => ({
      userId: caller.userId,
      occurrence,
      conflictingWith,
      visible: true,
    }));
  }
}
