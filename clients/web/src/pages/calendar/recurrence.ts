// The editor's "Repeats" choices and the RRULE (RFC 5545) they stand for. The server expands the
// rule in the event's zone; the editor only writes and reads it.
import { instantOf, isoWeekday } from "./calendar-time.ts";

export type RepeatKind = "NONE" | "DAILY" | "WEEKLY" | "MONTHLY" | "CUSTOM";
export type RepeatEnd = "NEVER" | "COUNT" | "UNTIL";

export const WEEKDAYS = [
  { code: "MO", label: "Monday" },
  { code: "TU", label: "Tuesday" },
  { code: "WE", label: "Wednesday" },
  { code: "TH", label: "Thursday" },
  { code: "FR", label: "Friday" },
  { code: "SA", label: "Saturday" },
  { code: "SU", label: "Sunday" },
] as const;
export type WeekdayCode = (typeof WEEKDAYS)[number]["code"];

/** The weekday code of a local date: 2026-03-30 (a Monday) is MO. */
export const weekdayCode = (date: string): WeekdayCode => WEEKDAYS[isoWeekday(date) - 1]!.code;

export interface RepeatChoice {
  kind: RepeatKind;
  /** WEEKLY: the days it repeats on. */
  days: WeekdayCode[];
  end: RepeatEnd;
  /** COUNT: how many occurrences in all. */
  count: number;
  /** UNTIL: the last local date it may occur on, in the event's zone. */
  until: string;
  /** CUSTOM: the rule as typed. */
  custom: string;
}

/** The choice for an event starting on `startDate`: no repeat, weekly on its own weekday when picked. */
export function defaultRepeat(startDate: string): RepeatChoice {
  return { kind: "NONE", days: [weekdayCode(startDate)], end: "NEVER", count: 10, until: "", custom: "" };
}

/** UNTIL as RFC 5545 wants it with a zoned start: the end of that local day, in UTC (20260430T215959Z). */
export function untilValue(date: string, timeZone: string): string {
  const lastSecond = new Date(instantOf(date, "23:59", timeZone).getTime() + 59_000);
  return lastSecond
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The RRULE of a choice, or "" for none. CUSTOM is the text as typed, less any "RRULE:" prefix. */
export function buildRrule(choice: RepeatChoice, timeZone: string): string {
  if (choice.kind === "NONE") return "";
  if (choice.kind === "CUSTOM") return choice.custom.trim().replace(/^RRULE:/i, "");
  const parts = [`FREQ=${choice.kind}`];
  if (choice.kind === "WEEKLY" && choice.days.length) {
    const order = WEEKDAYS.map((day) => day.code);
    parts.push(`BYDAY=${[...new Set(choice.days)].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(",")}`);
  }
  if (choice.end === "COUNT") parts.push(`COUNT=${choice.count}`);
  if (choice.end === "UNTIL" && choice.until) parts.push(`UNTIL=${untilValue(choice.until, timeZone)}`);
  return parts.join(";");
}

/** The local date (in the zone) an UNTIL value ends on: 20260430T215959Z in Europe/Berlin is 2026-04-30. */
function untilDate(value: string, timeZone: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
  if (!match) return null;
  const [, y, m, d, hh, mm, ss, z] = match;
  if (!hh) return `${y}-${m}-${d}`;
  const instant = z
    ? new Date(`${y}-${m}-${d}T${hh}:${mm}:${ss}Z`)
    : instantOf(`${y}-${m}-${d}`, `${hh}:${mm}`, timeZone);
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    instant,
  );
}

/**
 * The choice a saved rule reads as: DAILY, WEEKLY (with BYDAY) and MONTHLY, ending never, after a
 * count or on a date; anything else (an INTERVAL, BYMONTHDAY, …) is CUSTOM with the rule as text.
 */
export function parseRrule(rrule: string | null | undefined, startDate: string, timeZone: string): RepeatChoice {
  const choice = defaultRepeat(startDate);
  if (!rrule) return choice;
  const custom = { ...choice, kind: "CUSTOM" as const, custom: rrule };
  const fields = new Map<string, string>();
  for (const part of rrule.split(";")) {
    const [key, value] = part.split("=");
    if (!key || value === undefined) return custom;
    fields.set(key.toUpperCase(), value);
  }
  const freq = fields.get("FREQ");
  const known = new Set(["FREQ", "COUNT", "UNTIL", ...(freq === "WEEKLY" ? ["BYDAY"] : [])]);
  if ((freq !== "DAILY" && freq !== "WEEKLY" && freq !== "MONTHLY") || [...fields.keys()].some((k) => !known.has(k))) {
    return custom;
  }
  const result: RepeatChoice = { ...choice, kind: freq };
  if (freq === "WEEKLY") {
    const days = (fields.get("BYDAY") ?? weekdayCode(startDate)).split(",");
    const codes = WEEKDAYS.map((day) => day.code as string);
    if (days.some((day) => !codes.includes(day))) return custom;
    result.days = days as WeekdayCode[];
  }
  const count = fields.get("COUNT");
  const until = fields.get("UNTIL");
  if (count && until) return custom;
  if (count) {
    if (!/^\d+$/.test(count)) return custom;
    Object.assign(result, { end: "COUNT", count: Number(count) });
  }
  if (until) {
    const date = untilDate(until, timeZone);
    if (!date) return custom;
    Object.assign(result, { end: "UNTIL", until: date });
  }
  return result;
}

/** How a rule reads, for the event's details: "Weekly on Monday, Wednesday, 10 times". */
export function describeRrule(rrule: string, startDate: string, timeZone: string): string {
  const choice = parseRrule(rrule, startDate, timeZone);
  if (choice.kind === "CUSTOM") return `Repeats: ${rrule}`;
  const names = new Map(WEEKDAYS.map((day) => [day.code as string, day.label]));
  const base =
    choice.kind === "WEEKLY"
      ? `Weekly on ${choice.days.map((day) => names.get(day)).join(", ")}`
      : choice.kind === "DAILY"
        ? "Daily"
        : "Monthly";
  if (choice.end === "COUNT") return `${base}, ${choice.count} times`;
  if (choice.end === "UNTIL") return `${base}, until ${choice.until}`;
  return base;
}

/**
 * A weekly rule on one weekday follows its event to another day (dragged from Monday to Tuesday,
 * BYDAY=MO becomes BYDAY=TU); any other rule is left as it is.
 */
export function shiftRuleWeekday(rrule: string, fromDate: string, toDate: string): string {
  const from = weekdayCode(fromDate);
  const to = weekdayCode(toDate);
  if (from === to || !/(^|;)FREQ=WEEKLY(;|$)/.test(rrule)) return rrule;
  return rrule.replace(/(^|;)BYDAY=([A-Z]{2})(?=;|$)/, (whole, lead: string, day: string) =>
    day === from ? `${lead}BYDAY=${to}` : whole,
  );
}
