import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { Directive, Field, ID, ObjectType } from "type-graphql";

@Directive('@key(fields: "id")')
@ObjectType({ description: "A tenant: a team whose data is kept apart from every other workspace." })
export class Workspace {
  @Field(() => ID, { description: "Stable identifier of the workspace." })
  id: string = randomUUID();

  @Field(() => String, { description: "Display name of the workspace." })
  name!: string;

  @Field(() => Date, { description: "When the workspace was created." })
  createdAt: Date = new Date();
}

export const WorkspaceSchema = new EntitySchema<Workspace>({
  class: Workspace,
  tableName: "workspaces",
  properties: {
    id: { type: "uuid", primary: true },
    name: { type: "string", length: 100 },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
