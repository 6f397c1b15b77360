import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMailUser, errorCode, signedHeaders, waitForMail } from "@mary/kit/testing";
import { parseCalendar, reply } from "../src/scheduling/icalendar.ts";
import { deliver, imapOf, newMember, startHarness, type Harness } from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

const CALENDARS = `{ calendars { id name kind timeZone } }`;
const CREATE_CALENDAR = `mutation ($input: CreateCalendarInput!) { createCalendar(input: $input) { id timeZone kind } }`;
const CREATE_EVENT = `mutation ($calendarId: ID!, $input: EventInput!) {
  createEvent(calendarId: $calendarId, input: $input) {
    event { id uid title start end timeZone sequence recurrence { rrule exdates } attendees { user { id } correspondent { email } rsvp } }
    conflicts { user { id } occurrence { start } conflictingWith { start end event { id title } } }
  }
}`;
const EVENTS = `query ($calendarIds: [ID!], $from: DateTimeISO!, $to: DateTimeISO!, $zone: String) {
  events(calendarIds: $calendarIds, from: $from, to: $to) {
    start end recurrenceId seriesId localStart localIn: localStart(timeZone: $zone) event { id title status }
  }
}`;
const UPDATE_EVENT = `mutation ($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {
  updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) { event { id uid title start end recurringEventId } conflicts { user { id } } }
}`;
const SET_HOURS = `mutation ($input: WorkingHoursInput!) { setWorkingHours(input: $input) { timeZone isDefault weekly { weekday start end } } }`;
const FREE_SLOTS = `query ($ids: [ID!]!, $d: Int!, $from: DateTimeISO!, $to: DateTimeISO!, $buffer: Int!, $first: Int!) {
  freeSlots(attendeeIds: $ids, durationMinutes: $d, from: $from, to: $to, bufferMinutes: $buffer, first: $first) { slots { start end } attendees { id } }
}`;

async function personalCalendar(member: ReturnType<typeof newMember>, timeZone: string): Promise<string> {
  const { createCalendar } = await h.ok(member, CREATE_CALENDAR, { input: { name: "Work", timeZone } });
  return createCalendar.id;
}

/** GET the feed route as the gateway forwards it (signed as the gateway). */
async function feed(token: string): Promise<{ status: number; body: string }> {
  const url = new URL(`/calendars/feed?token=${encodeURIComponent(token)}`, h.app.url);
  const response = await fetch(url, { headers: signedHeaders({ kind: "service", service: "gateway" }) });
  return { status: response.status, body: await response.text() };
}

const weekdays = (start: string, end: string, days = [1, 2, 3, 4, 5]) =>
  days.map((weekday) => ({ weekday, start, end }));

describe("calendars", () => {
  it("gives a member a calendar on first use, and another member's personal calendar is NOT_FOUND", async () => {
    const me = newMember();
    const colleague = newMember(me.workspaceId);
    const { calendars } = await h.ok(me, CALENDARS);
    expect(calendars).toEqual([expect.objectContaining({ kind: "PERSONAL", timeZone: "UTC" })]);
    const again = await h.ok(me, CALENDARS);
    expect(again.calendars.map((c: { id: string }) => c.id)).toEqual([calendars[0].id]);
    const seen = await h.call(colleague, `query ($id: ID!) { calendar(id: $id) { id } }`, { id: calendars[0].id });
    expect(errorCode(seen)).toBe("NOT_FOUND");
  });

  it("refuses a bad time zone, color or rule with BAD_USER_INPUT naming the field, saving nothing", async () => {
    const me = newMember();
    const zone = await h.call(me, CREATE_CALENDAR, { input: { name: "X", timeZone: "Mars/Olympus" } });
    expect(errorCode(zone)).toBe("BAD_USER_INPUT");
    expect(zone.errors?.[0]?.extensions?.field).toBe("timeZone");
    // An offset is not a zone: its rules do not say when summer time starts.
    const offset = await h.call(me, CREATE_CALENDAR, { input: { name: "X", timeZone: "+02:00" } });
    expect(errorCode(offset)).toBe("BAD_USER_INPUT");
    // Names are kept as IANA spells them.
    const spelled = await h.ok(me, CREATE_CALENDAR, { input: { name: "Y", timeZone: "europe/berlin" } });
    expect(spelled.createCalendar.timeZone).toBe("Europe/Berlin");
    const calendarId = await personalCalendar(me, "Europe/Berlin");
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "", start: "2026-05-01T10:00:00Z", end: "2026-05-01T11:00:00Z" }, "title"],
      [{ title: "t", start: "2026-05-01T10:00:00Z", end: "2026-05-01T09:00:00Z" }, "end"],
      [
        {
          title: "t",
          start: "2026-05-01T10:00:00Z",
          end: "2026-05-01T11:00:00Z",
          recurrence: { rrule: "FREQ=MINUTELY" },
        },
        "rrule",
      ],
      [
        {
          title: "t",
          start: "2026-05-01T10:00:00Z",
          end: "2026-05-01T11:00:00Z",
          recurrence: { rrule: "FREQ=WEEKLY;BYDAY=XX" },
        },
        "rrule",
      ],
      [
        {
          title: "t",
          start: "2026-05-01T10:00:00Z",
          end: "2026-05-01T11:00:00Z",
          attendees: [{ email: "not-an-address" }],
        },
        "attendees",
      ],
      [{ title: "t", allDay: true }, "startDate"],
    ];
    for (const [input, field] of cases) {
      const response = await h.call(me, CREATE_EVENT, { calendarId, input });
      expect(errorCode(response), JSON.stringify(input)).toBe("BAD_USER_INPUT");
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
    }
    const [row] = await h.sql<{ count: string }>(`select count(*) from calendar_events where calendar_id = ?`, [
      calendarId,
    ]);
    expect(Number(row!.count)).toBe(0);
  });
});

describe("recurrence across time zones", () => {
  it("keeps a weekly 09:00 Europe/Berlin meeting at 09:00 Berlin time across both DST changes, moving for New York", async () => {
    const me = newMember();
    const calendarId = await personalCalendar(me, "Europe/Berlin");
    const start = DateTime.fromISO("2026-01-05T09:00", { zone: "Europe/Berlin" });
    await h.ok(me, CREATE_EVENT, {
      calendarId,
      input: {
        title: "Weekly planning",
        start: start.toUTC().toISO(),
        end: start.plus({ hours: 1 }).toUTC().toISO(),
        recurrence: { rrule: "FREQ=WEEKLY;BYDAY=MO" },
      },
    });
    const { events } = await h.ok(me, EVENTS, {
      calendarIds: [calendarId],
      from: "2026-01-01T00:00:00Z",
      to: "2027-01-01T00:00:00Z",
      zone: "America/New_York",
    });
    expect(events).toHaveLength(52);
    for (const occurrence of events) {
      const berlin = DateTime.fromISO(occurrence.start).setZone("Europe/Berlin");
      expect(berlin.toFormat("ccc HH:mm")).toBe("Mon 09:00");
      expect(occurrence.localStart).toBe(berlin.toISO({ suppressMilliseconds: true }));
    }
    const nyOn = (date: string) => events.find((o: { localStart: string }) => o.localStart.startsWith(date))?.localIn;
    // Winter: 09:00 CET is 03:00 EST; 2026-03-16 only the US is on summer time (04:00 EDT);
    // from 2026-03-30 both are (03:00 EDT); 2026-10-26 only Europe is back (04:00 EDT); then 03:00 EST.
    expect(nyOn("2026-01-05")).toBe("2026-01-05T03:00:00-05:00");
    expect(nyOn("2026-03-16")).toBe("2026-03-16T04:00:00-04:00");
    expect(nyOn("2026-03-23")).toBe("2026-03-23T04:00:00-04:00");
    expect(nyOn("2026-03-30")).toBe("2026-03-30T03:00:00-04:00");
    expect(nyOn("2026-10-19")).toBe("2026-10-19T03:00:00-04:00");
    expect(nyOn("2026-10-26")).toBe("2026-10-26T04:00:00-04:00");
    expect(nyOn("2026-11-02")).toBe("2026-11-02T03:00:00-05:00");
    expect(events.find((o: { localStart: string }) => o.localStart.startsWith("2026-03-30")).localStart).toBe(
      "2026-03-30T09:00:00+02:00",
    );
    expect(events.find((o: { localStart: string }) => o.localStart.startsWith("2026-10-26")).localStart).toBe(
      "2026-10-26T09:00:00+01:00",
    );
  });

  it("changes one occurrence, and this-and-following splits the series", async () => {
    const me = newMember();
    const calendarId = await personalCalendar(me, "Europe/Berlin");
    const first = DateTime.fromISO("2026-04-06T10:00", { zone: "Europe/Berlin" });
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId,
      input: {
        title: "Standup",
        start: first.toUTC().toISO(),
        end: first.plus({ minutes: 15 }).toUTC().toISO(),
        recurrence: { rrule: "FREQ=DAILY;COUNT=10" },
      },
    });
    const series = createEvent.event.id;
    const third = first.plus({ days: 2 });
    const moved = await h.ok(me, UPDATE_EVENT, {
      id: series,
      input: { title: "Standup (late)", start: third.plus({ hours: 2 }).toUTC().toISO() },
      scope: "THIS",
      occurrence: third.toUTC().toISO(),
    });
    expect(moved.updateEvent.event.recurringEventId).toBe(series);
    const split = await h.ok(me, UPDATE_EVENT, {
      id: series,
      input: { title: "Standup v2" },
      scope: "THIS_AND_FOLLOWING",
      occurrence: first.plus({ days: 6 }).toUTC().toISO(),
    });
    expect(split.updateEvent.event.id).not.toBe(series);
    const { events } = await h.ok(me, EVENTS, {
      calendarIds: [calendarId],
      from: "2026-04-01T00:00:00Z",
      to: "2026-05-01T00:00:00Z",
    });
    const titles = events.map((o: { event: { title: string } }) => o.event.title);
    expect(titles).toEqual([
      "Standup",
      "Standup",
      "Standup (late)",
      "Standup",
      "Standup",
      "Standup",
      "Standup v2",
      "Standup v2",
      "Standup v2",
      "Standup v2",
    ]);
    expect(DateTime.fromISO(events[2].start).setZone("Europe/Berlin").toFormat("HH:mm")).toBe("12:00");
    // "This and following" from the first occurrence is the whole series; deleting it so removes all.
    const whole = await h.ok(me, UPDATE_EVENT, {
      id: series,
      input: { location: "Room 1" },
      scope: "THIS_AND_FOLLOWING",
      occurrence: first.toUTC().toISO(),
    });
    expect(whole.updateEvent.event.id).toBe(series);
    await h.ok(
      me,
      `mutation ($id: ID!, $at: DateTimeISO) { deleteEvent(id: $id, scope: THIS_AND_FOLLOWING, occurrence: $at) }`,
      {
        id: series,
        at: first.toUTC().toISO(),
      },
    );
    const left = await h.ok(me, EVENTS, {
      calendarIds: [calendarId],
      from: "2026-04-01T00:00:00Z",
      to: "2026-05-01T00:00:00Z",
    });
    expect(left.events.map((o: { event: { title: string } }) => o.event.title)).toEqual(Array(4).fill("Standup v2"));
    expect(events[2].recurrenceId).toBe(third.toUTC().toISO());
  });
});

describe("conflicts", () => {
  it("reports a conflict with the 10th occurrence of a colleague's repeating event", async () => {
    const me = newMember();
    const colleague = newMember(me.workspaceId);
    const theirs = await personalCalendar(colleague, "America/New_York");
    const start = DateTime.fromISO("2026-02-02T11:00", { zone: "America/New_York" });
    await h.ok(colleague, CREATE_EVENT, {
      calendarId: theirs,
      input: {
        title: "Their weekly 1:1",
        start: start.toUTC().toISO(),
        end: start.plus({ minutes: 30 }).toUTC().toISO(),
        recurrence: { rrule: "FREQ=WEEKLY;COUNT=20" },
      },
    });
    const mine = await personalCalendar(me, "Asia/Tokyo");
    const tenth = start.plus({ weeks: 9 }); // 2026-04-06 11:00 New York, after the US change
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId: mine,
      input: {
        title: "Review",
        start: tenth.plus({ minutes: 15 }).toUTC().toISO(),
        end: tenth.plus({ minutes: 75 }).toUTC().toISO(),
        attendees: [{ userId: colleague.userId }],
      },
    });
    expect(createEvent.conflicts).toHaveLength(1);
    const [conflict] = createEvent.conflicts;
    expect(conflict.user.id).toBe(colleague.userId);
    expect(conflict.conflictingWith.start).toBe(tenth.toUTC().toISO());
    // Their personal calendar's details stay theirs: only the busy time shows.
    expect(conflict.conflictingWith.event).toBeNull();
    // A repeating event of mine conflicts with that occurrence too, found among all its occurrences.
    const daily = await h.ok(me, CREATE_EVENT, {
      calendarId: mine,
      input: {
        title: "Daily",
        timeZone: "America/New_York",
        start: start.plus({ minutes: 20 }).toUTC().toISO(),
        end: start.plus({ minutes: 25 }).toUTC().toISO(),
        recurrence: { rrule: "FREQ=DAILY;COUNT=100" },
        attendees: [{ userId: colleague.userId }],
      },
    });
    const dates = daily.createEvent.conflicts.map(
      (c: { conflictingWith: { start: string } }) => c.conflictingWith.start,
    );
    expect(dates).toContain(tenth.toUTC().toISO());
    // 100 days from Feb 2 reach May 12: the 15 weekly 1:1s until then, and the Review on the 10th's
    // day, which is both mine and my colleague's.
    expect(dates.length).toBe(15 + 2);
    expect(new Set(daily.createEvent.conflicts.map((c: { user: { id: string } }) => c.user.id))).toEqual(
      new Set([me.userId, colleague.userId]),
    );
    const { conflicts } = await h.ok(
      me,
      `query ($from: DateTimeISO!, $to: DateTimeISO!) { conflicts(from: $from, to: $to) { occurrence { start } conflictingWith { start event { title } } } }`,
      {
        from: "2026-04-06T00:00:00Z",
        to: "2026-04-07T00:00:00Z",
      },
    );
    expect(conflicts).toHaveLength(1);
  });
});

describe("free slots", () => {
  it("agrees with a brute-force check of every 15-minute step for three users in three zones over a DST change", async () => {
    const workspaceId = randomUUID();
    const people = [
      { member: newMember(workspaceId), zone: "Europe/Berlin", hours: weekdays("09:00", "17:00") },
      {
        member: newMember(workspaceId),
        zone: "America/New_York",
        hours: weekdays("08:00", "12:00").concat(weekdays("13:00", "18:00")),
      },
      { member: newMember(workspaceId), zone: "Asia/Kolkata", hours: weekdays("10:30", "19:30", [1, 2, 3, 4, 5, 6]) },
    ];
    for (const person of people) {
      await h.ok(person.member, SET_HOURS, { input: { timeZone: person.zone, weekly: person.hours, exceptions: [] } });
      const calendarId = await personalCalendar(person.member, person.zone);
      const at = DateTime.fromISO("2026-03-23T13:00", { zone: "Europe/Berlin" });
      await h.ok(person.member, CREATE_EVENT, {
        calendarId,
        input: {
          title: "busy",
          start: at.toUTC().toISO(),
          end: at.plus({ minutes: 45 }).toUTC().toISO(),
          recurrence: { rrule: "FREQ=DAILY;INTERVAL=2" },
        },
      });
    }
    const from = new Date("2026-03-23T00:00:00Z");
    const to = new Date("2026-04-06T00:00:00Z");
    const { freeSlots } = await h.ok(people[0]!.member, FREE_SLOTS, {
      ids: people.map((p) => p.member.userId),
      d: 30,
      from: from.toISOString(),
      to: to.toISOString(),
      buffer: 15,
      first: 500,
    });
    // Each busy series repeats in its calendar's zone (its owner's), from the same first instant.
    const busy = people.flatMap((p) => {
      const first = DateTime.fromISO("2026-03-23T13:00", { zone: "Europe/Berlin" }).setZone(p.zone);
      return Array.from({ length: 8 }, (_, i) => first.plus({ days: 2 * i })).map((s) => [
        s.toMillis(),
        s.plus({ minutes: 45 }).toMillis(),
      ]);
    });
    const works = (zone: string, hours: { weekday: number; start: string; end: string }[], s: number, e: number) => {
      const a = DateTime.fromMillis(s, { zone });
      const b = DateTime.fromMillis(e, { zone });
      if (a.toISODate() !== b.toISODate() && b.toFormat("HH:mm") !== "00:00") return false;
      const from = a.toFormat("HH:mm");
      const until = b.toFormat("HH:mm") === "00:00" && a.toISODate() !== b.toISODate() ? "24:00" : b.toFormat("HH:mm");
      return hours.some((h) => h.weekday === a.weekday && h.start <= from && until <= h.end);
    };
    const expected: string[] = [];
    for (let s = from.getTime(); s + 30 * 60_000 <= to.getTime(); s += 15 * 60_000) {
      const e = s + 30 * 60_000;
      const free =
        people.every((p) => works(p.zone, p.hours, s, e)) &&
        busy.every(([bs, be]) => e <= bs! - 15 * 60_000 || s >= be! + 15 * 60_000);
      if (free) expected.push(new Date(s).toISOString());
    }
    expect(expected.length).toBeGreaterThan(20);
    expect(freeSlots.slots.map((slot: { start: string }) => slot.start)).toEqual(expected);
  });

  it("refuses bad arguments with BAD_USER_INPUT", async () => {
    const me = newMember();
    const base = {
      ids: [me.userId],
      d: 30,
      from: "2026-03-01T00:00:00Z",
      to: "2026-03-08T00:00:00Z",
      buffer: 0,
      first: 10,
    };
    for (const [change, field] of [
      [{ d: 0 }, "durationMinutes"],
      [{ to: "2026-02-01T00:00:00Z" }, "to"],
      [{ to: "2026-09-01T00:00:00Z" }, "to"],
      [{ ids: ["nope"] }, "attendeeIds"],
      [{ first: 0 }, "first"],
    ] as const) {
      const response = await h.call(me, FREE_SLOTS, { ...base, ...change });
      expect(errorCode(response), JSON.stringify(change)).toBe("BAD_USER_INPUT");
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
    }
  });
});

describe("iCalendar export and import", () => {
  it("re-importing a calendar's export changes nothing, and a second import of a file is idempotent", async () => {
    const me = newMember();
    const calendarId = await personalCalendar(me, "Europe/Berlin");
    const start = DateTime.fromISO("2026-06-01T09:30", { zone: "Europe/Berlin" });
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId,
      input: {
        title: "Series, with; commas",
        description: "Line one\nLine two",
        start: start.toUTC().toISO(),
        end: start.plus({ hours: 1 }).toUTC().toISO(),
        recurrence: { rrule: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=12", exdates: [start.plus({ days: 2 }).toUTC().toISO()] },
        attendees: [{ userId: randomUUID() }, { email: "guest@example.com", name: "Guest" }],
      },
    });
    await h.ok(me, UPDATE_EVENT, {
      id: createEvent.event.id,
      input: { title: "Moved one", start: start.plus({ days: 7, hours: 3 }).toUTC().toISO() },
      scope: "THIS",
      occurrence: start.plus({ days: 7 }).toUTC().toISO(),
    });
    await h.ok(me, CREATE_EVENT, {
      calendarId,
      input: { title: "Holiday", allDay: true, startDate: "2026-06-10", endDate: "2026-06-12" },
    });
    const before = await h.sql(`select * from calendar_events where calendar_id = ? order by id`, [calendarId]);
    const { calendarIcs } = await h.ok(me, `query ($id: ID!) { calendarIcs(calendarId: $id) }`, { id: calendarId });
    expect(calendarIcs).toContain("BEGIN:VCALENDAR");
    expect(calendarIcs).toMatch(/DTSTART;TZID=Europe\/Berlin:20260601T093000/);
    const { importCalendar } = await h.ok(
      me,
      `mutation ($id: ID!, $ics: String!) { importCalendar(calendarId: $id, ics: $ics) { created updated unchanged errors } }`,
      { id: calendarId, ics: calendarIcs },
    );
    expect(importCalendar).toEqual({ created: 0, updated: 0, unchanged: 2, errors: [] });
    const after = await h.sql(`select * from calendar_events where calendar_id = ? order by id`, [calendarId]);
    expect(after).toEqual(before);

    // Into another calendar: added once, then unchanged.
    const other = await personalCalendar(me, "UTC");
    const IMPORT = `mutation ($id: ID!, $ics: String!) { importCalendar(calendarId: $id, ics: $ics) { created updated unchanged } }`;
    expect((await h.ok(me, IMPORT, { id: other, ics: calendarIcs })).importCalendar).toEqual({
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    expect((await h.ok(me, IMPORT, { id: other, ics: calendarIcs })).importCalendar).toEqual({
      created: 0,
      updated: 0,
      unchanged: 2,
    });
    const range = { from: "2026-05-01T00:00:00Z", to: "2026-08-01T00:00:00Z" };
    const a = await h.ok(me, EVENTS, { calendarIds: [calendarId], ...range });
    const b = await h.ok(me, EVENTS, { calendarIds: [other], ...range });
    const shape = (list: { start: string; end: string; event: { title: string } }[]) =>
      list.map((o) => [o.start, o.end, o.event.title]);
    expect(shape(b.events)).toEqual(shape(a.events));

    const bad = await h.call(me, IMPORT, { id: other, ics: "BEGIN:VCALENDAR\nthis is not" });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
  });

  it("serves the private feed by token only until it is revoked", async () => {
    const me = newMember();
    const calendarId = await personalCalendar(me, "UTC");
    await h.ok(me, CREATE_EVENT, {
      calendarId,
      input: { title: "In the feed", start: "2026-07-01T10:00:00Z", end: "2026-07-01T11:00:00Z" },
    });
    const { createCalendarFeed } = await h.ok(
      me,
      `mutation ($id: ID!) { createCalendarFeed(calendarId: $id) { url calendar { hasFeed } } }`,
      { id: calendarId },
    );
    expect(createCalendarFeed.calendar.hasFeed).toBe(true);
    const token = /\/calendars\/([A-Za-z0-9_-]+)\.ics$/.exec(createCalendarFeed.url)![1]!;
    const [stored] = await h.sql(`select feed_token_hash from calendars where id = ?`, [calendarId]);
    expect(stored!.feed_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.feed_token_hash).not.toContain(token);
    const served = await feed(token);
    expect(served.status).toBe(200);
    expect(served.body).toContain("SUMMARY:In the feed");
    await h.ok(me, `mutation ($id: ID!) { revokeCalendarFeed(calendarId: $id) { hasFeed } }`, { id: calendarId });
    expect((await feed(token)).status).toBe(404);
    expect((await feed("x".repeat(32))).status).toBe(404);
  });
});

describe("invitations", () => {
  it(
    "mails an external guest a METHOD:REQUEST, and their REPLY in the inbox sets the RSVP",
    { timeout: 120_000 },
    async () => {
      const organizer = await createMailUser();
      const guest = await createMailUser();
      const me = newMember();
      const accountId = await h.connect(me, organizer);
      await h.sync(accountId);
      const calendarId = await personalCalendar(me, "Europe/Berlin");
      const SCHEDULE = `mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { event { id uid start attendees { correspondent { email } rsvp } } invitations { email sent error } } }`;
      const input = {
        calendarId,
        title: "Intro call",
        guests: [{ email: guest.address, name: "Guest" }],
        durationMinutes: 30,
        from: "2026-09-07T00:00:00Z",
        to: "2026-09-12T00:00:00Z",
        idempotencyKey: "intro-call-1",
      };
      const { scheduleMeeting } = await h.ok(me, SCHEDULE, { input });
      expect(scheduleMeeting.invitations).toEqual([{ email: guest.address, sent: true, error: null }]);
      // Repeated with its key (a lost answer, say): the same meeting and results, nothing booked or mailed again.
      const again = await h.ok(me, SCHEDULE, { input });
      expect(again.scheduleMeeting.event.id).toBe(scheduleMeeting.event.id);
      expect(again.scheduleMeeting.invitations).toEqual(scheduleMeeting.invitations);
      const booked = await h.sql(`select count(*)::int as n from calendar_events where calendar_id = ? and title = ?`, [
        calendarId,
        "Intro call",
      ]);
      expect(booked[0]!.n).toBe(1);
      const badKey = await h.call(me, SCHEDULE, { input: { ...input, idempotencyKey: "k".repeat(101) } });
      expect(errorCode(badKey)).toBe("BAD_USER_INPUT");
      expect(badKey.errors?.[0]?.extensions?.field).toBe("idempotencyKey");
      // The first slot: Monday 09:00 in the default hours' zone (the caller's first calendar's: Berlin, summer time).
      expect(scheduleMeeting.event.start).toBe("2026-09-07T07:00:00.000Z");
      const client = await imapOf(guest);
      let ics = "";
      try {
        // Postfix hands the mail on a moment after accepting it; a loaded machine may take seconds.
        for (const deadline = Date.now() + 60_000; !ics && Date.now() < deadline;) {
          const lock = await client.getMailboxLock("INBOX");
          try {
            for await (const message of client.fetch("1:*", { source: true })) {
              const parsed = await simpleParser(message.source!);
              const part = parsed.attachments.find((a) => a.contentType === "text/calendar");
              if (parsed.subject === "Invitation: Intro call" && part) ics = part.content.toString("utf8");
            }
          } finally {
            lock.release();
          }
          if (!ics) await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await client.logout();
      }
      expect(ics).toMatch(/^METHOD:REQUEST\r?$/m);
      const { events } = parseCalendar(ics);
      expect(events[0]!.uid).toBe(scheduleMeeting.event.uid);
      // Someone else answering for the guest changes nothing.
      const forged = await deliver({
        from: "mallory@sender.test",
        to: organizer.address,
        subject: "Declined: Intro call",
        text: "Declined",
        attachments: [
          {
            filename: "reply.ics",
            content: reply(events[0]!, guest.address, "DECLINED"),
            contentType: "text/calendar; method=REPLY",
          },
        ],
      });
      await waitForMail(organizer, forged, "INBOX", 60_000);
      await h.sync(accountId);
      const unchanged = await h.ok(me, `query ($id: ID!) { event(id: $id) { attendees { rsvp } } }`, {
        id: scheduleMeeting.event.id,
      });
      expect(unchanged.event.attendees).toEqual([{ rsvp: "NEEDS_ACTION" }]);
      const answer = reply(events[0]!, guest.address, "ACCEPTED");
      const messageId = await deliver({
        from: guest.address,
        to: organizer.address,
        subject: "Accepted: Intro call",
        text: "Accepted",
        attachments: [{ filename: "reply.ics", content: answer, contentType: "text/calendar; method=REPLY" }],
      });
      await waitForMail(organizer, messageId, "INBOX", 60_000);
      await h.sync(accountId);
      const { event } = await h.ok(
        me,
        `query ($id: ID!) { event(id: $id) { attendees { correspondent { email } rsvp } } }`,
        {
          id: scheduleMeeting.event.id,
        },
      );
      expect(event.attendees).toEqual([{ correspondent: { email: guest.address }, rsvp: "ACCEPTED" }]);
    },
  );
});

describe("tenant isolation", () => {
  it("keeps another workspace's calendars and events unreachable by id", async () => {
    const me = newMember();
    const stranger = newMember();
    const calendarId = await personalCalendar(me, "UTC");
    const shared = (await h.ok(me, CREATE_CALENDAR, { input: { name: "Team", kind: "SHARED", timeZone: "UTC" } }))
      .createCalendar.id;
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId: shared,
      input: { title: "Team", start: "2026-07-01T10:00:00Z", end: "2026-07-01T11:00:00Z" },
    });
    const id = createEvent.event.id;
    const attempts = [
      [`query ($id: ID!) { calendar(id: $id) { id } }`, { id: calendarId }],
      [`query ($id: ID!) { calendar(id: $id) { id } }`, { id: shared }],
      [`query ($id: ID!) { event(id: $id) { id } }`, { id }],
      [UPDATE_EVENT, { id, input: { title: "hacked" }, scope: "ALL" }],
      [`mutation ($id: ID!) { deleteEvent(id: $id) }`, { id }],
      [
        CREATE_EVENT,
        { calendarId: shared, input: { title: "x", start: "2026-07-01T10:00:00Z", end: "2026-07-01T11:00:00Z" } },
      ],
      [`mutation ($id: ID!) { createCalendarFeed(calendarId: $id) { url } }`, { id: shared }],
      [`mutation ($id: ID!) { deleteCalendar(id: $id) }`, { id: shared }],
      [EVENTS, { calendarIds: [shared], from: "2026-07-01T00:00:00Z", to: "2026-07-02T00:00:00Z" }],
      [`query ($id: ID!) { calendarIcs(calendarId: $id) }`, { id: shared }],
    ] as const;
    for (const [query, variables] of attempts) {
      const response = await h.call(stranger, query, variables);
      expect(errorCode(response), query).toBe("NOT_FOUND");
    }
    const entities = await h.call(
      stranger,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on CalendarEvent { id } ... on Calendar { id } } }`,
      {
        r: [
          { __typename: "CalendarEvent", id },
          { __typename: "Calendar", id: shared },
        ],
      },
    );
    expect(entities.data?._entities).toEqual([null, null]);
    const [row] = await h.sql(`select title from calendar_events where id = ?`, [id]);
    expect(row!.title).toBe("Team");
    // A colleague sees the shared calendar's event.
    const colleague = newMember(me.workspaceId);
    expect((await h.ok(colleague, `query ($id: ID!) { event(id: $id) { title } }`, { id })).event.title).toBe("Team");
  });
});
