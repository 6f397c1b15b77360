import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { PageArgs, requireScope, type Connection, timePage } from "@mary/kit";
import type { CrmContext } from "../context.ts";
import { DealStageEnum, type Deal, type DealStage } from "../entities/deal.entity.ts";
import { DealConnection } from "../types/connections.type.ts";
import { User } from "../types/user.type.ts";

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => DealConnection, {
    description: "The deals of the caller's workspace this user owns, newest first.",
  })
  assignedDeals(
    @Root() user: User,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("stage", () => DealStageEnum, { nullable: true, description: "Only deals in this stage." })
    stage: DealStage | null,
    @Ctx() ctx: CrmContext,
  ): Promise<Connection<Deal>> {
    requireScope(ctx.principal, "crm:read");
    // Batched: every user of the request asking for the same page is answered by one SQL statement.
    return ctx.loaders.assignedDeals(timePage(page), stage ?? null).load(user.id);
  }
}
