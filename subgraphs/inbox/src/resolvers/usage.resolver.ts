import "reflect-metadata";
import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import { Usage } from "../types/workspace.type.ts";

/** Usage references resolve only for the caller's own workspace (see references.ts). */
@Resolver(() => Usage)
export class UsageResolver {
  @FieldResolver(() => Int, { description: "How many mail accounts the workspace's members have connected." })
  mailAccounts(@Root() usage: Usage, @Ctx() ctx: InboxContext): Promise<number> {
    requireScope(ctx.principal, "inbox:read");
    return ctx.accounts.countInWorkspace(usage.workspaceId);
  }
}
