import { describe, expect, test } from "vitest";
import { instantToLocal, localToInstant } from "../src/services/post-time.ts";

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions: { code: string; field?: string } }).extensions;
  }
  return null;
};

describe("a local time in a zone to an instant", () => {
  test("an ordinary time in Berlin, winter and summer", () => {
    expect(localToInstant("2026-01-15T09:30", "Europe/Berlin")).toEqual({
      at: new Date("2026-01-15T08:30:00Z"),
      ambiguous: false,
    });
    expect(localToInstant("2026-07-01T09:30:15", "Europe/Berlin").at).toEqual(new Date("2026-07-01T07:30:15Z"));
  });

  test("the day daylight saving time starts in Berlin: 02:00–02:59 does not exist, the hours around it do", () => {
    // 29 March 2026: at 02:00 CET the clocks jump to 03:00 CEST.
    expect(localToInstant("2026-03-29T01:59", "Europe/Berlin").at).toEqual(new Date("2026-03-29T00:59:00Z"));
    expect(codeOf(() => localToInstant("2026-03-29T02:00", "Europe/Berlin"))).toEqual({
      code: "BAD_USER_INPUT",
      field: "scheduleAt",
    });
    expect(() => localToInstant("2026-03-29T02:30", "Europe/Berlin")).toThrow(/does not exist in Europe\/Berlin/);
    expect(localToInstant("2026-03-29T03:00", "Europe/Berlin").at).toEqual(new Date("2026-03-29T01:00:00Z"));
  });

  test("the day it ends in Berlin: 02:00–02:59 happens twice, the earlier (summer time) is chosen", () => {
    // 25 October 2026: at 03:00 CEST the clocks go back to 02:00 CET.
    expect(localToInstant("2026-10-25T02:30", "Europe/Berlin")).toEqual({
      at: new Date("2026-10-25T00:30:00Z"),
      ambiguous: true,
    });
    expect(localToInstant("2026-10-25T01:59", "Europe/Berlin")).toEqual({
      at: new Date("2026-10-24T23:59:00Z"),
      ambiguous: false,
    });
    expect(localToInstant("2026-10-25T03:00", "Europe/Berlin")).toEqual({
      at: new Date("2026-10-25T02:00:00Z"),
      ambiguous: false,
    });
  });

  test("New York's gap and overlap, and a zone whose gap is 30 minutes (Lord Howe)", () => {
    expect(() => localToInstant("2026-03-08T02:15", "America/New_York")).toThrow(/does not exist/);
    expect(localToInstant("2026-11-01T01:30", "America/New_York").at).toEqual(new Date("2026-11-01T05:30:00Z"));
    // Lord Howe moves its clocks by 30 minutes: 02:00 → 02:30 on 4 October 2026.
    expect(() => localToInstant("2026-10-04T02:15", "Australia/Lord_Howe")).toThrow(/does not exist/);
    expect(localToInstant("2026-10-04T02:30", "Australia/Lord_Howe").at).toEqual(new Date("2026-10-03T15:30:00Z"));
  });

  test("UTC and instants back to local time", () => {
    expect(localToInstant("2026-03-29T02:30", "UTC").at).toEqual(new Date("2026-03-29T02:30:00Z"));
    expect(instantToLocal(new Date("2026-10-25T00:30:00Z"), "Europe/Berlin")).toBe("2026-10-25T02:30:00");
  });

  test("refuses what is not a local time or not a zone, naming the field", () => {
    expect(codeOf(() => localToInstant("2026-03-29T09:30+02:00", "Europe/Berlin"))?.field).toBe("scheduleAt");
    expect(codeOf(() => localToInstant("2026-02-30T09:30", "Europe/Berlin"))?.field).toBe("scheduleAt");
    expect(codeOf(() => localToInstant("tomorrow", "Europe/Berlin"))?.field).toBe("scheduleAt");
    expect(codeOf(() => localToInstant("2026-03-29T09:30", "Mars/Olympus"))).toEqual({
      code: "BAD_USER_INPUT",
      field: "timeZone",
    });
    expect(codeOf(() => localToInstant("2026-03-29T09:30", "UTC+2"))?.field).toBe("timeZone");
  });
});
