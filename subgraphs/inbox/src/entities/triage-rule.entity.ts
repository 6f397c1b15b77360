import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { stringEnum } from "@mary/kit";
import { Field, ID, ObjectType } from "type-graphql";
import { MessageCategoryEnum, type MessageCategory } from "./message.entity.ts";

export const RULE_FIELDS = ["SENDER", "DOMAIN", "SUBJECT", "HEADER"] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export const RuleFieldEnum = stringEnum(RULE_FIELDS, "TriageRuleField", "What a triage rule looks at.", {
  SENDER: "The sender's address, equal to the value (ignoring case).",
  DOMAIN: "The sender's domain, equal to the value or a subdomain of it.",
  SUBJECT: "The subject, containing the value (ignoring case).",
  HEADER: "The header named `headerName`, containing the value (ignoring case); an empty value means present.",
});

export const RULE_STATES = ["ACTIVE", "PROPOSED"] as const;
export type RuleState = (typeof RULE_STATES)[number];
export const RuleStateEnum = stringEnum(RULE_STATES, "TriageRuleState", "Whether a rule applies.", {
  ACTIVE: "Applied to new mail, before the AI provider.",
  PROPOSED: "Suggested by a correction; applies once accepted.",
});

@ObjectType({ description: "A workspace's rule: mail matching the condition gets the category." })
export class TriageRule {
  @Field(() => ID, { description: "Stable identifier of the rule." })
  id: string = randomUUID();

  workspaceId!: string;
  createdBy!: string;

  @Field(() => RuleFieldEnum, { description: "What the rule looks at." })
  field!: RuleField;

  @Field(() => String, { nullable: true, description: "The header's name, for HEADER rules." })
  headerName: string | null = null;

  @Field(() => String, { description: "The value compared (see the field)." })
  value!: string;

  @Field(() => MessageCategoryEnum, { description: "The category matching mail gets." })
  category!: MessageCategory;

  @Field(() => RuleStateEnum, { description: "Whether the rule applies yet." })
  state: RuleState = "ACTIVE";

  @Field(() => String, { description: "The rule in words, such as: always put mail from x.com in FYI." })
  summary!: string;

  @Field(() => Date, { description: "When the rule was made." })
  createdAt: Date = new Date();
}

export const TriageRuleSchema = new EntitySchema<TriageRule>({
  class: TriageRule,
  tableName: "triage_rules",
  indexes: [{ properties: ["workspaceId", "state", "createdAt"] }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    createdBy: { type: "uuid" },
    field: { type: "string", length: 8 },
    headerName: { type: "string", length: 100, nullable: true },
    value: { type: "string", length: 320 },
    category: { type: "string", length: 10 },
    state: { type: "string", length: 8 },
    summary: { type: "string", length: 400 },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
