import "reflect-metadata";
import { stringEnum } from "@mary/kit";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

export const NETWORKS = ["BLUESKY", "MASTODON"] as const;
export type Network = (typeof NETWORKS)[number];
export const NetworkEnum = stringEnum(NETWORKS, "SocialNetwork", "A social network Mary publishes to.", {
  BLUESKY: "Bluesky, or any AT Protocol PDS: handle and app password.",
  MASTODON: "Mastodon, or any server speaking its API (GoToSocial and others): OAuth 2.",
});

export const ACCOUNT_STATES = ["ACTIVE", "NEEDS_RECONNECT"] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];
export const AccountStateEnum = stringEnum(
  ACCOUNT_STATES,
  "SocialAccountState",
  "Whether Mary can act for the account.",
  {
    ACTIVE: "Connected: Mary can post, follow and read for it.",
    NEEDS_RECONNECT: "The network refused its credentials: connect it again.",
  },
);

/**
 * A social account a member connected. Stored in Neo4j as (:SocialAccount), with its own profile
 * as (:SocialAccount)-[:IS]->(:Profile). Its tokens are sealed and no field returns them.
 */
@Directive('@key(fields: "id")')
@ObjectType({
  description: "An account on a social network that a member connected, for publishing and the follow graph.",
})
export class SocialAccount {
  @Field(() => ID, { description: "Stable identifier of the account in Mary." })
  id!: string;

  workspaceId!: string;
  /** The member who connected it. */
  userId!: string;

  @Field(() => NetworkEnum, { description: "Which network." })
  network!: Network;

  @Field(() => String, { description: "The account's handle, such as alice.bsky.social or @alice@example.social." })
  handle!: string;

  /** The network's id of the account (a DID on Bluesky, an account id on Mastodon). */
  remoteId!: string;

  @Field(() => String, { description: "The server Mary talks to for it: the PDS or the Mastodon instance." })
  serviceUrl!: string;

  @Field(() => String, { nullable: true, description: "The account's display name on the network." })
  displayName!: string | null;

  @Field(() => AccountStateEnum, { description: "Whether Mary can act for the account." })
  state!: AccountState;

  @Field(() => Int, {
    description: "The longest post the network accepts, in its own count (graphemes or characters).",
  })
  maxPostLength!: number;

  /** Sealed JSON of the network's tokens (see the kit's SecretBox), bound to the account's id. */
  secret!: string;

  @Field(() => Date, { description: "When the account was connected." })
  createdAt!: Date;
}
