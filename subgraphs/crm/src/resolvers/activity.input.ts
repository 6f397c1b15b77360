import "reflect-metadata";
import { Field, ID, InputType } from "type-graphql";
import { ActivityTypeEnum, type ActivityType } from "../entities/activity.entity.ts";

@InputType({ description: "An activity to log on a contact, a deal or both (at least one)." })
export class LogActivityInput {
  @Field(() => ActivityTypeEnum, { description: "What kind of activity it is." })
  type!: ActivityType;

  @Field(() => String, { description: "A one-line summary, 1 to 200 characters." })
  subject!: string;

  @Field(() => String, { nullable: true, description: "Details, up to 10,000 characters." })
  body?: string | null;

  @Field(() => Date, { nullable: true, description: "When it happened; now when omitted." })
  occurredAt?: Date | null;

  @Field(() => ID, { nullable: true, description: "The contact it concerns, in this workspace." })
  contactId?: string | null;

  @Field(() => ID, { nullable: true, description: "The deal it concerns, in this workspace." })
  dealId?: string | null;
}

@InputType({ description: "Changes to an activity: only the fields given change." })
export class UpdateActivityInput {
  @Field(() => ActivityTypeEnum, { nullable: true, description: "What kind of activity it is." })
  type?: ActivityType | null;

  @Field(() => String, { nullable: true, description: "A one-line summary, 1 to 200 characters." })
  subject?: string | null;

  @Field(() => String, { nullable: true, description: "Details, up to 10,000 characters; null for none." })
  body?: string | null;

  @Field(() => Date, { nullable: true, description: "When it happened." })
  occurredAt?: Date | null;
}
