import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { UsersContext } from "../context.ts";
import { Membership } from "../entities/membership.entity.ts";
import { User } from "../entities/user.entity.ts";
import { Workspace } from "../entities/workspace.entity.ts";

/** Memberships reach clients only through checked lists, so their ends load without another check. */
@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => User, { description: "The member." })
  async user(@Root() membership: Membership, @Ctx() ctx: UsersContext): Promise<User | null> {
    return ctx.loaders.user.load(membership.userId);
  }

  @FieldResolver(() => Workspace, { description: "The workspace." })
  async workspace(@Root() membership: Membership, @Ctx() ctx: UsersContext): Promise<Workspace | null> {
    return ctx.loaders.workspace.load(membership.workspaceId);
  }
}
