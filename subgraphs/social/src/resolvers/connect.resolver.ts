import "reflect-metadata";
import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { SocialContext } from "../context.ts";
import { SocialAccount } from "../types/social-account.type.ts";
import {
  MASTODON_CONNECT_ERRORS,
  MastodonConnectErrorEnum,
  type MastodonConnectError,
} from "../types/mastodon-connect-error.type.ts";
import { MastodonAuthorization } from "../types/social-profile.type.ts";
import { ConnectBlueskyAccountInput } from "./connect.input.ts";

@Resolver()
export class ConnectResolver {
  @Query(() => [MastodonConnectErrorEnum], {
    description:
      "Every reason the Mastodon callback can send the browser back to the accounts page with (`?error=<reason>`), " +
      "each described on MastodonConnectError: a client checks the reason it got against them, and introspection " +
      "is off in production.",
  })
  mastodonConnectErrors(@Ctx() ctx: SocialContext): readonly MastodonConnectError[] {
    requireScope(ctx.principal, "social:read");
    return MASTODON_CONNECT_ERRORS;
  }

  @Mutation(() => SocialAccount, {
    description:
      "Connects a Bluesky account with its handle and an app password, tried on its server first (refused: BAD_USER_INPUT, nothing saved). The same account again reconnects it (ACTIVE, new tokens); a new one counts against the plan (PLAN_LIMIT).",
  })
  connectBlueskyAccount(
    @Arg("input", () => ConnectBlueskyAccountInput, { description: "The handle, app password and server." })
    input: ConnectBlueskyAccountInput,
    @Ctx() ctx: SocialContext,
  ): Promise<SocialAccount> {
    return ctx.connect.connectBluesky(requireScope(ctx.principal, "social:write"), input);
  }

  @Mutation(() => MastodonAuthorization, {
    description:
      "Starts connecting (or reconnecting) a Mastodon-API account (Mastodon, GoToSocial, …): registers Mary on the instance once, and returns the page where the member authorizes it (OAuth 2 with PKCE). The account is saved when the instance sends them back.",
  })
  startMastodonConnect(
    @Arg("instanceUrl", () => String, {
      description: "The instance, such as https://mastodon.social or mastodon.social.",
    })
    instanceUrl: string,
    @Ctx() ctx: SocialContext,
  ): Promise<MastodonAuthorization> {
    return ctx.connect.startMastodon(requireScope(ctx.principal, "social:write"), instanceUrl);
  }
}
