import "reflect-metadata";
import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { SocialContext } from "../context.ts";
import { Usage } from "../types/workspace.type.ts";

/** Usage references resolve only for the caller's own workspace (see references.ts). */
@Resolver(() => Usage)
export class UsageResolver {
  @FieldResolver(() => Int, {
    description: "How many social accounts the workspace has connected; plans limit this number.",
  })
  socialAccounts(@Root() usage: Usage, @Ctx() ctx: SocialContext): Promise<number> {
    requireScope(ctx.principal, "social:read");
    return ctx.accounts.countInWorkspace(usage.workspaceId);
  }
}
