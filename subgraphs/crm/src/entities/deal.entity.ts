import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { BigIntType, EntitySchema, type EntityClass } from "@mikro-orm/postgresql";
import { GraphQLLocalDate } from "graphql-scalars";
import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Company } from "./company.entity.ts";
import { Contact } from "./contact.entity.ts";

/** The pipeline's stages, in order. */
export const DEAL_STAGES = ["LEAD", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON", "LOST"] as const;
export type DealStage = (typeof DEAL_STAGES)[number];

export const DealStageEnum = Object.fromEntries(DEAL_STAGES.map((stage) => [stage, stage])) as {
  [S in DealStage]: S;
};
registerEnumType(DealStageEnum, {
  name: "DealStage",
  description: "Where a deal is in the sales pipeline, in pipeline order.",
  valuesConfig: {
    LEAD: { description: "A possible sale nobody has qualified yet." },
    QUALIFIED: { description: "The buyer has the need, the budget and the authority." },
    PROPOSAL: { description: "An offer has been sent." },
    NEGOTIATION: { description: "Terms are being discussed." },
    WON: { description: "The buyer signed." },
    LOST: { description: "The sale did not happen." },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({ description: "A possible sale, moving through the pipeline's stages." })
export class Deal {
  @Field(() => ID, { description: "Stable identifier of the deal." })
  id: string = randomUUID();

  workspaceId!: string;

  @Field(() => String, { description: "What is being sold, in a few words." })
  title!: string;

  /** Minor units of `currency`; the resolver serves them as Money. */
  amount!: number;
  currency!: string;

  @Field(() => DealStageEnum, { description: "The stage the deal is in now; change it with moveDeal." })
  stage: DealStage = "LEAD";

  contactId: string | null = null;
  companyId: string | null = null;
  ownerId: string | null = null;

  @Field(() => GraphQLLocalDate, { nullable: true, description: "When the deal is expected to close." })
  expectedCloseDate: string | null = null;

  @Field(() => Date, { description: "When the deal was created." })
  createdAt: Date = new Date();

  @Field(() => Date, { description: "When the deal was last changed." })
  updatedAt: Date = new Date();
}

export const DealSchema = new EntitySchema<Deal>({
  class: Deal,
  tableName: "deals",
  indexes: [
    // Serve the keyset-paginated lists: the workspace's deals, an owner's (assignedDeals), a contact's and a company's.
    { properties: ["workspaceId", "createdAt", "id"] },
    { properties: ["workspaceId", "ownerId", "createdAt", "id"] },
    { properties: ["contactId", "createdAt", "id"] },
    { properties: ["companyId", "createdAt", "id"] },
    // Serves the pipeline's `group by stage, currency`.
    { properties: ["workspaceId", "stage", "currency"] },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    title: { type: "string", length: 200 },
    amount: { type: new BigIntType("number") },
    currency: { type: "character", length: 3 },
    stage: { type: "string", length: 16 },
    // mapToPk: the property holds the referenced id, not an entity (hence the untyped class).
    contactId: {
      kind: "m:1",
      entity: (): EntityClass<any> => Contact,
      mapToPk: true,
      nullable: true,
      fieldName: "contact_id",
      deleteRule: "set null",
    },
    companyId: {
      kind: "m:1",
      entity: (): EntityClass<any> => Company,
      mapToPk: true,
      nullable: true,
      fieldName: "company_id",
      deleteRule: "set null",
    },
    ownerId: { type: "uuid", nullable: true },
    expectedCloseDate: { type: "date", nullable: true },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
