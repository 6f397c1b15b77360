import "reflect-metadata";
import { Field, Int, ObjectType } from "type-graphql";
import { Message } from "../entities/message.entity.ts";
import { TriageRule } from "../entities/triage-rule.entity.ts";

@ObjectType({ description: "The message a user recategorized, and the rule Mary proposes from it." })
export class RecategorizePayload {
  @Field(() => Message, { description: "The message, with its new category (source USER: later triage keeps it)." })
  message!: Message;

  @Field(() => TriageRule, {
    nullable: true,
    description:
      "A PROPOSED rule doing the same for the sender's other mail (by domain, or by address for personal mail " +
      "services such as gmail.com); acceptTriageRule makes it apply. Null when the message has no sender or an " +
      "ACTIVE rule already says so.",
  })
  proposedRule!: TriageRule | null;
}

@ObjectType({ description: "A rule made ACTIVE, and how many of the caller's messages were triaged again by it." })
export class AcceptTriageRulePayload {
  @Field(() => TriageRule, { description: "The rule, now ACTIVE." })
  rule!: TriageRule;

  @Field(() => Int, {
    description: "How many of the caller's messages got a new verdict (0 unless applyToExisting was true).",
  })
  retriagedMessages!: number;
}
