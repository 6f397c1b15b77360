import "reflect-metadata";
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The users subgraph owns users; social refers to them. */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A person who signs in to Mary. Visible to the members of the workspaces they share." })
export class User {
  @Field(() => ID, { description: "Stable identifier of the user." })
  id!: string;
}
