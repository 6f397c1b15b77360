import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArgs, requireScope, timePage, type Connection } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import { MailAccount, MailServerSettings } from "../entities/mail-account.entity.ts";
import { MailAccountConnection } from "../types/connections.type.ts";
import { ConnectMailAccountInput } from "./mail-account.input.ts";

@Resolver(() => MailAccount)
export class MailAccountResolver {
  @Query(() => MailAccountConnection, { description: "The caller's connected mail accounts, newest first." })
  mailAccounts(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: InboxContext): Promise<Connection<MailAccount>> {
    return ctx.accounts.list(requireScope(ctx.principal, "inbox:read"), timePage(page));
  }

  @Query(() => MailAccount, { description: "One of the caller's mail accounts; NOT_FOUND when there is none." })
  mailAccount(@Arg("id", () => ID, { description: "The account's id." }) id: string, @Ctx() ctx: InboxContext) {
    return ctx.accounts.get(requireScope(ctx.principal, "inbox:read"), id);
  }

  @Mutation(() => MailAccount, {
    description:
      "Connects a mailbox. Mary logs in to its IMAP and SMTP servers first: a wrong password, host or port is " +
      "BAD_USER_INPUT and nothing is saved. Then its mail is synced in the background.",
  })
  connectMailAccount(
    @Arg("input", () => ConnectMailAccountInput, { description: "The mailbox and how to log in." })
    input: ConnectMailAccountInput,
    @Ctx() ctx: InboxContext,
  ) {
    return ctx.accounts.connect(requireScope(ctx.principal, "inbox:write"), input);
  }

  @Mutation(() => ID, {
    description:
      "Disconnects a mail account: its sync stops and Mary forgets its messages and drafts (the server keeps the mail). Returns its id.",
  })
  disconnectMailAccount(
    @Arg("id", () => ID, { description: "The account's id." }) id: string,
    @Ctx() ctx: InboxContext,
  ) {
    return ctx.accounts.disconnect(requireScope(ctx.principal, "inbox:write"), id);
  }

  @FieldResolver(() => MailServerSettings, { description: "The IMAP server Mary reads mail from." })
  imap(@Root() account: MailAccount): MailServerSettings {
    return { host: account.imapHost, port: account.imapPort, security: account.imapSecurity };
  }

  @FieldResolver(() => MailServerSettings, { description: "The SMTP server Mary sends mail through." })
  smtp(@Root() account: MailAccount): MailServerSettings {
    return { host: account.smtpHost, port: account.smtpPort, security: account.smtpSecurity };
  }
}
