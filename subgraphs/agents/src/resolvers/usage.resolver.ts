import "reflect-metadata";
import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { AgentsContext } from "../context.ts";
import { Usage } from "../types/workspace.type.ts";

/** Usage references resolve only for the caller's own workspace (see references.ts). */
@Resolver(() => Usage)
export class UsageResolver {
  @FieldResolver(() => Int, { description: "How many agents the workspace has; plans limit this number." })
  agents(@Root() usage: Usage, @Ctx() ctx: AgentsContext): Promise<number> {
    requireScope(ctx.principal, "agents:read");
    return ctx.agents.count(usage.workspaceId);
  }
}
