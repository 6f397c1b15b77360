import type { EntityManager } from "@mikro-orm/postgresql";
import { badUserInput, type AuthenticatedPrincipal } from "@mary/kit";
import type { Calendar } from "../entities/calendar.entity.ts";
import { CalendarEvent } from "../entities/calendar-event.entity.ts";
import { exportCalendar, parseCalendar } from "../scheduling/icalendar.ts";
import { fingerprint, loadByUid, toICalEvent, writeICalEvent } from "./calendar-ical.ts";
import type { CalendarService } from "./calendar.service.ts";

/** The largest .ics file importCalendar reads. */
export const MAX_IMPORT_BYTES = 5_000_000;

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  /** What could not be read, in words (such events are skipped). */
  errors: string[];
}

/** A calendar's events as one iCalendar file, and .ics files read into calendars idempotently by UID. */
export class CalendarInteropService {
  constructor(
    private readonly em: EntityManager,
    private readonly calendars: CalendarService,
  ) {}

  /** Every event of the calendar (series with their changed occurrences) as iCalendar text. */
  async exportIcs(calendar: Calendar): Promise<string> {
    const rows = await this.em.find(
      CalendarEvent,
      { calendarId: calendar.id, deletedAt: null },
      { orderBy: { start: "asc", id: "asc" } },
    );
    const overrides = new Map<string, CalendarEvent[]>();
    for (const row of rows)
      if (row.recurringEventId)
        overrides.set(row.recurringEventId, [...(overrides.get(row.recurringEventId) ?? []), row]);
    const events = rows
      .filter((row) => !row.recurringEventId)
      .map((row) => toICalEvent(row, overrides.get(row.id) ?? []));
    return exportCalendar(events, { name: calendar.name, method: "PUBLISH" });
  }

  /**
   * Reads an .ics file into a calendar of the caller's: an event whose UID the calendar has is
   * replaced when it differs and left alone when it does not, so importing the same file twice
   * (or a calendar's own export) changes nothing. Bad files are BAD_USER_INPUT and add nothing.
   */
  async importIcs(caller: AuthenticatedPrincipal, calendarId: string, ics: string): Promise<ImportReport> {
    const calendar = await this.calendars.find(caller, calendarId);
    if (Buffer.byteLength(ics) > MAX_IMPORT_BYTES)
      throw badUserInput(`ics must be at most ${MAX_IMPORT_BYTES} bytes`, "ics");
    let parsed: ReturnType<typeof parseCalendar>;
    try {
      parsed = parseCalendar(ics, { defaultTimeZone: calendar.timeZone });
    } catch (error) {
      throw badUserInput(`ics is not a calendar Mary can read: ${(error as Error).message}`, "ics");
    }
    const report: ImportReport = { created: 0, updated: 0, unchanged: 0, errors: parsed.errors };
    await this.em.transactional(async (em) => {
      const existing = await loadByUid(
        em,
        calendar.id,
        parsed.events.map((event) => event.uid),
      );
      for (const event of parsed.events) {
        const have = existing.get(event.uid);
        if (
          have &&
          fingerprint(toICalEvent(have.series, have.overrides)) === fingerprint(event) &&
          !have.series.deletedAt
        ) {
          report.unchanged += 1;
          continue;
        }
        await writeICalEvent(em, calendar, event, have, caller.userId);
        if (have) report.updated += 1;
        else report.created += 1;
      }
    });
    return report;
  }
}
