import { createHash, randomBytes } from "node:crypto";
import type { EntityManager, FilterQuery } from "@mikro-orm/postgresql";
import { badUserInput, findInScope, notFound, requiredText, type AuthenticatedPrincipal } from "@mary/kit";
import { checkTimeZone } from "../scheduling/time-zones.ts";
import { Calendar, type CalendarKind } from "../entities/calendar.entity.ts";
import { CalendarEvent } from "../entities/calendar-event.entity.ts";
import { WorkingHoursRow } from "../entities/working-hours.entity.ts";

const COLOR = /^#[0-9a-f]{6}$/i;

function checkColor(value: string | null | undefined): string | null {
  if (value == null || value === "") return null;
  if (!COLOR.test(value)) throw badUserInput("color must be #rrggbb", "color");
  return value.toLowerCase();
}

/** The calendars a member may read and write: their own PERSONAL ones and the workspace's SHARED ones. */
export const visibleCalendarsWhere = (caller: AuthenticatedPrincipal): FilterQuery<Calendar> => ({
  workspaceId: caller.workspaceId,
  $or: [{ kind: "SHARED" as const }, { ownerId: caller.userId }],
});

/** sha256 (hex) of a feed token, as the calendars table keeps it. */
export const feedTokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

export interface CalendarInputFields {
  name?: string | null;
  color?: string | null;
  timeZone?: string | null;
}

/** Calendars: each member's own (made on first use) and the workspace's shared ones, and their private ICS feeds. */
export class CalendarService {
  constructor(private readonly em: EntityManager) {}

  /** The member's calendars and the workspace's shared ones, their own first; makes their first one when they have none. */
  async list(caller: AuthenticatedPrincipal): Promise<Calendar[]> {
    await this.personal(caller);
    const calendars = await this.em.find(Calendar, visibleCalendarsWhere(caller), {
      orderBy: { createdAt: "asc", id: "asc" },
    });
    return calendars.sort((a, b) => Number(a.kind === "SHARED") - Number(b.kind === "SHARED"));
  }

  /** The member's first PERSONAL calendar, made (in their working hours' zone, else UTC) when they have none. */
  async personal(caller: AuthenticatedPrincipal): Promise<Calendar> {
    const existing = await this.em.findOne(
      Calendar,
      { workspaceId: caller.workspaceId, ownerId: caller.userId, kind: "PERSONAL" },
      { orderBy: { createdAt: "asc", id: "asc" } },
    );
    if (existing) return existing;
    const hours = await this.em.findOne(WorkingHoursRow, { workspaceId: caller.workspaceId, userId: caller.userId });
    // Two first requests at once may both make one; a lock on the member keeps it to one.
    return this.em.transactional(async (em) => {
      await em
        .getConnection()
        .execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [
          `calendar:${caller.workspaceId}:${caller.userId}`,
        ]);
      const again = await em.findOne(Calendar, {
        workspaceId: caller.workspaceId,
        ownerId: caller.userId,
        kind: "PERSONAL",
      });
      if (again) return again;
      const calendar = Object.assign(new Calendar(), {
        workspaceId: caller.workspaceId,
        ownerId: caller.userId,
        name: "Calendar",
        timeZone: hours?.timeZone ?? "UTC",
        kind: "PERSONAL" as const,
      });
      em.persist(calendar);
      return calendar;
    });
  }

  /** A calendar the caller may use, else NOT_FOUND (another member's personal calendar too). */
  async find(caller: AuthenticatedPrincipal, id: string): Promise<Calendar> {
    const calendar = await findInScope(this.em, Calendar, { workspaceId: caller.workspaceId }, id, "Calendar");
    if (calendar.kind === "PERSONAL" && calendar.ownerId !== caller.userId) throw notFound("Calendar");
    return calendar;
  }

  async create(caller: AuthenticatedPrincipal, input: CalendarInputFields & { kind: CalendarKind }): Promise<Calendar> {
    const calendar = Object.assign(new Calendar(), {
      workspaceId: caller.workspaceId,
      ownerId: input.kind === "PERSONAL" ? caller.userId : null,
      name: requiredText(input.name, "name", 200),
      color: checkColor(input.color),
      timeZone: checkTimeZone(input.timeZone ?? "UTC", "timeZone"),
      kind: input.kind,
    });
    await this.em.persist(calendar).flush();
    return calendar;
  }

  async update(caller: AuthenticatedPrincipal, id: string, input: CalendarInputFields): Promise<Calendar> {
    const calendar = await this.find(caller, id);
    if (input.name !== undefined && input.name !== null) calendar.name = requiredText(input.name, "name", 200);
    if (input.color !== undefined) calendar.color = checkColor(input.color);
    if (input.timeZone !== undefined && input.timeZone !== null)
      calendar.timeZone = checkTimeZone(input.timeZone, "timeZone");
    await this.em.flush();
    return calendar;
  }

  /** Deletes a calendar with its events (a CalDAV calendar's server copy is left alone). */
  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const calendar = await this.find(caller, id);
    await this.em.transactional(async (em) => {
      await em.nativeDelete(CalendarEvent, { calendarId: calendar.id });
      await em.nativeDelete(Calendar, { id: calendar.id });
    });
    return calendar.id;
  }

  /**
   * Makes (or replaces) the calendar's private ICS feed: a secret token, returned once and kept
   * only as a hash. Replacing it revokes the previous URL.
   */
  async createFeed(caller: AuthenticatedPrincipal, id: string): Promise<{ calendar: Calendar; token: string }> {
    const calendar = await this.find(caller, id);
    const token = randomBytes(24).toString("base64url");
    calendar.feedTokenHash = feedTokenHash(token);
    calendar.feedCreatedAt = new Date();
    await this.em.flush();
    return { calendar, token };
  }

  async revokeFeed(caller: AuthenticatedPrincipal, id: string): Promise<Calendar> {
    const calendar = await this.find(caller, id);
    calendar.feedTokenHash = null;
    calendar.feedCreatedAt = null;
    await this.em.flush();
    return calendar;
  }

  /** The calendar whose feed token this is, or null (revoked, or never issued). */
  byFeedToken(token: string): Promise<Calendar | null> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return Promise.resolve(null);
    return this.em.findOne(Calendar, { feedTokenHash: feedTokenHash(token) });
  }
}
