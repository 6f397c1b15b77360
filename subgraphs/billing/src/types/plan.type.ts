import "reflect-metadata";
import { Money, PLANS, type PlanDefinition, type PlanName } from "@mary/kit";
import { Field, Int, ObjectType } from "type-graphql";
import { PlanNameEnum } from "../entities/subscription.entity.ts";

@ObjectType({ description: "What a plan allows. A null limit means unlimited." })
export class PlanLimits {
  @Field(() => Int, { nullable: true, description: "AI agents the workspace may have." })
  agents!: number | null;

  @Field(() => Int, { nullable: true, description: "Calls to the public graph with API keys per calendar month." })
  apiCallsPerMonth!: number | null;

  @Field(() => Int, { nullable: true, description: "CRM contacts the workspace may hold." })
  contacts!: number | null;

  @Field(() => Int, { nullable: true, description: "Social accounts the workspace may connect." })
  socialAccounts!: number | null;

  @Field(() => Int, { nullable: true, description: "Storage, in gigabytes." })
  storageGb!: number | null;
}

@ObjectType({ description: "A plan a workspace can be on, with its price and limits." })
export class Plan {
  @Field(() => PlanNameEnum, { description: "The plan's name." })
  name!: PlanName;

  @Field(() => Money, { description: "Price per month." })
  monthlyPrice!: Money;

  @Field(() => PlanLimits, { description: "What the plan allows." })
  limits!: PlanLimits;
}

/** The GraphQL view of one row of the kit's plan table. */
export function planOf(name: PlanName): Plan {
  const definition: PlanDefinition = PLANS[name];
  return {
    name,
    monthlyPrice: { amount: definition.monthlyPriceCents, currency: definition.currency.toUpperCase() },
    limits: { ...definition.limits },
  };
}
