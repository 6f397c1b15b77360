import "reflect-metadata";
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** crm owns contacts; social adds the profiles linked to one. */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A person the workspace is in touch with." })
export class Contact {
  @Field(() => ID, { description: "Stable identifier of the contact." })
  id!: string;
}
