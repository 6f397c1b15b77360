import "reflect-metadata";
import { connectionType, stringEnum } from "@mary/kit";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { NetworkEnum, type Network } from "./social-account.type.ts";

export const POST_STATES = ["DRAFT", "SCHEDULED", "PUBLISHING", "PUBLISHED", "FAILED"] as const;
export type PostState = (typeof POST_STATES)[number];
export const PostStateEnum = stringEnum(POST_STATES, "PostState", "Where a post is on its way to the network.", {
  DRAFT: "Saved, not scheduled: nothing is published until it is scheduled or published now.",
  SCHEDULED: "Waiting in the publishing queue for its time (now, for a post published now).",
  PUBLISHING:
    "Being published: an attempt is under way, or the last one failed in a way worth retrying and the next waits (see `lastError`).",
  PUBLISHED: "On the network, at `url`, once.",
  FAILED: "Not published, and Mary stopped trying: `failureReason` says why (edit, reconnect or publish again).",
});

export const POST_ORDERS = ["NEWEST_FIRST", "DUE_FIRST"] as const;
export type PostOrder = (typeof POST_ORDERS)[number];
export const PostOrderEnum = stringEnum(POST_ORDERS, "PostOrder", "How a list of posts is sorted.", {
  NEWEST_FIRST: "The most recently created first.",
  DUE_FIRST: "Posts with a scheduled time only, the soonest due first: the publishing queue.",
});

/** States in which a post may be edited, rescheduled or published again. */
export const EDITABLE_STATES: readonly PostState[] = ["DRAFT", "SCHEDULED", "FAILED"];

@ObjectType({ description: "A post's likes, reposts and replies on its network at one time." })
export class PostMetrics {
  @Field(() => Date, { description: "When the network was asked." })
  at!: Date;

  @Field(() => Int, { description: "Likes (favourites on Mastodon)." })
  likes!: number;

  @Field(() => Int, { description: "Reposts (boosts on Mastodon)." })
  reposts!: number;

  @Field(() => Int, { description: "Replies." })
  replies!: number;
}

/**
 * A post, stored in Neo4j as (:SocialAccount)-[:POSTED]->(:Post), its engagement as
 * (:Post)-[:MEASURED]->(:MetricsSample).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A post composed in Mary for one social account: a draft, scheduled, or published." })
export class Post {
  @Field(() => ID, { description: "Stable identifier of the post; also its idempotency key on the network." })
  id!: string;

  workspaceId!: string;
  /** The member who wrote it. */
  userId!: string;
  accountId!: string;

  @Field(() => NetworkEnum, { description: "The network of the post's account." })
  network!: Network;

  @Field(() => String, { description: "The text, as it is (or will be) published." })
  text!: string;

  @Field(() => PostStateEnum, { description: "Where the post is on its way to the network." })
  state!: PostState;

  @Field(() => Date, {
    nullable: true,
    description: "SCHEDULED and after: the instant it is (or was) due; null for a draft never scheduled.",
  })
  scheduledAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "The IANA time zone it was scheduled in (such as Europe/Berlin); null when published now.",
  })
  timeZone!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "`scheduledAt` on the clocks of `timeZone`, as yyyy-MM-ddTHH:mm:ss without offset.",
  })
  scheduledLocal!: string | null;

  @Field(() => Date, { nullable: true, description: "PUBLISHED: when the network published it." })
  publishedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "PUBLISHED: the network's id of the post (an at:// URI on Bluesky, a status id on Mastodon).",
  })
  remoteId!: string | null;

  @Field(() => String, { nullable: true, description: "PUBLISHED: where the post can be seen." })
  url!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "FAILED: why, in the network's words when it refused the post or the account's credentials.",
  })
  failureReason!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "PUBLISHING: why the last attempt failed while Mary retries (a network error, a 5xx, a 429).",
  })
  lastError!: string | null;

  @Field(() => Int, { description: "Attempts at publishing so far (0 until the first)." })
  attempts!: number;

  @Field(() => Date, { description: "When the post was created." })
  createdAt!: Date;

  @Field(() => Date, { description: "When the post last changed (text, schedule or state)." })
  updatedAt!: Date;
}

export const PostConnection = connectionType(Post, "Post", "post");
