import "reflect-metadata";
import { Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { CrmContext } from "../context.ts";
import { PipelineStage } from "../types/pipeline.type.ts";
import { Usage, Workspace } from "../types/workspace.type.ts";

/** Workspace and Usage references resolve only for the caller's own workspace (see references.ts). */
@Resolver(() => Workspace)
export class WorkspaceResolver {
  @FieldResolver(() => [PipelineStage], {
    description:
      "Every stage of the workspace's sales pipeline, in order, with its deal count and totals per currency.",
  })
  pipeline(@Root() workspace: Workspace, @Ctx() ctx: CrmContext): Promise<PipelineStage[]> {
    requireScope(ctx.principal, "crm:read");
    return ctx.deals.pipeline(workspace.id);
  }
}

@Resolver(() => Usage)
export class UsageResolver {
  @FieldResolver(() => Int, { description: "How many contacts the workspace has; plans limit this number." })
  contacts(@Root() usage: Usage, @Ctx() ctx: CrmContext): Promise<number> {
    requireScope(ctx.principal, "crm:read");
    return ctx.contacts.count(usage.workspaceId);
  }
}
