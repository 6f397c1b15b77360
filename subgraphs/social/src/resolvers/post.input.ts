import "reflect-metadata";
import { Field, ID, InputType } from "type-graphql";
import { PostStateEnum, type PostState } from "../types/post.type.ts";

@InputType({
  description:
    "A new post for one of the workspace's accounts. Its text is checked against the network's rules before it is saved " +
    "(Bluesky: 300 graphemes, a link counting in full; Mastodon: the instance's maximum, each link counting 23; " +
    "mentions that the network would not recognise are refused).",
})
export class CreatePostInput {
  @Field(() => ID, { description: "The account to publish with." })
  accountId!: string;

  @Field(() => String, { description: "The post's text; not empty." })
  text!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Schedule it for this local date and time without offset (2026-03-29T09:30), on the clocks of `timeZone`. " +
      "A time the clocks skip (daylight saving time starting) is BAD_USER_INPUT; a time they show twice (it ending) is " +
      "the earlier of the two. Omitted, with `publishNow` false: a draft.",
  })
  scheduleAt?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The IANA time zone of `scheduleAt` (such as Europe/Berlin); required with it.",
  })
  timeZone?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Publish at once instead of saving a draft (not with `scheduleAt`).",
  })
  publishNow?: boolean | null;
}

@InputType({ description: "Changes to a draft, scheduled or failed post: only the fields given change." })
export class UpdatePostInput {
  @Field(() => String, { nullable: true, description: "The new text, checked against the network's rules." })
  text?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Another of the workspace's accounts to publish with (the text is checked against its network).",
  })
  accountId?: string | null;
}

@InputType({ description: "Which posts to list: those matching all the fields given." })
export class PostFilter {
  @Field(() => ID, { nullable: true, description: "Only the posts of this account." })
  accountId?: string | null;

  @Field(() => PostStateEnum, {
    nullable: true,
    description: "Only the posts in this state. Not with `states` (BAD_USER_INPUT).",
  })
  state?: PostState | null;

  @Field(() => [PostStateEnum], {
    nullable: true,
    description:
      "Only the posts in any of these states, such as [SCHEDULED, PUBLISHING] for those on their way. Not empty, " +
      "and not with `state` (BAD_USER_INPUT).",
  })
  states?: PostState[] | null;
}
