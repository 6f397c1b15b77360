import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { Directive, Field, ID, ObjectType } from "type-graphql";

@Directive('@key(fields: "id")')
@ObjectType({ description: "A person who signs in to Mary. Visible to the members of the workspaces they share." })
export class User {
  @Field(() => ID, { description: "Stable identifier of the user." })
  id: string = randomUUID();

  @Field(() => String, { description: "Email address the user signs in with, lower-cased." })
  email!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  /** argon2id hash; never leaves this subgraph. */
  passwordHash!: string;

  @Field(() => Date, { description: "When the user signed up." })
  createdAt: Date = new Date();
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: "users",
  properties: {
    id: { type: "uuid", primary: true },
    email: { type: "string", length: 254, unique: true },
    name: { type: "string", length: 100 },
    passwordHash: { type: "text" },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
