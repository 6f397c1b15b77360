// Working hours: a user's weekly local hours and dated exceptions, turned into the instants they
// work. Local days and times are read in the user's zone with luxon, so DST days come out right
// (09:00–17:00 is eight hours on the day the clocks change at night).
import { DateTime } from "luxon";
import { isTimeZone } from "./time-zones.ts";
import type { Interval, WorkingHours } from "./types.ts";

const LOCAL_TIME = /^(\d{2}):(\d{2})$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

type LocalInterval = { start: string; end: string };

/** The hours most people work when they have set none: Monday to Friday, 09:00–17:00 in `timeZone`. */
export function DEFAULT_WORKING_HOURS(timeZone: string): WorkingHours {
  const weekly = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "17:00" }));
  return { timeZone, weekly, exceptions: [] };
}

/**
 * Why working hours are refused, in words, or null when they are fine: the zone must be an IANA
 * zone luxon knows, weekdays 1 (Monday) to 7, times `HH:mm` (24:00 only as an end), each end after
 * its start, no two intervals of one day overlapping (touching is fine), exception dates real
 * `YYYY-MM-DD` dates given once each.
 */
export function validateWorkingHours(hours: WorkingHours): string | null {
  if (!isTimeZone(hours.timeZone)) return `\`${hours.timeZone}\` is not an IANA time zone such as Europe/Berlin`;
  for (const entry of hours.weekly) {
    if (!Number.isInteger(entry.weekday) || entry.weekday < 1 || entry.weekday > 7) {
      return `weekday ${entry.weekday} must be 1 (Monday) to 7 (Sunday)`;
    }
  }
  for (let weekday = 1; weekday <= 7; weekday++) {
    const error = checkDay(
      hours.weekly.filter((entry) => entry.weekday === weekday),
      `weekday ${weekday}`,
    );
    if (error) return error;
  }
  const dates = new Set<string>();
  for (const exception of hours.exceptions) {
    if (!LOCAL_DATE.test(exception.date) || !DateTime.fromISO(exception.date).isValid) {
      return `exception date \`${exception.date}\` is not a date such as 2026-12-24`;
    }
    if (dates.has(exception.date)) return `exception date ${exception.date} is given twice`;
    dates.add(exception.date);
    const error = checkDay(exception.intervals, exception.date);
    if (error) return error;
  }
  return null;
}

/** One day's intervals: valid times, end after start, no overlaps. */
function checkDay(intervals: LocalInterval[], day: string): string | null {
  const minutes: [number, number][] = [];
  for (const { start, end } of intervals) {
    const from = minutesOf(start);
    const to = minutesOf(end);
    if (from === null || from === 24 * 60) return `${day}: start \`${start}\` is not a time from 00:00 to 23:59`;
    if (to === null) return `${day}: end \`${end}\` is not a time from 00:00 to 24:00`;
    if (to <= from) return `${day}: ${start}–${end} ends before it starts`;
    minutes.push([from, to]);
  }
  minutes.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < minutes.length; i++) {
    if (minutes[i]![0] < minutes[i - 1]![1]) return `${day}: two intervals overlap`;
  }
  return null;
}

/** Minutes since midnight of an `HH:mm` time (00:00 … 24:00), or null. */
function minutesOf(time: string): number | null {
  const match = LOCAL_TIME.exec(time);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null;
  return hours * 60 + minutes;
}

/**
 * The instants the user works within [from, to): each local day in their zone gets the weekly
 * intervals of its ISO weekday, or that date's exception instead (an exception with no intervals is
 * a day off). Sorted; overlapping and touching intervals merged (work across midnight is one span).
 * Assumes hours that `validateWorkingHours` accepts.
 */
export function workingIntervals(hours: WorkingHours, from: Date, to: Date): Interval[] {
  if (to <= from) return [];
  const zone = hours.timeZone;
  const exceptions = new Map(hours.exceptions.map((exception) => [exception.date, exception.intervals]));
  const intervals: Interval[] = [];
  const last = DateTime.fromJSDate(to, { zone }).startOf("day");
  for (let day = DateTime.fromJSDate(from, { zone }).startOf("day"); day <= last; day = day.plus({ days: 1 })) {
    const local = exceptions.get(day.toISODate()!) ?? hours.weekly.filter((entry) => entry.weekday === day.weekday);
    for (const { start, end } of local) {
      const interval = { start: atLocalTime(day, start), end: atLocalTime(day, end) };
      const clipped = {
        start: new Date(Math.max(interval.start.getTime(), from.getTime())),
        end: new Date(Math.min(interval.end.getTime(), to.getTime())),
      };
      if (clipped.start < clipped.end) intervals.push(clipped);
    }
  }
  return mergeIntervals(intervals);
}

/** The instant the local day reads `HH:mm` (24:00: the next day's midnight; a time the clocks skip moves forward). */
function atLocalTime(day: DateTime, time: string): Date {
  const minutes = minutesOf(time);
  if (minutes === null) throw new RangeError(`\`${time}\` is not a local time HH:mm`);
  if (minutes === 24 * 60) return day.plus({ days: 1 }).startOf("day").toJSDate();
  const local = {
    year: day.year,
    month: day.month,
    day: day.day,
    hour: Math.floor(minutes / 60),
    minute: minutes % 60,
  };
  return DateTime.fromObject(local, { zone: day.zone }).toJSDate();
}

/** Sorted by start, overlapping or touching intervals joined. */
export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && interval.start <= previous.end) {
      if (interval.end > previous.end) previous.end = interval.end;
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
}
