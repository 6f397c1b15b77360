import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { notFound, PageArgs, pageRequest, requireScope, type Connection } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import { MailAccount } from "../entities/mail-account.entity.ts";
import { MailFolder } from "../entities/mail-folder.entity.ts";
import { Message } from "../entities/message.entity.ts";
import { Thread } from "../entities/thread.entity.ts";
import { Attachment } from "../types/attachment.type.ts";
import { MessageConnection } from "../types/connections.type.ts";
import { Correspondent } from "../types/correspondent.type.ts";
import { MessageFilter } from "./message.input.ts";

const IDS_DESCRIPTION = "The messages' ids, 1 to 100, all the caller's (else NOT_FOUND and nothing changes).";

@Resolver(() => Message)
export class MessageResolver {
  @Query(() => MessageConnection, {
    description:
      "The caller's messages, newest first; with `filter.search`, the best matches first (PostgreSQL full-text ranking).",
  })
  messages(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => MessageFilter, { nullable: true, description: "Only messages matching all of these." })
    filter: MessageFilter | null,
    @Ctx() ctx: InboxContext,
  ): Promise<Connection<Message>> {
    return ctx.messages.list(requireScope(ctx.principal, "inbox:read"), filter ?? {}, pageRequest(page));
  }

  @Query(() => Message, { description: "One of the caller's messages; NOT_FOUND when there is none with that id." })
  message(@Arg("id", () => ID, { description: "The message's id." }) id: string, @Ctx() ctx: InboxContext) {
    return ctx.messages.get(requireScope(ctx.principal, "inbox:read"), id);
  }

  @Mutation(() => [Message], {
    description:
      "Marks messages read or unread: the \\Seen flag is set on the mail server first (so other mail clients see it), then in Mary. " +
      "A server that refuses is BAD_USER_INPUT with its reason, and nothing changes in Mary.",
  })
  markMessages(
    @Arg("ids", () => [ID], { description: IDS_DESCRIPTION }) ids: string[],
    @Arg("seen", () => Boolean, { description: "true: read; false: unread." }) seen: boolean,
    @Ctx() ctx: InboxContext,
  ) {
    return ctx.messages.mark(requireScope(ctx.principal, "inbox:write"), ids, seen);
  }

  @Mutation(() => [Message], {
    description: "Flags or unflags messages: the \\Flagged flag on the mail server first, then in Mary.",
  })
  flagMessages(
    @Arg("ids", () => [ID], { description: IDS_DESCRIPTION }) ids: string[],
    @Arg("flagged", () => Boolean, { description: "true: flagged; false: not." }) flagged: boolean,
    @Ctx() ctx: InboxContext,
  ) {
    return ctx.messages.flag(requireScope(ctx.principal, "inbox:write"), ids, flagged);
  }

  @Mutation(() => [Message], {
    description:
      "Moves messages to their account's Archive folder on the mail server (IMAP MOVE), then in Mary; they keep their ids.",
  })
  archiveMessages(@Arg("ids", () => [ID], { description: IDS_DESCRIPTION }) ids: string[], @Ctx() ctx: InboxContext) {
    return ctx.messages.archive(requireScope(ctx.principal, "inbox:write"), ids);
  }

  @Mutation(() => [Message], {
    description:
      "Moves messages to another folder of their account on the mail server (IMAP MOVE), then in Mary; they keep their ids.",
  })
  moveMessages(
    @Arg("ids", () => [ID], { description: IDS_DESCRIPTION }) ids: string[],
    @Arg("folderId", () => ID, { description: "The folder to move them to, of the same account." }) folderId: string,
    @Ctx() ctx: InboxContext,
  ) {
    return ctx.messages.move(requireScope(ctx.principal, "inbox:write"), ids, folderId);
  }

  @FieldResolver(() => String, { nullable: true, description: "The plain-text body; null when the message has none." })
  async textBody(@Root() message: Message, @Ctx() ctx: InboxContext): Promise<string | null> {
    return (await ctx.loaders.body.load(message.id))?.textBody ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The HTML body, sanitized (no scripts, event handlers, styles, forms or frames; links open in a new tab); null when none.",
  })
  async htmlBody(@Root() message: Message, @Ctx() ctx: InboxContext): Promise<string | null> {
    return (await ctx.loaders.body.load(message.id))?.htmlBody ?? null;
  }

  @FieldResolver(() => Correspondent, { nullable: true, description: "The sender; null when the message names none." })
  from(@Root() message: Message): Correspondent | null {
    return message.fromAddress ? { email: message.fromAddress.email, name: message.fromAddress.name } : null;
  }

  @FieldResolver(() => [Correspondent], { description: "The recipients (To)." })
  to(@Root() message: Message): Correspondent[] {
    return message.toAddresses.map(({ email, name }) => ({ email, name }));
  }

  @FieldResolver(() => [Correspondent], { description: "The copied recipients (Cc)." })
  cc(@Root() message: Message): Correspondent[] {
    return message.ccAddresses.map(({ email, name }) => ({ email, name }));
  }

  @FieldResolver(() => Thread, { description: "The conversation the message is part of." })
  async thread(@Root() message: Message, @Ctx() ctx: InboxContext): Promise<Thread> {
    const thread = await ctx.loaders.thread.load(message.threadId);
    if (!thread) throw notFound("Thread");
    return thread;
  }

  @FieldResolver(() => MailAccount, { description: "The mail account it was synced from." })
  async account(@Root() message: Message, @Ctx() ctx: InboxContext): Promise<MailAccount> {
    const account = await ctx.loaders.account.load(message.accountId);
    if (!account) throw notFound("Mail account");
    return account;
  }

  @FieldResolver(() => MailFolder, { description: "The folder it is in." })
  async folder(@Root() message: Message, @Ctx() ctx: InboxContext): Promise<MailFolder> {
    const folder = await ctx.loaders.folder.load(message.folderId);
    if (!folder) throw notFound("Folder");
    return folder;
  }

  @FieldResolver(() => [Attachment], { description: "Its attachments, listed (their content is fetched on demand)." })
  attachments(@Root() message: Message): Attachment[] {
    return message.attachments.map((attachment) => ({ ...attachment, messageId: message.id }));
  }

  @FieldResolver(() => Attachment, {
    nullable: true,
    description:
      "One attachment by its body part (from `attachments`), to fetch the content of just that one; null when there is none.",
  })
  attachment(
    @Root() message: Message,
    @Arg("part", () => String, { description: "The attachment's `part`." }) part: string,
  ): Attachment | null {
    const found = message.attachments.find((attachment) => attachment.part === part);
    return found ? { ...found, messageId: message.id } : null;
  }
}
