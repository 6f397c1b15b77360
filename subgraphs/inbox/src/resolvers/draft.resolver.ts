import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArgs, requireScope, timePage, type Connection } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import { Draft } from "../entities/draft.entity.ts";
import { MailAccount } from "../entities/mail-account.entity.ts";
import { DraftConnection } from "../types/connections.type.ts";
import { CreateDraftInput, UpdateDraftInput } from "./draft.input.ts";

@Resolver(() => Draft)
export class DraftResolver {
  @Query(() => DraftConnection, { description: "The caller's drafts, newest first (sent ones too, until deleted)." })
  drafts(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: InboxContext): Promise<Connection<Draft>> {
    return ctx.drafts.list(requireScope(ctx.principal, "inbox:read"), timePage(page));
  }

  @Query(() => Draft, { description: "One of the caller's drafts; NOT_FOUND when there is none." })
  draft(@Arg("id", () => ID, { description: "The draft's id." }) id: string, @Ctx() ctx: InboxContext) {
    return ctx.drafts.get(requireScope(ctx.principal, "inbox:read"), id);
  }

  @Mutation(() => Draft, {
    description:
      "Writes a reply to one of the caller's messages into a new draft, with the AI provider (offline, LOCAL's " +
      'template quoting the original): to its Reply-To or sender, subject "Re: …", threaded by In-Reply-To and References.',
  })
  draftReply(
    @Arg("messageId", () => ID, { description: "The message replied to." }) messageId: string,
    @Arg("instructions", () => String, {
      nullable: true,
      description: "What the reply should say, up to 2,000 characters, such as: accept, and propose Tuesday.",
    })
    instructions: string | null,
    @Ctx() ctx: InboxContext,
  ): Promise<Draft> {
    return ctx.drafts.draftReply(requireScope(ctx.principal, "inbox:write"), messageId, instructions);
  }

  @Mutation(() => Draft, { description: "Starts a new draft from one of the caller's accounts." })
  createDraft(
    @Arg("input", () => CreateDraftInput, { description: "The draft." }) input: CreateDraftInput,
    @Ctx() ctx: InboxContext,
  ): Promise<Draft> {
    return ctx.drafts.create(requireScope(ctx.principal, "inbox:write"), input);
  }

  @Mutation(() => Draft, {
    description: "Changes a draft in state DRAFT or FAILED; one being sent or sent is BAD_USER_INPUT.",
  })
  updateDraft(
    @Arg("id", () => ID, { description: "The draft's id." }) id: string,
    @Arg("input", () => UpdateDraftInput, { description: "The fields to change." }) input: UpdateDraftInput,
    @Ctx() ctx: InboxContext,
  ): Promise<Draft> {
    return ctx.drafts.update(requireScope(ctx.principal, "inbox:write"), id, input);
  }

  @Mutation(() => ID, {
    description: "Deletes a draft (a sent one stays sent); not while it is being sent. Returns its id.",
  })
  deleteDraft(@Arg("id", () => ID, { description: "The draft's id." }) id: string, @Ctx() ctx: InboxContext) {
    return ctx.drafts.delete(requireScope(ctx.principal, "inbox:write"), id);
  }

  @Mutation(() => Draft, {
    description:
      "Sends a draft over SMTP and saves it in the account's Sent folder, exactly once: calling it again, or twice at " +
      "once, never sends twice (a SENT draft is returned as it is; a call meeting another under way waits up to 30 s " +
      "for its outcome). A refusal by the server is state FAILED with sendError; a FAILED draft can be sent again.",
  })
  sendDraft(@Arg("id", () => ID, { description: "The draft's id." }) id: string, @Ctx() ctx: InboxContext) {
    return ctx.drafts.send(requireScope(ctx.principal, "inbox:write"), id);
  }

  @FieldResolver(() => MailAccount, { description: "The account the draft is sent from." })
  account(@Root() draft: Draft, @Ctx() ctx: InboxContext): Promise<MailAccount | null> {
    return ctx.loaders.account.load(draft.accountId);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The Message-ID of the message it replies to (its In-Reply-To), without angle brackets.",
  })
  inReplyTo(@Root() draft: Draft): string | null {
    return draft.inReplyTo;
  }

  @FieldResolver(() => ID, { nullable: true, description: "The id of the caller's message it replies to, if any." })
  replyToMessageId(@Root() draft: Draft): string | null {
    return draft.replyToId;
  }
}
