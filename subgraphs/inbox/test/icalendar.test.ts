import ICAL from "ical.js";
import { DateTime } from "luxon";
import { describe, expect, test } from "vitest";
import {
  exportCalendar,
  exportSingle,
  invitation,
  parseCalendar,
  parseReply,
  reply,
  vtimezone,
} from "../src/scheduling/icalendar.ts";
import type { ICalEvent } from "../src/scheduling/types.ts";

const ADA = "7d3f0f4e-1c2b-4a5d-9e8f-0a1b2c3d4e5f";
const CARL = "0b8e1a52-3f7c-4d2e-8a9b-1c2d3e4f5a6b";
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: "Europe/Berlin" }).toJSDate();

/** A weekly Monday 09:00 Berlin meeting across the March DST change, with an EXDATE, a moved and a cancelled occurrence. */
function weekly(): ICalEvent {
  return {
    uid: "weekly-1@mary.test",
    title: "Planning, weekly; room \\ 2",
    description: "Agenda:\n1. numbers\n2. plans",
    location: "Room 2",
    status: "CONFIRMED",
    timing: {
      start: berlin("2026-03-16T09:00"),
      end: berlin("2026-03-16T10:00"),
      timeZone: "Europe/Berlin",
      allDay: false,
      rrule: "FREQ=WEEKLY;COUNT=10;BYDAY=MO",
      exdates: [berlin("2026-04-06T09:00")],
      rdates: [berlin("2026-05-27T15:00")],
    },
    organizer: { userId: ADA, email: "ada@mary.test", name: "Ada Lovelace" },
    attendees: [
      { userId: ADA, email: "ada@mary.test", name: "Ada Lovelace", rsvp: "ACCEPTED" },
      { userId: CARL, email: null, name: null, rsvp: "TENTATIVE" },
      { userId: null, email: "bob@example.com", name: 'Bob "the builder", Jr.', rsvp: "NEEDS_ACTION" },
      { userId: null, email: "eve@example.org", name: null, rsvp: "DECLINED" },
    ],
    sequence: 3,
    updatedAt: new Date("2026-03-01T10:11:12Z"),
    overrides: [
      {
        recurrenceId: berlin("2026-03-30T09:00"),
        title: "Planning (moved)",
        description: null,
        location: "Room 3",
        status: "CONFIRMED",
        start: berlin("2026-03-31T14:00"),
        end: berlin("2026-03-31T15:30"),
        attendees: [{ userId: null, email: "bob@example.com", name: null, rsvp: "ACCEPTED" }],
      },
      {
        recurrenceId: berlin("2026-04-13T09:00"),
        title: "Planning, weekly; room \\ 2",
        description: null,
        location: null,
        status: "CANCELLED",
        start: berlin("2026-04-13T09:00"),
        end: berlin("2026-04-13T10:00"),
        attendees: [],
      },
    ],
  };
}

/** A two-day all-day event (1–2 May; the end date is exclusive) in Berlin. */
function allDay(): ICalEvent {
  return {
    uid: "offsite@mary.test",
    title: "Offsite",
    description: null,
    location: null,
    status: "TENTATIVE",
    timing: {
      start: berlin("2026-05-01T00:00"),
      end: berlin("2026-05-03T00:00"),
      timeZone: "Europe/Berlin",
      allDay: true,
      rrule: null,
      exdates: [],
      rdates: [],
    },
    organizer: null,
    attendees: [],
    sequence: 0,
    updatedAt: new Date("2026-02-02T08:00:00Z"),
    overrides: [],
  };
}

/** Every 5 hours of the years, and every 20 minutes of the two days around each offset change. */
function samples(zone: string, fromYear: number, toYear: number): number[] {
  const out: number[] = [];
  const end = Date.UTC(toYear + 1, 0, 1);
  for (let t = Date.UTC(fromYear, 0, 1); t < end; t += 5 * 3_600_000) {
    out.push(t);
    if (DateTime.fromMillis(t, { zone }).offset === DateTime.fromMillis(t + 5 * 3_600_000, { zone }).offset) continue;
    for (let u = t - 86_400_000; u < t + 86_400_000; u += 20 * 60_000) out.push(u);
  }
  return out;
}

const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");
const lines = (ics: string) => unfold(ics).split("\r\n");
const calendar = (...body: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", ...body, "END:VCALENDAR", ""].join("\r\n");
const vevent = (...props: string[]) => ["BEGIN:VEVENT", "DTSTAMP:20260101T000000Z", ...props, "END:VEVENT"];

describe("iCalendar export and import (pure)", () => {
  test("a calendar round-trips: instants, zone, rule, exdates, rdates, attendees, statuses, sequence, overrides", () => {
    const events = [weekly(), allDay()];
    events[0]!.updatedAt = new Date("2026-03-01T10:11:12.345Z");
    const ics = exportCalendar(events, { name: "Team" });
    const parsed = parseCalendar(ics);

    expect(parsed.errors).toEqual([]);
    expect(parsed.method).toBeNull();
    const expected = [weekly(), allDay()];
    expect(parsed.events).toEqual(expected); // updatedAt comes back to the second
  });

  test("the export writes wall times with TZID, a VTIMEZONE per zone, DATE values, and workspace users", () => {
    const ics = exportCalendar([weekly(), allDay()], { name: "Team" });
    const all = lines(ics);

    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics).not.toMatch(/[^\r]\n/); // CRLF only
    expect(all).toContain("PRODID:-//Mary//Calendar//EN");
    expect(all).toContain("VERSION:2.0");
    expect(all).toContain("X-WR-CALNAME:Team");
    expect(all.some((l) => l.startsWith("METHOD:"))).toBe(false);
    expect(all.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(4); // two masters, two overrides
    expect(all.filter((l) => l === "TZID:Europe/Berlin")).toHaveLength(1);
    expect(all.indexOf("BEGIN:VTIMEZONE")).toBeLessThan(all.indexOf("BEGIN:VEVENT"));
    // 09:00 in Berlin, before and after the DST change, stays 09:00 on the wire.
    expect(all).toContain("DTSTART;TZID=Europe/Berlin:20260316T090000");
    expect(all).toContain("EXDATE;TZID=Europe/Berlin:20260406T090000");
    expect(all).toContain("RDATE;TZID=Europe/Berlin:20260527T150000");
    expect(all).toContain("RECURRENCE-ID;TZID=Europe/Berlin:20260330T090000");
    expect(all).toContain("RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO");
    expect(all).toContain("DTSTART;VALUE=DATE:20260501");
    expect(all).toContain("DTEND;VALUE=DATE:20260503");
    expect(all).toContain("STATUS:CANCELLED");
    expect(all).toContain("SEQUENCE:3");
    // Without METHOD, DTSTAMP is the last modification (RFC 5545 3.8.7.2).
    expect(all).toContain("DTSTAMP:20260301T101112Z");
    expect(all).toContain("LAST-MODIFIED:20260301T101112Z");
    expect(all).toContain(`ORGANIZER;X-MARY-USER-ID=${ADA};CN=Ada Lovelace:mailto:ada@mary.test`);
    expect(all).toContain(`ATTENDEE;X-MARY-USER-ID=${CARL};PARTSTAT=TENTATIVE:urn:uuid:${CARL}`);
    expect(all).toContain("ATTENDEE;PARTSTAT=DECLINED:mailto:eve@example.org");
    expect(all).toContain(
      `ATTENDEE;CN="Bob ^'the builder^', Jr.";PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:bob@example.com`,
    );
  });

  test("text is escaped, and read back the same", () => {
    const event = { ...allDay(), title: "a, b; c\\d\nline 2", description: "x,y;z", location: "Straße 1, Köln" };
    const ics = exportSingle(event);

    expect(lines(ics)).toContain("SUMMARY:a\\, b\\; c\\\\d\\nline 2");
    expect(lines(ics)).toContain("DESCRIPTION:x\\,y\\;z");
    const [back] = parseCalendar(ics).events;
    expect(back).toMatchObject({ title: event.title, description: event.description, location: event.location });
  });

  test("the generated VTIMEZONE gives the zone's offsets, also where rules changed and years after", () => {
    const cases: [zone: string, from: number, to: number, checkUntil: number][] = [
      ["Europe/Berlin", 2026, 2026, 2045],
      ["America/New_York", 2026, 2027, 2040],
      ["Australia/Sydney", 2026, 2026, 2036],
      ["Asia/Tokyo", 2026, 2026, 2030],
      ["America/Sao_Paulo", 2017, 2020, 2024], // DST abolished in 2019
      ["Asia/Tehran", 2020, 2023, 2026], // DST abolished in 2022, fixed-date rules before
    ];
    for (const [zone, from, to, checkUntil] of cases) {
      const component = vtimezone(zone, from, to);
      const tz = new ICAL.Timezone({ component, tzid: zone });
      const mismatches: string[] = [];
      for (const t of samples(zone, from, checkUntil)) {
        // The wall time luxon gives, read back through the VTIMEZONE, must be an instant with that
        // wall time (in the repeated autumn hour either of the two).
        const local = DateTime.fromMillis(t, { zone });
        const { year, month, day, hour, minute } = local;
        const instant = new ICAL.Time({ year, month, day, hour, minute, second: 0 }, tz).toJSDate();
        const back = DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd HH:mm");
        if (back !== local.toFormat("yyyy-MM-dd HH:mm"))
          mismatches.push(`${local.toISO()} read as ${instant.toISOString()}`);
      }
      expect({ zone, mismatches: mismatches.slice(0, 3) }).toEqual({ zone, mismatches: [] });
    }
  });

  test("TZIDs: Windows and prefixed names map to IANA; another zone is read with the file's VTIMEZONE", () => {
    const berlinZone = vtimezone("Europe/Berlin", 2026, 2026).toString();
    const custom = berlinZone
      .replace("TZID:Europe/Berlin", "TZID:Custom Central")
      .replace(/\r\nX-LIC-LOCATION:[^\r]*/, "");
    const ics = calendar(
      custom,
      ...vevent("UID:w", "DTSTART;TZID=W. Europe Standard Time:20260715T100000", "DURATION:PT1H"),
      ...vevent("UID:m", "DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20260715T100000", "DURATION:PT1H"),
      ...vevent("UID:c", "DTSTART;TZID=Custom Central:20260715T100000", "DTEND;TZID=Custom Central:20260715T110000"),
      ...vevent("UID:u", "DTSTART;TZID=Nowhere/Special:20260715T100000", "DURATION:PT1H"),
    );
    const { events, errors } = parseCalendar(ics);
    const byUid = Object.fromEntries(events.map((e) => [e.uid, e.timing]));

    expect(byUid.w).toMatchObject({ start: new Date("2026-07-15T08:00:00Z"), timeZone: "Europe/Berlin" });
    expect(byUid.m).toMatchObject({ start: new Date("2026-07-15T14:00:00Z"), timeZone: "America/New_York" });
    // Summer time from the file's own definition, though the name means nothing to the tz database.
    expect(byUid.c).toMatchObject({
      start: new Date("2026-07-15T08:00:00Z"),
      end: new Date("2026-07-15T09:00:00Z"),
      timeZone: "UTC",
    });
    expect(byUid.u).toMatchObject({ start: new Date("2026-07-15T10:00:00Z"), timeZone: "UTC" });
    expect(errors).toHaveLength(2);
    expect(errors.join("\n")).toMatch(/"Custom Central" is not an IANA zone.*VTIMEZONE/);
    expect(errors.join("\n")).toMatch(/"Nowhere\/Special" is unknown.*read as UTC/);
  });

  test("UTC and floating times: floating is read in the default zone, else X-WR-TIMEZONE, else UTC", () => {
    const body = [...vevent("UID:f", "DTSTART:20260715T100000", "DTEND:20260715T110000")];
    const utc = parseCalendar(calendar(...vevent("UID:z", "DTSTART:20260715T100000Z", "DURATION:PT30M")));
    expect(utc.events[0]!.timing).toMatchObject({
      start: new Date("2026-07-15T10:00:00Z"),
      end: new Date("2026-07-15T10:30:00Z"),
      timeZone: "UTC",
      allDay: false,
    });

    const inDefault = parseCalendar(calendar(...body), { defaultTimeZone: "America/New_York" });
    expect(inDefault.events[0]!.timing).toMatchObject({
      start: new Date("2026-07-15T14:00:00Z"),
      timeZone: "America/New_York",
    });
    const inFileZone = parseCalendar(calendar("X-WR-TIMEZONE:Asia/Tokyo", ...body));
    expect(inFileZone.events[0]!.timing).toMatchObject({
      start: new Date("2026-07-15T01:00:00Z"),
      timeZone: "Asia/Tokyo",
    });
    const inUtc = parseCalendar(calendar(...body));
    expect(inUtc.events[0]!.timing).toMatchObject({ start: new Date("2026-07-15T10:00:00Z"), timeZone: "UTC" });
    // An exported UTC event stays in UTC (Z, no VTIMEZONE).
    const exported = exportSingle(utc.events[0]!);
    expect(lines(exported)).toContain("DTSTART:20260715T100000Z");
    expect(exported).not.toContain("VTIMEZONE");
  });

  test("DURATION days are nominal across a DST change, hours exact; an all-day start alone is one day", () => {
    const ics = calendar(
      ...vevent("UID:d", "DTSTART;TZID=Europe/Berlin:20260328T120000", "DURATION:P1DT1H"),
      ...vevent("UID:h", "DTSTART;TZID=Europe/Berlin:20260328T120000", "DURATION:PT25H"),
      ...vevent("UID:a", "DTSTART;VALUE=DATE:20260329"),
      ...vevent("UID:t", "DTSTART:20260329T120000Z"),
    );
    const { events } = parseCalendar(ics, { defaultTimeZone: "Europe/Berlin" });
    const byUid = Object.fromEntries(events.map((e) => [e.uid, e.timing]));

    expect(byUid.d!.start).toEqual(new Date("2026-03-28T11:00:00Z"));
    expect(byUid.d!.end).toEqual(new Date("2026-03-29T11:00:00Z")); // 13:00 summer time, the next day
    expect(byUid.h!.end).toEqual(new Date("2026-03-29T12:00:00Z")); // 25 hours later: 14:00 summer time
    expect(byUid.a).toMatchObject({
      allDay: true,
      timeZone: "Europe/Berlin",
      start: new Date("2026-03-28T23:00:00Z"),
      end: new Date("2026-03-29T22:00:00Z"), // a 23-hour day
    });
    expect(byUid.t!.end).toEqual(byUid.t!.start); // a timed start alone has no length (RFC 5545 3.6.1)
  });

  test("overrides are grouped under their master in any order; one without a master stands alone", () => {
    const ics = calendar(
      ...vevent(
        "UID:s",
        "RECURRENCE-ID:20260302T090000Z",
        "DTSTART:20260302T100000Z",
        "SUMMARY:later",
        "ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob:MAILTO:Bob@Example.COM",
      ),
      ...vevent("UID:s", "DTSTART:20260223T090000Z", "DTEND:20260223T093000Z", "RRULE:FREQ=WEEKLY", "SUMMARY:standup"),
      ...vevent("UID:lonely", "RECURRENCE-ID:20260305T090000Z", "DTSTART:20260305T090000Z", "SUMMARY:just once"),
      ...vevent("UID:x", "DTSTART:20260223T090000Z", "RRULE:FREQ=DAILY", "EXDATE;VALUE=DATE:20260225"),
    );
    const { events, errors } = parseCalendar(ics);

    expect(errors).toEqual([]);
    expect(events.map((e) => e.uid)).toEqual(["s", "x", "lonely"]);
    expect(events[0]!.overrides).toEqual([
      {
        recurrenceId: new Date("2026-03-02T09:00:00Z"),
        title: "later",
        description: null,
        location: null,
        status: "CONFIRMED",
        start: new Date("2026-03-02T10:00:00Z"),
        end: new Date("2026-03-02T10:30:00Z"), // the series' length
        attendees: [{ userId: null, email: "bob@example.com", name: "Bob", rsvp: "ACCEPTED" }],
      },
    ]);
    expect(events[2]!.timing).toMatchObject({ start: new Date("2026-03-05T09:00:00Z"), rrule: null });
    // A DATE exception on a timed series is that day's occurrence.
    expect(events[1]!.timing.exdates).toEqual([new Date("2026-02-25T09:00:00Z")]);
  });

  test("malformed input throws a message saying what is wrong; a bad event among good ones is reported", () => {
    expect(() => parseCalendar("hello")).toThrow(/not a valid iCalendar file: invalid line/);
    expect(() => parseCalendar("")).toThrow(/no BEGIN:VCALENDAR/);
    expect(() => parseCalendar("BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n")).toThrow(/holds a VCARD/);
    expect(() => parseCalendar("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VCALENDAR\r\n")).toThrow(
      /not a valid iCalendar file: .*did not end/,
    );
    expect(() =>
      parseCalendar(calendar(...vevent("UID:r", "DTSTART:20260101T000000Z", "RRULE:FREQ=SOMETIMES"))),
    ).toThrow(/invalid frequency "SOMETIMES"/);
    expect(() => parseCalendar(calendar(...vevent("UID:n", "SUMMARY:no start")))).toThrow(
      /no event could be read.*no DTSTART/,
    );

    const mixed = parseCalendar(
      calendar(
        ...vevent("UID:good", "DTSTART:20260101T100000Z"),
        ...vevent("UID:bad", "SUMMARY:Broken", "DTSTART:2026-01-01"),
        ...vevent("SUMMARY:no uid", "DTSTART:20260101T100000Z"),
      ),
    );
    expect(mixed.events.map((e) => e.uid)).toEqual(["good"]);
    expect(mixed.errors).toHaveLength(2);
    expect(mixed.errors[0]).toMatch(/event "bad" \(Broken\): .*invalid date-time value.*left out/);
    expect(mixed.errors[1]).toMatch(/event without UID \(no uid\): no UID; left out/);
  });

  test("more events than maxEvents are refused", () => {
    const ics = exportCalendar([weekly(), allDay()], { name: "x" }); // four VEVENTs
    expect(() => parseCalendar(ics, { maxEvents: 3 })).toThrow(
      "the calendar holds 4 events; at most 3 can be read at once",
    );
    expect(parseCalendar(ics, { maxEvents: 4 }).events).toHaveLength(2);
  });

  test("an invitation is a METHOD:REQUEST of the whole event, stamped now", () => {
    const now = new Date("2026-03-05T12:00:00Z");
    const ics = invitation(weekly(), { now });
    const parsed = parseCalendar(ics);

    expect(parsed.method).toBe("REQUEST");
    expect(lines(ics)).toContain("METHOD:REQUEST");
    expect(lines(ics).filter((l) => l.startsWith("DTSTAMP:"))).toEqual(Array(3).fill("DTSTAMP:20260305T120000Z"));
    expect(parsed.events).toEqual([weekly()]);
    expect(() => invitation({ ...weekly(), organizer: { userId: ADA, email: null, name: null } })).toThrow(
      /organizer with an email/,
    );
  });

  test("a reply carries one attendee's answer, and parseReply reads it back", () => {
    const now = new Date("2026-03-06T08:00:00Z");
    const ics = reply(weekly(), "Bob@Example.com", "ACCEPTED", { now });

    expect(lines(ics)).toContain("METHOD:REPLY");
    expect(lines(ics).filter((l) => l.startsWith("ATTENDEE"))).toEqual([
      `ATTENDEE;CN="Bob ^'the builder^', Jr.";PARTSTAT=ACCEPTED:mailto:bob@example.com`,
    ]);
    expect(lines(ics)).toContain(`ORGANIZER;X-MARY-USER-ID=${ADA};CN=Ada Lovelace:mailto:ada@mary.test`);
    expect(parseReply(ics)).toEqual({
      uid: "weekly-1@mary.test",
      recurrenceId: null,
      sequence: 3,
      attendee: { email: "bob@example.com", rsvp: "ACCEPTED" },
    });

    const one = reply(weekly(), "eve@example.org", "TENTATIVE", { recurrenceId: berlin("2026-03-30T09:00") });
    expect(lines(one)).toContain("RECURRENCE-ID;TZID=Europe/Berlin:20260330T090000");
    expect(lines(one)).toContain("DTSTART;TZID=Europe/Berlin:20260331T140000"); // the moved occurrence
    expect(parseReply(one)).toMatchObject({
      recurrenceId: berlin("2026-03-30T09:00"),
      attendee: { email: "eve@example.org", rsvp: "TENTATIVE" },
    });

    expect(parseReply(invitation(weekly()))).toBeNull();
    expect(parseReply(exportSingle(weekly()))).toBeNull();
  });

  test("parseReply reads another client's REPLY and refuses one without attendee", () => {
    const google = calendar(
      "METHOD:REPLY",
      ...vevent(
        "UID:weekly-1@mary.test",
        "SEQUENCE:4",
        "DTSTART;VALUE=DATE:20260501",
        "RECURRENCE-ID;VALUE=DATE:20260501",
        "ORGANIZER:mailto:ada@mary.test",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=DECLINED;CN=Bob:mailto:BOB@example.com",
      ),
    );
    expect(parseReply(google, { defaultTimeZone: "Europe/Berlin" })).toEqual({
      uid: "weekly-1@mary.test",
      recurrenceId: berlin("2026-05-01T00:00"),
      sequence: 4,
      attendee: { email: "bob@example.com", rsvp: "DECLINED" },
    });
    expect(() => parseReply(calendar("METHOD:REPLY", ...vevent("UID:u", "ORGANIZER:mailto:a@b.c")))).toThrow(
      /without an attendee/,
    );
  });
});
