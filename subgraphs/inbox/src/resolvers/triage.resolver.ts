import "reflect-metadata";
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { PageArgs, requireScope, timePage, type Connection } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import { MessageCategoryEnum, type MessageCategory } from "../entities/message.entity.ts";
import { RuleStateEnum, TriageRule, type RuleState } from "../entities/triage-rule.entity.ts";
import { TriageRuleConnection } from "../types/connections.type.ts";
import { AcceptTriageRulePayload, RecategorizePayload } from "../types/triage.type.ts";
import { CreateTriageRuleInput } from "./triage.input.ts";

@Resolver(() => TriageRule)
export class TriageResolver {
  @Query(() => TriageRuleConnection, {
    description:
      "The workspace's triage rules, newest first. ACTIVE rules apply to every member's new mail before the AI " +
      "provider, the newest matching rule winning.",
  })
  triageRules(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("state", () => RuleStateEnum, { nullable: true, description: "Only rules in this state." })
    state: RuleState | null,
    @Ctx() ctx: InboxContext,
  ): Promise<Connection<TriageRule>> {
    return ctx.rules.list(requireScope(ctx.principal, "inbox:read"), timePage(page), state ?? null);
  }

  @Mutation(() => TriageRule, {
    description:
      "Adds an ACTIVE rule for the workspace's new mail. A condition that does not fit its field (an address for " +
      "SENDER, a domain for DOMAIN, headerName for HEADER) is BAD_USER_INPUT and nothing is saved.",
  })
  createTriageRule(
    @Arg("input", () => CreateTriageRuleInput, { description: "The rule." }) input: CreateTriageRuleInput,
    @Ctx() ctx: InboxContext,
  ): Promise<TriageRule> {
    return ctx.rules.create(requireScope(ctx.principal, "inbox:write"), input);
  }

  @Mutation(() => ID, {
    description: "Deletes a triage rule of the workspace (mail it triaged keeps its category). Returns its id.",
  })
  deleteTriageRule(
    @Arg("id", () => ID, { description: "The rule's id." }) id: string,
    @Ctx() ctx: InboxContext,
  ): Promise<string> {
    return ctx.rules.delete(requireScope(ctx.principal, "inbox:write"), id);
  }

  @Mutation(() => RecategorizePayload, {
    description:
      "Puts one of the caller's messages in another category. The correction is kept: later syncs and triage never " +
      "change it. Mary proposes a rule doing the same for the sender's other mail (see acceptTriageRule).",
  })
  recategorize(
    @Arg("messageId", () => ID, { description: "The message's id." }) messageId: string,
    @Arg("category", () => MessageCategoryEnum, { description: "Its new category." }) category: MessageCategory,
    @Ctx() ctx: InboxContext,
  ): Promise<RecategorizePayload> {
    return ctx.rules.recategorize(requireScope(ctx.principal, "inbox:write"), messageId, category);
  }

  @Mutation(() => AcceptTriageRulePayload, {
    description:
      "Makes a PROPOSED rule ACTIVE, replacing the workspace's other rules with the same condition. With " +
      "applyToExisting, the caller's messages it matches (the newest 5,000) are triaged again, except those they recategorized.",
  })
  acceptTriageRule(
    @Arg("id", () => ID, { description: "The rule's id." }) id: string,
    @Arg("applyToExisting", () => Boolean, {
      defaultValue: false,
      description: "Whether to triage the caller's existing matching mail again now.",
    })
    applyToExisting: boolean,
    @Ctx() ctx: InboxContext,
  ): Promise<AcceptTriageRulePayload> {
    return ctx.rules.accept(requireScope(ctx.principal, "inbox:write"), id, applyToExisting);
  }
}
