import { UniqueConstraintViolationException, type EntityManager } from "@mikro-orm/postgresql";
import {
  badUserInput,
  GatewayError,
  requiredText,
  isEmailAddress,
  isUuid,
  serviceUnavailable,
  type AuthenticatedPrincipal,
  type GatewayClient,
  type Logger,
} from "@mary/kit";
import MailComposer from "nodemailer/lib/mail-composer";
import { Calendar } from "../entities/calendar.entity.ts";
import { CalendarEvent } from "../entities/calendar-event.entity.ts";
import { MailAccount } from "../entities/mail-account.entity.ts";
import { WorkingHoursRow } from "../entities/working-hours.entity.ts";
import { findFreeSlots } from "../scheduling/free-slots.ts";
import { invitation, parseReply } from "../scheduling/icalendar.ts";
import type { Interval, RsvpStatus, WorkingHours } from "../scheduling/types.ts";
import { DEFAULT_WORKING_HOURS, validateWorkingHours, workingIntervals } from "../scheduling/working-hours.ts";
import { toICalEvent } from "./calendar-ical.ts";
import { type CalendarService } from "./calendar.service.ts";
import { checkTimeZone } from "../scheduling/time-zones.ts";
import { checkRange, participantIds, type EventService } from "./event.service.ts";
import { submit, type SubmitResult } from "./mail-sending.ts";
import type { MailLogin } from "./mail-connection.ts";
import { ownerScope } from "./ownership.ts";

export const MAX_SLOT_ATTENDEES = 50;
export const MAX_SLOT_RANGE_DAYS = 62;
/** How far back a deal contact's meetings count for freeSlots(dealId). */
export const DEAL_MEETINGS_DAYS = 90;

export interface FreeSlotsRequest {
  attendeeIds: string[];
  dealId?: string | null;
  durationMinutes: number;
  from: Date;
  to: Date;
  granularityMinutes: number;
  bufferMinutes: number;
  first: number;
}

export interface ScheduleRequest extends Omit<FreeSlotsRequest, "first"> {
  calendarId?: string | null;
  title: string;
  description?: string | null;
  location?: string | null;
  /** Outside attendees, invited by mail. */
  guests: { email: string; name?: string | null }[];
  /** A chosen slot's start; the first free slot when absent. */
  start?: Date | null;
  /** The mail account invitations go out from; the caller's oldest when absent. */
  mailAccountId?: string | null;
  timeZone?: string | null;
  /** A repeated call with the same key returns the first call's meeting, booking and mailing nothing. */
  idempotencyKey?: string | null;
}

export interface InvitationResult {
  email: string;
  sent: boolean;
  error: string | null;
}

const DEAL_PEOPLE = `query InboxDealPeople($id: ID!) { deal(id: $id) { id owner { id } contact { id emails } } }`;

interface DealPeople {
  deal: { id: string; owner: { id: string } | null; contact: { id: string; emails: string[] } | null } | null;
}

/** Working hours, free slots across attendees (and a deal's people), meetings with invitations, and RSVPs from replies. */
export class SchedulingService {
  constructor(
    private readonly em: EntityManager,
    private readonly calendars: CalendarService,
    private readonly events: EventService,
    private readonly deps: {
      gateway: GatewayClient;
      login: (account: MailAccount) => MailLogin;
      log: Logger;
    },
  ) {}

  /** A member's working hours: theirs, or Monday to Friday 9 to 5 in their calendar's zone (UTC without one). */
  async workingHours(
    workspaceId: string,
    userIds: string[],
  ): Promise<Map<string, WorkingHours & { isDefault: boolean }>> {
    const rows = await this.em.find(WorkingHoursRow, { workspaceId, userId: { $in: userIds } });
    const missing = userIds.filter((id) => !rows.some((row) => row.userId === id));
    const calendars = missing.length
      ? await this.em.find(
          Calendar,
          { workspaceId, kind: "PERSONAL", ownerId: { $in: missing } },
          { orderBy: { createdAt: "asc" } },
        )
      : [];
    const result = new Map<string, WorkingHours & { isDefault: boolean }>();
    for (const row of rows)
      result.set(row.userId, {
        timeZone: row.timeZone,
        weekly: row.weekly,
        exceptions: row.exceptions,
        isDefault: false,
      });
    for (const id of missing) {
      const zone = calendars.find((calendar) => calendar.ownerId === id)?.timeZone ?? "UTC";
      result.set(id, { ...DEFAULT_WORKING_HOURS(zone), isDefault: true });
    }
    return result;
  }

  /** Sets the caller's working hours (whole: weekly intervals and exceptions), validated before anything is saved. */
  async setWorkingHours(
    caller: AuthenticatedPrincipal,
    hours: WorkingHours,
  ): Promise<WorkingHours & { isDefault: boolean }> {
    const value = { ...hours, timeZone: checkTimeZone(hours.timeZone, "timeZone") };
    const problem = validateWorkingHours(value);
    if (problem) throw badUserInput(problem, "workingHours");
    await this.em.upsert(WorkingHoursRow, {
      workspaceId: caller.workspaceId,
      userId: caller.userId,
      timeZone: value.timeZone,
      weekly: value.weekly,
      exceptions: value.exceptions,
      updatedAt: new Date(),
    });
    return { ...value, isDefault: false };
  }

  /** The slots when every attendee (and, with dealId, the deal's people) is free and working. */
  async freeSlots(
    caller: AuthenticatedPrincipal,
    request: FreeSlotsRequest,
  ): Promise<{ slots: Interval[]; attendeeIds: string[] }> {
    checkSlotRequest(request);
    const attendeeIds = await this.attendeesOf(caller, request.attendeeIds, request.dealId ?? null);
    const hours = await this.workingHours(caller.workspaceId, attendeeIds);
    const busy = await this.events.busyOf(caller.workspaceId, attendeeIds, request.from, request.to);
    const slots = findFreeSlots({
      attendees: attendeeIds.map((id) => ({
        working: workingIntervals(hours.get(id)!, request.from, request.to),
        busy: busy.get(id)!.map(({ start, end }) => ({ start, end })),
      })),
      durationMinutes: request.durationMinutes,
      from: request.from,
      to: request.to,
      granularityMinutes: request.granularityMinutes,
      bufferMinutes: request.bufferMinutes,
      limit: request.first,
    });
    return { slots, attendeeIds };
  }

  /**
   * The members a request is about: the ids given, and with dealId the deal's owner and the
   * members on its contact's meetings of the last DEAL_MEETINGS_DAYS days (asked of crm through
   * the gateway as the caller, with crm:read only).
   */
  async attendeesOf(caller: AuthenticatedPrincipal, ids: string[], dealId: string | null): Promise<string[]> {
    for (const id of ids) if (!isUuid(id)) throw badUserInput("attendeeIds must be user IDs", "attendeeIds");
    const people = new Set(ids.map((id) => id.toLowerCase()));
    if (dealId) {
      if (!isUuid(dealId)) throw badUserInput("dealId must be an ID (a UUID)", "dealId");
      if (!caller.scopes.includes("crm:read")) throw badUserInput("dealId needs the crm:read scope", "dealId");
      let data: DealPeople;
      try {
        data = await this.deps.gateway.request<DealPeople>({ ...caller, scopes: ["crm:read"] }, DEAL_PEOPLE, {
          id: dealId,
        });
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        this.deps.log.warn({ err: error }, "freeSlots could not ask crm about a deal");
        throw serviceUnavailable("The CRM could not be asked about the deal; try again");
      }
      if (!data.deal) throw badUserInput("dealId is not a deal of this workspace", "dealId");
      if (data.deal.owner) people.add(data.deal.owner.id);
      const emails = data.deal.contact?.emails ?? [];
      if (emails.length) for (const id of await this.membersMeeting(caller.workspaceId, emails)) people.add(id);
    }
    if (people.size === 0) throw badUserInput("name at least one attendee (or a deal)", "attendeeIds");
    if (people.size > MAX_SLOT_ATTENDEES) throw badUserInput(`at most ${MAX_SLOT_ATTENDEES} attendees`, "attendeeIds");
    return [...people];
  }

  /** Members on the workspace's recent events that one of these addresses attended. */
  private async membersMeeting(workspaceId: string, emails: string[]): Promise<string[]> {
    const since = new Date(Date.now() - DEAL_MEETINGS_DAYS * 86_400_000);
    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `select distinct unnest(e.attendee_user_ids) as id from calendar_events e
       where e.workspace_id = ? and e.deleted_at is null and e.start_at >= ? and e.start_at <= now()
         and exists (select 1 from jsonb_array_elements(e.attendees) a where lower(a->>'email') = any(?::text[]))`,
      [workspaceId, since, emails.map((email) => email.toLowerCase())],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Books the chosen (or first) free slot in the caller's calendar and invites outside guests
   * with an iCalendar REQUEST from the caller's mail account. The event is kept even when an
   * invitation fails; each guest's result says what happened, and is kept with the event. With
   * an idempotency key, a repeated call (or one racing the first) gets the first one's meeting.
   */
  async scheduleMeeting(
    caller: AuthenticatedPrincipal,
    request: ScheduleRequest,
  ): Promise<{ event: CalendarEvent; invitations: InvitationResult[] }> {
    const key = request.idempotencyKey == null ? null : requiredText(request.idempotencyKey, "idempotencyKey", 100);
    const booked = key ? await this.bookedWith(caller, key) : null;
    if (booked) return { event: booked, invitations: booked.invitations };
    const guests = request.guests.map((guest) => ({
      email: guest.email.trim().toLowerCase(),
      name: guest.name ?? null,
    }));
    for (const guest of guests)
      if (!isEmailAddress(guest.email)) throw badUserInput(`${guest.email} is not an email address`, "guests");
    const account = guests.length ? await this.sendingAccount(caller, request.mailAccountId ?? null) : null;
    const calendar = request.calendarId
      ? await this.calendars.find(caller, request.calendarId)
      : await this.calendars.personal(caller);
    const { slots, attendeeIds } = await this.freeSlots(caller, {
      ...request,
      attendeeIds: [...new Set([caller.userId, ...request.attendeeIds])],
      first: request.start ? 100_000 : 1,
    });
    const slot = request.start ? slots.find((one) => one.start.getTime() === request.start!.getTime()) : slots[0];
    if (!slot)
      throw badUserInput(
        request.start
          ? "start is not a free slot for every attendee"
          : "no slot in the range is free for every attendee",
        request.start ? "start" : "to",
      );
    let event: CalendarEvent;
    try {
      ({ event } = await this.events.create(
        caller,
        calendar.id,
        {
          title: request.title,
          description: request.description,
          location: request.location,
          start: slot.start,
          end: slot.end,
          timeZone: request.timeZone ?? calendar.timeZone,
          attendees: [...attendeeIds.filter((id) => id !== caller.userId).map((userId) => ({ userId })), ...guests],
        },
        { idempotencyKey: key },
      ));
    } catch (error) {
      // A call with the same key booked it meanwhile: that one sends the invitations.
      const first =
        key && error instanceof UniqueConstraintViolationException ? await this.bookedWith(caller, key) : null;
      if (!first) throw error;
      return { event: first, invitations: first.invitations };
    }
    if (account) {
      event.organizer = { userId: caller.userId, email: account.address, name: account.displayName };
      event.attendeeUserIds = participantIds(event);
      await this.em.flush();
    }
    const invitations = account
      ? await this.invite(
          account,
          event,
          guests.map((guest) => guest.email),
        )
      : [];
    if (invitations.length) {
      event.invitations = invitations;
      await this.em.flush();
    }
    return { event, invitations };
  }

  /** The meeting the caller booked with this idempotency key, if any (read apart from the request's own rows). */
  private bookedWith(caller: AuthenticatedPrincipal, key: string): Promise<CalendarEvent | null> {
    return this.em
      .fork()
      .findOne(CalendarEvent, { workspaceId: caller.workspaceId, createdBy: caller.userId, idempotencyKey: key });
  }

  private async sendingAccount(caller: AuthenticatedPrincipal, id: string | null): Promise<MailAccount> {
    const where = {
      ...ownerScope(caller),
      ...(id ? { id: isUuid(id) ? id : "00000000-0000-0000-0000-000000000000" } : {}),
    };
    const account = await this.em.findOne(MailAccount, where, { orderBy: { createdAt: "asc" } });
    if (!account)
      throw badUserInput(
        id ? "mailAccountId is not one of your mail accounts" : "inviting guests needs a connected mail account",
        "mailAccountId",
      );
    return account;
  }

  /** One REQUEST per guest, through the account's SMTP server (each guest gets their own message). */
  private async invite(account: MailAccount, event: CalendarEvent, emails: string[]): Promise<InvitationResult[]> {
    const ics = invitation(toICalEvent(event, []));
    const login = this.deps.login(account);
    const results: InvitationResult[] = [];
    for (const email of emails) {
      const raw = await new MailComposer({
        from: { name: account.displayName ?? "", address: account.address },
        to: email,
        subject: `Invitation: ${event.title}`,
        text: `${event.title}\n${event.start.toISOString()} – ${event.end.toISOString()} (${event.timeZone})\n`,
        icalEvent: { method: "REQUEST", filename: "invite.ics", content: ics },
        messageId: `<${event.id}.${event.sequence}.${Buffer.from(email).toString("hex")}@mary>`,
      })
        .compile()
        .build();
      const result: SubmitResult = await submit(login, account.address, [email], raw);
      results.push({
        email,
        sent: result.kind === "sent" && !result.rejected.includes(email),
        error:
          result.kind === "sent" ? (result.rejected.includes(email) ? "refused by the server" : null) : result.reason,
      });
    }
    return results;
  }

  /**
   * An iCalendar REPLY that arrived in a member's mailbox: the attendee's answer is set on the
   * event they organize with that UID (and the occurrence, for a reply to one). Returns whether
   * an event was updated; replies to unknown events, from people not invited, or sent from
   * another address than the attendee's, change nothing.
   */
  async applyReply(account: MailAccount, ics: string, from: string | null): Promise<boolean> {
    let reply: ReturnType<typeof parseReply>;
    try {
      reply = parseReply(ics);
    } catch (error) {
      this.deps.log.debug({ err: error }, "an unreadable calendar reply was ignored");
      return false;
    }
    if (!reply) return false;
    const candidates = await this.em.find(CalendarEvent, {
      workspaceId: account.workspaceId,
      uid: reply.uid,
      deletedAt: null,
      attendeeUserIds: { $contains: [account.userId] },
    });
    const mine = candidates.filter((event) => event.organizer?.userId === account.userId);
    const target =
      (reply.recurrenceId && mine.find((event) => event.recurrenceId?.getTime() === reply.recurrenceId!.getTime())) ||
      mine.find((event) => !event.recurringEventId);
    if (!target) return false;
    const email = reply.attendee.email.toLowerCase();
    // The reply names its attendee itself: only the attendee's own mail may answer for them.
    if (!from || from.toLowerCase() !== email) return false;
    const attendee = target.attendees.find((one) => one.email?.toLowerCase() === email);
    if (!attendee || reply.sequence < target.sequence) return false;
    target.attendees = target.attendees.map((one) =>
      one === attendee ? { ...one, rsvp: reply.attendee.rsvp as RsvpStatus } : one,
    );
    await this.em.flush();
    return true;
  }
}

function checkSlotRequest(request: FreeSlotsRequest): void {
  checkRange(request.from, request.to, MAX_SLOT_RANGE_DAYS);
  const integer = (value: number, field: string, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw badUserInput(`${field} must be a whole number from ${min} to ${max}`, field);
  };
  integer(request.durationMinutes, "durationMinutes", 5, 24 * 60);
  integer(request.granularityMinutes, "granularityMinutes", 5, 240);
  integer(request.bufferMinutes, "bufferMinutes", 0, 240);
  integer(request.first, "first", 1, 100_000);
}
