import "reflect-metadata";
import { Directive, Field, ID, ObjectType } from "type-graphql";

@Directive('@key(fields: "id")')
@ObjectType({ description: "A tenant: a team whose data is kept apart from every other workspace." })
export class Workspace {
  @Field(() => ID, { description: "Stable identifier of the workspace." })
  id!: string;
}

@Directive('@key(fields: "workspaceId")')
@ObjectType({
  description: "What a workspace uses of its plan's limits; each subgraph contributes the counts it owns.",
})
export class Usage {
  @Field(() => ID, { description: "The workspace this usage is of." })
  workspaceId!: string;
}

@ObjectType({ description: "A Stripe Checkout page where the customer pays for a plan." })
export class CheckoutSession {
  @Field(() => ID, { description: "Stripe's id of the session (cs_…)." })
  id!: string;

  @Field(() => String, { description: "Send the browser here to pay." })
  url!: string;
}
