import "reflect-metadata";
import { Arg, Ctx, FieldResolver, Query, Resolver, Root, Subscription } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import { MailAccount } from "../entities/mail-account.entity.ts";
import { Message } from "../entities/message.entity.ts";
import { Task } from "../entities/task.entity.ts";
import { ownerScope } from "../services/ownership.ts";
import { idOfCursor, type StoredInboxEvent } from "../services/inbox-events.ts";
import { InboxEvent, toInboxEvent } from "../types/event.type.ts";

@Resolver(() => InboxEvent)
export class EventResolver {
  @Query(() => String, {
    description:
      "The cursor of the caller's latest inbox event. Read it with the lists, then subscribe to inboxEvents with it as " +
      "`after`: nothing that happens in between is missed.",
  })
  inboxEventsCursor(@Ctx() ctx: InboxContext): Promise<string> {
    const caller = requireScope(ctx.principal, "inbox:read");
    return ctx.events.latestCursor(caller.workspaceId, caller.userId);
  }

  @Subscription(() => InboxEvent, {
    description:
      "The caller's inbox as it changes: new messages, triage verdicts and sync states of their own accounts, and " +
      "the workspace's tasks assigned to or made by them coming due or overdue. With " +
      "`after`, first every stored event after that cursor (the latest 10,000 are kept), then the live ones, each exactly once and in order.",
    subscribe: ({ args, context }: { args: { after?: string | null }; context: InboxContext }) => {
      const caller = requireScope(context.principal, "inbox:read");
      return context.events.stream(caller.workspaceId, caller.userId, idOfCursor(args.after));
    },
  })
  inboxEvents(
    @Root() event: StoredInboxEvent,
    @Arg("after", () => String, {
      nullable: true,
      description: "Start after this event's cursor (to resume); from now on when omitted.",
    })
    _after: string | null,
    @Ctx() ctx: InboxContext,
  ): InboxEvent {
    // A subscription keeps one context for all its events: each event's fields read afresh.
    ctx.em.clear();
    for (const loader of Object.values(ctx.loaders)) loader.clearAll();
    return toInboxEvent(event);
  }

  @FieldResolver(() => Message, {
    nullable: true,
    description: "NEW_MESSAGE and MESSAGE_TRIAGED: the message as it is now; null when it is gone since.",
  })
  message(@Root() event: InboxEvent, @Ctx() ctx: InboxContext): Promise<Message | null> | null {
    const caller = requireScope(ctx.principal, "inbox:read");
    return event.messageId ? ctx.messages.fresh(caller, event.messageId) : null;
  }

  @FieldResolver(() => Task, {
    nullable: true,
    description: "TASK_DUE and TASK_OVERDUE: the task as it is now; null when it is gone since (and for mail events).",
  })
  task(@Root() event: InboxEvent, @Ctx() ctx: InboxContext): Promise<Task | null> | null {
    const caller = requireScope(ctx.principal, "inbox:read");
    return event.taskId ? ctx.tasks.fresh(caller, event.taskId) : null;
  }

  @FieldResolver(() => MailAccount, {
    nullable: true,
    description: "The account, as it is now; null when disconnected since (and for task events).",
  })
  account(@Root() event: InboxEvent, @Ctx() ctx: InboxContext): Promise<MailAccount | null> | null {
    const caller = requireScope(ctx.principal, "inbox:read");
    if (!event.accountId) return null;
    // A subscription keeps its context for all its events: read afresh, on a fork of its own.
    return ctx.em.fork().findOne(MailAccount, { id: event.accountId, ...ownerScope(caller) });
  }
}
