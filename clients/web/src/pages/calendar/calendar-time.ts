// Dates and times on the clocks of an IANA zone, with Intl alone: the calendar's grid is laid out
// in the viewer's zone (the browser's, or ?tz=), and the editor's fields are local times in the
// event's zone, while the API takes and gives instants.
import { localParts } from "../social/social-time.ts";

export { browserTimeZone, timeZones } from "../social/social-time.ts";

/** Minutes in a day on the grid (a DST day is drawn as any other). */
export const DAY_MINUTES = 24 * 60;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a real calendar date written YYYY-MM-DD. */
export function isLocalDate(value: string | undefined | null): value is string {
  if (!value || !DATE.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
}

/** Whether a zone name is one the browser knows. */
export function isTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A local date `days` later (or earlier): 2026-03-28 + 1 is 2026-03-29, whatever the zone. */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The ISO weekday of a local date: 1 Monday … 7 Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of the week a date is in (weeks start on Monday, as ISO 8601 says). */
export function startOfWeek(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** Today's date on the clocks of a zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return localParts(now, timeZone).date;
}

/** An instant's wall clock in a zone: its date and the minutes since that day's midnight. */
export function wallClock(instant: Date, timeZone: string): { date: string; minutes: number } {
  const { date, time } = localParts(instant, timeZone);
  return { date, minutes: toMinutes(time) };
}

/** "09:30" as 570. */
export function toMinutes(time: string): number {
  const [hours = "0", minutes = "0"] = time.split(":");
  return Number(hours) * 60 + Number(minutes);
}

/** 570 as "09:30" (1440 as "24:00"). */
export function fromMinutes(minutes: number): string {
  const whole = Math.round(minutes);
  return `${String(Math.floor(whole / 60)).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
}

/**
 * The instant a local date and time has in a zone. A time the clocks skip (the hour summer time
 * starts) comes out one hour later, as most calendars do; a time they show twice, one of the two.
 */
export function instantOf(date: string, time: string, timeZone: string): Date {
  const asUtc = Date.parse(`${date}T${time.slice(0, 5)}:00Z`);
  const offsetAt = (instant: number) => {
    const shown = wallClock(new Date(instant), timeZone);
    return Date.parse(`${shown.date}T${fromMinutes(shown.minutes)}:00Z`) - instant;
  };
  // Two passes: the offset at a first guess, then the offset at the instant that guess gives.
  const guess = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(guess));
}

/** The local date and minutes of an API local time with offset (2026-03-29T09:30:00+02:00). */
export function parseLocal(local: string): { date: string; minutes: number } {
  return { date: local.slice(0, 10), minutes: toMinutes(local.slice(11, 16)) };
}

/** A local date as the reader's locale writes it: "Mon, Mar 30". */
export function formatDay(date: string, options: Intl.DateTimeFormatOptions = {}): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
    ...options,
  }).format(new Date(`${date}T00:00:00Z`));
}

/** An instant's time of day on a zone's clocks, 24-hour: "09:30". */
export function formatTime(iso: string, timeZone: string): string {
  return fromMinutes(wallClock(new Date(iso), timeZone).minutes);
}

/** An instant span as "Mon, Mar 30, 09:30–10:00" on a zone's clocks (the end's day too when it differs). */
export function formatSpan(startIso: string, endIso: string, timeZone: string): string {
  const start = wallClock(new Date(startIso), timeZone);
  const end = wallClock(new Date(endIso), timeZone);
  const endDay = end.date === start.date || (end.minutes === 0 && addDays(start.date, 1) === end.date);
  return `${formatDay(start.date)}, ${fromMinutes(start.minutes)}–${endDay ? "" : `${formatDay(end.date)}, `}${
    end.minutes === 0 && end.date !== start.date && endDay ? "24:00" : fromMinutes(end.minutes)
  }`;
}

/** The days a view shows: the week (Monday first) or the one day of `date`. */
export function viewDays(view: "week" | "day", date: string): string[] {
  if (view === "day") return [date];
  const monday = startOfWeek(date);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** A piece of an occurrence within one day of the grid, in minutes of that day. */
export interface DaySegment<T> {
  item: T;
  startMinutes: number;
  endMinutes: number;
}

/**
 * The part of [start, end) (local wall clocks) that falls on `day`, or null: an event across
 * midnight is drawn in both days.
 */
export function segmentOn(
  day: string,
  start: { date: string; minutes: number },
  end: { date: string; minutes: number },
): { startMinutes: number; endMinutes: number } | null {
  if (day < start.date || day > end.date) return null;
  const startMinutes = day === start.date ? start.minutes : 0;
  const endMinutes = day === end.date ? end.minutes : DAY_MINUTES;
  if (endMinutes <= startMinutes)
    return start.date === end.date && day === start.date ? { startMinutes, endMinutes: startMinutes + 15 } : null;
  return { startMinutes, endMinutes };
}

/**
 * Side by side where they overlap: each segment's lane and how many lanes its cluster of
 * overlapping segments needs (the column's width is shared between them).
 */
export function layoutDay<T>(segments: DaySegment<T>[]): (DaySegment<T> & { lane: number; lanes: number })[] {
  const sorted = [...segments].sort((a, b) => a.startMinutes - b.startMinutes || b.endMinutes - a.endMinutes);
  const placed: (DaySegment<T> & { lane: number; lanes: number })[] = [];
  let cluster: (DaySegment<T> & { lane: number; lanes: number })[] = [];
  let clusterEnd = -1;
  const close = () => {
    const lanes = Math.max(1, ...cluster.map((one) => one.lane + 1));
    for (const one of cluster) one.lanes = lanes;
    cluster = [];
  };
  for (const segment of sorted) {
    if (segment.startMinutes >= clusterEnd) close();
    const busy = new Set(cluster.filter((one) => one.endMinutes > segment.startMinutes).map((one) => one.lane));
    let lane = 0;
    while (busy.has(lane)) lane++;
    const entry = { ...segment, lane, lanes: 1 };
    cluster.push(entry);
    placed.push(entry);
    clusterEnd = Math.max(clusterEnd, segment.endMinutes);
  }
  close();
  return placed;
}

/** Rounds minutes to the nearest multiple of `step`. */
export const snap = (minutes: number, step = 15) => Math.round(minutes / step) * step;
