import "reflect-metadata";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import { NetworkEnum, type Network } from "./social-account.type.ts";

/**
 * A person on a social network as the workspace's graph knows them: (:Profile) in Neo4j, one node
 * per workspace, network and network id, with FOLLOWS edges to and from other profiles.
 */
@ObjectType({ description: "A person's profile on a social network, as the workspace's follow graph knows it." })
export class SocialProfile {
  @Field(() => ID, { description: "Stable identifier of the profile in Mary (per workspace)." })
  id!: string;

  workspaceId!: string;

  @Field(() => NetworkEnum, { description: "Which network." })
  network!: Network;

  /** The network's id: a DID on Bluesky, the full address user@domain on Mastodon. */
  remoteId!: string;

  @Field(() => String, { description: "The profile's handle, such as alice.bsky.social or @alice@example.social." })
  handle!: string;

  @Field(() => String, { nullable: true, description: "The name the person shows on the network." })
  displayName!: string | null;

  @Field(() => String, { nullable: true, description: "The profile's web page, when the network has one." })
  url!: string | null;

  @Field(() => String, { nullable: true, description: "The profile picture's URL." })
  avatarUrl!: string | null;
}

@ObjectType({ description: "Someone an account might follow, from the people it already follows." })
export class SocialSuggestion {
  @Field(() => SocialProfile, { description: "The profile suggested." })
  profile!: SocialProfile;

  @Field(() => Int, { description: "How many of the profiles the account follows follow this one." })
  commonFollows!: number;

  @Field(() => Float, {
    description:
      "The Jaccard index of the account's follows and the profile's followers (0 to 1): common follows over everyone in either set.",
  })
  jaccard!: number;

  @Field(() => Float, {
    description:
      "What suggestions are ranked by: the Jaccard index, weighted 1.5× when the profile is a CRM contact's.",
  })
  score!: number;

  @Field(() => String, {
    description: 'Why it is suggested, such as "followed by 4 people you follow; a contact at Acme".',
  })
  reason!: string;

  contactId!: string | null;
}

@ObjectType({ description: "Where to send the member to let Mary act for their Mastodon account." })
export class MastodonAuthorization {
  @Field(() => String, {
    description:
      "The instance's authorization page: open it in the browser; the instance sends the member back through the gateway's /oauth/mastodon/callback to the accounts page.",
  })
  authorizeUrl!: string;

  @Field(() => String, {
    description:
      "The OAuth state of this authorization (valid 10 minutes, used once); it comes back with the callback.",
  })
  state!: string;
}
