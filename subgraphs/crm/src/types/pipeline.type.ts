import "reflect-metadata";
import { Money } from "@mary/kit";
import { Field, Int, ObjectType } from "type-graphql";
import { DealStageEnum, type DealStage } from "../entities/deal.entity.ts";

@ObjectType({ description: "One stage of the sales pipeline: how many deals are in it and what they are worth." })
export class PipelineStage {
  @Field(() => DealStageEnum, { description: "The stage." })
  stage!: DealStage;

  @Field(() => Int, { description: "How many deals are in the stage." })
  count!: number;

  @Field(() => [Money], {
    description:
      "The deals' total amount, one entry per currency (amounts in different currencies are never added), sorted by currency; empty when the stage has no deals.",
  })
  totals!: Money[];
}
