import "reflect-metadata";
import { Directive, Field, ObjectType } from "type-graphql";

/** The inbox owns correspondents (the people on mail); crm adds the contact with that address. */
@Directive('@key(fields: "email")')
@ObjectType({ description: "A sender or recipient of mail, by email address." })
export class Correspondent {
  @Field(() => String, { description: "The address, lower-cased." })
  email!: string;
}
