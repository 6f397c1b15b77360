import { DateTime } from "luxon";
import { describe, expect, test } from "vitest";
import type { Interval, WorkingHours } from "../src/scheduling/types.ts";
import { DEFAULT_WORKING_HOURS, validateWorkingHours, workingIntervals } from "../src/scheduling/working-hours.ts";

const at = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toJSDate();
const hoursOf = (interval: Interval) => (interval.end.getTime() - interval.start.getTime()) / 3_600_000;
const iso = (intervals: Interval[]) => intervals.map((i) => [i.start.toISOString(), i.end.toISOString()]);

const everyDay = (timeZone: string, start = "09:00", end = "17:00"): WorkingHours => ({
  timeZone,
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end })),
  exceptions: [],
});

/** The working intervals of one local date. */
const onDay = (hours: WorkingHours, date: string) =>
  workingIntervals(
    hours,
    at(`${date}T00:00`, hours.timeZone),
    DateTime.fromISO(date, { zone: hours.timeZone }).plus({ days: 1 }).toJSDate(),
  );

describe("workingIntervals on DST days", () => {
  test.each([
    ["Europe/Berlin", "2026-03-28", "2026-03-28T08:00:00.000Z"],
    ["Europe/Berlin", "2026-03-29", "2026-03-29T07:00:00.000Z"],
    ["Europe/Berlin", "2026-10-24", "2026-10-24T07:00:00.000Z"],
    ["Europe/Berlin", "2026-10-25", "2026-10-25T08:00:00.000Z"],
    ["America/New_York", "2026-03-07", "2026-03-07T14:00:00.000Z"],
    ["America/New_York", "2026-03-08", "2026-03-08T13:00:00.000Z"],
    ["America/New_York", "2026-10-31", "2026-10-31T13:00:00.000Z"],
    ["America/New_York", "2026-11-01", "2026-11-01T14:00:00.000Z"],
  ])("%s %s: 09:00–17:00 is 8 hours from %s", (zone, date, start) => {
    const [day, ...more] = onDay(everyDay(zone), date);
    expect(more).toEqual([]);
    expect(day!.start.toISOString()).toBe(start);
    expect(hoursOf(day!)).toBe(8);
    expect(DateTime.fromJSDate(day!.end, { zone }).toFormat("yyyy-MM-dd HH:mm")).toBe(`${date} 17:00`);
  });

  test("a whole local day (00:00–24:00) lasts 23 hours in spring and 25 in autumn", () => {
    const allDay = everyDay("Europe/Berlin", "00:00", "24:00");
    const spring = workingIntervals(
      allDay,
      at("2026-03-29T00:00", "Europe/Berlin"),
      at("2026-03-30T00:00", "Europe/Berlin"),
    );
    expect(spring.map(hoursOf)).toEqual([23]);
    expect(onDay(allDay, "2026-10-25").map(hoursOf)).toEqual([25]);
    expect(onDay({ ...allDay, timeZone: "America/New_York" }, "2026-03-08").map(hoursOf)).toEqual([23]);
    expect(onDay({ ...allDay, timeZone: "America/New_York" }, "2026-11-01").map(hoursOf)).toEqual([25]);
  });

  test("a start the clocks skip moves forward, as luxon does", () => {
    const early = everyDay("Europe/Berlin", "02:30", "06:00");
    const [day] = onDay(early, "2026-03-29");
    expect(DateTime.fromJSDate(day!.start, { zone: "Europe/Berlin" }).toFormat("HH:mm")).toBe("03:30");
    expect(hoursOf(day!)).toBe(2.5);
  });
});

describe("workingIntervals over weeks", () => {
  const berlin = DEFAULT_WORKING_HOURS("Europe/Berlin");

  test("the default is Monday to Friday 09:00–17:00", () => {
    expect(berlin.weekly).toEqual([1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "17:00" })));
    // 2026-03-23 is a Monday: two weeks, ten days, the clocks changing on the Sunday between.
    const twoWeeks = workingIntervals(
      berlin,
      at("2026-03-23T00:00", "Europe/Berlin"),
      at("2026-04-06T00:00", "Europe/Berlin"),
    );
    expect(
      twoWeeks.map((i) => DateTime.fromJSDate(i.start, { zone: "Europe/Berlin" }).toFormat("ccc dd HH:mm")),
    ).toEqual([
      "Mon 23 09:00",
      "Tue 24 09:00",
      "Wed 25 09:00",
      "Thu 26 09:00",
      "Fri 27 09:00",
      "Mon 30 09:00",
      "Tue 31 09:00",
      "Wed 01 09:00",
      "Thu 02 09:00",
      "Fri 03 09:00",
    ]);
    expect(twoWeeks[4]!.start.toISOString()).toBe("2026-03-27T08:00:00.000Z");
    expect(twoWeeks[5]!.start.toISOString()).toBe("2026-03-30T07:00:00.000Z");
  });

  test("exceptions replace a day: a day off, a short day, a Saturday worked", () => {
    const hours: WorkingHours = {
      ...berlin,
      exceptions: [
        { date: "2026-03-24", intervals: [] },
        { date: "2026-03-25", intervals: [{ start: "09:00", end: "12:00" }] },
        {
          date: "2026-03-28",
          intervals: [
            { start: "10:00", end: "11:00" },
            { start: "14:00", end: "15:30" },
          ],
        },
      ],
    };
    const week = workingIntervals(
      hours,
      at("2026-03-23T00:00", "Europe/Berlin"),
      at("2026-03-30T00:00", "Europe/Berlin"),
    );
    expect(iso(week)).toEqual([
      ["2026-03-23T08:00:00.000Z", "2026-03-23T16:00:00.000Z"],
      ["2026-03-25T08:00:00.000Z", "2026-03-25T11:00:00.000Z"],
      ["2026-03-26T08:00:00.000Z", "2026-03-26T16:00:00.000Z"],
      ["2026-03-27T08:00:00.000Z", "2026-03-27T16:00:00.000Z"],
      ["2026-03-28T09:00:00.000Z", "2026-03-28T10:00:00.000Z"],
      ["2026-03-28T13:00:00.000Z", "2026-03-28T14:30:00.000Z"],
    ]);
  });

  test("clipped to the range; work across midnight is one span; the day is the user's local day", () => {
    const late: WorkingHours = {
      timeZone: "Asia/Tokyo",
      weekly: [
        { weekday: 1, start: "20:00", end: "24:00" },
        { weekday: 2, start: "00:00", end: "02:00" },
        { weekday: 2, start: "08:00", end: "09:00" },
      ],
      exceptions: [],
    };
    // Monday 2026-03-23 in Tokyo (UTC+9): 20:00 is 11:00Z.
    const found = workingIntervals(late, new Date("2026-03-23T12:00:00Z"), new Date("2026-03-23T23:30:00Z"));
    expect(iso(found)).toEqual([
      ["2026-03-23T12:00:00.000Z", "2026-03-23T17:00:00.000Z"],
      ["2026-03-23T23:00:00.000Z", "2026-03-23T23:30:00.000Z"],
    ]);
    expect(workingIntervals(late, new Date("2026-03-23T12:00:00Z"), new Date("2026-03-23T12:00:00Z"))).toEqual([]);
  });
});

describe("validateWorkingHours", () => {
  const valid: WorkingHours = {
    timeZone: "Asia/Kolkata",
    weekly: [
      { weekday: 1, start: "09:00", end: "12:30" },
      { weekday: 1, start: "12:30", end: "18:00" },
      { weekday: 6, start: "22:00", end: "24:00" },
    ],
    exceptions: [{ date: "2026-12-24", intervals: [] }],
  };

  test("accepts valid hours and the default", () => {
    expect(validateWorkingHours(valid)).toBeNull();
    expect(validateWorkingHours(DEFAULT_WORKING_HOURS("America/New_York"))).toBeNull();
  });

  test.each([
    [{ timeZone: "Mars/Olympus" }, /IANA/],
    [{ timeZone: "UTC+2" }, /IANA/],
    [{ weekly: [{ weekday: 0, start: "09:00", end: "10:00" }] }, /weekday 0/],
    [{ weekly: [{ weekday: 8, start: "09:00", end: "10:00" }] }, /weekday 8/],
    [{ weekly: [{ weekday: 1.5, start: "09:00", end: "10:00" }] }, /weekday 1.5/],
    [{ weekly: [{ weekday: 1, start: "9:00", end: "10:00" }] }, /9:00/],
    [{ weekly: [{ weekday: 1, start: "09:00", end: "24:30" }] }, /24:30/],
    [{ weekly: [{ weekday: 1, start: "24:00", end: "24:00" }] }, /24:00/],
    [{ weekly: [{ weekday: 1, start: "09:60", end: "10:00" }] }, /09:60/],
    [{ weekly: [{ weekday: 1, start: "10:00", end: "10:00" }] }, /ends before it starts/],
    [
      {
        weekly: [
          { weekday: 3, start: "09:00", end: "12:00" },
          { weekday: 3, start: "11:59", end: "13:00" },
        ],
      },
      /weekday 3: two intervals overlap/,
    ],
    [{ exceptions: [{ date: "2026-02-30", intervals: [] }] }, /2026-02-30/],
    [{ exceptions: [{ date: "24.12.2026", intervals: [] }] }, /24.12.2026/],
    [
      {
        exceptions: [
          { date: "2026-12-24", intervals: [] },
          { date: "2026-12-24", intervals: [] },
        ],
      },
      /twice/,
    ],
    [
      { exceptions: [{ date: "2026-12-24", intervals: [{ start: "15:00", end: "14:00" }] }] },
      /2026-12-24: 15:00–14:00/,
    ],
  ] as [Partial<WorkingHours>, RegExp][])("refuses %j", (change, message) => {
    expect(validateWorkingHours({ ...valid, ...change })).toMatch(message);
  });
});
