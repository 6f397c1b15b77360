import { DateTime } from "luxon";
import { describe, expect, test } from "vitest";
import { findFreeSlots, type FreeSlotsInput } from "../src/scheduling/free-slots.ts";
import { expandOccurrences } from "../src/scheduling/recurrence.ts";
import type { EventTiming, Interval, WorkingHours } from "../src/scheduling/types.ts";
import { workingIntervals } from "../src/scheduling/working-hours.ts";

const MINUTE = 60_000;
const utc = (iso: string) => new Date(iso);
const at = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toJSDate();
const span = (start: string, end: string): Interval => ({ start: utc(start), end: utc(end) });
const iso = (intervals: Interval[]) => intervals.map((i) => `${i.start.toISOString()}/${i.end.toISOString()}`);

const base = { durationMinutes: 30, granularityMinutes: 15, bufferMinutes: 0, limit: 1000 };

describe("findFreeSlots, small cases", () => {
  const from = utc("2026-03-23T09:00:00Z");
  const to = utc("2026-03-23T12:00:00Z");

  test("slots step by the granularity inside working time, around busy time", () => {
    const slots = findFreeSlots({
      ...base,
      attendees: [
        {
          working: [span("2026-03-23T09:00:00Z", "2026-03-23T11:00:00Z")],
          busy: [span("2026-03-23T09:30:00Z", "2026-03-23T10:00:00Z")],
        },
      ],
      from,
      to,
    });
    expect(iso(slots)).toEqual([
      "2026-03-23T09:00:00.000Z/2026-03-23T09:30:00.000Z",
      "2026-03-23T10:00:00.000Z/2026-03-23T10:30:00.000Z",
      "2026-03-23T10:15:00.000Z/2026-03-23T10:45:00.000Z",
      "2026-03-23T10:30:00.000Z/2026-03-23T11:00:00.000Z",
    ]);
  });

  test("the buffer keeps time free on both sides of a busy interval", () => {
    const slots = findFreeSlots({
      ...base,
      bufferMinutes: 10,
      attendees: [
        {
          working: [span("2026-03-23T09:00:00Z", "2026-03-23T11:00:00Z")],
          busy: [span("2026-03-23T09:45:00Z", "2026-03-23T10:00:00Z")],
        },
      ],
      from,
      to,
    });
    // 09:00–09:30 ends 15 minutes before; 09:15–09:45 would end 0 minutes before; 10:00 starts 0 after.
    expect(iso(slots)).toEqual([
      "2026-03-23T09:00:00.000Z/2026-03-23T09:30:00.000Z",
      "2026-03-23T10:15:00.000Z/2026-03-23T10:45:00.000Z",
      "2026-03-23T10:30:00.000Z/2026-03-23T11:00:00.000Z",
    ]);
  });

  test("starts are multiples of the granularity since the epoch, within [from, to)", () => {
    const slots = findFreeSlots({
      ...base,
      durationMinutes: 60,
      granularityMinutes: 20,
      attendees: [{ working: [span("2026-03-23T08:00:00Z", "2026-03-23T13:00:00Z")], busy: [] }],
      from: utc("2026-03-23T09:07:00Z"),
      to: utc("2026-03-23T11:30:00Z"),
    });
    expect(slots.map((slot) => slot.start.toISOString().slice(11, 16))).toEqual(["09:20", "09:40", "10:00", "10:20"]);
    for (const slot of slots) expect(slot.start.getTime() % (20 * MINUTE)).toBe(0);
  });

  test("a slot lies within one working interval of every attendee (intervals that only touch count as one)", () => {
    const slots = findFreeSlots({
      ...base,
      durationMinutes: 60,
      granularityMinutes: 30,
      attendees: [
        {
          working: [
            span("2026-03-23T09:00:00Z", "2026-03-23T10:00:00Z"),
            span("2026-03-23T10:15:00Z", "2026-03-23T12:00:00Z"),
          ],
          busy: [],
        },
        {
          working: [
            span("2026-03-23T09:00:00Z", "2026-03-23T10:30:00Z"),
            span("2026-03-23T10:30:00Z", "2026-03-23T11:30:00Z"),
          ],
          busy: [],
        },
      ],
      from,
      to,
    });
    expect(iso(slots)).toEqual([
      "2026-03-23T09:00:00.000Z/2026-03-23T10:00:00.000Z",
      "2026-03-23T10:30:00.000Z/2026-03-23T11:30:00.000Z",
    ]);
  });

  test("limit, no attendees, and bad input", () => {
    const one = { working: [span("2026-03-23T09:00:00Z", "2026-03-23T12:00:00Z")], busy: [] };
    expect(findFreeSlots({ ...base, limit: 2, attendees: [one], from, to })).toHaveLength(2);
    expect(findFreeSlots({ ...base, limit: 0, attendees: [one], from, to })).toEqual([]);
    expect(findFreeSlots({ ...base, attendees: [], from, to })).toHaveLength(11);
    expect(findFreeSlots({ ...base, attendees: [one, { working: [], busy: [] }], from, to })).toEqual([]);
    expect(() => findFreeSlots({ ...base, granularityMinutes: 0, attendees: [one], from, to })).toThrow(RangeError);
    expect(() => findFreeSlots({ ...base, durationMinutes: -5, attendees: [one], from, to })).toThrow(RangeError);
    expect(() => findFreeSlots({ ...base, bufferMinutes: -1, attendees: [one], from, to })).toThrow(RangeError);
  });

  test("thousands of busy intervals: a sweep, not a scan per step", () => {
    const from = utc("2026-01-01T00:00:00Z");
    const to = utc("2027-01-01T00:00:00Z");
    const attendees = Array.from({ length: 4 }, (_, a) => ({
      working: [{ start: from, end: to }],
      // 5,000 five-minute meetings each, spread over the year, unsorted.
      busy: Array.from({ length: 5_000 }, (_, i) => {
        const start = from.getTime() + ((i * 7919 + a * 104_729) % 525_600) * MINUTE;
        return { start: new Date(start), end: new Date(start + 5 * MINUTE) };
      }),
    }));
    const began = performance.now();
    const slots = findFreeSlots({
      attendees,
      durationMinutes: 15,
      granularityMinutes: 1,
      bufferMinutes: 0,
      from,
      to,
      limit: 100_000,
    });
    expect(performance.now() - began).toBeLessThan(3_000);
    expect(slots.length).toBeGreaterThan(0);
    const busy = attendees.flatMap((attendee) => attendee.busy);
    for (const slot of slots.slice(0, 200)) {
      expect(busy.some((b) => b.start < slot.end && slot.start < b.end)).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Three people in Berlin, New York and Kolkata over two weeks that include Europe's DST change
// (2026-03-29), checked against a brute force that reads each slot in each person's local time.

const FROM = utc("2026-03-23T00:00:00Z");
const TO = utc("2026-04-06T00:00:00Z");

interface Person {
  hours: WorkingHours;
  busy: Interval[];
}

const weekdays = (days: number[], start: string, end: string) => days.map((weekday) => ({ weekday, start, end }));

function series(zone: string, start: string, end: string, rrule: string | null): EventTiming {
  return { start: at(start, zone), end: at(end, zone), timeZone: zone, allDay: false, rrule, exdates: [], rdates: [] };
}

const busyOf = (...timings: EventTiming[]) =>
  timings.flatMap((timing) => expandOccurrences(timing, [], FROM, TO)).map(({ start, end }) => ({ start, end }));

const people: Person[] = [
  {
    hours: {
      timeZone: "Europe/Berlin",
      weekly: [...weekdays([1, 2, 3, 4, 5], "08:00", "12:00"), ...weekdays([1, 2, 3, 4, 5], "13:00", "18:00")],
      exceptions: [
        { date: "2026-03-27", intervals: [] },
        { date: "2026-04-02", intervals: [{ start: "13:30", end: "15:00" }] },
      ],
    },
    busy: busyOf(
      series("Europe/Berlin", "2026-03-03T14:00", "2026-03-03T15:00", "FREQ=WEEKLY;BYDAY=TU,TH"),
      series("Europe/Berlin", "2026-03-30T16:10", "2026-03-30T16:40", null),
    ),
  },
  {
    hours: {
      timeZone: "America/New_York",
      weekly: [...weekdays([1, 2, 3, 4], "07:00", "11:30"), ...weekdays([5], "06:00", "10:00")],
      exceptions: [],
    },
    busy: busyOf(
      series("America/New_York", "2026-01-05T08:00", "2026-01-05T08:30", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
      series("America/New_York", "2026-03-25T09:05", "2026-03-25T09:50", null),
    ),
  },
  {
    hours: {
      timeZone: "Asia/Kolkata",
      weekly: [...weekdays([1, 2, 3, 4, 5], "12:00", "20:30"), ...weekdays([6], "10:00", "13:00")],
      exceptions: [],
    },
    busy: busyOf(
      series("Asia/Kolkata", "2026-02-04T17:00", "2026-02-04T18:15", "FREQ=WEEKLY"),
      series("Asia/Kolkata", "2026-03-31T19:45", "2026-03-31T20:00", null),
    ),
  },
];

/** Whether `person` works the whole slot: start and end read, in their zone, inside one interval of that local day. */
function works(person: Person, start: Date, end: Date): boolean {
  const zone = person.hours.timeZone;
  const localStart = DateTime.fromJSDate(start, { zone });
  const localEnd = DateTime.fromJSDate(end, { zone });
  const date = localStart.toISODate()!;
  const minutes = (local: DateTime) => local.hour * 60 + local.minute;
  const endMinutes =
    localEnd.toISODate() === date ? minutes(localEnd) : localEnd.diff(localStart.startOf("day"), "minutes").minutes;
  const exception = person.hours.exceptions.find((one) => one.date === date);
  const intervals = exception
    ? exception.intervals
    : person.hours.weekly.filter((one) => one.weekday === localStart.weekday);
  const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  return intervals.some((one) => toMinutes(one.start) <= minutes(localStart) && endMinutes <= toMinutes(one.end));
}

function bruteForce(durationMinutes: number, bufferMinutes: number): string[] {
  const free: string[] = [];
  const buffer = bufferMinutes * MINUTE;
  for (let s = FROM.getTime(); s + durationMinutes * MINUTE <= TO.getTime(); s += 15 * MINUTE) {
    const start = new Date(s);
    const end = new Date(s + durationMinutes * MINUTE);
    const ok = people.every(
      (person) =>
        works(person, start, end) &&
        person.busy.every(
          (busy) => !(s < busy.end.getTime() + buffer && busy.start.getTime() - buffer < end.getTime()),
        ),
    );
    if (ok) free.push(`${start.toISOString()}/${end.toISOString()}`);
  }
  return free;
}

describe("findFreeSlots across zones and a DST change equals a brute force", () => {
  test.each([
    [30, 0],
    [30, 10],
    [60, 0],
    [60, 10],
  ])("%i minutes, buffer %i", (durationMinutes, bufferMinutes) => {
    const input: FreeSlotsInput = {
      attendees: people.map((person) => ({ working: workingIntervals(person.hours, FROM, TO), busy: person.busy })),
      durationMinutes,
      from: FROM,
      to: TO,
      granularityMinutes: 15,
      bufferMinutes,
      limit: 10_000,
    };
    const expected = bruteForce(durationMinutes, bufferMinutes);
    expect(iso(findFreeSlots(input))).toEqual(expected);
    // Not vacuous: free time on both sides of the change.
    expect(expected.filter((slot) => slot < "2026-03-29").length).toBeGreaterThan(3);
    expect(expected.filter((slot) => slot > "2026-03-30").length).toBeGreaterThan(3);
  });

  test("the expected slots, spelled out for one day on each side of the change", () => {
    const input: FreeSlotsInput = {
      attendees: people.map((person) => ({ working: workingIntervals(person.hours, FROM, TO), busy: person.busy })),
      durationMinutes: 60,
      from: FROM,
      to: TO,
      granularityMinutes: 15,
      bufferMinutes: 0,
      limit: 10_000,
    };
    const slots = iso(findFreeSlots(input)).map((slot) => slot.slice(0, 16));
    // Monday 23 (Berlin UTC+1): Berlin 12:00–17:00Z, New York 11:00–15:30Z less 12:00–12:30Z, Kolkata 06:30–15:00Z.
    expect(slots.filter((slot) => slot.startsWith("2026-03-23"))).toEqual([
      "2026-03-23T12:30",
      "2026-03-23T12:45",
      "2026-03-23T13:00",
      "2026-03-23T13:15",
      "2026-03-23T13:30",
      "2026-03-23T13:45",
      "2026-03-23T14:00",
    ]);
    // Monday 30 (Berlin UTC+2): Berlin 11:00–16:00Z less its 14:10–14:40Z, so 11:00–12:00Z is free too.
    expect(slots.filter((slot) => slot.startsWith("2026-03-30"))).toEqual([
      "2026-03-30T11:00",
      "2026-03-30T12:30",
      "2026-03-30T12:45",
      "2026-03-30T13:00",
    ]);
    // Tuesday 31: Berlin's 14:00–15:00 (12:00–13:00Z) and Kolkata's 19:45–20:00 (14:15–14:30Z) busy.
    expect(slots.filter((slot) => slot.startsWith("2026-03-31"))).toEqual([
      "2026-03-31T11:00",
      "2026-03-31T13:00",
      "2026-03-31T13:15",
    ]);
    // Friday 27: Berlin's day off.
    expect(slots.filter((slot) => slot.startsWith("2026-03-27"))).toEqual([]);
  });
});
