import "reflect-metadata";
import { Directive, Field, ID, ObjectType } from "type-graphql";

/**
 * Someone mail was exchanged with, known by address. Inbox owns it; crm adds the contact with
 * that address, so a message shows its sender's deals in one query.
 */
@Directive('@key(fields: "email")')
@ObjectType({ description: "A sender or recipient of mail, by email address." })
export class Correspondent {
  @Field(() => String, { description: "The address, lower-cased." })
  email!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The display name the message gave; null when none did, or when the correspondent is looked up by address alone.",
  })
  name!: string | null;
}

/** crm owns contacts; inbox adds the mail exchanged with one. */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A person the workspace is in touch with." })
export class Contact {
  @Field(() => ID, { description: "Stable identifier of the contact." })
  id!: string;

  /** crm's; inbox needs them (with @requires) to find the mail exchanged with the contact. */
  @Directive("@external")
  @Field(() => [String], { description: "Email addresses, lower-cased, without duplicates; at most 10." })
  emails?: string[];
}
