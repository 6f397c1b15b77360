import "reflect-metadata";
import { badUserInput, requireScope } from "@mary/kit";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { InboxContext } from "../context.ts";
import { Calendar } from "../entities/calendar.entity.ts";
import type { WorkingHours } from "../scheduling/types.ts";
import {
  CalendarFeed,
  CalendarImportReport,
  FreeSlots,
  ScheduleMeetingPayload,
  WorkingHoursType,
} from "../types/calendar.type.ts";
import { User } from "../types/user.type.ts";
import { CreateCalendarInput, ScheduleMeetingInput, UpdateCalendarInput, WorkingHoursInput } from "./calendar.input.ts";

const hoursOf = (userId: string, hours: WorkingHours & { isDefault: boolean }): WorkingHoursType => ({
  user: { id: userId },
  ...hours,
});

@Resolver(() => Calendar)
export class CalendarResolver {
  @Query(() => [Calendar], {
    description:
      "The caller's own calendars, then the workspace's shared ones. Their first calendar is made on first use.",
  })
  calendars(@Ctx() ctx: InboxContext): Promise<Calendar[]> {
    return ctx.calendars.list(requireScope(ctx.principal, "inbox:read"));
  }

  @Query(() => Calendar, { description: "One of the caller's calendars or a shared one; else NOT_FOUND." })
  calendar(
    @Arg("id", () => ID, { description: "The calendar's id." }) id: string,
    @Ctx() ctx: InboxContext,
  ): Promise<Calendar> {
    return ctx.calendars.find(requireScope(ctx.principal, "inbox:read"), id);
  }

  @Mutation(() => Calendar, { description: "Makes a calendar: the caller's own, or (SHARED) the workspace's." })
  createCalendar(
    @Arg("input", () => CreateCalendarInput, { description: "The calendar." }) input: CreateCalendarInput,
    @Ctx() ctx: InboxContext,
  ): Promise<Calendar> {
    return ctx.calendars.create(requireScope(ctx.principal, "inbox:write"), input);
  }

  @Mutation(() => Calendar, { description: "Renames a calendar, or changes its colour or default zone." })
  updateCalendar(
    @Arg("id", () => ID, { description: "The calendar." }) id: string,
    @Arg("input", () => UpdateCalendarInput, { description: "The changes." }) input: UpdateCalendarInput,
    @Ctx() ctx: InboxContext,
  ): Promise<Calendar> {
    return ctx.calendars.update(requireScope(ctx.principal, "inbox:write"), id, input);
  }

  @Mutation(() => ID, {
    description: "Deletes a calendar and its events (a CalDAV server's copy stays). Returns its id.",
  })
  async deleteCalendar(
    @Arg("id", () => ID, { description: "The calendar." }) id: string,
    @Ctx() ctx: InboxContext,
  ): Promise<string> {
    const deleted = await ctx.calendars.delete(requireScope(ctx.principal, "inbox:write"), id);
    // A CalDAV calendar's scheduled syncs stop with it.
    await ctx.caldav.forget(deleted);
    return deleted;
  }

  @Mutation(() => CalendarFeed, {
    description:
      "Makes the calendar's private ICS feed URL (for Google or Apple calendars to subscribe to), replacing (revoking) " +
      "any earlier one. The URL is shown only in this answer.",
  })
  async createCalendarFeed(
    @Arg("calendarId", () => ID, { description: "The calendar." }) calendarId: string,
    @Ctx() ctx: InboxContext,
  ): Promise<CalendarFeed> {
    const { calendar, token } = await ctx.calendars.createFeed(requireScope(ctx.principal, "inbox:write"), calendarId);
    return { calendar, url: ctx.feedUrl(token) };
  }

  @Mutation(() => Calendar, { description: "Revokes the calendar's ICS feed: its URL answers 404 from now on." })
  revokeCalendarFeed(
    @Arg("calendarId", () => ID, { description: "The calendar." }) calendarId: string,
    @Ctx() ctx: InboxContext,
  ): Promise<Calendar> {
    return ctx.calendars.revokeFeed(requireScope(ctx.principal, "inbox:write"), calendarId);
  }

  @Mutation(() => CalendarImportReport, {
    description:
      "Reads an .ics file (at most 5 MB) into a calendar: events are matched by UID, so importing the same file again, " +
      "or the calendar's own export, changes nothing.",
  })
  importCalendar(
    @Arg("calendarId", () => ID, { description: "The calendar." }) calendarId: string,
    @Arg("ics", () => String, { description: "The iCalendar text." }) ics: string,
    @Ctx() ctx: InboxContext,
  ): Promise<CalendarImportReport> {
    return ctx.calendarInterop.importIcs(requireScope(ctx.principal, "inbox:write"), calendarId, ics);
  }

  @Query(() => String, { description: "A calendar's events as iCalendar text (the feed's content), for a download." })
  async calendarIcs(
    @Arg("calendarId", () => ID, { description: "The calendar." }) calendarId: string,
    @Ctx() ctx: InboxContext,
  ): Promise<string> {
    const calendar = await ctx.calendars.find(requireScope(ctx.principal, "inbox:read"), calendarId);
    return ctx.calendarInterop.exportIcs(calendar);
  }

  @Query(() => WorkingHoursType, {
    description: "A member's working hours (the caller's by default); the default hours when they set none.",
  })
  async workingHours(
    @Arg("userId", () => ID, { nullable: true, description: "A member of the caller's workspace." })
    userId: string | null,
    @Ctx() ctx: InboxContext,
  ): Promise<WorkingHoursType> {
    const caller = requireScope(ctx.principal, "inbox:read");
    const id = (userId ?? caller.userId).toLowerCase();
    const hours = await ctx.scheduling.workingHours(
      caller.workspaceId,
      await ctx.scheduling.attendeesOf(caller, [id], null),
    );
    return hoursOf(id, hours.get(id)!);
  }

  @Mutation(() => WorkingHoursType, {
    description: "Sets the caller's working hours, which freeSlots keeps meetings inside (replacing what they had).",
  })
  async setWorkingHours(
    @Arg("input", () => WorkingHoursInput, { description: "The hours, in the caller's zone." })
    input: WorkingHoursInput,
    @Ctx() ctx: InboxContext,
  ): Promise<WorkingHoursType> {
    const caller = requireScope(ctx.principal, "inbox:write");
    return hoursOf(caller.userId, await ctx.scheduling.setWorkingHours(caller, input));
  }

  @Query(() => FreeSlots, {
    description:
      "The slots of durationMinutes in [from, to) when every attendee (the caller only when listed) is free and inside their working hours (each in " +
      "their own zone, right on daylight-saving days). With dealId, the deal's owner and the members on its contact's " +
      "meetings of the last 90 days are attendees too (needs crm:read). At most 62 days and 50 attendees.",
  })
  async freeSlots(
    @Arg("attendeeIds", () => [ID], { defaultValue: [], description: "Workspace members." }) attendeeIds: string[],
    @Arg("durationMinutes", () => Int, { description: "The meeting's length, 5 to 1440 minutes." })
    durationMinutes: number,
    @Arg("from", () => Date, { description: "The earliest start." }) from: Date,
    @Arg("to", () => Date, { description: "The latest end." }) to: Date,
    @Arg("granularityMinutes", () => Int, {
      defaultValue: 15,
      description: "Slots start on multiples of this many minutes.",
    })
    granularityMinutes: number,
    @Arg("bufferMinutes", () => Int, { defaultValue: 0, description: "Minutes kept free around others' events." })
    bufferMinutes: number,
    @Arg("dealId", () => ID, { nullable: true, description: "A CRM deal whose people are attendees too." })
    dealId: string | null,
    @Arg("first", () => Int, { defaultValue: 50, description: "At most this many slots (1 to 500)." }) first: number,
    @Ctx() ctx: InboxContext,
  ): Promise<FreeSlots> {
    const caller = requireScope(ctx.principal, "inbox:read");
    if (!Number.isInteger(first) || first < 1 || first > 500) throw badUserInput("first must be 1 to 500", "first");
    const { slots, attendeeIds: ids } = await ctx.scheduling.freeSlots(caller, {
      attendeeIds,
      dealId,
      durationMinutes,
      from,
      to,
      granularityMinutes,
      bufferMinutes,
      first,
    });
    return { slots, attendees: ids.map((id) => ({ id })) };
  }

  @Mutation(() => ScheduleMeetingPayload, {
    description:
      "Books the first free slot (or the chosen `start`, which must be free) for the caller and the attendees, in the " +
      "caller's calendar, and mails outside guests an iCalendar invitation (METHOD:REQUEST); their replies arriving in " +
      "the caller's inbox update their answers.",
  })
  scheduleMeeting(
    @Arg("input", () => ScheduleMeetingInput, { description: "The meeting." }) input: ScheduleMeetingInput,
    @Ctx() ctx: InboxContext,
  ): Promise<ScheduleMeetingPayload> {
    return ctx.scheduling.scheduleMeeting(requireScope(ctx.principal, "inbox:write"), input);
  }

  @FieldResolver(() => User, { nullable: true, description: "Whose PERSONAL calendar it is; null for a SHARED one." })
  owner(@Root() calendar: Calendar): User | null {
    return calendar.ownerId ? { id: calendar.ownerId } : null;
  }

  @FieldResolver(() => Boolean, { description: "Whether the calendar has a private ICS feed now." })
  hasFeed(@Root() calendar: Calendar): boolean {
    return calendar.feedTokenHash !== null;
  }
}
