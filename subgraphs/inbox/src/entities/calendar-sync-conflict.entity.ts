import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { stringEnum } from "@mary/kit";
import { Field, ID, ObjectType } from "type-graphql";

export const CONFLICT_SIDES = ["MARY", "SERVER"] as const;
export type ConflictSide = (typeof CONFLICT_SIDES)[number];
export const ConflictSideEnum = stringEnum(CONFLICT_SIDES, "CalendarSyncSide", "One side of a CalDAV sync.", {
  MARY: "The event as it is in Mary.",
  SERVER: "The event as it is on the CalDAV server.",
});

@ObjectType({
  description:
    "An event changed both in Mary and on the CalDAV server between two syncs: the newer change was kept on both sides.",
})
export class CalendarSyncConflict {
  @Field(() => ID, { description: "Stable identifier of the record." })
  id: string = randomUUID();

  workspaceId!: string;
  calendarId!: string;

  @Field(() => ID, { nullable: true, description: "The event in Mary; null when it has been deleted since." })
  eventId: string | null = null;

  @Field(() => String, { description: "The event's iCalendar UID." })
  uid!: string;

  @Field(() => String, { description: "The event's title as kept." })
  title!: string;

  @Field(() => ConflictSideEnum, { description: "Whose change was kept: the newer one." })
  kept!: ConflictSide;

  @Field(() => Date, { description: "When the event last changed in Mary." })
  maryUpdatedAt!: Date;

  @Field(() => Date, { description: "When the event last changed on the server (its LAST-MODIFIED)." })
  serverUpdatedAt!: Date;

  @Field(() => Date, { description: "When the sync found the conflict." })
  detectedAt: Date = new Date();
}

export const CalendarSyncConflictSchema = new EntitySchema<CalendarSyncConflict>({
  class: CalendarSyncConflict,
  tableName: "calendar_sync_conflicts",
  indexes: [{ properties: ["calendarId", "detectedAt"] }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    calendarId: { type: "uuid" },
    eventId: { type: "uuid", nullable: true },
    uid: { type: "string", length: 255 },
    title: { type: "string", length: 500 },
    kept: { type: "string", length: 6 },
    maryUpdatedAt: { type: "datetime" },
    serverUpdatedAt: { type: "datetime" },
    detectedAt: { type: "datetime", onCreate: () => new Date() },
  },
});
