// The calendar's pure model: what recurrence, free slots, conflicts and iCalendar work on. No
// database or GraphQL here, so each piece has fast unit tests.

/** A span of time, half-open: [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

/**
 * When an event happens. A timed event's start and end are instants, kept in its IANA zone (the
 * zone its recurrence repeats in). An all-day event's are local dates (`YYYY-MM-DD`, the end
 * exclusive) and its instants are the zone's midnights.
 */
export interface EventTiming {
  start: Date;
  end: Date;
  timeZone: string;
  allDay: boolean;
  /** An RFC 5545 RRULE value without the `RRULE:` prefix (FREQ=WEEKLY;BYDAY=MO), or null for a single event. */
  rrule: string | null;
  /** Starts of occurrences the series skips (EXDATE), as the instants the rule gives. */
  exdates: Date[];
  /** Starts of occurrences added to the series (RDATE). */
  rdates: Date[];
}

/** One occurrence changed or cancelled (a RECURRENCE-ID override). */
export interface OccurrenceOverride {
  /** The start the rule gives this occurrence, which identifies it. */
  recurrenceId: Date;
  start: Date;
  end: Date;
  cancelled: boolean;
}

/** An occurrence of an event, expanded. */
export interface Occurrence extends Interval {
  /** The start the rule gives it (for a single event, its start). */
  recurrenceId: Date;
  /** Whether an override moved or changed it. */
  overridden: boolean;
}

/** A participation status, as RFC 5545's PARTSTAT. */
export const RSVP_STATUSES = ["NEEDS_ACTION", "ACCEPTED", "DECLINED", "TENTATIVE"] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

export const EVENT_STATUSES = ["CONFIRMED", "TENTATIVE", "CANCELLED"] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Someone on an event: a workspace user (userId) or an outside address (email); never both missing. */
export interface Participant {
  userId: string | null;
  email: string | null;
  name: string | null;
}

export interface Attendee extends Participant {
  rsvp: RsvpStatus;
}

/** An event as iCalendar carries it (export, import, CalDAV, invitations). */
export interface ICalEvent {
  uid: string;
  title: string;
  description: string | null;
  location: string | null;
  status: EventStatus;
  timing: EventTiming;
  organizer: Participant | null;
  attendees: Attendee[];
  sequence: number;
  /** LAST-MODIFIED (or DTSTAMP when missing). */
  updatedAt: Date;
  /** Changed or cancelled occurrences, each with its own fields. */
  overrides: ICalOverride[];
}

export interface ICalOverride {
  recurrenceId: Date;
  title: string;
  description: string | null;
  location: string | null;
  status: EventStatus;
  start: Date;
  end: Date;
  attendees: Attendee[];
}

/**
 * A user's working hours in their own zone: weekly intervals (ISO weekday 1 = Monday … 7, local
 * `HH:mm` times, end after start) and dated exceptions that replace a day's intervals (none: a
 * day off).
 */
export interface WorkingHours {
  timeZone: string;
  weekly: { weekday: number; start: string; end: string }[];
  exceptions: { date: string; intervals: { start: string; end: string }[] }[];
}
