import { describe, expect, it } from "vitest";
import {
  addDays,
  formatSpan,
  instantOf,
  isLocalDate,
  layoutDay,
  segmentOn,
  startOfWeek,
  viewDays,
  wallClock,
} from "../src/pages/calendar/calendar-time.ts";
import {
  buildRrule,
  defaultRepeat,
  describeRrule,
  parseRrule,
  shiftRuleWeekday,
  untilValue,
} from "../src/pages/calendar/recurrence.ts";

describe("the calendar's dates and zones", () => {
  it("turns a local date and time in a zone into its instant, on both sides of a DST change", () => {
    expect(instantOf("2026-03-27", "10:00", "Europe/Berlin").toISOString()).toBe("2026-03-27T09:00:00.000Z");
    expect(instantOf("2026-03-30", "10:00", "Europe/Berlin").toISOString()).toBe("2026-03-30T08:00:00.000Z");
    expect(instantOf("2026-11-02", "09:30", "America/New_York").toISOString()).toBe("2026-11-02T14:30:00.000Z");
    // 02:30 does not exist in Berlin on 2026-03-29: an hour later, 03:30 CEST.
    expect(instantOf("2026-03-29", "02:30", "Europe/Berlin").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(wallClock(new Date("2026-03-29T22:30:00Z"), "Europe/Berlin")).toEqual({ date: "2026-03-30", minutes: 30 });
  });

  it("lays weeks out from Monday, and checks dates", () => {
    expect(startOfWeek("2026-04-02")).toBe("2026-03-30");
    expect(startOfWeek("2026-04-05")).toBe("2026-03-30");
    expect(viewDays("week", "2026-04-01")).toEqual([
      "2026-03-30",
      "2026-03-31",
      "2026-04-01",
      "2026-04-02",
      "2026-04-03",
      "2026-04-04",
      "2026-04-05",
    ]);
    expect(viewDays("day", "2026-04-01")).toEqual(["2026-04-01"]);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(isLocalDate("2026-02-30")).toBe(false);
    expect(isLocalDate("2026-02-28")).toBe(true);
  });

  it("splits an event across midnight into both days, and puts overlapping ones side by side", () => {
    const start = { date: "2026-03-30", minutes: 23 * 60 };
    const end = { date: "2026-03-31", minutes: 60 };
    expect(segmentOn("2026-03-30", start, end)).toEqual({ startMinutes: 1380, endMinutes: 1440 });
    expect(segmentOn("2026-03-31", start, end)).toEqual({ startMinutes: 0, endMinutes: 60 });
    expect(segmentOn("2026-04-01", start, end)).toBeNull();
    const laid = layoutDay([
      { item: "a", startMinutes: 600, endMinutes: 660 },
      { item: "b", startMinutes: 630, endMinutes: 690 },
      { item: "c", startMinutes: 700, endMinutes: 720 },
    ]);
    expect(laid.map(({ item, lane, lanes }) => [item, lane, lanes])).toEqual([
      ["a", 0, 2],
      ["b", 1, 2],
      ["c", 0, 1],
    ]);
    expect(formatSpan("2026-03-30T08:00:00Z", "2026-03-30T08:30:00Z", "Europe/Berlin")).toMatch(/10:00–10:30$/);
  });
});

describe("the editor's repeat choices as RRULEs", () => {
  it("writes weekly, daily and monthly rules with a count or an end date in the event's zone", () => {
    const weekly = { ...defaultRepeat("2026-03-30"), kind: "WEEKLY" as const, days: ["WE" as const, "MO" as const] };
    expect(buildRrule(weekly, "Europe/Berlin")).toBe("FREQ=WEEKLY;BYDAY=MO,WE");
    expect(buildRrule({ ...weekly, kind: "DAILY", end: "COUNT", count: 5 }, "UTC")).toBe("FREQ=DAILY;COUNT=5");
    expect(untilValue("2026-04-30", "Europe/Berlin")).toBe("20260430T215959Z");
    expect(buildRrule({ ...weekly, kind: "MONTHLY", end: "UNTIL", until: "2026-04-30" }, "Europe/Berlin")).toBe(
      "FREQ=MONTHLY;UNTIL=20260430T215959Z",
    );
    expect(buildRrule({ ...weekly, kind: "CUSTOM", custom: "RRULE:FREQ=WEEKLY;INTERVAL=2" }, "UTC")).toBe(
      "FREQ=WEEKLY;INTERVAL=2",
    );
    expect(buildRrule(defaultRepeat("2026-03-30"), "UTC")).toBe("");
  });

  it("reads saved rules back, and anything it cannot show as custom", () => {
    expect(parseRrule("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10", "2026-03-30", "UTC")).toMatchObject({
      kind: "WEEKLY",
      days: ["MO", "WE"],
      end: "COUNT",
      count: 10,
    });
    expect(parseRrule("FREQ=DAILY;UNTIL=20260430T215959Z", "2026-03-30", "Europe/Berlin")).toMatchObject({
      kind: "DAILY",
      end: "UNTIL",
      until: "2026-04-30",
    });
    expect(parseRrule("FREQ=WEEKLY;INTERVAL=2", "2026-03-30", "UTC")).toMatchObject({
      kind: "CUSTOM",
      custom: "FREQ=WEEKLY;INTERVAL=2",
    });
    expect(describeRrule("FREQ=WEEKLY;BYDAY=MO;COUNT=3", "2026-03-30", "UTC")).toBe("Weekly on Monday, 3 times");
  });

  it("moves a weekly rule's one weekday with a dragged event, and leaves other rules alone", () => {
    expect(shiftRuleWeekday("FREQ=WEEKLY;BYDAY=MO;COUNT=4", "2026-03-30", "2026-03-31")).toBe(
      "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
    );
    expect(shiftRuleWeekday("FREQ=WEEKLY;BYDAY=MO,WE", "2026-03-30", "2026-03-31")).toBe("FREQ=WEEKLY;BYDAY=MO,WE");
    expect(shiftRuleWeekday("FREQ=DAILY", "2026-03-30", "2026-03-31")).toBe("FREQ=DAILY");
  });
});
