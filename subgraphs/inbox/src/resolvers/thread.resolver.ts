import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { PageArgs, requireScope, timePage, type Connection } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import type { Message } from "../entities/message.entity.ts";
import { Thread } from "../entities/thread.entity.ts";
import { MessageConnection } from "../types/connections.type.ts";

@Resolver(() => Thread)
export class ThreadResolver {
  @Query(() => Thread, { description: "One of the caller's threads; NOT_FOUND when there is none with that id." })
  thread(@Arg("id", () => ID, { description: "The thread's id." }) id: string, @Ctx() ctx: InboxContext) {
    return ctx.messages.thread(requireScope(ctx.principal, "inbox:read"), id);
  }

  @FieldResolver(() => MessageConnection, { description: "The thread's messages, oldest first." })
  messages(
    @Root() thread: Thread,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: InboxContext,
  ): Promise<Connection<Message>> {
    return ctx.messages.threadMessages(requireScope(ctx.principal, "inbox:read"), thread.id, timePage(page));
  }
}
