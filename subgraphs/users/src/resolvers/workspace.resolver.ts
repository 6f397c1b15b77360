import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  connectionType,
  MAX_PAGE_SIZE,
  PageArgs,
  pageRequest,
  requireScope,
  requireUserSession,
  type Connection,
  type Role,
} from "@mary/kit";
import type { UsersContext } from "../context.ts";
import { Membership, RoleEnum } from "../entities/membership.entity.ts";
import { Workspace } from "../entities/workspace.entity.ts";

const MembershipConnection = connectionType(Membership, "Membership", "membership");

@Resolver(() => Workspace)
export class WorkspaceResolver {
  @Query(() => Workspace, { description: "The workspace the caller is acting in." })
  async workspace(@Ctx() ctx: UsersContext): Promise<Workspace> {
    const caller = requireScope(ctx.principal, "users:read");
    return ctx.em.findOneOrFail(Workspace, { id: caller.workspaceId });
  }

  @FieldResolver(() => MembershipConnection, {
    description:
      "Everyone in the workspace (or those of `userIds` who are), oldest first. Only in the active workspace.",
  })
  members(
    @Root() workspace: Workspace,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("userIds", () => [ID], {
      nullable: true,
      description: `Only these users, up to ${MAX_PAGE_SIZE}: those who are not members are left out, which is how to check who is one.`,
    })
    userIds: string[] | null,
    @Ctx() ctx: UsersContext,
  ): Promise<Connection<Membership>> {
    const caller = requireScope(ctx.principal, "users:read");
    return ctx.workspaces.members(caller, workspace.id, pageRequest(page), userIds);
  }

  @Mutation(() => Workspace, {
    description: "Creates a workspace owned by the caller. Use switchWorkspace to act in it.",
  })
  createWorkspace(@Arg("name", () => String) name: string, @Ctx() ctx: UsersContext): Promise<Workspace> {
    return ctx.workspaces.create(requireUserSession(ctx.principal), name);
  }

  @Mutation(() => Membership, { description: "Adds an existing user to the active workspace. Owners and admins only." })
  addMember(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("email", () => String) email: string,
    @Arg("role", () => RoleEnum) role: Role,
    @Ctx() ctx: UsersContext,
  ): Promise<Membership> {
    return ctx.workspaces.addMember(requireScope(ctx.principal, "users:write"), workspaceId, email, role);
  }

  @Mutation(() => Boolean, {
    description: "Removes a member from the active workspace (or lets the caller leave it). The last owner stays.",
  })
  removeMember(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("userId", () => ID) userId: string,
    @Ctx() ctx: UsersContext,
  ): Promise<boolean> {
    return ctx.workspaces.removeMember(requireUserSession(ctx.principal), workspaceId, userId);
  }
}
