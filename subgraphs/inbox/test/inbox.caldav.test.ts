import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALDAV_URL, createCalendarUser, deleteCalendarUser, errorCode, type CalendarUser } from "@mary/kit/testing";
import { parseCalendar } from "../src/scheduling/icalendar.ts";
import type { ICalEvent } from "../src/scheduling/types.ts";
import { CalDavCalendar } from "../src/services/caldav-client.ts";
import { canonicalRrule } from "../src/services/calendar-ical.ts";
import { eventually, newMember, startHarness, type Harness } from "./harness.ts";

// Against the CalDAV server of `scripts/services up` (Radicale), through the subgraph's API: the
// server side is read and written over plain HTTP, as another CalDAV client would.

let h: Harness;
const users: CalendarUser[] = [];

beforeAll(async () => {
  h = await startHarness();
}, 60_000);

afterAll(async () => {
  await h?.stop();
  await Promise.all(users.map((user) => deleteCalendarUser(user.username).catch(() => {})));
});

const CALENDAR_FIELDS = `id name kind source timeZone caldavUrl lastSyncedAt syncError`;
const CONNECT = `mutation ($input: ConnectCalDavCalendarInput!) { connectCalDavCalendar(input: $input) { ${CALENDAR_FIELDS} } }`;
const SYNC = `mutation ($id: ID!) { syncCalendar(id: $id) { ${CALENDAR_FIELDS} } }`;
const CONFLICTS = `query ($id: ID!) { calendar(id: $id) { syncConflicts { eventId uid title kept maryUpdatedAt serverUpdatedAt detectedAt } } }`;
const EVENTS = `query ($calendarIds: [ID!], $from: DateTimeISO!, $to: DateTimeISO!) {
  events(calendarIds: $calendarIds, from: $from, to: $to) { start end localStart seriesId event { id uid title timeZone } }
}`;
const CREATE_EVENT = `mutation ($calendarId: ID!, $input: EventInput!) {
  createEvent(calendarId: $calendarId, input: $input) { event { id uid title start end timeZone } }
}`;
const UPDATE_EVENT = `mutation ($id: ID!, $input: EventInput!) {
  updateEvent(id: $id, input: $input, scope: ALL) { event { id title } }
}`;
const DELETE_EVENT = `mutation ($id: ID!) { deleteEvent(id: $id) }`;
const UPDATE_ONE = `mutation ($id: ID!, $input: EventInput!, $occurrence: DateTimeISO!) {
  updateEvent(id: $id, input: $input, scope: THIS, occurrence: $occurrence) { event { id recurringEventId } }
}`;
const NOTHING = { pulled: 0, pushed: 0, deleted: 0, conflicts: 0 };
const CREATE_LOCAL = `mutation ($input: CreateCalendarInput!) { createCalendar(input: $input) { id } }`;

async function calendarUser(): Promise<CalendarUser> {
  const user = await createCalendarUser();
  users.push(user);
  return user;
}

async function connect(member: ReturnType<typeof newMember>, user: CalendarUser, extra: Record<string, unknown> = {}) {
  const { connectCalDavCalendar } = await h.ok(member, CONNECT, {
    input: { url: user.calendarUrl, username: user.username, password: user.password, ...extra },
  });
  return connectCalDavCalendar;
}

async function syncCalendar(member: ReturnType<typeof newMember>, id: string) {
  const { syncCalendar } = await h.ok(member, SYNC, { id });
  expect(syncCalendar.syncError).toBeNull();
  return syncCalendar;
}

const stamp = (date: Date) => DateTime.fromJSDate(date, { zone: "UTC" }).toFormat("yyyyMMdd'T'HHmmss'Z'");

const BERLIN = [
  "BEGIN:VTIMEZONE",
  "TZID:Europe/Berlin",
  "BEGIN:DAYLIGHT",
  "TZOFFSETFROM:+0100",
  "TZOFFSETTO:+0200",
  "TZNAME:CEST",
  "DTSTART:19700329T020000",
  "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
  "END:DAYLIGHT",
  "BEGIN:STANDARD",
  "TZOFFSETFROM:+0200",
  "TZOFFSETTO:+0100",
  "TZNAME:CET",
  "DTSTART:19701025T030000",
  "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
  "END:STANDARD",
  "END:VTIMEZONE",
];

/** A calendar object as another client writes it: Berlin wall times with a VTIMEZONE, LAST-MODIFIED given. */
function serverIcs(event: {
  uid: string;
  title: string;
  start: string;
  end: string;
  rrule?: string;
  lastModified: Date | null;
  /** DTSTAMP (default: LAST-MODIFIED, else now). */
  dtstamp?: Date;
  /** Changed occurrences (RECURRENCE-ID, Berlin wall times). */
  overrides?: { recurrenceId: string; title: string; start: string; end: string }[];
}): string {
  const common = (title: string) => [
    `UID:${event.uid}`,
    `DTSTAMP:${stamp(event.dtstamp ?? event.lastModified ?? new Date())}`,
    ...(event.lastModified ? [`LAST-MODIFIED:${stamp(event.lastModified)}`] : []),
    `SUMMARY:${title}`,
  ];
  return [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Other Client//EN",
    ...BERLIN,
    "BEGIN:VEVENT",
    ...common(event.title),
    `DTSTART;TZID=Europe/Berlin:${event.start}`,
    `DTEND;TZID=Europe/Berlin:${event.end}`,
    ...(event.rrule ? [`RRULE:${event.rrule}`] : []),
    "END:VEVENT",
    ...(event.overrides ?? []).flatMap((override) => [
      "BEGIN:VEVENT",
      ...common(override.title),
      `RECURRENCE-ID;TZID=Europe/Berlin:${override.recurrenceId}`,
      `DTSTART;TZID=Europe/Berlin:${override.start}`,
      `DTEND;TZID=Europe/Berlin:${override.end}`,
      "END:VEVENT",
    ]),
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

/** PUT straight into Radicale; returns the object's URL and new ETag. */
async function putOnServer(user: CalendarUser, href: string, ics: string): Promise<{ href: string; etag: string }> {
  const response = await fetch(href, {
    method: "PUT",
    headers: { authorization: user.authorization, "content-type": "text/calendar; charset=utf-8" },
    body: ics,
  });
  expect(response.status, await response.text()).toBeLessThan(300);
  const etag = response.headers.get("etag");
  expect(etag).toBeTruthy();
  return { href, etag: etag! };
}

async function deleteOnServer(user: CalendarUser, href: string): Promise<void> {
  const response = await fetch(href, { method: "DELETE", headers: { authorization: user.authorization } });
  expect(response.status).toBeLessThan(300);
}

/** Every object in the user's Radicale calendar (PROPFIND, then GET each), parsed. */
async function serverEvents(user: CalendarUser): Promise<{ href: string; ics: string; event: ICalEvent }[]> {
  const listing = await fetch(user.calendarUrl!, {
    method: "PROPFIND",
    headers: { authorization: user.authorization, depth: "1", "content-type": "application/xml" },
    body: `<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>`,
  });
  expect(listing.status).toBe(207);
  const hrefs = [...(await listing.text()).matchAll(/<(?:\w+:)?href>([^<]+\.ics)<\/(?:\w+:)?href>/g)].map(
    (match) => new URL(match[1]!, CALDAV_URL).href,
  );
  const objects = [];
  for (const href of hrefs) {
    const response = await fetch(href, { headers: { authorization: user.authorization } });
    expect(response.status).toBe(200);
    const ics = await response.text();
    const [event] = parseCalendar(ics).events;
    objects.push({ href, ics, event: event! });
  }
  return objects;
}

interface EventRow {
  id: string;
  uid: string;
  title: string;
  remote_href: string | null;
  remote_etag: string | null;
  synced_at: Date | null;
  updated_at: Date;
  deleted_at: Date | null;
}

const date = (value: unknown) => (value === null ? null : new Date(value as string));

/** The calendar's event rows with their sync columns. */
async function rowsOf(calendarId: string): Promise<EventRow[]> {
  const rows = await h.sql(
    `select id, uid, title, remote_href, remote_etag, synced_at, updated_at, deleted_at
     from calendar_events where calendar_id = ? order by uid, id`,
    [calendarId],
  );
  return rows.map((row) => ({
    id: row.id,
    uid: row.uid,
    title: row.title,
    remote_href: row.remote_href,
    remote_etag: row.remote_etag,
    synced_at: date(row.synced_at),
    updated_at: date(row.updated_at)!,
    deleted_at: date(row.deleted_at),
  }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("connecting a CalDAV calendar", () => {
  it("refuses a wrong password (on password), a URL that is not a calendar or not reachable (on url), saving nothing", async () => {
    const user = await calendarUser();
    const me = newMember();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ password: `${user.password}-wrong` }, "password", /refused/],
      [{ url: `${CALDAV_URL}/${encodeURIComponent(user.username)}/nothing-here/` }, "url", /No CalDAV calendar/],
      [{ url: "http://127.0.0.1:9/dav/" }, "url", /could not be reached/],
      [{ url: "ftp://127.0.0.1/cal/" }, "url", /http/],
      [{ url: `http://${user.username}:pw@127.0.0.1:5232/` }, "url", /own fields/],
    ];
    for (const [change, field, message] of cases) {
      const response = await h.call(me, CONNECT, {
        input: { url: user.calendarUrl, username: user.username, password: user.password, ...change },
      });
      expect(errorCode(response), JSON.stringify(change)).toBe("BAD_USER_INPUT");
      expect(response.errors?.[0]?.extensions?.field, JSON.stringify(change)).toBe(field);
      expect(response.errors?.[0]?.message).toMatch(message);
    }
    const [count] = await h.sql<{ count: string }>(`select count(*) from calendars where workspace_id = ?`, [
      me.workspaceId,
    ]);
    expect(Number(count!.count)).toBe(0);
  });

  it("finds the calendar under the user's home by display name, keeps the password sealed, and refuses it twice", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user, { url: user.homeUrl, displayName: "Calendar", timeZone: "Europe/Berlin" });
    expect(calendar).toMatchObject({
      name: "Calendar",
      kind: "PERSONAL",
      source: "CALDAV",
      timeZone: "Europe/Berlin",
      caldavUrl: user.calendarUrl,
      syncError: null,
    });
    expect(calendar.lastSyncedAt).not.toBeNull();
    const [row] = await h.sql(`select caldav_secret, caldav_username from calendars where id = ?`, [calendar.id]);
    expect(row!.caldav_username).toBe(user.username);
    expect(row!.caldav_secret).toMatch(/^v1\./);
    expect(row!.caldav_secret).not.toContain(user.password);
    const again = await h.call(me, CONNECT, {
      input: { url: user.calendarUrl, username: user.username, password: user.password },
    });
    expect(errorCode(again)).toBe("BAD_USER_INPUT");
    expect(again.errors?.[0]?.extensions?.field).toBe("url");
    // A LOCAL calendar has no URL.
    await h.ok(me, CREATE_LOCAL, { input: { name: "Local" } });
    const { calendars } = await h.ok(me, `{ calendars { source caldavUrl } }`);
    expect(calendars).toEqual([
      { source: "CALDAV", caldavUrl: user.calendarUrl },
      { source: "LOCAL", caldavUrl: null },
    ]);
  });
});

describe("two-way sync with Radicale", () => {
  it("brings an event made on the server into Mary with its times and zone, across a DST change", async () => {
    const user = await calendarUser();
    const uid = `weekly-${randomUUID()}@other.client`;
    await putOnServer(
      user,
      `${user.calendarUrl}weekly.ics`,
      serverIcs({
        uid,
        title: "Weekly sync",
        start: "20260316T090000",
        end: "20260316T093000",
        rrule: "FREQ=WEEKLY;COUNT=4",
        lastModified: new Date("2026-03-01T10:00:00Z"),
      }),
    );
    const me = newMember();
    const calendar = await connect(me, user);
    const { events } = await h.ok(me, EVENTS, {
      calendarIds: [calendar.id],
      from: "2026-03-01T00:00:00Z",
      to: "2026-05-01T00:00:00Z",
    });
    // 09:00 in Berlin: 08:00Z before the change on March 29, 07:00Z after it.
    expect(events.map((o: { start: string }) => o.start)).toEqual([
      "2026-03-16T08:00:00.000Z",
      "2026-03-23T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-04-06T07:00:00.000Z",
    ]);
    for (const occurrence of events) {
      expect(occurrence.event.timeZone).toBe("Europe/Berlin");
      expect(occurrence.localStart).toMatch(/T09:00:00\+0[12]:00$/);
      expect(new Date(occurrence.end).getTime() - new Date(occurrence.start).getTime()).toBe(30 * 60_000);
      expect(occurrence.event).toMatchObject({ uid, title: "Weekly sync" });
    }
    const [row] = await rowsOf(calendar.id);
    expect(row!.remote_href).toBe(`${user.calendarUrl}weekly.ics`);
    expect(row!.remote_etag).toMatch(/^".+"$/);
    expect(row!.synced_at).toEqual(row!.updated_at);
  });

  it("sends an event made in Mary to the server, and a second sync with nothing changed moves nothing", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user, { timeZone: "America/New_York" });
    const start = DateTime.fromISO("2026-11-02T10:00", { zone: "America/New_York" });
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId: calendar.id,
      input: {
        title: "Made in Mary",
        start: start.toUTC().toISO(),
        end: start.plus({ hours: 1 }).toUTC().toISO(),
        recurrence: { rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=6" },
      },
    });
    // And one on the server at the same time, to see both directions in one sync.
    await putOnServer(
      user,
      `${user.calendarUrl}other.ics`,
      serverIcs({
        uid: "other@other.client",
        title: "From the server",
        start: "20261103T120000",
        end: "20261103T130000",
        lastModified: new Date(),
      }),
    );
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual({
      pulled: 1,
      pushed: 1,
      deleted: 0,
      conflicts: 0,
    });
    const onServer = await serverEvents(user);
    const mine = onServer.find((object) => object.event.uid === createEvent.event.uid);
    expect(mine).toBeDefined();
    expect(mine!.event).toMatchObject({
      title: "Made in Mary",
      timing: expect.objectContaining({
        start: new Date(createEvent.event.start),
        end: new Date(createEvent.event.end),
        timeZone: "America/New_York",
        allDay: false,
      }),
    });
    expect(canonicalRrule(mine!.event.timing.rrule)).toBe(canonicalRrule("FREQ=WEEKLY;BYDAY=MO;COUNT=6"));
    expect(mine!.ics).toMatch(/DTSTART;TZID=America\/New_York:20261102T100000/);
    const before = await rowsOf(calendar.id);
    expect(before).toHaveLength(2);
    for (const row of before) {
      expect(row.remote_etag).toBeTruthy();
      expect(row.synced_at).toEqual(row.updated_at);
    }
    expect(before.find((row) => row.id === createEvent.event.id)!.remote_href).toBe(mine!.href);

    // The server now reports Mary's own write as a change: recognised by its ETag, it is not read back.
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual({
      pulled: 0,
      pushed: 0,
      deleted: 0,
      conflicts: 0,
    });
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual({
      pulled: 0,
      pushed: 0,
      deleted: 0,
      conflicts: 0,
    });
    expect(await rowsOf(calendar.id)).toEqual(before);
    expect((await serverEvents(user)).map((object) => object.ics).sort()).toEqual(
      onServer.map((object) => object.ics).sort(),
    );
  });

  it("edited on both sides, the server's later change wins in both places, recorded as kept SERVER", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user, { timeZone: "Europe/Berlin" });
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId: calendar.id,
      input: { title: "Planning", start: "2026-06-01T08:00:00Z", end: "2026-06-01T09:00:00Z" },
    });
    await syncCalendar(me, calendar.id);
    const [synced] = await rowsOf(calendar.id);

    await h.ok(me, UPDATE_EVENT, { id: createEvent.event.id, input: { title: "Planning (Mary's edit)" } });
    await sleep(1_100);
    const serverEdit = new Date();
    await putOnServer(
      user,
      synced!.remote_href!,
      serverIcs({
        uid: createEvent.event.uid,
        title: "Planning (server's edit)",
        start: "20260601T110000",
        end: "20260601T120000",
        lastModified: serverEdit,
      }),
    );
    const [edited] = await rowsOf(calendar.id);
    expect(edited!.updated_at.getTime()).toBeGreaterThan(edited!.synced_at!.getTime());

    const after = await syncCalendar(me, calendar.id);
    expect(after.lastSyncedAt).not.toBeNull();
    const { event } = await h.ok(me, `query ($id: ID!) { event(id: $id) { title start end } }`, {
      id: createEvent.event.id,
    });
    expect(event).toEqual({
      title: "Planning (server's edit)",
      start: "2026-06-01T09:00:00.000Z",
      end: "2026-06-01T10:00:00.000Z",
    });
    const [onServer] = await serverEvents(user);
    expect(onServer!.event.title).toBe("Planning (server's edit)");
    const { calendar: withConflicts } = await h.ok(me, CONFLICTS, { id: calendar.id });
    expect(withConflicts.syncConflicts).toEqual([
      {
        eventId: createEvent.event.id,
        uid: createEvent.event.uid,
        title: "Planning (server's edit)",
        kept: "SERVER",
        maryUpdatedAt: edited!.updated_at.toISOString(),
        serverUpdatedAt: new Date(Math.floor(serverEdit.getTime() / 1000) * 1000).toISOString(),
        detectedAt: expect.any(String),
      },
    ]);
    // Settled: the next sync has nothing to do.
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toMatchObject({ pulled: 0, pushed: 0 });
  });

  it("edited on both sides, Mary's later change wins in both places, recorded as kept MARY", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user, { timeZone: "Europe/Berlin" });
    const uid = `review-${randomUUID()}@other.client`;
    const href = `${user.calendarUrl}review.ics`;
    await putOnServer(
      user,
      href,
      serverIcs({
        uid,
        title: "Review",
        start: "20260701T100000",
        end: "20260701T110000",
        lastModified: new Date("2026-05-01T00:00:00Z"),
      }),
    );
    await syncCalendar(me, calendar.id);
    const [row] = await rowsOf(calendar.id);
    expect(row!.title).toBe("Review");

    // The server's edit first, then, over a second later, Mary's.
    const serverEdit = new Date();
    await putOnServer(
      user,
      href,
      serverIcs({
        uid,
        title: "Review (server's edit)",
        start: "20260701T100000",
        end: "20260701T110000",
        lastModified: serverEdit,
      }),
    );
    await sleep(1_100);
    await h.ok(me, UPDATE_EVENT, {
      id: row!.id,
      input: { title: "Review (Mary's edit)", start: "2026-07-01T12:00:00Z", end: "2026-07-01T13:30:00Z" },
    });
    const [edited] = await rowsOf(calendar.id);

    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual({
      pulled: 0,
      pushed: 1,
      deleted: 0,
      conflicts: 1,
    });
    const [onServer] = await serverEvents(user);
    expect(onServer!.href).toBe(href);
    expect(onServer!.event).toMatchObject({
      uid,
      title: "Review (Mary's edit)",
      timing: expect.objectContaining({
        start: new Date("2026-07-01T12:00:00Z"),
        end: new Date("2026-07-01T13:30:00Z"),
        timeZone: "Europe/Berlin",
      }),
    });
    const { event } = await h.ok(me, `query ($id: ID!) { event(id: $id) { title start } }`, { id: row!.id });
    expect(event).toEqual({ title: "Review (Mary's edit)", start: "2026-07-01T12:00:00.000Z" });
    const { calendar: withConflicts } = await h.ok(me, CONFLICTS, { id: calendar.id });
    expect(withConflicts.syncConflicts).toEqual([
      expect.objectContaining({
        eventId: row!.id,
        uid,
        title: "Review (Mary's edit)",
        kept: "MARY",
        maryUpdatedAt: edited!.updated_at.toISOString(),
        serverUpdatedAt: new Date(Math.floor(serverEdit.getTime() / 1000) * 1000).toISOString(),
      }),
    ]);
    const [settled] = await rowsOf(calendar.id);
    expect(settled!.synced_at).toEqual(settled!.updated_at);
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toMatchObject({ pulled: 0, pushed: 0 });
  });

  it("a write that meets a change the pull did not see (412) re-reads the object and settles it", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user, { timeZone: "Europe/Berlin" });
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId: calendar.id,
      input: { title: "Raced", start: "2026-06-05T08:00:00Z", end: "2026-06-05T09:00:00Z" },
    });
    await syncCalendar(me, calendar.id);
    const [synced] = await rowsOf(calendar.id);
    const serverEdit = await putOnServer(
      user,
      synced!.remote_href!,
      serverIcs({
        uid: createEvent.event.uid,
        title: "Raced (server's older edit)",
        start: "20260605T100000",
        end: "20260605T110000",
        lastModified: new Date("2026-05-01T00:00:00Z"),
      }),
    );
    // As if the server's change came in between the sync's pull and its push: the saved token is past it.
    const remote = await CalDavCalendar.connect({
      url: user.calendarUrl!,
      username: user.username,
      password: user.password,
    });
    const { syncToken } = await remote.changes(null);
    await h.sql(`update calendars set caldav_sync_token = ? where id = ?`, [syncToken, calendar.id]);
    await h.ok(me, UPDATE_EVENT, { id: createEvent.event.id, input: { title: "Raced (Mary's edit)" } });

    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual({ ...NOTHING, pushed: 1, conflicts: 1 });
    const [onServer] = await serverEvents(user);
    expect(onServer!.event.title).toBe("Raced (Mary's edit)");
    const [settled] = await rowsOf(calendar.id);
    expect(settled!.remote_etag).not.toBe(serverEdit.etag);
    expect(settled!.synced_at).toEqual(settled!.updated_at);
    const { calendar: withConflicts } = await h.ok(me, CONFLICTS, { id: calendar.id });
    expect(withConflicts.syncConflicts).toEqual([
      expect.objectContaining({ kept: "MARY", serverUpdatedAt: "2026-05-01T00:00:00.000Z" }),
    ]);
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual(NOTHING);
  });

  it("an edit in Mary outlives a deletion on the server: made there again, recorded as kept MARY", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user);
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId: calendar.id,
      input: { title: "Keep me", start: "2026-08-01T08:00:00Z", end: "2026-08-01T09:00:00Z" },
    });
    await syncCalendar(me, calendar.id);
    const [synced] = await rowsOf(calendar.id);
    await deleteOnServer(user, synced!.remote_href!);
    await h.ok(me, UPDATE_EVENT, { id: createEvent.event.id, input: { title: "Keep me (edited)" } });
    await syncCalendar(me, calendar.id);
    const onServer = await serverEvents(user);
    expect(onServer.map((object) => [object.href, object.event.title])).toEqual([
      [synced!.remote_href, "Keep me (edited)"],
    ]);
    const { calendar: withConflicts } = await h.ok(me, CONFLICTS, { id: calendar.id });
    expect(withConflicts.syncConflicts).toEqual([
      expect.objectContaining({ eventId: createEvent.event.id, kept: "MARY", title: "Keep me (edited)" }),
    ]);
  });

  it("a deletion in Mary reaches the server, and one on the server removes the event in Mary", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user);
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId: calendar.id,
      input: { title: "Deleted in Mary", start: "2026-09-01T08:00:00Z", end: "2026-09-01T09:00:00Z" },
    });
    await putOnServer(
      user,
      `${user.calendarUrl}doomed.ics`,
      serverIcs({
        uid: "doomed@other.client",
        title: "Deleted on the server",
        start: "20260902T100000",
        end: "20260902T110000",
        lastModified: new Date(),
      }),
    );
    await syncCalendar(me, calendar.id);
    expect((await serverEvents(user)).map((object) => object.event.title).sort()).toEqual([
      "Deleted in Mary",
      "Deleted on the server",
    ]);
    const range = { calendarIds: [calendar.id], from: "2026-09-01T00:00:00Z", to: "2026-09-03T00:00:00Z" };
    expect((await h.ok(me, EVENTS, range)).events).toHaveLength(2);

    await h.ok(me, DELETE_EVENT, { id: createEvent.event.id });
    // Until the sync, a tombstone: gone from Mary's lists, still on the server.
    expect((await h.ok(me, EVENTS, range)).events.map((o: { event: { title: string } }) => o.event.title)).toEqual([
      "Deleted on the server",
    ]);
    expect((await rowsOf(calendar.id)).find((row) => row.id === createEvent.event.id)!.deleted_at).not.toBeNull();
    await deleteOnServer(user, `${user.calendarUrl}doomed.ics`);

    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual({
      pulled: 0,
      pushed: 0,
      deleted: 2,
      conflicts: 0,
    });
    expect(await serverEvents(user)).toEqual([]);
    expect((await h.ok(me, EVENTS, range)).events).toEqual([]);
    expect(await rowsOf(calendar.id)).toEqual([]);
  });

  it("a server change without LAST-MODIFIED counts as the newer one", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user, { timeZone: "Europe/Berlin" });
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId: calendar.id,
      input: { title: "Undated", start: "2026-06-03T08:00:00Z", end: "2026-06-03T09:00:00Z" },
    });
    await syncCalendar(me, calendar.id);
    const [synced] = await rowsOf(calendar.id);
    await putOnServer(
      user,
      synced!.remote_href!,
      serverIcs({
        uid: createEvent.event.uid,
        title: "Undated (server's edit)",
        start: "20260603T100000",
        end: "20260603T110000",
        lastModified: null,
        dtstamp: new Date("2020-01-01T00:00:00Z"), // older than Mary's edit: not what decides
      }),
    );
    await h.ok(me, UPDATE_EVENT, { id: createEvent.event.id, input: { title: "Undated (Mary's edit)" } });
    const before = Date.now();
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual({ ...NOTHING, pulled: 1, conflicts: 1 });
    const { event } = await h.ok(me, `query ($id: ID!) { event(id: $id) { title } }`, { id: createEvent.event.id });
    expect(event.title).toBe("Undated (server's edit)");
    const { calendar: withConflicts } = await h.ok(me, CONFLICTS, { id: calendar.id });
    expect(withConflicts.syncConflicts).toHaveLength(1);
    expect(withConflicts.syncConflicts[0].kept).toBe("SERVER");
    // Recorded with the time the sync saw it.
    expect(new Date(withConflicts.syncConflicts[0].serverUpdatedAt).getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it("carries a series with its changed occurrences as one object, both ways", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user, { timeZone: "Europe/Berlin" });
    const first = DateTime.fromISO("2026-10-19T09:00", { zone: "Europe/Berlin" });
    const { createEvent } = await h.ok(me, CREATE_EVENT, {
      calendarId: calendar.id,
      input: {
        title: "Standup",
        start: first.toUTC().toISO(),
        end: first.plus({ minutes: 15 }).toUTC().toISO(),
        recurrence: { rrule: "FREQ=WEEKLY;COUNT=3" },
      },
    });
    // The second, after the change to winter time, moved to 11:00.
    const second = first.plus({ weeks: 1 });
    await h.ok(me, UPDATE_ONE, {
      id: createEvent.event.id,
      input: { title: "Standup (late)", start: second.set({ hour: 11 }).toUTC().toISO() },
      occurrence: second.toUTC().toISO(),
    });
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual({ ...NOTHING, pushed: 1 });
    const [mine] = await serverEvents(user);
    expect(mine!.event.uid).toBe(createEvent.event.uid);
    expect(mine!.event.overrides).toEqual([
      expect.objectContaining({
        recurrenceId: second.toJSDate(),
        title: "Standup (late)",
        start: second.set({ hour: 11 }).toJSDate(),
        end: second.set({ hour: 11, minute: 15 }).toJSDate(),
      }),
    ]);
    const rows = await rowsOf(calendar.id);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect([row.remote_href, row.synced_at]).toEqual([mine!.href, row.updated_at]);

    // The other way: a series with a changed occurrence made on the server.
    const uid = `series-${randomUUID()}@other.client`;
    await putOnServer(
      user,
      `${user.calendarUrl}series.ics`,
      serverIcs({
        uid,
        title: "Retro",
        start: "20261020T140000",
        end: "20261020T150000",
        rrule: "FREQ=WEEKLY;COUNT=3",
        lastModified: new Date(),
        overrides: [
          { recurrenceId: "20261027T140000", title: "Retro (moved)", start: "20261028T160000", end: "20261028T170000" },
        ],
      }),
    );
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual({ ...NOTHING, pulled: 1 });
    const { events } = await h.ok(me, EVENTS, {
      calendarIds: [calendar.id],
      from: "2026-10-20T00:00:00Z",
      to: "2026-11-10T00:00:00Z",
    });
    const retro = events.filter((o: { event: { uid: string } }) => o.event.uid === uid);
    expect(retro.map((o: { localStart: string; event: { title: string } }) => [o.localStart, o.event.title])).toEqual([
      ["2026-10-20T14:00:00+02:00", "Retro"],
      ["2026-10-28T16:00:00+01:00", "Retro (moved)"],
      ["2026-11-03T14:00:00+01:00", "Retro"],
    ]);
    expect(await h.app.caldav.sync(calendar.id, { waitMs: 30_000 })).toEqual(NOTHING);
  });

  it("runs one sync of a calendar at a time: a second one meanwhile is skipped", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user);
    const reports = await Promise.all([h.app.caldav.sync(calendar.id), h.app.caldav.sync(calendar.id)]);
    expect(reports.map((report) => report.skipped ?? "ran").sort()).toEqual(["locked", "ran"]);
  });

  it("saves a refused login as the calendar's syncError", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user);
    const { caldav_secret } = (await h.sql(`select caldav_secret from calendars where id = ?`, [calendar.id]))[0]!;
    // The server's password changed since (the user was made again with another one).
    await deleteCalendarUser(user.username);
    await createCalendarUser(user.username, `${user.password}-new`);
    const { syncCalendar } = await h.ok(me, SYNC, { id: calendar.id });
    expect(syncCalendar.syncError).toBe("the CalDAV server refused the login");
    expect(syncCalendar.lastSyncedAt).toBe(calendar.lastSyncedAt);
    expect((await h.sql(`select caldav_secret from calendars where id = ?`, [calendar.id]))[0]!.caldav_secret).toBe(
      caldav_secret,
    );
  });
});

describe("scheduled syncs", () => {
  it("runs a calendar's syncs on the shared queue, and a deleted calendar's scheduler goes with its next job", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user);
    const queue = new Queue(h.env.CALDAV_SYNC_QUEUE_NAME!, {
      connection: { url: h.env.REDIS_URL!, maxRetriesPerRequest: null },
    });
    try {
      const scheduler = await queue.getJobScheduler(`calendar-${calendar.id}`);
      expect(scheduler).toMatchObject({ every: 3_600_000 });
      await putOnServer(
        user,
        `${user.calendarUrl}queued.ics`,
        serverIcs({
          uid: "queued@other.client",
          title: "Via the queue",
          start: "20261201T100000",
          end: "20261201T110000",
          lastModified: new Date(),
        }),
      );
      // A job as the scheduler adds it.
      await queue.add("caldav-sync", { calendarId: calendar.id }, { jobId: `test-${randomUUID()}` });
      await eventually(async () => (await rowsOf(calendar.id)).some((row) => row.title === "Via the queue"));

      // Deleting the calendar stops its schedule at once.
      await h.ok(me, `mutation ($id: ID!) { deleteCalendar(id: $id) }`, { id: calendar.id });
      expect(await queue.getJobScheduler(`calendar-${calendar.id}`)).toBeFalsy();
    } finally {
      await queue.close();
    }
  });
});

describe("tenant isolation", () => {
  it("keeps a CalDAV calendar out of another workspace's reach, and a colleague's", async () => {
    const user = await calendarUser();
    const me = newMember();
    const calendar = await connect(me, user);
    for (const other of [newMember(), newMember(me.workspaceId)]) {
      for (const [query, variables] of [
        [SYNC, { id: calendar.id }],
        [CONFLICTS, { id: calendar.id }],
        [`query ($id: ID!) { calendar(id: $id) { caldavUrl } }`, { id: calendar.id }],
      ] as const) {
        const response = await h.call(other, query, variables);
        expect(errorCode(response), query).toBe("NOT_FOUND");
      }
      const { calendars } = await h.ok(other, `{ calendars { id } }`);
      expect(calendars.map((c: { id: string }) => c.id)).not.toContain(calendar.id);
    }
    // Syncing a LOCAL calendar is refused.
    const { createCalendar } = await h.ok(me, CREATE_LOCAL, { input: { name: "Local" } });
    const response = await h.call(me, SYNC, { id: createCalendar.id });
    expect(errorCode(response)).toBe("BAD_USER_INPUT");
    expect(response.errors?.[0]?.extensions?.field).toBe("id");
  });
});
