import "reflect-metadata";
import { Field, InputType } from "type-graphql";
import { MessageCategoryEnum, type MessageCategory } from "../entities/message.entity.ts";
import { RuleFieldEnum, type RuleField } from "../entities/triage-rule.entity.ts";

@InputType({ description: "A triage rule to add: mail meeting the condition gets the category." })
export class CreateTriageRuleInput {
  @Field(() => RuleFieldEnum, { description: "What the rule looks at." })
  field!: RuleField;

  @Field(() => String, {
    nullable: true,
    description: "The header's name (such as List-Id), for HEADER rules only; compared ignoring case.",
  })
  headerName?: string | null;

  @Field(() => String, {
    description:
      "SENDER: an email address. DOMAIN: a domain such as example.com (its subdomains match too). SUBJECT: 1 to 200 " +
      "characters. HEADER: up to 320 characters the header contains, or empty for any value.",
  })
  value!: string;

  @Field(() => MessageCategoryEnum, { description: "The category matching mail gets." })
  category!: MessageCategory;
}
