import { IANAZone } from "luxon";

const known = new Map<string, boolean>();

/**
 * Whether luxon knows an IANA zone, remembered per name: luxon's own check builds an
 * Intl.DateTimeFormat each time, which was most of freeSlots' time (bench/calendar-free-slots.ts).
 */
export function isTimeZone(zone: string): boolean {
  let valid = known.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (known.size < 1_000) known.set(zone, valid);
  }
  return valid;
}
