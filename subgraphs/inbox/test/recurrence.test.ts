import { DateTime } from "luxon";
import rrulePackage from "rrule";
import { describe, expect, test } from "vitest";
import {
  DEFAULT_OCCURRENCE_LIMIT,
  expandOccurrences,
  seriesEnd,
  splitSeries,
  validateRrule,
} from "../src/scheduling/recurrence.ts";
import type { EventTiming, Occurrence, OccurrenceOverride } from "../src/scheduling/types.ts";

const { RRule } = rrulePackage;
const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";

/** The instant a local ISO date-time (no offset) reads in `zone`. */
const at = (local: string, zone = BERLIN) => DateTime.fromISO(local, { zone }).toJSDate();
const utc = (iso: string) => new Date(iso);
const local = (date: Date, zone: string, format = "yyyy-MM-dd HH:mm ccc") =>
  DateTime.fromJSDate(date, { zone }).toFormat(format);

function timing(fields: Partial<EventTiming> & { start: Date; end: Date }): EventTiming {
  return { timeZone: BERLIN, allDay: false, rrule: null, exdates: [], rdates: [], ...fields };
}

/** The Monday 09:00–10:00 Berlin weekly meeting from 2026-01-05. */
const weekly = (fields: Partial<EventTiming> = {}) =>
  timing({ start: at("2026-01-05T09:00"), end: at("2026-01-05T10:00"), rrule: "FREQ=WEEKLY", ...fields });

const YEAR_2026 = [utc("2026-01-01T00:00:00Z"), utc("2027-01-01T00:00:00Z")] as const;
const starts = (occurrences: Occurrence[]) => occurrences.map((o) => o.start.toISOString());

describe("expansion in the event's zone across DST", () => {
  const all = expandOccurrences(weekly(), [], ...YEAR_2026);

  test("a weekly Monday 09:00 Berlin event is 09:00 Berlin all year, its UTC instant moving", () => {
    expect(all).toHaveLength(52);
    for (const occurrence of all) {
      expect(local(occurrence.start, BERLIN, "HH:mm ccc")).toBe("09:00 Mon");
      expect(occurrence.end.getTime() - occurrence.start.getTime()).toBe(3_600_000);
      expect(occurrence.recurrenceId).toEqual(occurrence.start);
      expect(occurrence.overridden).toBe(false);
    }
    const byDate = new Map(all.map((o) => [local(o.start, BERLIN, "yyyy-MM-dd"), o.start.toISOString()]));
    expect(byDate.get("2026-01-05")).toBe("2026-01-05T08:00:00.000Z");
    expect(byDate.get("2026-03-23")).toBe("2026-03-23T08:00:00.000Z");
    expect(byDate.get("2026-03-30")).toBe("2026-03-30T07:00:00.000Z");
    expect(byDate.get("2026-10-19")).toBe("2026-10-19T07:00:00.000Z");
    expect(byDate.get("2026-10-26")).toBe("2026-10-26T08:00:00.000Z");
    expect(byDate.get("2026-12-28")).toBe("2026-12-28T08:00:00.000Z");
  });

  test("in New York the same occurrences read 03:00, but 04:00 while only the US is on summer time", () => {
    const newYork = new Map(all.map((o) => [local(o.start, BERLIN, "yyyy-MM-dd"), local(o.start, NEW_YORK, "HH:mm")]));
    expect(newYork.get("2026-01-05")).toBe("03:00");
    expect(newYork.get("2026-03-02")).toBe("03:00");
    expect(newYork.get("2026-03-09")).toBe("04:00");
    expect(newYork.get("2026-03-16")).toBe("04:00");
    expect(newYork.get("2026-03-23")).toBe("04:00");
    expect(newYork.get("2026-03-30")).toBe("03:00");
    expect(newYork.get("2026-10-19")).toBe("03:00");
    expect(newYork.get("2026-10-26")).toBe("04:00");
    expect(newYork.get("2026-11-02")).toBe("03:00");
    const fourAm = [...newYork].filter(([, time]) => time === "04:00").map(([date]) => date);
    expect(fourAm).toEqual(["2026-03-09", "2026-03-16", "2026-03-23", "2026-10-26"]);
  });

  test("a New York event keeps New York wall time (the zone is the event's, not the reader's)", () => {
    const ny = timing({
      start: at("2026-03-02T18:30", NEW_YORK),
      end: at("2026-03-02T19:00", NEW_YORK),
      timeZone: NEW_YORK,
      rrule: "FREQ=WEEKLY;COUNT=3",
    });
    expect(expandOccurrences(ny, [], ...YEAR_2026).map((o) => o.start.toISOString())).toEqual([
      "2026-03-02T23:30:00.000Z",
      "2026-03-09T22:30:00.000Z",
      "2026-03-16T22:30:00.000Z",
    ]);
  });

  test("a daily time the clocks skip moves forward that day, as luxon does, and returns after", () => {
    const early = timing({ start: at("2026-03-27T02:30"), end: at("2026-03-27T03:00"), rrule: "FREQ=DAILY;COUNT=4" });
    const found = expandOccurrences(early, [], ...YEAR_2026).map((o) => local(o.start, BERLIN, "MM-dd HH:mm"));
    expect(found).toEqual(["03-27 02:30", "03-28 02:30", "03-29 03:30", "03-30 02:30"]);
  });
});

describe("only the range is expanded, and found", () => {
  test("the 10th occurrence of a daily and of a weekly event, by a range covering only it", () => {
    const daily = timing({ start: at("2026-02-01T09:00"), end: at("2026-02-01T09:45"), rrule: "FREQ=DAILY" });
    const tenthDaily = expandOccurrences(daily, [], at("2026-02-10T08:30"), at("2026-02-10T09:30"));
    expect(starts(tenthDaily)).toEqual([at("2026-02-10T09:00").toISOString()]);
    const tenthWeekly = expandOccurrences(weekly(), [], at("2026-03-09T09:59"), at("2026-03-09T10:01"));
    expect(starts(tenthWeekly)).toEqual(["2026-03-09T08:00:00.000Z"]);
  });

  test("an occurrence overlapping the range's start is found; one ending at it is not", () => {
    expect(expandOccurrences(weekly(), [], at("2026-01-12T09:30"), at("2026-01-12T12:00"))).toHaveLength(1);
    expect(expandOccurrences(weekly(), [], at("2026-01-12T10:00"), at("2026-01-19T09:00"))).toHaveLength(0);
  });

  test("a series started decades ago: the occurrences of a later week, quickly", () => {
    const old = timing({ start: at("1971-03-03T07:15"), end: at("1971-03-03T07:45"), rrule: "FREQ=DAILY" });
    const began = performance.now();
    let found: Occurrence[] = [];
    for (let i = 0; i < 200; i++) found = expandOccurrences(old, [], at("2040-06-01T00:00"), at("2040-06-08T00:00"));
    // Expanding from 1971 each time is ~25,000 occurrences per call (seconds for 200 calls).
    expect(performance.now() - began).toBeLessThan(1_500);
    expect(found.map((o) => local(o.start, BERLIN, "MM-dd HH:mm"))).toEqual(
      ["01", "02", "03", "04", "05", "06", "07"].map((day) => `06-${day} 07:15`),
    );
  });

  test("limit caps the result at the earliest occurrences; the default is 10,000", () => {
    const daily = timing({ start: at("2000-01-01T12:00"), end: at("2000-01-01T13:00"), rrule: "FREQ=DAILY" });
    const ten = expandOccurrences(daily, [], ...YEAR_2026, { limit: 10 });
    expect(ten.map((o) => local(o.start, BERLIN, "MM-dd"))).toEqual([
      "01-01",
      "01-02",
      "01-03",
      "01-04",
      "01-05",
      "01-06",
      "01-07",
      "01-08",
      "01-09",
      "01-10",
    ]);
    expect(DEFAULT_OCCURRENCE_LIMIT).toBe(10_000);
    const thirtyYears = expandOccurrences(daily, [], utc("2000-01-01T00:00:00Z"), utc("2030-01-01T00:00:00Z"));
    expect(thirtyYears).toHaveLength(10_000);
    expect(local(thirtyYears[9_999]!.start, BERLIN, "yyyy-MM-dd")).toBe("2027-05-18");
  });

  // The rule is expanded from a later start near the range; rrule expanding from the real start is the reference.
  test.each([
    "FREQ=DAILY;INTERVAL=7",
    "FREQ=DAILY;BYMONTH=2,3;BYMONTHDAY=29,1",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,TH",
    "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=SU,MO",
    "FREQ=WEEKLY;INTERVAL=4",
    "FREQ=MONTHLY;INTERVAL=5",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=MONTHLY;BYMONTHDAY=-1,15",
    "FREQ=YEARLY",
    "FREQ=YEARLY;INTERVAL=3;BYMONTH=1,7",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=YEARLY;BYWEEKNO=1,53;BYDAY=MO",
    "FREQ=YEARLY;INTERVAL=2;BYYEARDAY=100,-1",
    "FREQ=MONTHLY;UNTIL=20380101T000000Z",
  ])("%s from 2011-01-31 equals rrule's expansion from the start", (rule) => {
    const start = at("2011-01-31T10:30", NEW_YORK);
    const event = timing({ start, end: new Date(start.getTime() + 5_400_000), timeZone: NEW_YORK, rrule: rule });
    for (const [from, to] of [
      ["2011-01-01", "2011-06-01"],
      ["2026-02-20", "2026-05-03"],
      ["2031-12-20", "2033-01-10"],
      ["2037-11-02", "2038-03-01"],
      ["2044-02-27", "2044-03-05"],
    ] as const) {
      const range = [at(`${from}T00:00`, NEW_YORK), at(`${to}T00:00`, NEW_YORK)] as const;
      expect(starts(expandOccurrences(event, [], ...range))).toEqual(referenceStarts(event, ...range));
    }
  });
});

/** rrule from the series' own start over everything up to `to`, with luxon turning wall times into instants. */
function referenceStarts(event: EventTiming, from: Date, to: Date): string[] {
  const zone = event.timeZone;
  const floating = (date: Date) =>
    DateTime.fromJSDate(date, { zone }).setZone("UTC", { keepLocalTime: true }).toJSDate();
  const options = RRule.parseString(event.rrule!);
  const until = options.until ? floating(options.until) : null;
  const rule = new RRule({ ...options, until, dtstart: floating(event.start) });
  const duration = event.end.getTime() - event.start.getTime();
  return rule
    .between(floating(event.start), new Date(floating(to).getTime() + 86_400_000), true)
    .map((date) => DateTime.fromObject(DateTime.fromJSDate(date, { zone: "UTC" }).toObject(), { zone }).toJSDate())
    .filter((start) => start < to && start.getTime() + duration > from.getTime())
    .map((start) => start.toISOString());
}

describe("COUNT and UNTIL", () => {
  const daily = (rrule: string, fields: Partial<EventTiming> = {}) =>
    timing({ start: at("2026-02-01T09:00"), end: at("2026-02-01T10:00"), rrule, ...fields });

  test("COUNT gives that many occurrences, counting EXDATE'd ones", () => {
    expect(expandOccurrences(daily("FREQ=DAILY;COUNT=5"), [], ...YEAR_2026)).toHaveLength(5);
    const skipped = daily("FREQ=DAILY;COUNT=5", { exdates: [at("2026-02-02T09:00")] });
    expect(expandOccurrences(skipped, [], ...YEAR_2026).map((o) => local(o.start, BERLIN, "MM-dd"))).toEqual([
      "02-01",
      "02-03",
      "02-04",
      "02-05",
    ]);
  });

  test("UNTIL is an instant (UTC), inclusive, whatever the zone's offset that day", () => {
    // 2026-03-30 09:00 Berlin is 07:00Z (summer time): a floating reading of UNTIL would drop it.
    const rule = (until: string) =>
      expandOccurrences(weekly({ rrule: `FREQ=WEEKLY;UNTIL=${until}` }), [], ...YEAR_2026);
    expect(
      rule("20260330T070000Z")
        .map((o) => local(o.start, BERLIN, "MM-dd"))
        .at(-1),
    ).toBe("03-30");
    expect(
      rule("20260330T065959Z")
        .map((o) => local(o.start, BERLIN, "MM-dd"))
        .at(-1),
    ).toBe("03-23");
    expect(rule("20260330T070000Z")).toHaveLength(13);
  });

  test("a date-only UNTIL includes that local day", () => {
    const found = expandOccurrences(daily("FREQ=DAILY;UNTIL=20260205"), [], ...YEAR_2026);
    expect(found.map((o) => local(o.start, BERLIN, "MM-dd")).at(-1)).toBe("02-05");
  });

  test("seriesEnd: the end of the last occurrence, or null for a series without end", () => {
    expect(seriesEnd(daily("FREQ=DAILY;COUNT=5"))).toEqual(at("2026-02-05T10:00"));
    expect(seriesEnd(daily("FREQ=DAILY;UNTIL=20260210T080000Z"))).toEqual(at("2026-02-10T10:00"));
    expect(seriesEnd(weekly({ rrule: "FREQ=WEEKLY;UNTIL=20260401T000000Z" }))).toEqual(at("2026-03-30T10:00"));
    expect(seriesEnd(daily("FREQ=DAILY;COUNT=5", { exdates: [at("2026-02-05T09:00")] }))).toEqual(
      at("2026-02-04T10:00"),
    );
    expect(seriesEnd(daily("FREQ=DAILY;COUNT=5", { rdates: [at("2026-03-01T15:00")] }))).toEqual(
      at("2026-03-01T16:00"),
    );
    expect(seriesEnd(daily("FREQ=DAILY"))).toBeNull();
    expect(seriesEnd(timing({ start: at("2026-02-01T09:00"), end: at("2026-02-01T11:00") }))).toEqual(
      at("2026-02-01T11:00"),
    );
    const moved: OccurrenceOverride = {
      recurrenceId: at("2026-02-05T09:00"),
      start: at("2026-02-20T09:00"),
      end: at("2026-02-20T12:00"),
      cancelled: false,
    };
    expect(seriesEnd(daily("FREQ=DAILY;COUNT=5"), [moved])).toEqual(at("2026-02-20T12:00"));
  });

  test("seriesEnd of an UNTIL series decades long", () => {
    const long = daily("FREQ=DAILY;INTERVAL=3;UNTIL=20991231T235959Z");
    const end = seriesEnd(long)!;
    expect(local(end, BERLIN, "yyyy-MM-dd HH:mm")).toBe(
      local(
        expandOccurrences(long, [], utc("2099-12-20T00:00:00Z"), utc("2100-01-02T00:00:00Z")).at(-1)!.end,
        BERLIN,
        "yyyy-MM-dd HH:mm",
      ),
    );
  });
});

describe("EXDATE, RDATE and overrides", () => {
  const jan = [at("2026-01-01T00:00"), at("2026-02-01T00:00")] as const;
  const dates = (occurrences: Occurrence[]) => occurrences.map((o) => local(o.start, BERLIN, "MM-dd HH:mm"));

  test("EXDATE removes the start it equals to the second", () => {
    const event = weekly({ exdates: [new Date(at("2026-01-12T09:00").getTime() + 400), at("2026-01-19T09:01")] });
    expect(dates(expandOccurrences(event, [], ...jan))).toEqual(["01-05 09:00", "01-19 09:00", "01-26 09:00"]);
  });

  test("RDATE adds an occurrence of the event's length, once even if the rule gives it too", () => {
    const event = weekly({ rdates: [at("2026-01-14T15:00"), at("2026-01-19T09:00")] });
    const found = expandOccurrences(event, [], ...jan);
    expect(dates(found)).toEqual(["01-05 09:00", "01-12 09:00", "01-14 15:00", "01-19 09:00", "01-26 09:00"]);
    expect(found[2]).toEqual({
      start: at("2026-01-14T15:00"),
      end: at("2026-01-14T16:00"),
      recurrenceId: at("2026-01-14T15:00"),
      overridden: false,
    });
    expect(
      dates(
        expandOccurrences(weekly({ rdates: [at("2026-01-14T15:00")], exdates: [at("2026-01-14T15:00")] }), [], ...jan),
      ),
    ).not.toContain("01-14 15:00");
  });

  test("a single event gives one occurrence, plus its RDATEs", () => {
    const single = timing({
      start: at("2026-01-07T11:00"),
      end: at("2026-01-07T12:30"),
      rdates: [at("2026-01-21T11:00")],
    });
    expect(expandOccurrences(single, [], ...jan)).toEqual([
      {
        start: at("2026-01-07T11:00"),
        end: at("2026-01-07T12:30"),
        recurrenceId: at("2026-01-07T11:00"),
        overridden: false,
      },
      {
        start: at("2026-01-21T11:00"),
        end: at("2026-01-21T12:30"),
        recurrenceId: at("2026-01-21T11:00"),
        overridden: false,
      },
    ]);
    expect(expandOccurrences(single, [], at("2026-01-08T00:00"), at("2026-01-20T00:00"))).toEqual([]);
  });

  const movedToFebruary: OccurrenceOverride = {
    recurrenceId: at("2026-01-12T09:00"),
    start: at("2026-02-20T14:00"),
    end: at("2026-02-20T15:30"),
    cancelled: false,
  };

  test("an override moved out of the range leaves it; moved into another range, it is found there", () => {
    expect(dates(expandOccurrences(weekly(), [movedToFebruary], ...jan))).toEqual([
      "01-05 09:00",
      "01-19 09:00",
      "01-26 09:00",
    ]);
    expect(expandOccurrences(weekly(), [movedToFebruary], at("2026-02-20T00:00"), at("2026-02-21T00:00"))).toEqual([
      {
        start: at("2026-02-20T14:00"),
        end: at("2026-02-20T15:30"),
        recurrenceId: at("2026-01-12T09:00"),
        overridden: true,
      },
    ]);
  });

  test("an occurrence of 2030 moved to this week is found without expanding to 2030", () => {
    const fromFar: OccurrenceOverride = {
      recurrenceId: at("2030-06-03T09:00"),
      start: at("2026-01-14T08:00"),
      end: at("2026-01-14T08:30"),
      cancelled: false,
    };
    const found = expandOccurrences(weekly(), [fromFar], at("2026-01-12T00:00"), at("2026-01-19T00:00"));
    expect(dates(found)).toEqual(["01-12 09:00", "01-14 08:00"]);
    expect(found[1]!.recurrenceId).toEqual(at("2030-06-03T09:00"));
    expect(dates(expandOccurrences(weekly(), [fromFar], at("2030-06-01T00:00"), at("2030-06-08T00:00")))).toEqual([]);
  });

  test("an override changed in place, a cancelled one, and one naming no occurrence", () => {
    const longer: OccurrenceOverride = {
      recurrenceId: at("2026-01-19T09:00"),
      start: at("2026-01-19T09:00"),
      end: at("2026-01-19T12:00"),
      cancelled: false,
    };
    const cancelled: OccurrenceOverride = {
      ...movedToFebruary,
      start: at("2026-01-12T09:00"),
      end: at("2026-01-12T10:00"),
      cancelled: true,
    };
    const stray: OccurrenceOverride = {
      recurrenceId: at("2026-01-13T09:00"),
      start: at("2026-01-13T09:00"),
      end: at("2026-01-13T10:00"),
      cancelled: false,
    };
    const found = expandOccurrences(weekly(), [longer, cancelled, stray], ...jan);
    expect(dates(found)).toEqual(["01-05 09:00", "01-19 09:00", "01-26 09:00"]);
    expect(found[1]).toEqual({
      start: at("2026-01-19T09:00"),
      end: at("2026-01-19T12:00"),
      recurrenceId: at("2026-01-19T09:00"),
      overridden: true,
    });
  });
});

describe("all-day events", () => {
  test("a weekly all-day Sunday stays on its local date across both DST changes", () => {
    const sunday = timing({
      start: at("2026-03-22T00:00"),
      end: at("2026-03-23T00:00"),
      allDay: true,
      rrule: "FREQ=WEEKLY",
    });
    const found = expandOccurrences(sunday, [], at("2026-03-20T00:00"), at("2026-11-05T00:00"));
    for (const occurrence of found) {
      expect(local(occurrence.start, BERLIN, "HH:mm ccc")).toBe("00:00 Sun");
      expect(local(occurrence.end, BERLIN, "HH:mm ccc")).toBe("00:00 Mon");
    }
    const hours = new Map(
      found.map((o) => [local(o.start, BERLIN, "MM-dd"), (o.end.getTime() - o.start.getTime()) / 3_600_000]),
    );
    expect(hours.get("03-22")).toBe(24);
    expect(hours.get("03-29")).toBe(23);
    expect(hours.get("10-25")).toBe(25);
    expect(hours.get("11-01")).toBe(24);
    expect(found).toHaveLength(33);
  });

  test("a two-day all-day event keeps two local days, ending at local midnight", () => {
    const weekend = timing({
      start: at("2026-10-24T00:00", NEW_YORK),
      end: at("2026-10-26T00:00", NEW_YORK),
      timeZone: NEW_YORK,
      allDay: true,
      rrule: "FREQ=WEEKLY;COUNT=3",
    });
    const found = expandOccurrences(weekend, [], ...YEAR_2026);
    expect(
      found.map((o) => `${local(o.start, NEW_YORK, "MM-dd HH:mm")}/${local(o.end, NEW_YORK, "MM-dd HH:mm")}`),
    ).toEqual(["10-24 00:00/10-26 00:00", "10-31 00:00/11-02 00:00", "11-07 00:00/11-09 00:00"]);
    expect(found[1]!.end.getTime() - found[1]!.start.getTime()).toBe(49 * 3_600_000);
  });
});

describe("validateRrule", () => {
  test("accepts ordinary rules", () => {
    for (const rule of [
      "FREQ=WEEKLY;BYDAY=MO,WE",
      "FREQ=MONTHLY;BYDAY=-1FR",
      "freq=daily;interval=2",
      "FREQ=YEARLY;COUNT=3",
    ]) {
      expect(validateRrule(rule)).toBeNull();
    }
  });

  test("refuses sub-daily frequencies, saying why", () => {
    for (const freq of ["SECONDLY", "MINUTELY", "HOURLY"])
      expect(validateRrule(`FREQ=${freq}`)).toMatch(/too many occurrences/);
    expect(validateRrule("FREQ=DAILY;BYHOUR=9,17")).toMatch(/BYHOUR is refused/);
  });

  test("refuses what does not parse or RFC 5545 forbids", () => {
    const refused = {
      "": /no FREQ/,
      "FREQ=FORTNIGHTLY": /not a frequency/,
      "FREQ=WEEKLY;BYDAY=XX": /not a weekday/,
      "FREQ=WEEKLY;BYDAY=2MO": /numbered BYDAY/,
      "FREQ=DAILY;COUNT=0": /COUNT=0/,
      "FREQ=DAILY;COUNT=3;UNTIL=20260101T000000Z": /not both/,
      "FREQ=DAILY;UNTIL=tomorrow": /UNTIL/,
      "RRULE:FREQ=DAILY": /RRULE: prefix/,
      "FREQ=MONTHLY;BYMONTHDAY=32": /BYMONTHDAY/,
      "FREQ=WEEKLY;BYWEEKNO=3": /BYWEEKNO/,
      "FREQ=DAILY;FREQ=WEEKLY": /twice/,
      "FREQ=DAILY;COLOR=RED": /COLOR/,
      "FREQ=DAILY;BYSETPOS=1": /BYSETPOS/,
    };
    for (const [rule, message] of Object.entries(refused)) expect(validateRrule(rule), rule).toMatch(message);
  });

  test("refuses rules that can never give an occurrence (rrule would search up to the year 9999)", () => {
    expect(validateRrule("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")).toMatch(/no month in BYMONTH has day 30/);
    expect(validateRrule("FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=-31")).toMatch(/no month/);
    expect(validateRrule("FREQ=MONTHLY;BYMONTH=4,7;BYMONTHDAY=-31")).toBeNull();
    expect(validateRrule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29")).toBeNull();
    expect(validateRrule("FREQ=YEARLY;BYYEARDAY=1;BYMONTH=6")).toMatch(/BYYEARDAY/);
    expect(validateRrule("FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1")).toMatch(/BYYEARDAY/);
    expect(validateRrule("FREQ=YEARLY;BYYEARDAY=-1;BYMONTHDAY=31")).toBeNull();
    expect(validateRrule("FREQ=DAILY;BYDAY=MO;BYSETPOS=2")).toMatch(/BYSETPOS=2 picks beyond/);
  });

  test("a start off the rule's grid gives nothing, at once", () => {
    const began = performance.now();
    // Every 7th day from a Monday never reaches a Tuesday; every 12th month from January never reaches June.
    expect(expandOccurrences(weekly({ rrule: "FREQ=DAILY;INTERVAL=7;BYDAY=TU" }), [], ...YEAR_2026)).toEqual([]);
    expect(expandOccurrences(weekly({ rrule: "FREQ=MONTHLY;INTERVAL=12;BYMONTH=6" }), [], ...YEAR_2026)).toEqual([]);
    expect(seriesEnd(weekly({ rrule: "FREQ=DAILY;INTERVAL=7;BYDAY=TU;COUNT=3" }))).toEqual(at("2026-01-05T10:00"));
    expect(performance.now() - began).toBeLessThan(500);
    expect(expandOccurrences(weekly({ rrule: "FREQ=DAILY;INTERVAL=14;BYDAY=MO,TH" }), [], ...YEAR_2026)).toHaveLength(
      26,
    );
  });

  test("expansion refuses an invalid rule rather than guessing", () => {
    expect(() => expandOccurrences(weekly({ rrule: "FREQ=HOURLY" }), [], ...YEAR_2026)).toThrow(RangeError);
  });
});

describe("splitSeries (this and following)", () => {
  test("before ends just before the occurrence, after starts at it; together they are the series", () => {
    const series = weekly({
      exdates: [at("2026-01-19T09:00"), at("2026-03-16T09:00")],
      rdates: [at("2026-01-21T12:00"), at("2026-03-18T12:00")],
    });
    const { before, after } = splitSeries(series, at("2026-03-02T09:00"));
    expect(before.rrule).toBe("FREQ=WEEKLY;UNTIL=20260302T075959Z");
    expect(before.exdates).toEqual([at("2026-01-19T09:00")]);
    expect(before.rdates).toEqual([at("2026-01-21T12:00")]);
    expect(after).toEqual({
      ...series,
      start: at("2026-03-02T09:00"),
      end: at("2026-03-02T10:00"),
      exdates: [at("2026-03-16T09:00")],
      rdates: [at("2026-03-18T12:00")],
    });
    const whole = starts(expandOccurrences(series, [], ...YEAR_2026));
    const parts = [...expandOccurrences(before, [], ...YEAR_2026), ...expandOccurrences(after, [], ...YEAR_2026)];
    expect(starts(parts)).toEqual(whole);
    expect(local(expandOccurrences(before, [], ...YEAR_2026).at(-1)!.start, BERLIN, "MM-dd")).toBe("02-23");
    expect(seriesEnd(before)).toEqual(at("2026-02-23T10:00"));
  });

  test("a COUNT series: the count not yet used (EXDATE'd ones included) moves to after", () => {
    const series = weekly({ rrule: "FREQ=WEEKLY;COUNT=10", exdates: [at("2026-01-12T09:00")] });
    const { before, after } = splitSeries(series, at("2026-01-26T09:00"));
    expect(after.rrule).toBe("FREQ=WEEKLY;COUNT=7");
    expect(expandOccurrences(before, [], ...YEAR_2026).map((o) => local(o.start, BERLIN, "MM-dd"))).toEqual([
      "01-05",
      "01-19",
    ]);
    expect(expandOccurrences(after, [], ...YEAR_2026)).toHaveLength(7);
    expect(local(expandOccurrences(after, [], ...YEAR_2026).at(-1)!.start, BERLIN, "MM-dd")).toBe("03-09");
  });

  test("an all-day series ends on the local day before", () => {
    const series = timing({
      start: at("2026-03-01T00:00"),
      end: at("2026-03-02T00:00"),
      allDay: true,
      rrule: "FREQ=DAILY",
    });
    const { before, after } = splitSeries(series, at("2026-03-30T00:00"));
    expect(before.rrule).toBe("FREQ=DAILY;UNTIL=20260329");
    expect(expandOccurrences(before, [], ...YEAR_2026)).toHaveLength(29);
    expect(after.end).toEqual(at("2026-03-31T00:00"));
  });

  test("refuses a single event, a start the rule does not give, and the first occurrence", () => {
    expect(() => splitSeries(weekly({ rrule: null }), at("2026-01-12T09:00"))).toThrow(RangeError);
    expect(() => splitSeries(weekly(), at("2026-01-13T09:00"))).toThrow(/no occurrence/);
    expect(() => splitSeries(weekly(), at("2026-01-05T09:00"))).toThrow(/first occurrence/);
  });
});
