import { badUserInput } from "@mary/kit";
import { IANAZone } from "luxon";

/** Each name asked about: its canonical IANA spelling, or null when it is not a zone. */
const known = new Map<string, string | null>();

/**
 * The canonical IANA name of a zone (`europe/berlin` → `Europe/Berlin`), or null for anything that
 * is not a zone's name: unknown names, abbreviations such as CEST, and UTC offsets such as +02:00
 * (which Intl, hence luxon, now takes, but whose rules do not say when summer time starts).
 * Remembered per name: luxon's check builds an Intl.DateTimeFormat each time, which was most of
 * freeSlots' time (bench/calendar-free-slots.ts).
 */
export function ianaZoneName(zone: string): string | null {
  let name = known.get(zone);
  if (name === undefined) {
    name =
      /^[A-Za-z][A-Za-z0-9_+/-]{0,63}$/.test(zone) && IANAZone.isValidZone(zone)
        ? new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone
        : null;
    if (known.size < 1_000) known.set(zone, name);
  }
  return name;
}

/** Whether a text is a zone's IANA name (see ianaZoneName). */
export const isTimeZone = (zone: string): boolean => ianaZoneName(zone) !== null;

/** A zone argument's canonical IANA name, else BAD_USER_INPUT naming the field. */
export function checkTimeZone(value: string | null | undefined, field: string): string {
  const name = ianaZoneName((value ?? "").trim());
  if (!name) throw badUserInput(`${field} must be an IANA time zone such as Europe/Berlin or UTC`, field);
  return name;
}
