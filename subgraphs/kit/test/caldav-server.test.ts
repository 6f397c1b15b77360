// The CalDAV server of `scripts/services up` (Radicale) as a calendar subgraph would use it: users
// made at run time with a calendar, an event written and found again by a time-range query, a
// change with If-Match, what changed since a sync token, a wrong password and another user refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCalendarUser, deleteCalendarUser, testCalendarUsername, type CalendarUser } from "@mary/kit/testing";

let alice: CalendarUser;
let bob: CalendarUser;

beforeAll(async () => {
  [alice, bob] = await Promise.all([
    createCalendarUser(testCalendarUsername("alice"), undefined, { displayName: "Alice's work" }),
    createCalendarUser(testCalendarUsername("bob")),
  ]);
});

afterAll(async () => {
  await Promise.all([alice, bob].filter(Boolean).map((user) => deleteCalendarUser(user.username)));
});

const dav = (user: CalendarUser, url: string, method: string, body?: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method,
    headers: { authorization: user.authorization, "content-type": "application/xml; charset=utf-8", ...headers },
    body,
  });

const event = (uid: string, summary: string, start: string, end: string) =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Mary//tests//EN",
    "BEGIN:VEVENT",
    `UID:${uid}`,
    "DTSTAMP:20260101T000000Z",
    `DTSTART:${start}`,
    `DTEND:${end}`,
    `SUMMARY:${summary}`,
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");

const timeRangeQuery = (start: string, end: string) => `<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="${start}" end="${end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>`;

describe("CalDAV server", () => {
  test("a user made at run time has a calendar in their home, with its display name", async () => {
    const response = await dav(
      alice,
      alice.homeUrl,
      "PROPFIND",
      `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:resourcetype/><D:displayname/><D:sync-token/></D:prop>
</D:propfind>`,
      { depth: "1" },
    );
    expect(response.status).toBe(207);
    const body = await response.text();
    expect(body).toContain(new URL(alice.calendarUrl!).pathname);
    expect(body).toMatch(/<C:calendar\s*\/>/);
    expect(body).toContain("Alice's work");
  });

  test("an event is written, found by a time-range query, changed with If-Match, and reported by sync-collection", async () => {
    const uid = randomUUID();
    const url = `${alice.calendarUrl}${uid}.ics`;
    const calendar = { "content-type": "text/calendar; charset=utf-8" };

    const created = await dav(
      alice,
      url,
      "PUT",
      event(uid, "Quarterly review", "20270105T100000Z", "20270105T110000Z"),
      calendar,
    );
    expect(created.status).toBe(201);
    const etag = created.headers.get("etag");
    expect(etag).toBeTruthy();

    // What sync-collection reports from here on is what changes after this token.
    const tokenResponse = await dav(
      alice,
      alice.calendarUrl!,
      "PROPFIND",
      `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>`,
      { depth: "0" },
    );
    const syncToken = /<sync-token>([^<]+)<\/sync-token>/.exec(await tokenResponse.text())?.[1];
    expect(syncToken).toBeTruthy();

    const inRange = await dav(
      alice,
      alice.calendarUrl!,
      "REPORT",
      timeRangeQuery("20270105T000000Z", "20270106T000000Z"),
      {
        depth: "1",
      },
    );
    expect(inRange.status).toBe(207);
    expect(await inRange.text()).toContain("SUMMARY:Quarterly review");
    const outOfRange = await dav(
      alice,
      alice.calendarUrl!,
      "REPORT",
      timeRangeQuery("20270201T000000Z", "20270202T000000Z"),
      {
        depth: "1",
      },
    );
    expect(await outOfRange.text()).not.toContain(uid);

    // A stale ETag is refused; the current one takes the change.
    const stale = await dav(alice, url, "PUT", event(uid, "Moved review", "20270106T100000Z", "20270106T110000Z"), {
      ...calendar,
      "if-match": '"not-the-etag"',
    });
    expect(stale.status).toBe(412);
    const changed = await dav(alice, url, "PUT", event(uid, "Moved review", "20270106T100000Z", "20270106T110000Z"), {
      ...calendar,
      "if-match": etag!,
    });
    expect(changed.status).toBe(201);
    expect(await (await dav(alice, url, "GET")).text()).toContain("SUMMARY:Moved review");

    const sync = await dav(
      alice,
      alice.calendarUrl!,
      "REPORT",
      `<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:"><D:sync-token>${syncToken}</D:sync-token><D:sync-level>1</D:sync-level>
  <D:prop><D:getetag/></D:prop></D:sync-collection>`,
    );
    expect(sync.status).toBe(207);
    expect(await sync.text()).toContain(`${uid}.ics`);

    expect((await dav(alice, url, "DELETE")).status).toBe(200);
    expect((await dav(alice, url, "GET")).status).toBe(404);
  });

  test("a wrong password is refused with 401, and another user's calendar with 403", async () => {
    const wrong = { ...alice, authorization: `Basic ${Buffer.from(`${alice.username}:nope`).toString("base64")}` };
    expect((await dav(wrong, alice.homeUrl, "PROPFIND", undefined, { depth: "0" })).status).toBe(401);
    expect((await dav(bob, alice.calendarUrl!, "PROPFIND", undefined, { depth: "0" })).status).toBe(403);
    const put = await dav(
      bob,
      `${alice.calendarUrl}${randomUUID()}.ics`,
      "PUT",
      event(randomUUID(), "x", "20270105T100000Z", "20270105T110000Z"),
      {
        "content-type": "text/calendar; charset=utf-8",
      },
    );
    expect(put.status).toBe(403);
  });
});
