import { CALDAV_URL, createCalendarUser, deleteCalendarUser, type CalendarUser } from "@mary/kit/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exportSingle, parseCalendar } from "../src/scheduling/icalendar.ts";
import type { ICalEvent } from "../src/scheduling/types.ts";
import {
  CalDavAuthError,
  CalDavCalendar,
  CalDavConflictError,
  CalDavNotFoundError,
  type CalDavChanges,
} from "../src/services/caldav-client.ts";

// Against the CalDAV server of `scripts/services up` (Radicale): no stand-in.

function event(uid: string, title: string, sequence = 0): ICalEvent {
  return {
    uid,
    title,
    description: "Notes with <xml> & ampersands, commas; and\nlines",
    location: null,
    status: "CONFIRMED",
    timing: {
      start: new Date("2026-06-01T07:00:00Z"),
      end: new Date("2026-06-01T08:00:00Z"),
      timeZone: "Europe/Berlin",
      allDay: false,
      rrule: "FREQ=WEEKLY;BYDAY=MO",
      exdates: [new Date("2026-06-08T07:00:00Z")],
      rdates: [],
    },
    organizer: { userId: null, email: "ada@mary.test", name: "Ada" },
    attendees: [{ userId: null, email: "bob@example.com", name: "Bob", rsvp: "NEEDS_ACTION" }],
    sequence,
    updatedAt: new Date("2026-05-01T10:00:00Z"),
    overrides: [],
  };
}

const connect = (user: CalendarUser, extra: Partial<Parameters<typeof CalDavCalendar.connect>[0]> = {}) =>
  CalDavCalendar.connect({
    url: user.calendarUrl!,
    username: user.username,
    password: user.password,
    timeoutMs: 5000,
    ...extra,
  });

const hrefs = (changes: CalDavChanges) => ({
  changed: changes.changed.map((o) => o.href).sort(),
  removed: [...changes.removed].sort(),
  full: changes.full,
});

describe("CalDAV calendar client (real server)", () => {
  const users: CalendarUser[] = [];
  let user: CalendarUser;

  beforeAll(async () => {
    user = await createCalendarUser();
    users.push(user);
  });
  afterAll(async () => {
    await Promise.all(users.map((u) => deleteCalendarUser(u.username)));
  });

  test("put, list and parse, update with the right ETag, a stale ETag conflicts, delete", async () => {
    const calendar = await connect(user);
    expect(calendar.url).toBe(user.calendarUrl);
    expect(calendar.displayName).toBe("Calendar");
    expect(calendar.usesSyncCollection).toBe(true);

    const uid = "meeting-1@mary.test";
    const created = await calendar.put(uid, exportSingle(event(uid, "Kick-off")), null);
    expect(created.href).toBe(`${user.calendarUrl}meeting-1%40mary.test.ics`);
    expect(created.etag).toMatch(/^".+"$/);

    const listed = await calendar.list();
    expect(listed.map(({ href, etag }) => ({ href, etag }))).toEqual([created]);
    const parsed = parseCalendar(listed[0]!.ics);
    expect(parsed.errors).toEqual([]);
    expect(parsed.events).toEqual([event(uid, "Kick-off")]); // the text survives the XML round trip

    // Creating it again is refused: it exists.
    await expect(calendar.put(uid, exportSingle(event(uid, "Again")), null)).rejects.toMatchObject({
      name: "CalDavConflictError",
      reason: "etag",
      status: 412,
    });

    const updated = await calendar.put(uid, exportSingle(event(uid, "Kick-off (moved)", 1)), created.etag);
    expect(updated.href).toBe(created.href);
    expect(updated.etag).not.toBe(created.etag);
    const [reread] = await calendar.list();
    expect(parseCalendar(reread!.ics).events[0]).toMatchObject({ title: "Kick-off (moved)", sequence: 1 });
    expect(reread!.etag).toBe(updated.etag);

    // Writing over a change we have not seen: 412, the caller re-reads.
    const stale = calendar.put(uid, exportSingle(event(uid, "Lost update", 1)), created.etag);
    await expect(stale).rejects.toBeInstanceOf(CalDavConflictError);
    await expect(calendar.delete(created.href, created.etag)).rejects.toBeInstanceOf(CalDavConflictError);
    expect(parseCalendar((await calendar.list())[0]!.ics).events[0]!.title).toBe("Kick-off (moved)");

    expect(await calendar.delete(updated.href, updated.etag)).toBe(true);
    expect(await calendar.list()).toEqual([]);
    expect(await calendar.delete(updated.href, updated.etag)).toBe(false); // already gone
  });

  test("a second object with the same UID under another name is a UID conflict", async () => {
    const calendar = await connect(user);
    const uid = "dup@mary.test";
    const first = await calendar.put(uid, exportSingle(event(uid, "One")), null);
    const other = calendar.put(uid, exportSingle(event(uid, "Two")), null, { href: "elsewhere.ics" });
    await expect(other).rejects.toMatchObject({ name: "CalDavConflictError", reason: "uid", status: 409 });
    // An object another client named is updated under its own href.
    const written = await calendar.put(uid, exportSingle(event(uid, "One, edited")), first.etag, { href: first.href });
    expect(written.href).toBe(first.href);
    await expect(calendar.put(uid, "x", null, { href: "http://evil.example/steal.ics" })).rejects.toThrow(
      /is not an object of/,
    );
    await calendar.delete(written.href, written.etag);
  });

  test("UIDs that are not file names get a hashed name", async () => {
    const calendar = await connect(user);
    const uid = "weird/uid with spaces";
    const { href, etag } = await calendar.put(uid, exportSingle(event(uid, "Odd")), null);
    expect(href).toMatch(new RegExp(`^${user.calendarUrl}[0-9a-f]{64}\\.ics$`));
    expect(parseCalendar((await calendar.list())[0]!.ics).events[0]!.uid).toBe(uid);
    await calendar.delete(href, etag);
  });

  test("changes since a token report the added, changed and removed objects", async () => {
    const own = await createCalendarUser();
    users.push(own);
    const calendar = await connect(own);

    const start = await calendar.changes(null);
    expect(hrefs(start)).toEqual({ changed: [], removed: [], full: true });

    const a = await calendar.put("a@mary.test", exportSingle(event("a@mary.test", "A")), null);
    const b = await calendar.put("b@mary.test", exportSingle(event("b@mary.test", "B")), null);
    const added = await calendar.changes(start.syncToken);
    expect(hrefs(added)).toEqual({ changed: [a.href, b.href].sort(), removed: [], full: false });
    expect(added.changed.find((o) => o.href === a.href)).toMatchObject({ etag: a.etag });
    expect(parseCalendar(added.changed.find((o) => o.href === b.href)!.ics).events[0]!.title).toBe("B");
    expect(added.syncToken).not.toBe(start.syncToken);

    const quiet = await calendar.changes(added.syncToken);
    expect(hrefs(quiet)).toEqual({ changed: [], removed: [], full: false });

    const a2 = await calendar.put("a@mary.test", exportSingle(event("a@mary.test", "A2", 1)), a.etag);
    await calendar.delete(b.href, b.etag);
    const later = await calendar.changes(quiet.syncToken);
    expect(hrefs(later)).toEqual({ changed: [a.href], removed: [b.href], full: false });
    expect(later.changed[0]!.etag).toBe(a2.etag);
    expect(parseCalendar(later.changed[0]!.ics).events[0]!.title).toBe("A2");

    // A token the server does not know: everything again, or compared with what the caller holds.
    const bogus = "http://radicale.org/ns/sync/0000000000000000000000000000000000000000000000000000000000000000";
    expect(hrefs(await calendar.changes(bogus))).toEqual({ changed: [a.href], removed: [], full: true });
    const known = new Map([
      [a.href, a.etag],
      [b.href, b.etag],
    ]);
    expect(hrefs(await calendar.changes(bogus, known))).toEqual({ changed: [a.href], removed: [b.href], full: false });
  });

  test("without sync-collection, changes compare the ctag and ETags", async () => {
    const own = await createCalendarUser();
    users.push(own);
    const calendar = await connect(own, { sync: "etags" });
    expect(calendar.usesSyncCollection).toBe(false);

    const a = await calendar.put("a@mary.test", exportSingle(event("a@mary.test", "A")), null);
    const b = await calendar.put("b@mary.test", exportSingle(event("b@mary.test", "B")), null);
    const first = await calendar.changes(null);
    expect(hrefs(first)).toEqual({ changed: [a.href, b.href].sort(), removed: [], full: true });
    expect(first.syncToken).toMatch(/^ctag:.+/);
    expect(hrefs(await calendar.changes(first.syncToken))).toEqual({ changed: [], removed: [], full: false });

    const a2 = await calendar.put("a@mary.test", exportSingle(event("a@mary.test", "A2")), a.etag);
    await calendar.delete(b.href, b.etag);
    const known = new Map(first.changed.map((o) => [o.href, o.etag]));
    const later = await calendar.changes(first.syncToken, known);
    expect(hrefs(later)).toEqual({ changed: [a.href], removed: [b.href], full: false });
    expect(later.changed[0]!.etag).toBe(a2.etag);
    expect(later.syncToken).not.toBe(first.syncToken);
  });

  test("from a home or the server root it discovers the calendar, by display name when asked", async () => {
    const own = await createCalendarUser(undefined, undefined, { calendar: "work", displayName: "Work" });
    users.push(own);
    const second = await fetch(`${own.homeUrl}personal/`, {
      method: "MKCALENDAR",
      headers: { authorization: own.authorization, "content-type": "application/xml; charset=utf-8" },
      body: `<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Personal</D:displayname></D:prop></D:set></C:mkcalendar>`,
    });
    expect(second.status).toBe(201);
    const login = { username: own.username, password: own.password };

    const first = await CalDavCalendar.connect({ url: own.homeUrl, ...login });
    expect(first.url).toBe(`${own.homeUrl}personal/`); // the first by href
    const work = await CalDavCalendar.connect({ url: `${CALDAV_URL}/`, ...login, displayName: "Work" });
    expect(work).toMatchObject({ url: own.calendarUrl, displayName: "Work" });
    await expect(CalDavCalendar.connect({ url: own.homeUrl, ...login, displayName: "Nope" })).rejects.toThrow(
      CalDavNotFoundError,
    );
  });

  test("a wrong password is CalDavAuthError; a missing or foreign URL is CalDavNotFoundError", async () => {
    const wrong = connect(user, { password: `${user.password}x` });
    await expect(wrong).rejects.toBeInstanceOf(CalDavAuthError);
    await expect(wrong).rejects.toThrow(/refused the user name or password/);
    await expect(connect(user, { url: `${user.homeUrl}missing/` })).rejects.toBeInstanceOf(CalDavNotFoundError);
    const other = await createCalendarUser(undefined, undefined, { calendar: null });
    users.push(other);
    // Another user's home, or one with no calendar at all.
    await expect(connect(user, { url: other.homeUrl })).rejects.toMatchObject({
      name: "CalDavNotFoundError",
      status: 403,
    });
    const empty = CalDavCalendar.connect({ url: other.homeUrl, username: other.username, password: other.password });
    await expect(empty).rejects.toThrow(/no calendar under/);
  });

  test("a server that does not answer in time is a timeout error", async () => {
    // A listening socket that never answers.
    const { createServer } = await import("node:net");
    const sockets = new Set<import("node:net").Socket>();
    const server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const started = Date.now();
      const silent = CalDavCalendar.connect({
        url: `http://127.0.0.1:${port}/cal/`,
        username: "a",
        password: "b",
        timeoutMs: 300,
      });
      await expect(silent).rejects.toThrow(/did not answer within 300 ms/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});
