import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema, type EntityClass } from "@mikro-orm/postgresql";
import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Contact } from "./contact.entity.ts";
import { Deal } from "./deal.entity.ts";

export const ACTIVITY_TYPES = ["CALL", "EMAIL", "MEETING", "NOTE", "TASK"] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ActivityTypeEnum = Object.fromEntries(ACTIVITY_TYPES.map((type) => [type, type])) as {
  [T in ActivityType]: T;
};
registerEnumType(ActivityTypeEnum, {
  name: "ActivityType",
  description: "What kind of interaction an activity records.",
  valuesConfig: {
    CALL: { description: "A phone or video call." },
    EMAIL: { description: "An email sent or received." },
    MEETING: { description: "A meeting in person or online." },
    NOTE: { description: "A note written for the team." },
    TASK: { description: "Something to do, or done." },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({ description: "Something that happened with a contact or a deal: a call, an email, a meeting, a note." })
export class Activity {
  @Field(() => ID, { description: "Stable identifier of the activity." })
  id: string = randomUUID();

  workspaceId!: string;

  @Field(() => ActivityTypeEnum, { description: "What kind of activity this is." })
  type!: ActivityType;

  @Field(() => String, { description: "A one-line summary." })
  subject!: string;

  @Field(() => String, { nullable: true, description: "Details, up to 10,000 characters." })
  body: string | null = null;

  @Field(() => Date, { description: "When it happened (or is due, for a task)." })
  occurredAt: Date = new Date();

  authorId!: string;
  contactId: string | null = null;
  dealId: string | null = null;

  @Field(() => Date, { description: "When the activity was logged." })
  createdAt: Date = new Date();
}

export const ActivitySchema = new EntitySchema<Activity>({
  class: Activity,
  tableName: "activities",
  // Serve the timelines of a contact and of a deal, newest first.
  indexes: [{ properties: ["contactId", "occurredAt", "id"] }, { properties: ["dealId", "occurredAt", "id"] }],
  // An activity always belongs to a contact, a deal or both.
  checks: [{ name: "activities_contact_or_deal_check", expression: "contact_id is not null or deal_id is not null" }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    type: { type: "string", length: 16 },
    subject: { type: "string", length: 200 },
    body: { type: "text", nullable: true },
    occurredAt: { type: "datetime" },
    authorId: { type: "uuid" },
    // mapToPk: the property holds the referenced id, not an entity (hence the untyped class).
    contactId: {
      kind: "m:1",
      entity: (): EntityClass<any> => Contact,
      mapToPk: true,
      nullable: true,
      fieldName: "contact_id",
      deleteRule: "set null",
    },
    dealId: {
      kind: "m:1",
      entity: (): EntityClass<any> => Deal,
      mapToPk: true,
      nullable: true,
      fieldName: "deal_id",
      deleteRule: "set null",
    },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
