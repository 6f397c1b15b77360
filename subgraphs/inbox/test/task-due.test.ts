import { describe, expect, test } from "vitest";
import { checkTimeZone } from "../src/scheduling/time-zones.ts";
import { endOfLocalDay, localDueTime, nextDue, type Due } from "../src/services/task-due.ts";

const none: Due = { dueAt: null, dueTimeZone: "UTC", dueDate: null };
const fieldOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: { code?: string; field?: string } }).extensions;
  }
  throw new Error("did not throw");
};

describe("a task's due time", () => {
  test("a date-only due is the end of that local day in its zone, summer time included (luxon, not fixed offsets)", () => {
    // Berlin's summer time begins on 2026-03-29: the day ends at +02:00, the day before at +01:00.
    expect(endOfLocalDay("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-29T21:59:59.999Z");
    expect(endOfLocalDay("2026-03-28", "Europe/Berlin").toISOString()).toBe("2026-03-28T22:59:59.999Z");
    expect(endOfLocalDay("2026-10-25", "Europe/Berlin").toISOString()).toBe("2026-10-25T22:59:59.999Z");
    expect(endOfLocalDay("2026-03-29", "UTC").toISOString()).toBe("2026-03-29T23:59:59.999Z");
    expect(endOfLocalDay("2026-03-29", "America/Los_Angeles").toISOString()).toBe("2026-03-30T06:59:59.999Z");
    // Kiritimati is UTC+14: its day ends before UTC's has begun in earnest.
    expect(endOfLocalDay("2026-01-01", "Pacific/Kiritimati").toISOString()).toBe("2026-01-01T09:59:59.999Z");
    expect(endOfLocalDay("2028-02-29", "Asia/Kolkata").toISOString()).toBe("2028-02-29T18:29:59.999Z");
  });

  test("dueLocal is the instant in the zone, with the zone's offset then", () => {
    const due = endOfLocalDay("2026-03-29", "Europe/Berlin");
    expect(localDueTime(due, "Europe/Berlin")).toBe("2026-03-29T23:59:59.999+02:00");
    expect(localDueTime(due, "UTC")).toBe("2026-03-29T21:59:59.999Z");
    expect(localDueTime(new Date("2026-01-15T09:30:00Z"), "America/New_York")).toBe("2026-01-15T04:30:00.000-05:00");
    expect(localDueTime(null, "UTC")).toBeNull();
  });

  test("zones are IANA names (luxon's IANAZone), spelled canonically; offsets, abbreviations and unknown names are refused", () => {
    expect(checkTimeZone("Europe/Berlin", "dueTimeZone")).toBe("Europe/Berlin");
    expect(checkTimeZone(" europe/berlin ", "dueTimeZone")).toBe("Europe/Berlin");
    expect(checkTimeZone("UTC", "dueTimeZone")).toBe("UTC");
    for (const bad of ["", "Mars/Olympus", "CEST", "+02:00", "Europe/Berlin; drop table"]) {
      expect(
        fieldOf(() => checkTimeZone(bad, "dueTimeZone")),
        bad,
      ).toEqual({ code: "BAD_USER_INPUT", field: "dueTimeZone" });
    }
  });

  test("dates that do not exist are refused", () => {
    for (const bad of ["2026-02-30", "2026-13-01", "29.03.2026", "2026-3-9"]) {
      expect(
        fieldOf(() => endOfLocalDay(bad, "UTC")),
        bad,
      ).toEqual({ code: "BAD_USER_INPUT", field: "dueDate" });
    }
  });

  test("nextDue: a date, an instant, clearing, and a new zone", () => {
    const dated = nextDue(none, { dueDate: "2026-03-29", dueTimeZone: "Europe/Berlin" });
    expect(dated).toEqual({
      dueAt: new Date("2026-03-29T21:59:59.999Z"),
      dueTimeZone: "Europe/Berlin",
      dueDate: "2026-03-29",
    });
    // A new zone moves a date-only due to the end of the same day there…
    expect(nextDue(dated, { dueTimeZone: "Asia/Tokyo" })).toEqual({
      dueAt: new Date("2026-03-29T14:59:59.999Z"),
      dueTimeZone: "Asia/Tokyo",
      dueDate: "2026-03-29",
    });
    // …and leaves an instant where it is.
    const instant = nextDue(dated, { dueAt: new Date("2026-04-01T12:00:00Z") });
    expect(instant).toEqual({
      dueAt: new Date("2026-04-01T12:00:00Z"),
      dueTimeZone: "Europe/Berlin",
      dueDate: null,
    });
    expect(nextDue(instant, { dueTimeZone: "Asia/Tokyo" }).dueAt).toEqual(new Date("2026-04-01T12:00:00Z"));
    // Nothing given: nothing moves.
    expect(nextDue(dated, {})).toEqual(dated);
    expect(nextDue(instant, {})).toEqual(instant);
    // dueAt: null clears any due; dueDate: null clears only a date-only one.
    expect(nextDue(dated, { dueAt: null })).toEqual({ dueAt: null, dueTimeZone: "Europe/Berlin", dueDate: null });
    expect(nextDue(dated, { dueDate: null })).toEqual({ dueAt: null, dueTimeZone: "Europe/Berlin", dueDate: null });
    expect(nextDue(instant, { dueDate: null })).toEqual(instant);
  });

  test("nextDue refuses both dueAt and dueDate, a null zone, and an invalid instant", () => {
    expect(fieldOf(() => nextDue(none, { dueAt: new Date(), dueDate: "2026-03-29" }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "dueDate",
    });
    expect(fieldOf(() => nextDue(none, { dueTimeZone: null }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "dueTimeZone",
    });
    expect(fieldOf(() => nextDue(none, { dueAt: new Date("nope") }))).toEqual({
      code: "BAD_USER_INPUT",
      field: "dueAt",
    });
  });
});
