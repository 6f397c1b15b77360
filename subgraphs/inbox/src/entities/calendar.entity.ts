import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { stringEnum } from "@mary/kit";
import { Directive, Field, ID, ObjectType } from "type-graphql";

export const CALENDAR_KINDS = ["PERSONAL", "SHARED"] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];
export const CalendarKindEnum = stringEnum(CALENDAR_KINDS, "CalendarKind", "Whose a calendar is.", {
  PERSONAL: "A member's own: only they see its events' details; colleagues see them as busy time.",
  SHARED: "The workspace's: every member sees and edits its events.",
});

export const CALENDAR_SOURCES = ["LOCAL", "CALDAV"] as const;
export type CalendarSource = (typeof CALENDAR_SOURCES)[number];
export const CalendarSourceEnum = stringEnum(CALENDAR_SOURCES, "CalendarSource", "Where a calendar's events live.", {
  LOCAL: "In Mary only.",
  CALDAV: "In Mary and on a CalDAV server, kept in step both ways by UID and ETag.",
});

@Directive('@key(fields: "id")')
@ObjectType({ description: "A calendar: a member's own, or one shared by the workspace." })
export class Calendar {
  @Field(() => ID, { description: "Stable identifier of the calendar." })
  id: string = randomUUID();

  workspaceId!: string;
  /** The member whose PERSONAL calendar it is; null for a SHARED one. */
  ownerId: string | null = null;

  @Field(() => String, { description: "The calendar's name." })
  name!: string;

  @Field(() => String, { nullable: true, description: "A colour for the calendar, as #rrggbb." })
  color: string | null = null;

  @Field(() => String, {
    description: "The IANA time zone new events of the calendar default to, such as Europe/Berlin.",
  })
  timeZone!: string;

  @Field(() => CalendarKindEnum, { description: "Whose the calendar is." })
  kind!: CalendarKind;

  @Field(() => CalendarSourceEnum, { description: "Where its events live." })
  source: CalendarSource = "LOCAL";

  /** CALDAV: the calendar collection's URL, the login, and the password sealed by the kit's SecretBox. */
  caldavUrl: string | null = null;
  caldavUsername: string | null = null;
  caldavSecret: string | null = null;
  /** CALDAV: the server's sync token (RFC 6578) or CTag after the last sync. */
  caldavSyncToken: string | null = null;

  @Field(() => Date, { nullable: true, description: "CALDAV: when the last sync with the server finished." })
  lastSyncedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: "CALDAV: why the last sync failed; null when it did not." })
  syncError: string | null = null;

  /** sha256 of the private ICS feed's token (hex); null when the calendar has no feed. */
  feedTokenHash: string | null = null;

  @Field(() => Date, { nullable: true, description: "When the private ICS feed was made; null when there is none." })
  feedCreatedAt: Date | null = null;

  @Field(() => Date, { description: "When the calendar was made." })
  createdAt: Date = new Date();

  @Field(() => Date, { description: "When the calendar last changed." })
  updatedAt: Date = new Date();
}

export const CalendarSchema = new EntitySchema<Calendar>({
  class: Calendar,
  tableName: "calendars",
  indexes: [{ properties: ["workspaceId", "ownerId"] }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    ownerId: { type: "uuid", nullable: true },
    name: { type: "string", length: 200 },
    color: { type: "string", length: 7, nullable: true },
    timeZone: { type: "string", length: 64 },
    kind: { type: "string", length: 8 },
    source: { type: "string", length: 8 },
    caldavUrl: { type: "text", nullable: true },
    caldavUsername: { type: "string", length: 320, nullable: true },
    caldavSecret: { type: "text", nullable: true },
    caldavSyncToken: { type: "text", nullable: true },
    lastSyncedAt: { type: "datetime", nullable: true },
    syncError: { type: "string", length: 500, nullable: true },
    feedTokenHash: { type: "string", length: 64, nullable: true, unique: true },
    feedCreatedAt: { type: "datetime", nullable: true },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
