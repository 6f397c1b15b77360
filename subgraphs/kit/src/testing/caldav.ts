import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { repoRoot, runUserCommand, servicesDataDir } from "./user-command.ts";

// The CalDAV server `scripts/services up` starts (Radicale, configured by scripts/radicale/run),
// or the `radicale` service of docker-compose.yml. HTTP Basic auth; each user may only see and
// change the collections under /<user>/.

/** The CalDAV server's root. */
export const CALDAV_URL = (process.env.CALDAV_URL ?? "http://127.0.0.1:5232").replace(/\/+$/, "");

/**
 * Runs the server's user command (`<command> add USER`, password on stdin): CALDAV_USER_COMMAND,
 * split on spaces (with docker compose: `docker compose exec -T radicale /opt/mary-radicale/user`),
 * else scripts/radicale/user on the data of `scripts/services` (SERVICES_DATA_DIR, default `<repo>/.data`).
 */
function calendarUser(args: string[], input = ""): Promise<void> {
  const configured = process.env.CALDAV_USER_COMMAND?.trim();
  if (configured) return runUserCommand(configured.split(/\s+/), args, process.env, input);
  const env = {
    ...process.env,
    RADICALE_DATA_DIR: process.env.RADICALE_DATA_DIR ?? resolve(servicesDataDir(), "radicale"),
  };
  return runUserCommand(["bash", resolve(repoRoot, "scripts/radicale/user")], args, env, input);
}

/** A CalDAV user made for a test, with one calendar (unless asked for none). */
export interface CalendarUser {
  username: string;
  password: string;
  /** The user's home collection (principal and calendar home): `<CALDAV_URL>/<user>/`. */
  homeUrl: string;
  /** The calendar made with the user, or null. */
  calendarUrl: string | null;
  /** HTTP Basic credentials for this user, as a header value. */
  authorization: string;
}

/** A user name no other test uses: `<prefix>-<random>@mary.test` (CalDAV clients often log in with an address). */
export const testCalendarUsername = (prefix = "user") => `${prefix}-${randomBytes(5).toString("hex")}@mary.test`;

/**
 * Makes a user on the running CalDAV server, who can log in as soon as this resolves (a wrong
 * password is refused with 401), and a calendar named `calendar` in their home (MKCALENDAR, with
 * the display name given), unless `calendar` is null. Takes some 30 ms; may run concurrently.
 */
export async function createCalendarUser(
  username = testCalendarUsername(),
  password = randomBytes(12).toString("base64url"),
  { calendar = "calendar", displayName = "Calendar" }: { calendar?: string | null; displayName?: string } = {},
): Promise<CalendarUser> {
  username = username.toLowerCase();
  if (password === "" || /[\r\n]/.test(password)) throw new Error("a CalDAV password is one non-empty line");
  await calendarUser(["add", username], `${password}\n`);
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  const homeUrl = `${CALDAV_URL}/${encodeURIComponent(username)}/`;
  let calendarUrl: string | null = null;
  if (calendar !== null) {
    calendarUrl = `${homeUrl}${encodeURIComponent(calendar)}/`;
    const response = await fetch(calendarUrl, {
      method: "MKCALENDAR",
      headers: { authorization, "content-type": "application/xml; charset=utf-8" },
      body: `<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>${escapeXml(displayName)}</D:displayname></D:prop></D:set>
</C:mkcalendar>`,
    });
    if (response.status !== 201) {
      throw new Error(`MKCALENDAR ${calendarUrl} answered ${response.status}: ${await response.text()}`);
    }
  }
  return { username, password, homeUrl, calendarUrl, authorization };
}

/** Removes a user made by createCalendarUser, with their calendars and address books. */
export async function deleteCalendarUser(username: string): Promise<void> {
  await calendarUser(["remove", username.toLowerCase()]);
}

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
