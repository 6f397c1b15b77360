import "reflect-metadata";
import { Args, Ctx, Directive, FieldResolver, Resolver, Root } from "type-graphql";
import { PageArgs, requireScope, timePage, type Connection } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import type { Message } from "../entities/message.entity.ts";
import { MessageConnection } from "../types/connections.type.ts";
import { Contact, Correspondent } from "../types/correspondent.type.ts";

@Resolver(() => Correspondent)
export class CorrespondentResolver {
  @FieldResolver(() => MessageConnection, {
    description: "The caller's mail from, to or copied to this address, newest first.",
  })
  messages(
    @Root() correspondent: Correspondent,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: InboxContext,
  ): Promise<Connection<Message>> {
    return ctx.messages.withAddresses(requireScope(ctx.principal, "inbox:read"), [correspondent.email], timePage(page));
  }
}

@Resolver(() => Contact)
export class ContactMessagesResolver {
  @Directive('@requires(fields: "emails")')
  @FieldResolver(() => MessageConnection, {
    description: "The caller's mail exchanged with the contact (any of its addresses), newest first.",
  })
  messages(
    @Root() contact: Contact,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: InboxContext,
  ): Promise<Connection<Message>> {
    return ctx.messages.withAddresses(requireScope(ctx.principal, "inbox:read"), contact.emails ?? [], timePage(page));
  }
}
