import "reflect-metadata";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { SocialContext } from "../context.ts";
import { MAX_SUGGESTIONS } from "../services/social-graph.service.ts";
import { Contact } from "../types/contact.type.ts";
import { NetworkEnum, SocialAccount, type Network } from "../types/social-account.type.ts";
import { SocialProfile, SocialSuggestion } from "../types/social-profile.type.ts";

@Resolver(() => SocialProfile)
export class SocialProfileResolver {
  @Query(() => [SocialSuggestion], {
    description: `People the account might follow: profiles followed by the profiles it follows (not itself, nor those it follows), ranked by the Jaccard index of its follows and their followers, higher when the profile is linked to a CRM contact of the workspace; each with its reason. At most ${MAX_SUGGESTIONS}.`,
  })
  suggestions(
    @Arg("accountId", () => ID, { description: "The workspace's social account to suggest for." }) accountId: string,
    @Arg("first", () => Int, { defaultValue: 10, description: `How many, 1 to ${MAX_SUGGESTIONS} (default 10).` })
    first: number,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.socialGraph.suggestions(requireScope(ctx.principal, "social:read"), accountId, first);
  }

  @Query(() => SocialProfile, { description: "A profile of the workspace's graph; NOT_FOUND when there is none." })
  socialProfile(@Arg("id", () => ID, { description: "The profile's id." }) id: string, @Ctx() ctx: SocialContext) {
    return ctx.socialGraph.profile(requireScope(ctx.principal, "social:read"), id);
  }

  @Mutation(() => SocialProfile, {
    description: "Follows a profile from the account, on the network and in the graph. Returns the profile.",
  })
  followProfile(
    @Arg("accountId", () => ID, { description: "The workspace's social account that follows." }) accountId: string,
    @Arg("handle", () => String, { description: "Whom to follow: alice.bsky.social, or @alice@example.social." })
    handle: string,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.socialGraph.follow(requireScope(ctx.principal, "social:write"), accountId, handle);
  }

  @Mutation(() => ID, {
    description: "Unfollows a profile from the account, on the network and in the graph. Returns the profile's id.",
  })
  unfollowProfile(
    @Arg("accountId", () => ID, { description: "The workspace's social account that unfollows." }) accountId: string,
    @Arg("profileId", () => ID, { description: "The profile to unfollow." }) profileId: string,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.socialGraph.unfollow(requireScope(ctx.principal, "social:write"), accountId, profileId);
  }

  @Mutation(() => SocialProfile, {
    description:
      "Links one of the workspace's CRM contacts (NOT_FOUND otherwise) to a profile by handle: one the graph knows, or one a connected account of that network finds. Linked profiles rank higher in suggestions.",
  })
  linkSocialProfile(
    @Arg("contactId", () => ID, { description: "The CRM contact." }) contactId: string,
    @Arg("network", () => NetworkEnum, { description: "The profile's network." }) network: Network,
    @Arg("handle", () => String, { description: "The profile's handle." }) handle: string,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.socialGraph.link(requireScope(ctx.principal, "social:write"), contactId, network, handle);
  }

  @Mutation(() => ID, { description: "Removes a contact's link to a profile. Returns the profile's id." })
  unlinkSocialProfile(
    @Arg("contactId", () => ID, { description: "The CRM contact." }) contactId: string,
    @Arg("profileId", () => ID, { description: "The linked profile." }) profileId: string,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.socialGraph.unlink(requireScope(ctx.principal, "social:write"), contactId, profileId);
  }

  @FieldResolver(() => Contact, { nullable: true, description: "The CRM contact this profile is linked to, if any." })
  async contact(@Root() profile: SocialProfile, @Ctx() ctx: SocialContext): Promise<Contact | null> {
    const id = await ctx.graphLoaders.contactOfProfile.load(profile.id);
    return id ? { id } : null;
  }
}

@Resolver(() => SocialAccount)
export class SocialAccountGraphResolver {
  @FieldResolver(() => [SocialProfile], {
    description: "Whom the account follows, as last imported from the network (and followed through Mary), by handle.",
  })
  following(
    @Root() account: SocialAccount,
    @Arg("first", () => Int, { defaultValue: 50, description: "How many, 1 to 100 (default 50)." }) first: number,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.socialGraph.followsOf(
      requireScope(ctx.principal, "social:read"),
      account.id,
      Math.min(Math.max(first, 1), 100),
    );
  }
}

@Resolver(() => Contact)
export class ContactSocialResolver {
  @FieldResolver(() => [SocialProfile], {
    description: "The contact's social profiles, linked in the workspace's graph.",
  })
  socialProfiles(@Root() contact: Contact, @Ctx() ctx: SocialContext) {
    requireScope(ctx.principal, "social:read");
    return ctx.graphLoaders.profilesOfContact.load(contact.id);
  }
}

@Resolver(() => SocialSuggestion)
export class SocialSuggestionResolver {
  @FieldResolver(() => Contact, {
    nullable: true,
    description: "The CRM contact the suggested profile is linked to, if any.",
  })
  contact(@Root() suggestion: SocialSuggestion): Contact | null {
    return suggestion.contactId ? { id: suggestion.contactId } : null;
  }
}
