import "reflect-metadata";
import { badUserInput, requireScope } from "@mary/kit";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from "type-graphql";
import type { InboxContext } from "../context.ts";
import { Calendar } from "../entities/calendar.entity.ts";
import { CalendarSyncConflict } from "../entities/calendar-sync-conflict.entity.ts";
import { ConnectCalDavCalendarInput } from "./caldav.input.ts";

/** Connecting CalDAV calendars, syncing them on demand, and what their syncs found. */
@Resolver(() => Calendar)
export class CalDavResolver {
  @Mutation(() => Calendar, {
    description:
      "Connects a calendar on a CalDAV server as the caller's own (source CALDAV): the login is tried first, and " +
      "nothing is saved when it fails (BAD_USER_INPUT on `password` for a refused login, on `url` for a URL that is " +
      "not a calendar or a server that cannot be reached). Its events then sync both ways, by UID and ETag, every " +
      "few minutes; the first sync runs before this returns.",
  })
  connectCalDavCalendar(
    @Arg("input", () => ConnectCalDavCalendarInput, { description: "The calendar and the login." })
    input: ConnectCalDavCalendarInput,
    @Ctx() ctx: InboxContext,
  ): Promise<Calendar> {
    return ctx.caldav.connect(requireScope(ctx.principal, "inbox:write"), input);
  }

  @Mutation(() => Calendar, {
    description:
      "Syncs a CalDAV calendar with its server now (after a sync already running) and returns it: lastSyncedAt " +
      "when it succeeded, syncError when it did not.",
  })
  async syncCalendar(
    @Arg("id", () => ID, { description: "The CalDAV calendar." }) id: string,
    @Ctx() ctx: InboxContext,
  ): Promise<Calendar> {
    const calendar = await ctx.calendars.find(requireScope(ctx.principal, "inbox:write"), id);
    return ctx.caldav.syncNow(calendar);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "CALDAV: the calendar collection's URL on the server; null for a LOCAL calendar.",
  })
  caldavUrl(@Root() calendar: Calendar): string | null {
    return calendar.caldavUrl;
  }

  @FieldResolver(() => [CalendarSyncConflict], {
    description:
      "CALDAV: events its syncs found changed both in Mary and on the server, newest first, with whose change was " +
      "kept (the newer one).",
  })
  async syncConflicts(
    @Root() calendar: Calendar,
    @Arg("first", () => Int, { defaultValue: 20, description: "At most this many (1 to 100)." }) first: number,
    @Ctx() ctx: InboxContext,
  ): Promise<CalendarSyncConflict[]> {
    requireScope(ctx.principal, "inbox:read");
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badUserInput("first must be 1 to 100", "first");
    return ctx.em.find(
      CalendarSyncConflict,
      { calendarId: calendar.id, workspaceId: calendar.workspaceId },
      { orderBy: { detectedAt: "desc", id: "desc" }, limit: first },
    );
  }
}
