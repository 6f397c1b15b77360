import "reflect-metadata";
import { Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { UsersContext } from "../context.ts";
import { Membership } from "../entities/membership.entity.ts";
import { User } from "../entities/user.entity.ts";

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: "The signed-in user (for an API key, the user who created it)." })
  async me(@Ctx() ctx: UsersContext): Promise<User> {
    const caller = requireScope(ctx.principal, "users:read");
    return ctx.em.findOneOrFail(User, { id: caller.userId });
  }

  @FieldResolver(() => [Membership], {
    description: "Workspaces the user belongs to. For another user, only the workspace you share with them.",
  })
  memberships(@Root() user: User, @Ctx() ctx: UsersContext): Promise<Membership[]> {
    const caller = requireScope(ctx.principal, "users:read");
    return ctx.workspaces.membershipsOf(caller, user.id);
  }
}
