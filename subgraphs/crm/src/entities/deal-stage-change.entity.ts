import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema, type EntityClass } from "@mikro-orm/postgresql";
import { Field, ObjectType } from "type-graphql";
import { Deal, DealStageEnum, type DealStage } from "./deal.entity.ts";

@ObjectType({ description: "One move of a deal from a stage to another, or its creation." })
export class DealStageChange {
  id: string = randomUUID();
  workspaceId!: string;
  dealId!: string;
  /** 0 for the creation, then one more per move: orders the history even within one millisecond. */
  position!: number;

  @Field(() => DealStageEnum, {
    name: "from",
    nullable: true,
    description: "The stage before; null for the deal's creation.",
  })
  fromStage: DealStage | null = null;

  @Field(() => DealStageEnum, { name: "to", description: "The stage after." })
  toStage!: DealStage;

  @Field(() => Date, { description: "When the deal moved." })
  changedAt: Date = new Date();

  changedById!: string;
}

export const DealStageChangeSchema = new EntitySchema<DealStageChange>({
  class: DealStageChange,
  tableName: "deal_stage_changes",
  // Serves a deal's history, oldest first, and keeps two moves from taking one place.
  uniques: [{ properties: ["dealId", "position"] }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    // mapToPk: the property holds the referenced id, not an entity (hence the untyped class).
    dealId: {
      kind: "m:1",
      entity: (): EntityClass<any> => Deal,
      mapToPk: true,
      fieldName: "deal_id",
      deleteRule: "cascade",
    },
    position: { type: "integer" },
    fromStage: { type: "string", length: 16, nullable: true },
    toStage: { type: "string", length: 16 },
    changedAt: { type: "datetime" },
    changedById: { type: "uuid" },
  },
});
