import "reflect-metadata";
import { MoneyInput } from "@mary/kit";
import { GraphQLLocalDate } from "graphql-scalars";
import { Field, ID, InputType } from "type-graphql";
import { DealStageEnum, type DealStage } from "../entities/deal.entity.ts";

@InputType({ description: "A new deal." })
export class CreateDealInput {
  @Field(() => String, { description: "What is being sold, 1 to 200 characters." })
  title!: string;

  @Field(() => MoneyInput, { description: "What the deal is worth, in minor units of a known currency." })
  amount!: MoneyInput;

  @Field(() => DealStageEnum, { nullable: true, description: "The stage it starts in; LEAD when omitted." })
  stage?: DealStage | null;

  @Field(() => ID, { nullable: true, description: "The contact the deal is with, in this workspace." })
  contactId?: string | null;

  @Field(() => ID, { nullable: true, description: "The company the deal is with, in this workspace." })
  companyId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "The member of this workspace who owns the deal; the caller when omitted.",
  })
  ownerId?: string | null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "When the deal is expected to close." })
  expectedCloseDate?: string | null;
}

@InputType({
  description: "Changes to a deal (not its stage: use moveDeal): only the fields given change; null clears one.",
})
export class UpdateDealInput {
  @Field(() => String, { nullable: true, description: "What is being sold, 1 to 200 characters." })
  title?: string | null;

  @Field(() => MoneyInput, { nullable: true, description: "What the deal is worth." })
  amount?: MoneyInput | null;

  @Field(() => ID, { nullable: true, description: "The contact the deal is with; null for none." })
  contactId?: string | null;

  @Field(() => ID, { nullable: true, description: "The company the deal is with; null for none." })
  companyId?: string | null;

  @Field(() => ID, { nullable: true, description: "The member of this workspace who owns the deal; null for nobody." })
  ownerId?: string | null;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "When the deal is expected to close; null for unknown.",
  })
  expectedCloseDate?: string | null;
}

@InputType({ description: "Narrows a list of deals; all the criteria given must hold." })
export class DealFilter {
  @Field(() => DealStageEnum, { nullable: true, description: "Only deals in this stage." })
  stage?: DealStage | null;

  @Field(() => ID, { nullable: true, description: "Only deals this user owns." })
  ownerId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only deals with this contact." })
  contactId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only deals with this company." })
  companyId?: string | null;
}
