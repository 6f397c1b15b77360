// A task's due time, zone-aware, with luxon: pure functions, no database, so they have fast unit tests.
import { badUserInput } from "@mary/kit";
import { DateTime } from "luxon";
import { checkTimeZone } from "../scheduling/time-zones.ts";

/** The IANA zone a due time is meant in when none is given. */
export const DEFAULT_DUE_ZONE = "UTC";

/**
 * A date-only due: the end of that local day (23:59:59.999) in the zone, so "due on 2026-03-29 in
 * Europe/Berlin" is 2026-03-29T21:59:59.999Z (summer time began that night). The day must exist.
 */
export function endOfLocalDay(date: string, zone: string, field = "dueDate"): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone }) : null;
  if (!day?.isValid) throw badUserInput(`${field} must be a date such as 2026-03-29`, field);
  return day.endOf("day").toJSDate();
}

/** The due instant in its zone as an ISO 8601 local time with the zone's offset then: 2026-03-29T23:59:59.999+02:00. */
export function localDueTime(dueAt: Date | null, zone: string): string | null {
  if (!dueAt) return null;
  return DateTime.fromJSDate(dueAt, { zone }).toISO();
}

/** A task's due as stored: the instant, its zone, and the local date when the due is date-only. */
export interface Due {
  dueAt: Date | null;
  dueTimeZone: string;
  dueDate: string | null;
}

/** What an input says about the due: absent (undefined) leaves a part as it is, null clears it. */
export interface DueInput {
  dueAt?: Date | null;
  dueDate?: string | null;
  dueTimeZone?: string | null;
}

/**
 * The due after an input, from the current one (a new task: none, in UTC).
 *
 * - `dueDate` sets a date-only due: the end of that day in the zone (the given zone, else the
 *   task's); `dueAt` sets an instant (and drops a date-only due). Giving both is BAD_USER_INPUT.
 * - `dueAt: null` clears the due; `dueDate: null` clears it only when it is date-only.
 * - A new zone alone moves a date-only due to the end of the same day there; an instant stays the
 *   same instant (only `dueLocal` changes).
 */
export function nextDue(current: Due, input: DueInput): Due {
  if (input.dueTimeZone === null) throw badUserInput("dueTimeZone cannot be null; use UTC", "dueTimeZone");
  const dueTimeZone =
    input.dueTimeZone === undefined ? current.dueTimeZone : checkTimeZone(input.dueTimeZone, "dueTimeZone");
  if (input.dueDate != null && input.dueAt != null) {
    throw badUserInput("Give either dueAt (a time) or dueDate (a whole day), not both", "dueDate");
  }
  if (input.dueAt !== undefined && input.dueAt !== null && Number.isNaN(input.dueAt.getTime())) {
    throw badUserInput("dueAt must be a date and time", "dueAt");
  }
  if (input.dueDate != null) {
    return { dueAt: endOfLocalDay(input.dueDate, dueTimeZone), dueTimeZone, dueDate: input.dueDate };
  }
  if (input.dueAt !== undefined) return { dueAt: input.dueAt, dueTimeZone, dueDate: null };
  if (input.dueDate === null && current.dueDate !== null) return { dueAt: null, dueTimeZone, dueDate: null };
  if (current.dueDate !== null) {
    return { dueAt: endOfLocalDay(current.dueDate, dueTimeZone), dueTimeZone, dueDate: current.dueDate };
  }
  return { dueAt: current.dueAt, dueTimeZone, dueDate: null };
}
