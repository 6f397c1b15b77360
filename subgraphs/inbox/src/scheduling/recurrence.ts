// Recurring events: RRULE expansion in the event's own zone, EXDATE/RDATE, changed and cancelled
// occurrences, the end of a series, rule validation and "this and following" splits.
//
// rrule runs on "floating" dates: UTC Dates whose fields are the event's wall-clock time in its
// zone. A weekly 09:00 Europe/Berlin event repeats 09:00 floating; luxon turns each wall time back
// into the instant (so the UTC instant moves by an hour across DST, the wall time does not).
import { DateTime } from "luxon";
import { isTimeZone } from "./time-zones.ts";
import rrulePackage from "rrule";
import type { Options as RRuleOptions, RRule as RRuleInstance } from "rrule";
import type { EventTiming, Occurrence, OccurrenceOverride } from "./types.ts";

// rrule 2.8 ships CommonJS to Node (no exports map): its classes come off the default export.
const { RRule } = rrulePackage;

/** The most occurrences `expandOccurrences` returns unless told otherwise. */
export const DEFAULT_OCCURRENCE_LIMIT = 10_000;
/** The largest COUNT a rule may have: a counted series is expanded from its start. */
export const MAX_RRULE_COUNT = 10_000;
const MAX_INTERVAL = 1_000;

const DAY_MS = 86_400_000;
// A wall clock is never more than 14 hours from UTC: a floating range widened by a day on each
// side covers every instant of the real range; the exact filter is done on instants afterwards.
const FLOATING_MARGIN_MS = DAY_MS;
// The longest a local day lasts (a DST change, or a zone skipping its offset back): bounds all-day spans.
const LONGEST_DAY_MS = 26 * 3_600_000;

const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
const ALLOWED_FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
type Frequency = (typeof ALLOWED_FREQUENCIES)[number];
type RuleParts = Map<string, string>;

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Why an RRULE value (without the `RRULE:` prefix) is refused, in words, or null when we accept
 * it. Refused beyond what does not parse: FREQ=SECONDLY/MINUTELY/HOURLY and BYHOUR/BYMINUTE/BYSECOND
 * (an event's start gives its time of day; rules repeating within a day make too many occurrences
 * to store, show or search), COUNT above MAX_RRULE_COUNT, INTERVAL above 1000, COUNT with UNTIL,
 * the part combinations RFC 5545 forbids, and rules no date can match (BYMONTH=2;BYMONTHDAY=30,
 * BYSETPOS past a period's dates), which rrule would search for up to the year 9999.
 */
export function validateRrule(rrule: string): string | null {
  const parsed = parseParts(rrule);
  if (typeof parsed === "string") return parsed;
  const freq = parsed.get("FREQ");
  if (freq === undefined) return "the rule has no FREQ (e.g. FREQ=WEEKLY)";
  if (["SECONDLY", "MINUTELY", "HOURLY"].includes(freq)) {
    return `FREQ=${freq} is refused: repeating more often than daily makes too many occurrences to store, show or search; use DAILY, WEEKLY, MONTHLY or YEARLY`;
  }
  if (!isFrequency(freq)) return `FREQ=${freq} is not a frequency (DAILY, WEEKLY, MONTHLY or YEARLY)`;
  for (const [key, value] of parsed) {
    const error = checkPart(key, value, freq, parsed);
    if (error) return error;
  }
  if (parsed.has("COUNT") && parsed.has("UNTIL")) return "a rule may have COUNT or UNTIL, not both";
  const never = impossibleCombination(parsed, freq);
  if (never) return never;
  try {
    new RRule({ ...RRule.parseString(rrule.toUpperCase()), dtstart: new Date(0) });
  } catch (error) {
    return `the rule does not parse: ${(error as Error).message}`;
  }
  return null;
}

function isFrequency(value: string): value is Frequency {
  return (ALLOWED_FREQUENCIES as readonly string[]).includes(value);
}

/** The rule's KEY=VALUE parts, upper-cased, in order; or why they are not a rule. */
function parseParts(rrule: string): RuleParts | string {
  if (/[:\r\n]/.test(rrule)) {
    return "give only the rule's value, e.g. FREQ=WEEKLY;BYDAY=MO (no RRULE: prefix, no DTSTART line)";
  }
  const parts: RuleParts = new Map();
  for (const part of rrule.toUpperCase().split(";")) {
    if (part.trim() === "") continue;
    const match = /^([A-Z]+)=([^=]+)$/.exec(part.trim());
    if (!match) return `\`${part}\` is not a KEY=VALUE rule part`;
    const [, key, value] = match as unknown as [string, string, string];
    if (parts.has(key)) return `${key} is given twice`;
    parts.set(key, value);
  }
  return parts;
}

function checkPart(key: string, value: string, freq: Frequency, parts: RuleParts): string | null {
  switch (key) {
    case "FREQ":
      return null;
    case "INTERVAL":
      return checkWhole(key, value, 1, MAX_INTERVAL);
    case "COUNT":
      return checkWhole(key, value, 1, MAX_RRULE_COUNT);
    case "UNTIL":
      return untilDate(value) ? null : `UNTIL=${value} is not a date (YYYYMMDD) or UTC time (YYYYMMDDTHHMMSSZ)`;
    case "WKST":
      return (WEEKDAYS as readonly string[]).includes(value) ? null : `WKST=${value} is not a weekday (MO … SU)`;
    case "BYDAY":
      return checkByDay(value, freq, parts);
    case "BYMONTH":
      return checkNumbers(key, value, 1, 12, false);
    case "BYMONTHDAY":
      if (freq === "WEEKLY") return "BYMONTHDAY does not go with FREQ=WEEKLY";
      return checkNumbers(key, value, 1, 31, true);
    case "BYYEARDAY":
      if (freq !== "YEARLY") return "BYYEARDAY goes only with FREQ=YEARLY";
      return checkNumbers(key, value, 1, 366, true);
    case "BYWEEKNO":
      if (freq !== "YEARLY") return "BYWEEKNO goes only with FREQ=YEARLY";
      return checkNumbers(key, value, 1, 53, true);
    case "BYSETPOS":
      if (![...parts.keys()].some((k) => k.startsWith("BY") && k !== "BYSETPOS")) {
        return "BYSETPOS needs another BY… part to pick from";
      }
      return checkNumbers(key, value, 1, 366, true);
    case "BYHOUR":
    case "BYMINUTE":
    case "BYSECOND":
      return `${key} is refused: the event's start gives its time of day, and repeating within a day makes too many occurrences`;
    case "DTSTART":
    case "TZID":
      return `${key} does not belong in the rule: the event's start and zone give it`;
    default:
      return `${key} is not a recurrence rule part we support`;
  }
}

function checkWhole(key: string, value: string, min: number, max: number): string | null {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  return n >= min && n <= max ? null : `${key}=${value} must be a whole number from ${min} to ${max}`;
}

function checkNumbers(key: string, value: string, min: number, max: number, signed: boolean): string | null {
  for (const item of value.split(",")) {
    const n = /^[+-]?\d+$/.test(item) ? Math.abs(Number(item)) : NaN;
    if (!(n >= min && n <= max) || (!signed && item.startsWith("-"))) {
      return `${key}=${value}: \`${item}\` must be a whole number from ${signed ? `±${min} to ±${max}` : `${min} to ${max}`}`;
    }
  }
  return null;
}

function checkByDay(value: string, freq: Frequency, parts: RuleParts): string | null {
  for (const item of value.split(",")) {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(item);
    if (!match) return `BYDAY=${value}: \`${item}\` is not a weekday such as MO, 2TU or -1FR`;
    if (match[1] === undefined) continue;
    const n = Math.abs(Number(match[1]));
    if (freq !== "MONTHLY" && freq !== "YEARLY") return "a numbered BYDAY (2TU) goes only with MONTHLY or YEARLY";
    if (freq === "YEARLY" && parts.has("BYWEEKNO")) return "a numbered BYDAY (2TU) does not go with BYWEEKNO";
    const max = freq === "MONTHLY" ? 5 : 53;
    if (n < 1 || n > max) return `BYDAY=${value}: \`${item}\` must be numbered ±1 to ±${max}`;
  }
  return null;
}

const numbers = (value: string | undefined) => (value === undefined ? [] : value.split(",").map(Number));
// The most dates one period can give to BYSETPOS (one time of day per date: BYHOUR is refused).
const LARGEST_SET: Record<Frequency, number> = { DAILY: 1, WEEKLY: 7, MONTHLY: 31, YEARLY: 366 };

/**
 * Why the rule can never give an occurrence, whatever its start, or null. rrule looks for the next
 * occurrence up to the year 9999 (seconds for a daily rule), so such rules are refused up front.
 */
function impossibleCombination(parts: RuleParts, freq: Frequency): string | null {
  const positions = numbers(parts.get("BYSETPOS"));
  if (positions.some((n) => Math.abs(n) > LARGEST_SET[freq])) {
    return `BYSETPOS=${parts.get("BYSETPOS")} picks beyond the ${LARGEST_SET[freq]} date(s) a ${freq.toLowerCase()} period has`;
  }
  const months = parts.has("BYMONTH") ? numbers(parts.get("BYMONTH")) : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const monthDays = numbers(parts.get("BYMONTHDAY"));
  const fits = (date: DateTime) =>
    months.includes(date.month) &&
    (monthDays.length === 0 || monthDays.some((d) => d === date.day || d === date.day - date.daysInMonth! - 1));
  const yearDays = numbers(parts.get("BYYEARDAY"));
  if (yearDays.length > 0) {
    const dates = [2024, 2025].flatMap((year) => {
      const length = DateTime.utc(year).daysInYear;
      const ordinals = yearDays.map((n) => (n > 0 ? n : length + 1 + n)).filter((n) => n >= 1 && n <= length);
      return ordinals.map((ordinal) => DateTime.utc(year).plus({ days: ordinal - 1 }));
    });
    return dates.some(fits) ? null : "no date has that BYYEARDAY in those months or on those days of the month";
  }
  // A leap year's months are the longest: a day none of them has never comes.
  const someDay = months.some((month) => monthDays.some((d) => Math.abs(d) <= DateTime.utc(2024, month).daysInMonth!));
  if (monthDays.length > 0 && !someDay) return `no month in BYMONTH has day ${parts.get("BYMONTHDAY")}`;
  return null;
}

/** UNTIL's value as a luxon DateTime in UTC fields, and whether it was an instant (…Z) or local. */
function untilDate(value: string): { fields: DateTime; kind: "instant" | "local" | "date" } | null {
  const formats = [
    ["yyyyMMdd'T'HHmmss'Z'", "instant"],
    ["yyyyMMdd'T'HHmmss", "local"],
    ["yyyyMMdd", "date"],
  ] as const;
  for (const [format, kind] of formats) {
    const fields = DateTime.fromFormat(value, format, { zone: "UTC" });
    if (fields.isValid) return { fields, kind };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Floating frame

/** The wall time `instant` reads in `zone`, as a UTC Date carrying those fields. */
function toFloating(instant: Date, zone: string): Date {
  return DateTime.fromJSDate(instant, { zone }).setZone("UTC", { keepLocalTime: true }).toJSDate();
}

/** The instant at which `zone`'s clocks read the floating date's fields (a skipped time moves forward, as luxon does). */
function fromFloating(floating: Date, zone: string): Date {
  const wall = DateTime.fromJSDate(floating, { zone: "UTC" }).toObject();
  return DateTime.fromObject(wall, { zone }).toJSDate();
}

function secondKey(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

function checkZone(zone: string): void {
  if (!isTimeZone(zone)) throw new RangeError(`\`${zone}\` is not an IANA time zone`);
}

// ---------------------------------------------------------------------------------------------
// The rule, in the floating frame

interface FloatingRule {
  parts: RuleParts;
  /** rrule's options: floating DTSTART and UNTIL, no TZID. */
  options: Partial<RRuleOptions> & { dtstart: Date };
  freq: Frequency;
  /** The rule gives nothing from this start (rrule would look up to the year 9999 to find that out). */
  empty: boolean;
}

function floatingRule(timing: EventTiming & { rrule: string }): FloatingRule {
  const error = validateRrule(timing.rrule);
  if (error) throw new RangeError(`invalid RRULE \`${timing.rrule}\`: ${error}`);
  const parts = parseParts(timing.rrule) as RuleParts;
  const until = parts.get("UNTIL");
  const options = {
    ...RRule.parseString(timing.rrule.toUpperCase()),
    dtstart: toFloating(timing.start, timing.timeZone),
    tzid: null,
    until: until === undefined ? null : floatingUntil(until, timing.timeZone),
  };
  const freq = parts.get("FREQ") as Frequency;
  return { parts, options, freq, empty: misaligned(parts, freq, options.dtstart) };
}

/**
 * Whether the start's place on the rule's grid rules out every occurrence: every 7th day never
 * reaching a BYDAY weekday (FREQ=DAILY;INTERVAL=7;BYDAY=TU from a Monday), or every n-th month
 * never reaching a BYMONTH month (FREQ=MONTHLY;INTERVAL=12;BYMONTH=6 from January).
 */
function misaligned(parts: RuleParts, freq: Frequency, floatingStart: Date): boolean {
  const start = DateTime.fromJSDate(floatingStart, { zone: "UTC" });
  const interval = Number(parts.get("INTERVAL") ?? 1);
  const byDay = parts.get("BYDAY");
  if (freq === "DAILY" && interval % 7 === 0 && byDay !== undefined) {
    return !byDay.split(",").includes(WEEKDAYS[start.weekday - 1]!);
  }
  const byMonth = parts.get("BYMONTH");
  if (freq === "MONTHLY" && byMonth !== undefined) {
    const reached = Array.from({ length: 12 }, (_, j) => ((start.month - 1 + j * interval) % 12) + 1);
    return !numbers(byMonth).some((month) => reached.includes(month));
  }
  return false;
}

/**
 * UNTIL in the floating frame. A UTC time (RFC 5545's form) is an instant, read as the zone's wall
 * time; a local time is already a wall time; a date alone includes the whole of that local day.
 */
function floatingUntil(value: string, zone: string): Date {
  const until = untilDate(value);
  if (!until) throw new RangeError(`UNTIL=${value} is not a date`);
  if (until.kind === "instant") return toFloating(until.fields.toJSDate(), zone);
  if (until.kind === "date") return until.fields.endOf("day").toJSDate();
  return until.fields.toJSDate();
}

/**
 * An rrule equal to the series from some floating time on, starting whole periods of the rule
 * (INTERVAL days, weeks, months or years) before `floatingFrom`, so that a query near `floatingFrom`
 * does not iterate from the start of a long series. rrule fills BYDAY/BYMONTHDAY/BYMONTH and the
 * time of day from DTSTART when missing; they are written out before DTSTART moves. COUNT rules
 * count from their start, so they never move (their length is bounded by MAX_RRULE_COUNT).
 */
function ruleFrom(rule: FloatingRule, floatingFrom: Date): RRuleInstance {
  const { options } = rule;
  if (options.count) return new RRule(options);
  const shifted = shiftedStart(rule, floatingFrom);
  if (!shifted || shifted <= options.dtstart) return new RRule(options);
  return new RRule({ ...explicitOptions(rule), dtstart: shifted });
}

function shiftedStart(rule: FloatingRule, floatingFrom: Date): Date | null {
  const start = DateTime.fromJSDate(rule.options.dtstart, { zone: "UTC" });
  const from = DateTime.fromJSDate(floatingFrom, { zone: "UTC" });
  const interval = rule.options.interval ?? 1;
  // One period of margin: the first period after the new start may be partial (a week from DTSTART's weekday).
  const periods = (elapsed: number) => Math.floor(elapsed / interval) - 1;
  switch (rule.freq) {
    case "DAILY": {
      const k = periods(Math.floor(from.diff(start, "days").days));
      return k > 0 ? start.plus({ days: k * interval }).toJSDate() : null;
    }
    case "WEEKLY": {
      const k = periods(Math.floor(from.diff(start, "weeks").weeks));
      return k > 0 ? start.plus({ weeks: k * interval }).toJSDate() : null;
    }
    case "MONTHLY": {
      const k = periods((from.year - start.year) * 12 + (from.month - start.month));
      const firstOfMonth = start.startOf("month").set({ millisecond: start.millisecond });
      return k > 0 ? firstOfMonth.plus({ months: k * interval }).toJSDate() : null;
    }
    case "YEARLY": {
      const k = periods(from.year - start.year);
      const firstOfYear = start.startOf("year").set({ millisecond: start.millisecond });
      return k > 0 ? firstOfYear.plus({ years: k * interval }).toJSDate() : null;
    }
  }
}

/** The options with what rrule would take from DTSTART written out (as rrule's parseOptions does). */
function explicitOptions(rule: FloatingRule): Partial<RRuleOptions> {
  const options = { ...rule.options };
  const start = DateTime.fromJSDate(options.dtstart, { zone: "UTC" });
  const hasDay = ["BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY"].some((key) => rule.parts.has(key));
  if (!hasDay && rule.freq === "YEARLY") {
    options.bymonth ??= start.month;
    options.bymonthday = start.day;
  }
  if (!hasDay && rule.freq === "MONTHLY") options.bymonthday = start.day;
  if (!hasDay && rule.freq === "WEEKLY") options.byweekday = [start.weekday - 1];
  options.byhour = start.hour;
  options.byminute = start.minute;
  options.bysecond = start.second;
  return options;
}

/** Whether the rule itself (not RDATE) gives an occurrence starting at `instant` (to the second). */
function ruleGives(rule: FloatingRule, instant: Date, zone: string): boolean {
  if (rule.empty) return false;
  const floating = toFloating(instant, zone);
  const around = ruleFrom(rule, new Date(floating.getTime() - FLOATING_MARGIN_MS)).between(
    new Date(floating.getTime() - FLOATING_MARGIN_MS),
    new Date(floating.getTime() + FLOATING_MARGIN_MS),
    true,
  );
  return around.some((date) => secondKey(fromFloating(date, zone)) === secondKey(instant));
}

// ---------------------------------------------------------------------------------------------
// Occurrence lengths

/** How an occurrence's end follows from its start: the same elapsed time, or the same number of local days. */
function occurrenceEnd(timing: EventTiming): (start: Date) => Date {
  if (!timing.allDay) {
    const ms = timing.end.getTime() - timing.start.getTime();
    return (start) => new Date(start.getTime() + ms);
  }
  const days = localDays(timing);
  return (start) => DateTime.fromJSDate(start, { zone: timing.timeZone }).plus({ days }).toJSDate();
}

function localDays(timing: EventTiming): number {
  const start = DateTime.fromJSDate(timing.start, { zone: timing.timeZone }).startOf("day");
  const end = DateTime.fromJSDate(timing.end, { zone: timing.timeZone }).startOf("day");
  return Math.round(end.diff(start, "days").days);
}

/** More than any occurrence lasts: widens the floating range so long occurrences starting before it are found. */
function longestSpanMs(timing: EventTiming): number {
  if (!timing.allDay) return Math.max(0, timing.end.getTime() - timing.start.getTime());
  return localDays(timing) * LONGEST_DAY_MS;
}

// ---------------------------------------------------------------------------------------------
// Expansion

/**
 * Every occurrence of the event overlapping [from, to), sorted by start (then recurrenceId).
 * The rule repeats in the event's zone (wall time kept across DST); EXDATE removes the rule's and
 * RDATE's starts equal to the second; RDATE adds starts; an override replaces the occurrence with
 * its recurrenceId (found even when only its new time is in the range) and a cancelled one removes
 * it; an override whose recurrenceId the series does not give is ignored. Only the range is
 * expanded. `limit` (default DEFAULT_OCCURRENCE_LIMIT, 10,000) caps the result: the earliest
 * `limit` occurrences are returned and the rest of the range is dropped, so the caller asks for
 * the next page from the last start.
 */
export function expandOccurrences(
  timing: EventTiming,
  overrides: OccurrenceOverride[],
  from: Date,
  to: Date,
  options: { limit?: number } = {},
): Occurrence[] {
  checkZone(timing.timeZone);
  const limit = options.limit ?? DEFAULT_OCCURRENCE_LIMIT;
  if (to <= from || limit <= 0) return [];
  const collector = new Collector(timing, overrides, from, to);
  if (timing.rrule === null) {
    collector.consider(timing.start);
  } else {
    expandRule({ ...timing, rrule: timing.rrule }, collector, limit);
  }
  for (const rdate of timing.rdates) collector.consider(rdate);
  collector.considerMovedIn((recurrenceId) => seriesGives(timing, recurrenceId));
  return collector.sorted().slice(0, limit);
}

/** Feeds the rule's starts near [from, to) to the collector, stopping once `limit` unchanged ones are in the range. */
function expandRule(timing: EventTiming & { rrule: string }, collector: Collector, limit: number): void {
  const rule = floatingRule(timing);
  if (rule.empty) return;
  const margin = longestSpanMs(timing) + FLOATING_MARGIN_MS;
  const floatingFrom = new Date(collector.from.getTime() - margin);
  const floatingTo = new Date(collector.to.getTime() + FLOATING_MARGIN_MS);
  let unchanged = 0;
  ruleFrom(rule, floatingFrom).between(floatingFrom, floatingTo, true, (date) => {
    if (collector.consider(fromFloating(date, timing.timeZone)) === "unchanged") unchanged++;
    return unchanged < limit;
  });
}

/** Whether the series (rule, RDATE or a single event's start) gives an occurrence starting at `instant`. */
function seriesGives(timing: EventTiming, instant: Date): boolean {
  const key = secondKey(instant);
  if (timing.rdates.some((rdate) => secondKey(rdate) === key)) return true;
  if (timing.rrule === null) return secondKey(timing.start) === key;
  return ruleGives(floatingRule({ ...timing, rrule: timing.rrule }), instant, timing.timeZone);
}

/** Gathers occurrences in [from, to), each recurrenceId once, applying EXDATE and overrides. */
class Collector {
  private readonly exdates: Set<number>;
  private readonly overrides: Map<number, OccurrenceOverride>;
  private readonly seen = new Set<number>();
  private readonly found: Occurrence[] = [];
  private readonly endOf: (start: Date) => Date;

  constructor(
    timing: EventTiming,
    overrides: OccurrenceOverride[],
    readonly from: Date,
    readonly to: Date,
  ) {
    this.exdates = new Set(timing.exdates.map(secondKey));
    this.overrides = new Map(overrides.map((override) => [secondKey(override.recurrenceId), override]));
    this.endOf = occurrenceEnd(timing);
  }

  /** Takes the occurrence the series starts at `recurrenceId`; says whether it landed in the range, and how. */
  consider(recurrenceId: Date): "unchanged" | "overridden" | "outside" | "removed" {
    const key = secondKey(recurrenceId);
    if (this.seen.has(key)) return "removed";
    this.seen.add(key);
    if (this.exdates.has(key)) return "removed";
    const override = this.overrides.get(key);
    if (override?.cancelled) return "removed";
    const occurrence: Occurrence = override
      ? { start: override.start, end: override.end, recurrenceId, overridden: true }
      : { start: recurrenceId, end: this.endOf(recurrenceId), recurrenceId, overridden: false };
    if (!(occurrence.start < this.to && occurrence.end > this.from)) return "outside";
    this.found.push(occurrence);
    return override ? "overridden" : "unchanged";
  }

  /** Overrides moved into the range from an original start that the rule's pass did not reach. */
  considerMovedIn(seriesGives: (recurrenceId: Date) => boolean): void {
    for (const override of this.overrides.values()) {
      const inRange = override.start < this.to && override.end > this.from;
      if (override.cancelled || !inRange || this.seen.has(secondKey(override.recurrenceId))) continue;
      if (seriesGives(override.recurrenceId)) this.consider(override.recurrenceId);
    }
  }

  sorted(): Occurrence[] {
    return this.found.sort(
      (a, b) => a.start.getTime() - b.start.getTime() || a.recurrenceId.getTime() - b.recurrenceId.getTime(),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The end of a series

/**
 * When the series' last occurrence ends, to index events by time range: the latest end among the
 * rule's last start not removed by EXDATE (COUNT or UNTIL rules), RDATEs, the event's own end and
 * the given overrides' ends; null when the rule never ends. An upper bound when overrides cancel
 * or move the last occurrences earlier.
 */
export function seriesEnd(timing: EventTiming, overrides: OccurrenceOverride[] = []): Date | null {
  checkZone(timing.timeZone);
  const endOf = occurrenceEnd(timing);
  const exdates = new Set(timing.exdates.map(secondKey));
  const ends = [timing.end, ...timing.rdates.filter((d) => !exdates.has(secondKey(d))).map(endOf)];
  ends.push(...overrides.filter((override) => !override.cancelled).map((override) => override.end));
  if (timing.rrule !== null) {
    const rule = floatingRule({ ...timing, rrule: timing.rrule });
    if (!rule.options.count && !rule.options.until) return null;
    const last = lastRuleStart(rule, timing.timeZone, exdates);
    if (last) ends.push(endOf(last));
  }
  return new Date(Math.max(...ends.map((end) => end.getTime())));
}

/** The bounded rule's last start not in EXDATE: looked for near UNTIL first, then over the whole series. */
function lastRuleStart(rule: FloatingRule, zone: string, exdates: Set<number>): Date | null {
  if (rule.empty) return null;
  const kept = (dates: Date[]) =>
    dates.map((date) => fromFloating(date, zone)).filter((instant) => !exdates.has(secondKey(instant)));
  const until = rule.options.until;
  if (until) {
    const near = kept(ruleFrom(rule, until).between(rule.options.dtstart, until, true));
    if (near.length > 0) return near[near.length - 1]!;
  }
  const all = kept(new RRule(rule.options).all());
  return all[all.length - 1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// "This and following"

/**
 * Splits a recurring series at one of its rule's occurrences for a "this and following" edit:
 * `before` is the series up to just before `at` (UNTIL one second before it, or the day before for
 * all-day events; its EXDATEs and RDATEs before `at`), `after` starts at `at` with the rest (a COUNT
 * rule keeps the count not yet used, counting EXDATE'd starts as RFC 5545 does). Throws a RangeError
 * when the event does not recur, `at` is not a start the rule gives, or it is the first one (edit the
 * whole series instead).
 */
export function splitSeries(timing: EventTiming, at: Date): { before: EventTiming; after: EventTiming } {
  checkZone(timing.timeZone);
  if (timing.rrule === null) throw new RangeError("a single event has no following occurrences to split off");
  const rule = floatingRule({ ...timing, rrule: timing.rrule });
  if (!ruleGives(rule, at, timing.timeZone))
    throw new RangeError(`the rule gives no occurrence at ${at.toISOString()}`);
  const first = new RRule(rule.options).after(rule.options.dtstart, true);
  if (first && secondKey(fromFloating(first, timing.timeZone)) === secondKey(at)) {
    throw new RangeError("splitting at the first occurrence: change the whole series instead");
  }
  const count = rule.options.count;
  // COUNT counts from the start, EXDATE'd ones included; a counted series is at most MAX_RRULE_COUNT long.
  const justBefore = new Date(toFloating(at, timing.timeZone).getTime() - 1);
  const earlier = count ? new RRule(rule.options).between(rule.options.dtstart, justBefore, true).length : 0;
  const before: EventTiming = {
    ...timing,
    rrule: formatParts(rule.parts, { COUNT: null, UNTIL: untilBefore(timing, at) }),
    exdates: timing.exdates.filter((date) => date < at),
    rdates: timing.rdates.filter((date) => date < at),
  };
  const after: EventTiming = {
    ...timing,
    start: at,
    end: occurrenceEnd(timing)(at),
    rrule: count ? formatParts(rule.parts, { COUNT: String(count - earlier) }) : timing.rrule,
    exdates: timing.exdates.filter((date) => date >= at),
    rdates: timing.rdates.filter((date) => date >= at),
  };
  return { before, after };
}

/** UNTIL ending a series just before `at`: the UTC second before it, or (all-day) the local day before. */
function untilBefore(timing: EventTiming, at: Date): string {
  if (timing.allDay) {
    return DateTime.fromJSDate(at, { zone: timing.timeZone }).minus({ days: 1 }).toFormat("yyyyMMdd");
  }
  return DateTime.fromJSDate(new Date(at.getTime() - 1000), { zone: "UTC" }).toFormat("yyyyMMdd'T'HHmmss'Z'");
}

/** The rule's parts as an RRULE value, with some replaced (null removes them). */
function formatParts(parts: RuleParts, changes: Record<string, string | null>): string {
  const merged = new Map(parts);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  return [...merged].map(([key, value]) => `${key}=${value}`).join(";");
}
