import { badUserInput } from "@mary/kit";
import { DateTime, IANAZone } from "luxon";

/** A wall-clock date and time without offset: `2026-03-29T09:30` or `2026-03-29T09:30:15`. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;
const DAY_MS = 86_400_000;

/** The instant a wall-clock time in a zone stands for, and whether the zone's clocks showed it twice. */
export interface ZonedInstant {
  at: Date;
  /** The local time happened twice (clocks set back at the end of daylight saving time): `at` is the earlier. */
  ambiguous: boolean;
}

/** The IANA zone, or BAD_USER_INPUT on `field`. */
export function checkTimeZone(zone: string, field = "timeZone"): IANAZone {
  // Fixed offsets ("UTC+2") follow no zone's rules; luxon's IANAZone accepts only names the runtime knows.
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(zone) || !IANAZone.isValidZone(zone)) {
    throw badUserInput(`\`${zone}\` is not an IANA time zone such as Europe/Berlin`, field);
  }
  return IANAZone.create(zone);
}

/**
 * The instant at which the clocks of `zoneName` show `local`, a date and time without offset.
 * A time that does not exist there (skipped when daylight saving time starts) is refused; a time
 * that exists twice (when it ends) is the earlier of the two instants, the one still on summer time.
 */
export function localToInstant(local: string, zoneName: string, field = "scheduleAt"): ZonedInstant {
  const zone = checkTimeZone(zoneName, field === "scheduleAt" ? "timeZone" : `${field}TimeZone`);
  const wall = LOCAL_DATE_TIME.test(local) ? DateTime.fromISO(local, { zone: "UTC" }) : null;
  if (!wall?.isValid) {
    throw badUserInput(`\`${local}\` is not a local date and time such as 2026-03-29T09:30 (no offset)`, field);
  }
  const wallMs = wall.toMillis();
  // The zone's offsets around that day: an instant is a candidate when the zone's offset at it
  // turns it back into the same wall-clock time.
  const offsets = new Set([zone.offset(wallMs - DAY_MS), zone.offset(wallMs), zone.offset(wallMs + DAY_MS)]);
  const instants = [...offsets]
    .map((offset) => wallMs - offset * 60_000)
    .filter((instant) => zone.offset(instant) * 60_000 === wallMs - instant)
    .sort((a, b) => a - b);
  const earliest = instants[0];
  if (earliest === undefined) {
    throw badUserInput(
      `${local} does not exist in ${zoneName}: the clocks skip it (daylight saving time starts); choose another time`,
      field,
    );
  }
  return { at: new Date(earliest), ambiguous: instants.length > 1 };
}

/** The wall-clock time of an instant in a zone, as `localToInstant` takes it (to the second). */
export function instantToLocal(at: Date, zoneName: string): string {
  return DateTime.fromJSDate(at, { zone: zoneName }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}
