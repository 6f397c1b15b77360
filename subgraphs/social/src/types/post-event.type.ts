import "reflect-metadata";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { postEventCursor, type StoredPostEvent } from "../services/post-events.ts";
import { PostStateEnum, type PostState } from "./post.type.ts";

@ObjectType({ description: "A change of a post's status, in the order its workspace's posts changed." })
export class PostStatusEvent {
  @Field(() => String, {
    description: "Opaque position in the workspace's post events: subscribe with `after` to get every later one once.",
  })
  cursor!: string;

  @Field(() => ID, { description: "The post that changed." })
  postId!: string;

  @Field(() => ID, { description: "The post's account." })
  accountId!: string;

  @Field(() => PostStateEnum, { description: "The post's state after the change (its last state when deleted)." })
  state!: PostState;

  @Field(() => Int, { description: "Attempts at publishing made by then." })
  attempts!: number;

  @Field(() => String, {
    nullable: true,
    description: "FAILED: the reason; PUBLISHING: the last attempt's error while Mary retries.",
  })
  reason!: string | null;

  @Field(() => Boolean, { description: "True when the post was deleted." })
  deleted!: boolean;

  @Field(() => Date, { description: "When it changed." })
  at!: Date;
}

export const toPostStatusEvent = (event: StoredPostEvent): PostStatusEvent => ({
  cursor: postEventCursor(event.id),
  postId: event.postId,
  accountId: event.accountId,
  state: event.state,
  attempts: event.attempts,
  reason: event.reason ?? null,
  deleted: event.deleted,
  at: new Date(event.at),
});
