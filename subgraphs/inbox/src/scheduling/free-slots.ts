// Free slots for a meeting: per attendee, working time minus busy time (widened by a buffer);
// intersected across attendees; then the aligned starts that fit. Sorting and sweeping, so the
// cost grows with the number of intervals, not with the range divided by the granularity.
import type { Interval } from "./types.ts";
import { mergeIntervals } from "./working-hours.ts";

const MINUTE_MS = 60_000;

export interface FreeSlotsInput {
  /** Each attendee's working instants and busy instants (any order, may overlap). */
  attendees: { working: Interval[]; busy: Interval[] }[];
  durationMinutes: number;
  from: Date;
  to: Date;
  /** Slot starts are multiples of this since the Unix epoch (15: every :00, :15, :30, :45 in whole-quarter zones). */
  granularityMinutes: number;
  /** Kept free before and after every busy interval. */
  bufferMinutes: number;
  /** The most slots returned. */
  limit: number;
}

/**
 * The slots [s, s + duration) when every attendee can meet, sorted by start, at most `limit`:
 * s is a multiple of the granularity since the epoch, the slot lies in [from, to), within one
 * working interval of every attendee (touching working intervals count as one), and overlaps no
 * attendee's busy interval widened by the buffer on both sides. With no attendees every aligned
 * slot of the range is free. Throws a RangeError on a non-positive duration or granularity, a
 * negative buffer or limit.
 */
export function findFreeSlots(input: FreeSlotsInput): Interval[] {
  checkInput(input);
  const range: Interval = { start: input.from, end: input.to };
  const bufferMs = input.bufferMinutes * MINUTE_MS;
  let common: Interval[] = [range];
  for (const attendee of input.attendees) {
    common = intersect(common, freeTime(attendee.working, attendee.busy, bufferMs));
    if (common.length === 0) return [];
  }
  return alignedSlots(common, input.durationMinutes * MINUTE_MS, input.granularityMinutes * MINUTE_MS, input.limit);
}

function checkInput(input: FreeSlotsInput): void {
  const positive = (value: number, name: string) => {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be positive`);
  };
  positive(input.durationMinutes, "durationMinutes");
  positive(input.granularityMinutes, "granularityMinutes");
  if (!(input.bufferMinutes >= 0)) throw new RangeError("bufferMinutes must not be negative");
  if (!(input.limit >= 0)) throw new RangeError("limit must not be negative");
}

/** Working minus busy (each widened by the buffer): sorted, disjoint intervals. */
function freeTime(working: Interval[], busy: Interval[], bufferMs: number): Interval[] {
  const blocked = mergeIntervals(
    busy.map((interval) => ({
      start: new Date(interval.start.getTime() - bufferMs),
      end: new Date(interval.end.getTime() + bufferMs),
    })),
  );
  return subtract(mergeIntervals(working), blocked);
}

/** `from` minus `remove`, both sorted and disjoint: one sweep. */
function subtract(from: Interval[], remove: Interval[]): Interval[] {
  const result: Interval[] = [];
  let j = 0;
  for (const interval of from) {
    let start = interval.start.getTime();
    const end = interval.end.getTime();
    while (j < remove.length && remove[j]!.end.getTime() <= start) j++;
    for (let k = j; k < remove.length && remove[k]!.start.getTime() < end; k++) {
      const cut = remove[k]!;
      if (cut.start.getTime() > start) result.push({ start: new Date(start), end: cut.start });
      start = Math.max(start, cut.end.getTime());
    }
    if (start < end) result.push({ start: new Date(start), end: interval.end });
  }
  return result;
}

/** The intersection of two sorted, disjoint lists: two pointers. */
function intersect(a: Interval[], b: Interval[]): Interval[] {
  const result: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i]!.start.getTime(), b[j]!.start.getTime());
    const end = Math.min(a[i]!.end.getTime(), b[j]!.end.getTime());
    if (start < end) result.push({ start: new Date(start), end: new Date(end) });
    if (a[i]!.end.getTime() < b[j]!.end.getTime()) i++;
    else j++;
  }
  return result;
}

/** Every [s, s + duration) inside one of the sorted, disjoint intervals, s a multiple of `stepMs`. */
function alignedSlots(intervals: Interval[], durationMs: number, stepMs: number, limit: number): Interval[] {
  const slots: Interval[] = [];
  for (const interval of intervals) {
    const end = interval.end.getTime();
    for (let s = Math.ceil(interval.start.getTime() / stepMs) * stepMs; s + durationMs <= end; s += stepMs) {
      if (slots.length >= limit) return slots;
      slots.push({ start: new Date(s), end: new Date(s + durationMs) });
    }
  }
  return slots;
}
