// Times in a chosen IANA time zone: the schedule picker's local date and time, and how the queue
// shows an instant on the clocks of the zone the reader picks.

/** The browser's own zone, the pickers' default. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Every IANA zone the browser knows, with the browser's own (and UTC) always among them. */
export function timeZones(): string[] {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set([...known, browserTimeZone(), "UTC"])].sort();
}

/** An instant's wall-clock parts in a zone: {date: "2026-03-29", time: "09:30"}. */
export function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((entry) => entry.type === type)?.value ?? "";
  return { date: `${part("year")}-${part("month")}-${part("day")}`, time: `${part("hour")}:${part("minute")}` };
}

/** A sensible default for the picker: the next whole hour at least 30 minutes away, in the zone. */
export function defaultSchedule(timeZone: string, now = new Date()): { date: string; time: string } {
  const next = new Date(now.getTime() + 30 * 60_000);
  next.setUTCMinutes(60, 0, 0);
  return localParts(next, timeZone);
}

/** An instant as the reader's locale writes it, on the clocks of `timeZone`, with the zone's name. */
export function formatInZone(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(undefined, {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone,
    }).format(new Date(iso));
  } catch {
    return new Date(iso).toISOString();
  }
}

/** A local date and time without offset (2026-03-29T09:30:00) as the reader's locale writes it. */
export function formatLocal(local: string): string {
  const [date = "", time = ""] = local.split("T");
  const at = new Date(`${date}T${time.slice(0, 5)}:00Z`);
  if (Number.isNaN(at.getTime())) return local;
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(at);
}
