import "reflect-metadata";
import { JSONObjectScalar } from "@mary/kit";
import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "A new contact." })
export class CreateContactInput {
  @Field(() => String, { description: "Full name, 1 to 200 characters." })
  name!: string;

  @Field(() => [String], { nullable: true, description: "Up to 10 email addresses; stored lower-cased, once each." })
  emails?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Up to 10 phone numbers of digits, spaces and + - ( ) ." })
  phones?: string[] | null;

  @Field(() => String, { nullable: true, description: "Job title, up to 200 characters." })
  title?: string | null;

  @Field(() => ID, { nullable: true, description: "The company the contact works at, in this workspace." })
  companyId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The member of this workspace who owns the contact; the caller when omitted.",
  })
  ownerId?: string | null;

  @Field(() => [String], { nullable: true, description: "Up to 20 tags of 1 to 40 characters; stored lower-cased." })
  tags?: string[] | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "The workspace's own fields: up to 50 keys, 8 KB." })
  customFields?: Record<string, unknown> | null;
}

@InputType({ description: "Changes to a contact: only the fields given change; null clears an optional one." })
export class UpdateContactInput {
  @Field(() => String, { nullable: true, description: "Full name, 1 to 200 characters." })
  name?: string | null;

  @Field(() => [String], { nullable: true, description: "Replaces the email addresses (up to 10)." })
  emails?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Replaces the phone numbers (up to 10)." })
  phones?: string[] | null;

  @Field(() => String, { nullable: true, description: "Job title, up to 200 characters." })
  title?: string | null;

  @Field(() => ID, { nullable: true, description: "The company the contact works at; null for none." })
  companyId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The member of this workspace who owns the contact; null for nobody.",
  })
  ownerId?: string | null;

  @Field(() => [String], { nullable: true, description: "Replaces the tags (up to 20)." })
  tags?: string[] | null;

  @Field(() => JSONObjectScalar, { nullable: true, description: "Replaces the workspace's own fields." })
  customFields?: Record<string, unknown> | null;
}

@InputType({ description: "Narrows a list of contacts; all the criteria given must hold." })
export class ContactFilter {
  @Field(() => ID, { nullable: true, description: "Only contacts this user owns." })
  ownerId?: string | null;

  @Field(() => String, { nullable: true, description: "Only contacts with this tag." })
  tag?: string | null;

  @Field(() => ID, { nullable: true, description: "Only contacts at this company." })
  companyId?: string | null;
}
