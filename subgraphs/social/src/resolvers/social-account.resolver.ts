import "reflect-metadata";
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { PageArgs, requireScope, timePage, type Connection } from "@mary/kit";
import type { SocialContext } from "../context.ts";
import { SocialAccountConnection } from "../types/connections.type.ts";
import { SocialAccount } from "../types/social-account.type.ts";

@Resolver(() => SocialAccount)
export class SocialAccountResolver {
  @Query(() => SocialAccountConnection, { description: "The workspace's connected social accounts, newest first." })
  socialAccounts(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: SocialContext): Promise<Connection<SocialAccount>> {
    return ctx.accounts.list(requireScope(ctx.principal, "social:read"), timePage(page));
  }

  @Query(() => SocialAccount, { description: "One of the workspace's social accounts; NOT_FOUND when there is none." })
  socialAccount(@Arg("id", () => ID, { description: "The account's id." }) id: string, @Ctx() ctx: SocialContext) {
    return ctx.accounts.get(requireScope(ctx.principal, "social:read"), id);
  }

  @Mutation(() => ID, {
    description:
      "Disconnects a social account: Mary forgets its tokens and stops publishing for it (the network keeps the account). Returns its id.",
  })
  disconnectSocialAccount(
    @Arg("id", () => ID, { description: "The account's id." }) id: string,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.accounts.disconnect(requireScope(ctx.principal, "social:write"), id);
  }
}
