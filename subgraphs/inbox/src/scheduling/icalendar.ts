// iCalendar (RFC 5545) in and out: calendar exports and imports, CalDAV objects, and the iTIP
// (RFC 5546) bodies of invitations and replies. ical.js reads and writes the text (escaping,
// folding, value types); luxon turns wall times in IANA zones into instants and back.
import ICAL from "ical.js";
import { DateTime, IANAZone } from "luxon";
import { isTimeZone } from "./time-zones.ts";
import {
  EVENT_STATUSES,
  type Attendee,
  type EventStatus,
  type EventTiming,
  type ICalEvent,
  type ICalOverride,
  type Participant,
  type RsvpStatus,
} from "./types.ts";

type Component = ICAL.Component;
type Property = ICAL.Property;
type Time = ICAL.Time;

export const PRODID = "-//Mary//Calendar//EN";
export const DEFAULT_MAX_EVENTS = 5000;

/** The parameter naming a workspace user on ORGANIZER/ATTENDEE, so a re-import maps them back. */
const USER_ID_PARAM = "x-mary-user-id";
/** An all-day event's zone: DATE values carry none, and its instants are that zone's midnights. */
const ALL_DAY_ZONE_PROP = "x-mary-timezone";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;
const DAY_MS = 86_400_000;

export type CalendarMethod = "PUBLISH" | "REQUEST" | "REPLY";

export interface ExportOptions {
  /** The calendar's name (X-WR-CALNAME and RFC 7986 NAME). */
  name: string;
  method?: CalendarMethod;
  /** DTSTAMP of an iTIP message (default: now). Without a method, DTSTAMP is the event's LAST-MODIFIED. */
  now?: Date;
}

export interface ParseOptions {
  /** The zone of floating times and of all-day events that name none (default: X-WR-TIMEZONE, else UTC). */
  defaultTimeZone?: string;
  /** More VEVENTs than this (masters and overrides) are refused (default 5000). */
  maxEvents?: number;
  /** updatedAt of an event with neither LAST-MODIFIED nor DTSTAMP (default: now). */
  now?: Date;
}

export interface ParsedCalendar {
  events: ICalEvent[];
  /** METHOD (PUBLISH, REQUEST, REPLY, …), upper case, or null. */
  method: string | null;
  /** What was left out or guessed, one sentence each; the events are still usable. */
  errors: string[];
}

export interface ParsedReply {
  uid: string;
  recurrenceId: Date | null;
  sequence: number;
  attendee: { email: string; rsvp: RsvpStatus };
}

// ---------------------------------------------------------------------------------------------
// Export

/** A VCALENDAR with one VEVENT per event and per override, and a VTIMEZONE per zone used. */
export function exportCalendar(events: ICalEvent[], options: ExportOptions): string {
  const calendar = newCalendar(options.method ?? null, options.name);
  const stamp = options.method ? (options.now ?? new Date()) : null;
  for (const event of events) for (const vevent of toVEvents(event, stamp)) calendar.addSubcomponent(vevent);
  return serialize(calendar);
}

/** One event (with its overrides) as a calendar object: a CalDAV resource or an iTIP body. */
export function exportSingle(event: ICalEvent, method?: CalendarMethod, options: { now?: Date } = {}): string {
  const calendar = newCalendar(method ?? null, null);
  const stamp = method ? (options.now ?? new Date()) : null;
  for (const vevent of toVEvents(event, stamp)) calendar.addSubcomponent(vevent);
  return serialize(calendar);
}

/**
 * The VEVENTs of one event: the master, then one per override (RECURRENCE-ID). DTSTAMP is `stamp`
 * (an iTIP message's time) or, for a plain calendar, the event's LAST-MODIFIED (RFC 5545 3.8.7.2).
 * The VTIMEZONEs they need are added by the exporters.
 */
export function toVEvents(event: ICalEvent, stamp: Date | null = null): Component[] {
  const { timing } = event;
  checkZone(timing.timeZone);
  const master = new ICAL.Component("vevent");
  addCommon(master, event, stamp);
  addTime(master, "dtstart", timing.start, timing);
  addTime(master, "dtend", timing.end, timing);
  if (timing.allDay) master.addPropertyWithValue(ALL_DAY_ZONE_PROP, timing.timeZone);
  if (timing.rrule) master.addPropertyWithValue("rrule", ICAL.Recur.fromString(timing.rrule));
  for (const exdate of timing.exdates) addTime(master, "exdate", exdate, timing);
  for (const rdate of timing.rdates) addTime(master, "rdate", rdate, timing);
  addTexts(master, event);
  for (const attendee of event.attendees) master.addProperty(attendeeProperty(attendee));
  return [master, ...event.overrides.map((override) => overrideVEvent(event, override, stamp))];
}

function overrideVEvent(event: ICalEvent, override: ICalOverride, stamp: Date | null): Component {
  const vevent = new ICAL.Component("vevent");
  addCommon(vevent, { ...event, status: override.status }, stamp);
  addTime(vevent, "recurrence-id", override.recurrenceId, event.timing);
  addTime(vevent, "dtstart", override.start, event.timing);
  addTime(vevent, "dtend", override.end, event.timing);
  if (event.timing.allDay) vevent.addPropertyWithValue(ALL_DAY_ZONE_PROP, event.timing.timeZone);
  addTexts(vevent, override);
  for (const attendee of override.attendees) vevent.addProperty(attendeeProperty(attendee));
  return vevent;
}

/** UID, DTSTAMP, STATUS, SEQUENCE, LAST-MODIFIED and ORGANIZER: what master and overrides share. */
function addCommon(vevent: Component, event: ICalEvent, stamp: Date | null): void {
  vevent.addPropertyWithValue("uid", event.uid);
  vevent.addPropertyWithValue("dtstamp", utcTime(stamp ?? event.updatedAt));
  vevent.addPropertyWithValue("status", event.status);
  vevent.addPropertyWithValue("sequence", event.sequence);
  vevent.addPropertyWithValue("last-modified", utcTime(event.updatedAt));
  if (event.organizer) vevent.addProperty(participantProperty("organizer", event.organizer));
}

function addTexts(vevent: Component, fields: { title: string; description: string | null; location: string | null }) {
  vevent.addPropertyWithValue("summary", fields.title);
  if (fields.description !== null) vevent.addPropertyWithValue("description", fields.description);
  if (fields.location !== null) vevent.addPropertyWithValue("location", fields.location);
}

/**
 * A date property: a DATE for all-day events (the local date in the event's zone), UTC (Z) for
 * events in UTC, else the wall time with TZID=<IANA zone>.
 */
function addTime(vevent: Component, name: string, instant: Date, timing: Pick<EventTiming, "timeZone" | "allDay">) {
  const property = new ICAL.Property(name);
  if (timing.allDay) {
    const local = DateTime.fromJSDate(instant, { zone: timing.timeZone });
    property.setValue(ICAL.Time.fromData({ year: local.year, month: local.month, day: local.day, isDate: true }));
  } else if (timing.timeZone === "UTC") {
    property.setValue(utcTime(instant));
  } else {
    property.setValue(wallTime(instant, timing.timeZone));
    property.setParameter("tzid", timing.timeZone);
  }
  vevent.addProperty(property);
}

/** A floating ICAL.Time holding the wall time of `instant` in `zone` (TZID goes on the property). */
function wallTime(instant: Date, zone: string): Time {
  const local = DateTime.fromJSDate(instant, { zone });
  const { year, month, day, hour, minute, second } = local;
  return ICAL.Time.fromData({ year, month, day, hour, minute, second, isDate: false });
}

const utcTime = (instant: Date): Time =>
  ICAL.Time.fromJSDate(new Date(Math.floor(instant.getTime() / 1000) * 1000), true);

/** A workspace user is `urn:uuid:<id>` (or their mailto: when known) with X-MARY-USER-ID. */
function participantProperty(name: "organizer" | "attendee", participant: Participant): Property {
  if (!participant.email && !participant.userId) throw new Error(`an ${name} needs a user id or an email address`);
  const property = new ICAL.Property(name);
  property.setValue(participant.email ? `mailto:${participant.email}` : `urn:uuid:${participant.userId}`);
  if (participant.userId) property.setParameter(USER_ID_PARAM, participant.userId);
  if (participant.name) property.setParameter("cn", participant.name);
  return property;
}

function attendeeProperty(attendee: Attendee): Property {
  const property = participantProperty("attendee", attendee);
  property.setParameter("partstat", attendee.rsvp.replace("_", "-"));
  // RSVP=TRUE asks for a reply: only while the attendee has not answered.
  if (attendee.rsvp === "NEEDS_ACTION") property.setParameter("rsvp", "TRUE");
  return property;
}

function newCalendar(method: CalendarMethod | null, name: string | null): Component {
  const calendar = new ICAL.Component("vcalendar");
  calendar.addPropertyWithValue("prodid", PRODID);
  calendar.addPropertyWithValue("version", "2.0");
  calendar.addPropertyWithValue("calscale", "GREGORIAN");
  if (method) calendar.addPropertyWithValue("method", method);
  if (name !== null) {
    calendar.addPropertyWithValue("name", name);
    calendar.addPropertyWithValue("x-wr-calname", name);
  }
  return calendar;
}

/** The calendar's text, with a VTIMEZONE (before the events) for every TZID its events use. */
function serialize(calendar: Component): string {
  const events = [...calendar.getAllSubcomponents()];
  calendar.removeAllSubcomponents();
  for (const [zone, years] of zonesUsed(events)) calendar.addSubcomponent(vtimezone(zone, years.from, years.to));
  for (const event of events) calendar.addSubcomponent(event);
  return `${calendar.toString()}\r\n`;
}

/** Each TZID the components use, with the first and last year of its times (RRULE UNTIL included). */
function zonesUsed(components: Component[]): Map<string, { from: number; to: number }> {
  const zones = new Map<string, { from: number; to: number }>();
  for (const component of components) {
    let until: number | null = null;
    const rrule = component.getFirstPropertyValue("rrule");
    if (rrule instanceof ICAL.Recur && rrule.until) until = rrule.until.year;
    for (const property of component.getAllProperties()) {
      const zone = property.getFirstParameter("tzid");
      if (!zone) continue;
      for (const value of property.getValues()) {
        if (!(value instanceof ICAL.Time)) continue;
        const span = zones.get(zone) ?? { from: value.year, to: value.year };
        span.from = Math.min(span.from, value.year);
        span.to = Math.max(span.to, value.year, until ?? value.year);
        zones.set(zone, span);
      }
    }
  }
  return zones;
}

function checkZone(zone: string): void {
  if (!isTimeZone(zone)) throw new Error(`"${zone}" is not an IANA time zone`);
}

// ---------------------------------------------------------------------------------------------
// VTIMEZONE from luxon (the platform's tz database)

interface Transition {
  at: number;
  /** Offsets in minutes before and after. */
  from: number;
  to: number;
}

/** How many years past the last one used the rules are checked, to tell a rule that goes on from one that ends. */
const RULE_HORIZON_YEARS = 10;
const vtimezoneCache = new Map<string, Component>();

/**
 * A VTIMEZONE for an IANA zone, correct for `fromYear` … `toYear` and, where the zone's rules
 * repeat yearly, after it. It is built from the transitions luxon reports: each run of yearly
 * transitions following one rule (same month, nth weekday, local time and offsets) becomes one
 * STANDARD or DAYLIGHT observance with an RRULE (open-ended when the rule still holds ten years
 * on, else with UNTIL); a transition that follows no rule is an observance of its own.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): Component {
  checkZone(zone);
  const key = `${zone}|${fromYear}|${toYear}`;
  const cached = vtimezoneCache.get(key);
  if (cached) return new ICAL.Component(cached.toJSON());
  const lastYear = toYear + 1 + RULE_HORIZON_YEARS;
  const transitions = zoneTransitions(zone, Date.UTC(fromYear - 1, 0, 1), Date.UTC(lastYear + 1, 0, 1));
  const component = new ICAL.Component("vtimezone");
  component.addPropertyWithValue("tzid", zone);
  component.addPropertyWithValue("x-lic-location", zone);
  if (transitions.length === 0) {
    const offset = IANAZone.create(zone).offset(Date.UTC(fromYear, 0, 1));
    const start = ICAL.Time.fromData({ year: fromYear - 1, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
    component.addSubcomponent(observance(zone, "standard", start, offset, offset, null, Date.UTC(fromYear, 0, 1)));
  }
  for (const run of yearlyRuns(zone, transitions)) component.addSubcomponent(runObservance(zone, run, lastYear));
  if (vtimezoneCache.size > 500) vtimezoneCache.clear();
  vtimezoneCache.set(key, component);
  return new ICAL.Component(component.toJSON());
}

/** The zone's offset changes in [fromMs, toMs): found day by day, then to the second. */
function zoneTransitions(zone: string, fromMs: number, toMs: number): Transition[] {
  const tz = IANAZone.create(zone);
  const transitions: Transition[] = [];
  let previous = tz.offset(fromMs);
  for (let t = fromMs + DAY_MS; t < toMs; t += DAY_MS) {
    const offset = tz.offset(t);
    if (offset === previous) continue;
    let low = t - DAY_MS;
    let high = t;
    while (high - low > 1000) {
      const middle = low + Math.floor((high - low) / 2000) * 1000;
      if (tz.offset(middle) === previous) low = middle;
      else high = middle;
    }
    transitions.push({ at: high, from: previous, to: offset });
    previous = offset;
  }
  return transitions;
}

interface Run {
  kind: "standard" | "daylight";
  rule: { month: number; byday: string };
  transitions: Transition[];
}

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/** Transitions grouped into runs of consecutive years that one yearly rule describes. */
function yearlyRuns(zone: string, transitions: Transition[]): Run[] {
  const runs: Run[] = [];
  const open = new Map<string, Run>();
  for (const transition of transitions) {
    const local = DateTime.fromMillis(transition.at + transition.from * 60_000, { zone: "UTC" });
    const nth = local.day > local.daysInMonth! - 7 ? -1 : Math.ceil(local.day / 7);
    const rule = { month: local.month, byday: `${nth}${WEEKDAYS[local.weekday - 1]}` };
    const kind = isDaylight(zone, transition) ? "daylight" : "standard";
    const key = `${kind}|${transition.from}|${transition.to}|${rule.month}|${rule.byday}|${local.toFormat("HHmmss")}`;
    const run = open.get(key);
    const lastYear = run ? new Date(run.transitions.at(-1)!.at).getUTCFullYear() : null;
    if (run && lastYear === new Date(transition.at).getUTCFullYear() - 1) {
      run.transitions.push(transition);
    } else {
      const fresh: Run = { kind, rule, transitions: [transition] };
      runs.push(fresh);
      open.set(key, fresh);
    }
  }
  return runs;
}

/** Daylight when the new offset is above the year's smaller one (luxon's isInDST does the same). */
function isDaylight(zone: string, transition: Transition): boolean {
  const tz = IANAZone.create(zone);
  const year = new Date(transition.at).getUTCFullYear();
  return transition.to > Math.min(tz.offset(Date.UTC(year, 0, 1)), tz.offset(Date.UTC(year, 6, 1)));
}

function runObservance(zone: string, run: Run, lastYear: number): Component {
  const first = run.transitions[0]!;
  const last = run.transitions.at(-1)!;
  const local = new Date(first.at + first.from * 60_000);
  const start = ICAL.Time.fromData({
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  });
  let rrule: string | null = null;
  if (run.transitions.length > 1) {
    rrule = `FREQ=YEARLY;BYMONTH=${run.rule.month};BYDAY=${run.rule.byday}`;
    const goesOn = new Date(last.at).getUTCFullYear() >= lastYear;
    if (!goesOn) rrule += `;UNTIL=${utcTime(new Date(last.at)).toICALString()}`;
  }
  return observance(zone, run.kind, start, first.from, first.to, rrule, first.at);
}

function observance(
  zone: string,
  kind: "standard" | "daylight",
  start: Time,
  from: number,
  to: number,
  rrule: string | null,
  at: number,
): Component {
  const component = new ICAL.Component(kind);
  component.addPropertyWithValue("dtstart", start);
  component.addPropertyWithValue("tzoffsetfrom", ICAL.UtcOffset.fromSeconds(from * 60));
  component.addPropertyWithValue("tzoffsetto", ICAL.UtcOffset.fromSeconds(to * 60));
  if (rrule) component.addPropertyWithValue("rrule", ICAL.Recur.fromString(rrule));
  const name = zoneAbbreviation(zone, at);
  if (name) component.addPropertyWithValue("tzname", name);
  return component;
}

/** "CET", "EDT"…, or null when the platform only knows "GMT+1" (TZNAME is optional). */
function zoneAbbreviation(zone: string, at: number): string | null {
  for (const locale of ["en-US", "en-GB"]) {
    const name = IANAZone.create(zone).offsetName(at, { format: "short", locale });
    if (name && !/^(GMT|UTC)[+\-−]/.test(name)) return name;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Import

interface ReadContext {
  calendar: Component;
  /** The zone of floating times and of all-day events that name none. */
  defaultZone: string;
  errors: string[];
  zones: Map<string, ZoneResolution>;
}

/** How a TZID is read: an IANA zone, or the file's own VTIMEZONE (its events repeat in UTC). */
type ZoneResolution = { iana: string; vtimezone: null } | { iana: "UTC"; vtimezone: ICAL.Timezone | null };

/**
 * Reads the VEVENTs of an iCalendar text. Overrides (RECURRENCE-ID) go under their master by UID;
 * an override without a master becomes a single event of its own. Text that is not iCalendar
 * throws (the message says why); an event that cannot be read is left out and said in `errors`,
 * unless no event could be read at all, which throws.
 */
export function parseCalendar(ics: string, options: ParseOptions = {}): ParsedCalendar {
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  // A cheap count before parsing, so a huge file is refused before ical.js builds it.
  checkEventCount((ics.match(/^BEGIN:VEVENT[ \t]*\r?$/gim) ?? []).length, maxEvents);
  const calendars = parseRoots(ics);
  const vevents = calendars.flatMap((calendar) => calendar.getAllSubcomponents("vevent"));
  checkEventCount(vevents.length, maxEvents);
  if (options.defaultTimeZone !== undefined) checkZone(options.defaultTimeZone);

  const errors: string[] = [];
  const events: ICalEvent[] = [];
  const masters = new Map<string, ICalEvent>();
  const orphans: { vevent: Component; context: ReadContext }[] = [];
  const now = options.now ?? new Date();
  for (const calendar of calendars) {
    const context = readContext(calendar, options.defaultTimeZone ?? null, errors);
    const [overrides, plain] = partition(calendar.getAllSubcomponents("vevent"), (v) => v.hasProperty("recurrence-id"));
    for (const vevent of plain) {
      const event = attempt(vevent, errors, () => readEvent(vevent, context, now));
      if (!event) continue;
      if (masters.has(event.uid)) {
        errors.push(`${describe(vevent)}: a second event with this UID; left out`);
        continue;
      }
      masters.set(event.uid, event);
      events.push(event);
    }
    for (const vevent of overrides) orphans.push({ vevent, context });
  }
  for (const { vevent, context } of orphans) {
    const uid = textValue(vevent, "uid");
    const master = uid === null ? undefined : masters.get(uid);
    if (master) {
      const override = attempt(vevent, errors, () => readOverride(vevent, master, context));
      if (override) master.overrides.push(override);
    } else {
      // An invitation to one occurrence only: the occurrence is all there is.
      const event = attempt(vevent, errors, () => readEvent(vevent, context, now));
      if (event) events.push(event);
    }
  }
  if (vevents.length > 0 && events.length === 0) {
    throw new Error(`no event could be read: ${errors.slice(0, 3).join("; ")}`);
  }
  const method = calendars.map((c) => textValue(c, "method")).find((m) => m !== null) ?? null;
  return { events, method: method?.toUpperCase() ?? null, errors };
}

function checkEventCount(count: number, maxEvents: number): void {
  if (count > maxEvents) {
    throw new Error(`the calendar holds ${count} events; at most ${maxEvents} can be read at once`);
  }
}

/** The VCALENDARs of the text (feeds sometimes concatenate several). */
function parseRoots(ics: string): Component[] {
  let jcal: unknown;
  try {
    jcal = ICAL.parse(ics);
  } catch (error) {
    throw new Error(`not a valid iCalendar file: ${(error as Error).message}`);
  }
  const roots = (Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal : [jcal]) as unknown[];
  const components = roots
    .filter((root) => Array.isArray(root) && root.length > 0)
    .map((r) => new ICAL.Component(r as any[]));
  if (components.length === 0) throw new Error("not an iCalendar file: no BEGIN:VCALENDAR");
  const other = components.find((component) => component.name !== "vcalendar");
  if (other) throw new Error(`not an iCalendar file: it holds a ${other.name.toUpperCase()}, not a VCALENDAR`);
  return components;
}

function readContext(calendar: Component, defaultZone: string | null, errors: string[]): ReadContext {
  const declared = textValue(calendar, "x-wr-timezone");
  const fileZone = declared && isTimeZone(declared) ? declared : null;
  return { calendar, defaultZone: defaultZone ?? fileZone ?? "UTC", errors, zones: new Map() };
}

/** Runs one VEVENT's reading; what goes wrong leaves that event out, with the reason in `errors`. */
function attempt<T>(vevent: Component, errors: string[], read: () => T): T | null {
  try {
    return read();
  } catch (error) {
    errors.push(`${describe(vevent)}: ${(error as Error).message}; left out`);
    return null;
  }
}

function describe(vevent: Component): string {
  const uid = textValue(vevent, "uid");
  const summary = textValue(vevent, "summary");
  return `event ${uid ? `"${uid}"` : "without UID"}${summary ? ` (${summary})` : ""}`;
}

function readEvent(vevent: Component, context: ReadContext, now: Date): ICalEvent {
  const uid = textValue(vevent, "uid");
  if (!uid) throw new Error("no UID");
  const timing = readTiming(vevent, context, null);
  return {
    uid,
    title: textValue(vevent, "summary") ?? "",
    description: textValue(vevent, "description"),
    location: textValue(vevent, "location"),
    status: readStatus(vevent),
    timing,
    organizer: readOrganizer(vevent, context),
    attendees: readAttendees(vevent, context),
    sequence: readSequence(vevent),
    updatedAt: readUpdatedAt(vevent, context, now),
    overrides: [],
  };
}

function readOverride(vevent: Component, master: ICalEvent, context: ReadContext): ICalOverride {
  const property = vevent.getFirstProperty("recurrence-id")!;
  if (String(property.getFirstParameter("range") ?? "").toUpperCase() === "THISANDFUTURE") {
    context.errors.push(`${describe(vevent)}: RANGE=THISANDFUTURE is read as a change of this occurrence only`);
  }
  const recurrenceId = readInstants(property, context, master.timing)[0]!;
  const timing = readTiming(vevent, context, { master: master.timing, recurrenceId });
  return {
    recurrenceId,
    title: textValue(vevent, "summary") ?? master.title,
    description: textValue(vevent, "description"),
    location: textValue(vevent, "location"),
    status: readStatus(vevent),
    start: timing.start,
    end: timing.end,
    attendees: readAttendees(vevent, context),
  };
}

/**
 * DTSTART, DTEND (or DURATION, or the default length: a day for all-day, none for timed), RRULE,
 * EXDATE and RDATE. An override without DTSTART starts at its RECURRENCE-ID; one without an end
 * keeps the series' length.
 */
function readTiming(
  vevent: Component,
  context: ReadContext,
  inherit: { master: EventTiming; recurrenceId: Date } | null,
): EventTiming {
  const dtstart = vevent.getFirstProperty("dtstart");
  const allDayZone = allDayZoneOf(vevent, context, inherit?.master ?? null);
  let start: ReadTime;
  if (dtstart) start = readTime(dtstart, firstTime(dtstart), context, allDayZone);
  else if (inherit)
    start = { instant: inherit.recurrenceId, timeZone: inherit.master.timeZone, allDay: inherit.master.allDay };
  else throw new Error("no DTSTART");
  const end = readEnd(vevent, start, context, allDayZone, inherit?.master ?? null);
  const timing: EventTiming = {
    start: start.instant,
    end,
    timeZone: start.timeZone,
    allDay: start.allDay,
    rrule: null,
    exdates: [],
    rdates: [],
  };
  if (inherit) return timing;
  const rrules = vevent.getAllProperties("rrule");
  if (rrules.length > 1) context.errors.push(`${describe(vevent)}: only the first of ${rrules.length} RRULEs is kept`);
  const rrule = rrules[0]?.getFirstValue();
  if (rrule instanceof ICAL.Recur) timing.rrule = rrule.toString();
  if (vevent.hasProperty("exrule")) context.errors.push(`${describe(vevent)}: EXRULE (deprecated) is ignored`);
  timing.exdates = vevent.getAllProperties("exdate").flatMap((p) => readInstants(p, context, timing));
  timing.rdates = vevent.getAllProperties("rdate").flatMap((p) => readInstants(p, context, timing));
  return timing;
}

function readEnd(
  vevent: Component,
  start: ReadTime,
  context: ReadContext,
  allDayZone: string,
  master: EventTiming | null,
): Date {
  const dtend = vevent.getFirstProperty("dtend");
  const duration = vevent.getFirstPropertyValue("duration");
  let end: Date;
  if (dtend) {
    const read = readTime(dtend, firstTime(dtend), context, allDayZone);
    if (read.allDay !== start.allDay) throw new Error("DTSTART and DTEND are not both dates or both date-times");
    end = read.instant;
  } else if (duration instanceof ICAL.Duration) {
    if (duration.isNegative) throw new Error("a negative DURATION");
    end = addDuration(start, duration);
  } else if (master) {
    end = sameLength(start, master);
  } else {
    end = start.allDay ? addDays(start.instant, start.timeZone, 1) : start.instant;
  }
  if (end.getTime() >= start.instant.getTime() && !(start.allDay && end.getTime() === start.instant.getTime())) {
    return end;
  }
  context.errors.push(
    `${describe(vevent)}: its end is before its start; read as ${start.allDay ? "one day" : "no length"}`,
  );
  return start.allDay ? addDays(start.instant, start.timeZone, 1) : start.instant;
}

/** An override without an end lasts as long as its series: whole days for all-day series. */
function sameLength(start: ReadTime, master: EventTiming): Date {
  if (!start.allDay) return new Date(start.instant.getTime() + (master.end.getTime() - master.start.getTime()));
  const days = DateTime.fromJSDate(master.end, { zone: master.timeZone }).diff(
    DateTime.fromJSDate(master.start, { zone: master.timeZone }),
    "days",
  ).days;
  return addDays(start.instant, start.timeZone, Math.max(1, Math.round(days)));
}

/** RFC 5545 3.3.6: weeks and days are nominal (a day across a DST change is 23 or 25 hours), the rest exact. */
function addDuration(start: ReadTime, duration: ICAL.Duration): Date {
  const days = duration.weeks * 7 + duration.days;
  const exact = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  return new Date(addDays(start.instant, start.timeZone, days).getTime() + exact);
}

const addDays = (instant: Date, zone: string, days: number): Date =>
  DateTime.fromJSDate(instant, { zone }).plus({ days }).toJSDate();

/** The zone of an all-day event: X-MARY-TIMEZONE (ours), the master's, else the calendar's default. */
function allDayZoneOf(vevent: Component, context: ReadContext, master: EventTiming | null): string {
  const declared = textValue(vevent, ALL_DAY_ZONE_PROP);
  if (declared && isTimeZone(declared)) return declared;
  return master?.timeZone ?? context.defaultZone;
}

interface ReadTime {
  instant: Date;
  timeZone: string;
  allDay: boolean;
}

function firstTime(property: Property): Time {
  const value = property.getFirstValue();
  const time = value instanceof ICAL.Period ? value.start : value;
  if (!(time instanceof ICAL.Time)) throw new Error(`${property.name.toUpperCase()} is not a date`);
  return time;
}

/**
 * One date value as an instant. DATE: midnight in `allDayZone`. Z: UTC. TZID: the zone (see
 * resolveZone). Neither: floating, read in the calendar's default zone.
 */
function readTime(property: Property, time: Time, context: ReadContext, allDayZone: string): ReadTime {
  if (time.isDate) {
    const midnight = fromWall(time, allDayZone, true);
    return { instant: midnight, timeZone: allDayZone, allDay: true };
  }
  if (time.zone === ICAL.Timezone.utcTimezone) {
    return { instant: fromWall(time, "UTC", false), timeZone: "UTC", allDay: false };
  }
  const tzid = property.getFirstParameter("tzid");
  if (!tzid)
    return { instant: fromWall(time, context.defaultZone, false), timeZone: context.defaultZone, allDay: false };
  const zone = resolveZone(String(tzid), context);
  if (zone.vtimezone) {
    const { year, month, day, hour, minute, second } = time;
    const zoned = new ICAL.Time({ year, month, day, hour, minute, second, isDate: false }, zone.vtimezone);
    return { instant: zoned.toJSDate(), timeZone: zone.iana, allDay: false };
  }
  return { instant: fromWall(time, zone.iana, false), timeZone: zone.iana, allDay: false };
}

/**
 * The instants of EXDATE/RDATE/RECURRENCE-ID, all its values. A DATE on a timed series means that
 * day's occurrence: the date at the series' time of day in its zone.
 */
function readInstants(property: Property, context: ReadContext, timing: EventTiming): Date[] {
  return property.getValues().map((value) => {
    const time = value instanceof ICAL.Period ? value.start : value;
    if (!(time instanceof ICAL.Time)) throw new Error(`${property.name.toUpperCase()} is not a date`);
    if (time.isDate && !timing.allDay) {
      const clock = DateTime.fromJSDate(timing.start, { zone: timing.timeZone });
      const { year, month, day } = time;
      return DateTime.fromObject(
        { year, month, day, hour: clock.hour, minute: clock.minute, second: clock.second },
        { zone: timing.timeZone },
      ).toJSDate();
    }
    return readTime(property, time, context, timing.timeZone).instant;
  });
}

function fromWall(time: Time, zone: string, dateOnly: boolean): Date {
  const { year, month, day } = time;
  const clock = dateOnly
    ? { hour: 0, minute: 0, second: 0 }
    : { hour: time.hour, minute: time.minute, second: time.second };
  const local = DateTime.fromObject({ year, month, day, ...clock }, { zone });
  if (!local.isValid) throw new Error(`an invalid date ${time.toString()}`);
  return local.toJSDate();
}

/**
 * A TZID to a zone, once per file: an IANA name as it is; one ending in an IANA name
 * (/mozilla.org/…/Europe/Berlin) or whose VTIMEZONE says X-LIC-LOCATION, or a Windows name
 * (Outlook), to that zone; else the file's VTIMEZONE gives the instants (local to this parse, not
 * registered with ical.js's global TimezoneService, so one file cannot redefine a zone for
 * another) and the event repeats in UTC; with no VTIMEZONE either, the wall time is read as UTC.
 */
function resolveZone(tzid: string, context: ReadContext): ZoneResolution {
  const known = context.zones.get(tzid);
  if (known) return known;
  const definition = findVTimezone(context.calendar, tzid);
  const iana = ianaName(tzid, definition);
  let resolution: ZoneResolution;
  if (iana) {
    resolution = { iana, vtimezone: null };
  } else if (definition) {
    resolution = { iana: "UTC", vtimezone: new ICAL.Timezone({ component: definition, tzid }) };
    context.errors.push(
      `time zone "${tzid}" is not an IANA zone: its times are read with the file's VTIMEZONE, its events repeat in UTC`,
    );
  } else {
    resolution = { iana: "UTC", vtimezone: null };
    context.errors.push(`time zone "${tzid}" is unknown and the file does not define it: its times are read as UTC`);
  }
  context.zones.set(tzid, resolution);
  return resolution;
}

function ianaName(tzid: string, definition: Component | null): string | null {
  if (isTimeZone(tzid)) return tzid;
  const segments = tzid.split("/").filter(Boolean);
  for (let i = 1; i < segments.length - 1; i++) {
    const suffix = segments.slice(i).join("/");
    if (isTimeZone(suffix)) return suffix;
  }
  const location = definition ? textValue(definition, "x-lic-location") : null;
  if (location && isTimeZone(location)) return location;
  const windows = WINDOWS_ZONES[tzid.trim()];
  return windows && isTimeZone(windows) ? windows : null;
}

function findVTimezone(calendar: Component, tzid: string): Component | null {
  return calendar.getAllSubcomponents("vtimezone").find((zone) => textValue(zone, "tzid") === tzid) ?? null;
}

/** The Windows zone names Outlook and Exchange write, to IANA (CLDR windowsZones, territory 001). */
const WINDOWS_ZONES: Record<string, string> = {
  "Dateline Standard Time": "Etc/GMT+12",
  "UTC-11": "Etc/GMT+11",
  "Hawaiian Standard Time": "Pacific/Honolulu",
  "Alaskan Standard Time": "America/Anchorage",
  "Pacific Standard Time": "America/Los_Angeles",
  "US Mountain Standard Time": "America/Phoenix",
  "Mountain Standard Time": "America/Denver",
  "Central America Standard Time": "America/Guatemala",
  "Central Standard Time": "America/Chicago",
  "Central Standard Time (Mexico)": "America/Mexico_City",
  "Canada Central Standard Time": "America/Regina",
  "SA Pacific Standard Time": "America/Bogota",
  "Eastern Standard Time": "America/New_York",
  "US Eastern Standard Time": "America/Indiana/Indianapolis",
  "Atlantic Standard Time": "America/Halifax",
  "SA Western Standard Time": "America/La_Paz",
  "Newfoundland Standard Time": "America/St_Johns",
  "E. South America Standard Time": "America/Sao_Paulo",
  "Argentina Standard Time": "America/Argentina/Buenos_Aires",
  "SA Eastern Standard Time": "America/Cayenne",
  UTC: "UTC",
  "GMT Standard Time": "Europe/London",
  "Greenwich Standard Time": "Atlantic/Reykjavik",
  "W. Europe Standard Time": "Europe/Berlin",
  "Central Europe Standard Time": "Europe/Budapest",
  "Romance Standard Time": "Europe/Paris",
  "Central European Standard Time": "Europe/Warsaw",
  "W. Central Africa Standard Time": "Africa/Lagos",
  "GTB Standard Time": "Europe/Bucharest",
  "E. Europe Standard Time": "Europe/Chisinau",
  "FLE Standard Time": "Europe/Kiev",
  "Israel Standard Time": "Asia/Jerusalem",
  "Egypt Standard Time": "Africa/Cairo",
  "South Africa Standard Time": "Africa/Johannesburg",
  "Russian Standard Time": "Europe/Moscow",
  "Turkey Standard Time": "Europe/Istanbul",
  "Arab Standard Time": "Asia/Riyadh",
  "Arabian Standard Time": "Asia/Dubai",
  "Iran Standard Time": "Asia/Tehran",
  "Pakistan Standard Time": "Asia/Karachi",
  "India Standard Time": "Asia/Kolkata",
  "Nepal Standard Time": "Asia/Kathmandu",
  "Bangladesh Standard Time": "Asia/Dhaka",
  "SE Asia Standard Time": "Asia/Bangkok",
  "China Standard Time": "Asia/Shanghai",
  "Singapore Standard Time": "Asia/Singapore",
  "Taipei Standard Time": "Asia/Taipei",
  "W. Australia Standard Time": "Australia/Perth",
  "Tokyo Standard Time": "Asia/Tokyo",
  "Korea Standard Time": "Asia/Seoul",
  "Cen. Australia Standard Time": "Australia/Adelaide",
  "AUS Central Standard Time": "Australia/Darwin",
  "E. Australia Standard Time": "Australia/Brisbane",
  "AUS Eastern Standard Time": "Australia/Sydney",
  "Tasmania Standard Time": "Australia/Hobart",
  "New Zealand Standard Time": "Pacific/Auckland",
};

function readStatus(vevent: Component): EventStatus {
  const status = textValue(vevent, "status")?.toUpperCase();
  return (EVENT_STATUSES as readonly string[]).includes(status ?? "") ? (status as EventStatus) : "CONFIRMED";
}

function readSequence(vevent: Component): number {
  const value = Number(vevent.getFirstPropertyValue("sequence") ?? 0);
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function readUpdatedAt(vevent: Component, context: ReadContext, now: Date): Date {
  for (const name of ["last-modified", "dtstamp"]) {
    const property = vevent.getFirstProperty(name);
    if (property) return readTime(property, firstTime(property), context, "UTC").instant;
  }
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

function readOrganizer(vevent: Component, context: ReadContext): Participant | null {
  const property = vevent.getFirstProperty("organizer");
  return property ? readParticipant(vevent, property, context) : null;
}

/** The ATTENDEEs, each person once. */
function readAttendees(vevent: Component, context: ReadContext): Attendee[] {
  const attendees: Attendee[] = [];
  const seen = new Set<string>();
  for (const property of vevent.getAllProperties("attendee")) {
    const participant = readParticipant(vevent, property, context);
    if (!participant) continue;
    const key = participant.userId ?? participant.email!;
    if (seen.has(key)) continue;
    seen.add(key);
    attendees.push({ ...participant, rsvp: readPartstat(property) });
  }
  return attendees;
}

/**
 * mailto: gives the email, X-MARY-USER-ID (or a urn:uuid: address) the workspace user. The user
 * id is only a claim of the file: whoever stores it must check the user is in the workspace.
 */
function readParticipant(vevent: Component, property: Property, context: ReadContext): Participant | null {
  const address = String(property.getFirstValue() ?? "").trim();
  const claimed = String(property.getFirstParameter(USER_ID_PARAM) ?? "");
  let userId = UUID.test(claimed) ? claimed.toLowerCase() : null;
  let email: string | null = null;
  if (/^mailto:/i.test(address)) email = safeDecode(address.slice("mailto:".length)).trim().toLowerCase();
  else if (/^urn:uuid:/i.test(address) && !userId && UUID.test(address.slice(9)))
    userId = address.slice(9).toLowerCase();
  if (!email || !EMAIL.test(email)) {
    const param = String(property.getFirstParameter("email") ?? "")
      .trim()
      .toLowerCase();
    email = EMAIL.test(param) ? param : null;
  }
  if (!email && !userId) {
    context.errors.push(
      `${describe(vevent)}: ${property.name.toUpperCase()} "${address}" has no email address; left out`,
    );
    return null;
  }
  const name = property.getFirstParameter("cn");
  return { userId, email, name: name ? String(name) : null };
}

function readPartstat(property: Property): RsvpStatus {
  const partstat = String(property.getFirstParameter("partstat") ?? "NEEDS-ACTION").toUpperCase();
  if (partstat === "ACCEPTED" || partstat === "DECLINED" || partstat === "TENTATIVE") return partstat;
  // Delegating means not coming oneself.
  if (partstat === "DELEGATED") return "DECLINED";
  return "NEEDS_ACTION";
}

function textValue(component: Component, name: string): string | null {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? null : String(value);
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

// ---------------------------------------------------------------------------------------------
// iTIP (RFC 5546)

/** METHOD:REQUEST: the whole event with its overrides, to send to the attendees. */
export function invitation(event: ICalEvent, options: { now?: Date } = {}): string {
  if (!event.organizer?.email) {
    throw new Error("an invitation needs an organizer with an email address, for the attendees to reply to");
  }
  return exportSingle(event, "REQUEST", options);
}

/**
 * METHOD:REPLY from one attendee: UID, SEQUENCE, ORGANIZER and that ATTENDEE with its PARTSTAT
 * (RFC 5546 3.2.3), with the times and summary for the reader; for one occurrence when
 * `recurrenceId` is given.
 */
export function reply(
  event: ICalEvent,
  attendeeEmail: string,
  rsvp: RsvpStatus,
  options: { recurrenceId?: Date; now?: Date } = {},
): string {
  if (!event.organizer) throw new Error("a reply goes to the organizer, and this event has none");
  const email = attendeeEmail.trim().toLowerCase();
  const known = event.attendees.find((attendee) => attendee.email === email);
  const { timing } = event;
  const vevent = new ICAL.Component("vevent");
  addCommon(vevent, event, options.now ?? new Date());
  const occurrence = options.recurrenceId ? occurrenceOf(event, options.recurrenceId) : null;
  if (occurrence) addTime(vevent, "recurrence-id", occurrence.recurrenceId, timing);
  addTime(vevent, "dtstart", occurrence?.start ?? timing.start, timing);
  addTime(vevent, "dtend", occurrence?.end ?? timing.end, timing);
  if (timing.allDay) vevent.addPropertyWithValue(ALL_DAY_ZONE_PROP, timing.timeZone);
  if (!occurrence && timing.rrule) vevent.addPropertyWithValue("rrule", ICAL.Recur.fromString(timing.rrule));
  vevent.addPropertyWithValue("summary", occurrence?.title ?? event.title);
  vevent.addProperty(attendeeProperty({ userId: null, email, name: known?.name ?? null, rsvp }));
  const calendar = newCalendar("REPLY", null);
  calendar.addSubcomponent(vevent);
  return serialize(calendar);
}

/** The occurrence a reply is about: its override, else the series' times moved to it. */
function occurrenceOf(event: ICalEvent, recurrenceId: Date) {
  const override = event.overrides.find((o) => o.recurrenceId.getTime() === recurrenceId.getTime());
  if (override) return override;
  const length = event.timing.end.getTime() - event.timing.start.getTime();
  return { recurrenceId, start: recurrenceId, end: new Date(recurrenceId.getTime() + length), title: event.title };
}

/**
 * An attendee's answer, from a METHOD:REPLY body (null for any other method). A REPLY without UID
 * or attendee address throws. The address is the sender's claim: check it against the mail's sender.
 */
export function parseReply(ics: string, options: { defaultTimeZone?: string } = {}): ParsedReply | null {
  const calendars = parseRoots(ics);
  const calendar = calendars[0]!;
  if (textValue(calendar, "method")?.toUpperCase() !== "REPLY") return null;
  const vevents = calendar.getAllSubcomponents("vevent");
  const vevent = vevents.find((v) => !v.hasProperty("recurrence-id")) ?? vevents[0];
  if (!vevent) throw new Error("a REPLY without an event");
  const uid = textValue(vevent, "uid");
  if (!uid) throw new Error("a REPLY without UID");
  const context = readContext(calendar, options.defaultTimeZone ?? null, []);
  const attendee = vevent
    .getAllProperties("attendee")
    .map((property) => ({ participant: readParticipant(vevent, property, context), property }))
    .find(({ participant }) => participant?.email);
  if (!attendee) throw new Error("a REPLY without an attendee address");
  const property = vevent.getFirstProperty("recurrence-id");
  const allDayZone = allDayZoneOf(vevent, context, null);
  const recurrenceId = property ? readTime(property, firstTime(property), context, allDayZone).instant : null;
  return {
    uid,
    recurrenceId,
    sequence: readSequence(vevent),
    attendee: { email: attendee.participant!.email!, rsvp: readPartstat(attendee.property) },
  };
}
