import "reflect-metadata";
import { Directive, Field, ID, ObjectType } from "type-graphql";

/** Billing owns usage; social adds the connected social account count. */
@Directive('@key(fields: "workspaceId")')
@ObjectType({
  description: "What a workspace uses of its plan's limits; each subgraph contributes the counts it owns.",
})
export class Usage {
  @Field(() => ID, { description: "The workspace this usage is of." })
  workspaceId!: string;
}
