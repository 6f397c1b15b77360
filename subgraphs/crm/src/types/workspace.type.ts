import "reflect-metadata";
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** The users subgraph owns workspaces; crm adds their pipeline. */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A tenant: a team whose data is kept apart from every other workspace." })
export class Workspace {
  @Field(() => ID, { description: "Stable identifier of the workspace." })
  id!: string;
}

/** Billing owns usage; crm adds the contact count. */
@Directive('@key(fields: "workspaceId")')
@ObjectType({
  description: "What a workspace uses of its plan's limits; each subgraph contributes the counts it owns.",
})
export class Usage {
  @Field(() => ID, { description: "The workspace this usage is of." })
  workspaceId!: string;
}
