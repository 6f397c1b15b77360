import "reflect-metadata";
import { Arg, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { SocialContext } from "../context.ts";
import { idOfPostCursor, type StoredPostEvent } from "../services/post-events.ts";
import { PostStatusEvent, toPostStatusEvent } from "../types/post-event.type.ts";
import { Post } from "../types/post.type.ts";

interface PostStatusArgs {
  postId?: string | null;
  accountId?: string | null;
  after?: string | null;
}

@Resolver(() => PostStatusEvent)
export class PostEventResolver {
  @Subscription(() => PostStatusEvent, {
    description:
      "The workspace's posts as their status changes (scheduled, publishing with each attempt, published, failed, " +
      "deleted), optionally of one post or one account. With `after`, first every stored event after that cursor " +
      "(the latest 10,000 of the workspace are kept), then the live ones, each exactly once and in order. " +
      "A `postId` of no post of the workspace is NOT_FOUND.",
    subscribe: async ({ args, context }: { args: PostStatusArgs; context: SocialContext }) => {
      const caller = requireScope(context.principal, "social:read");
      const after = idOfPostCursor(args.after);
      const postId = args.postId ? (await context.posts.get(caller, args.postId)).id : null;
      const accountId = args.accountId?.toLowerCase() ?? null;
      return context.postEvents.stream(caller.workspaceId, { postId, accountId }, after);
    },
  })
  postStatusChanged(
    @Root() event: StoredPostEvent,
    @Arg("postId", () => ID, { nullable: true, description: "Only this post's changes." }) _postId: string | null,
    @Arg("accountId", () => ID, { nullable: true, description: "Only the changes of this account's posts." })
    _accountId: string | null,
    @Arg("after", () => String, {
      nullable: true,
      description: "Start after this event's cursor (to resume); from now on when omitted.",
    })
    _after: string | null,
  ): PostStatusEvent {
    return toPostStatusEvent(event);
  }

  @FieldResolver(() => Post, { nullable: true, description: "The post as it is now; null once deleted." })
  post(@Root() event: PostStatusEvent, @Ctx() ctx: SocialContext): Promise<Post | null> {
    const caller = requireScope(ctx.principal, "social:read");
    // A subscription keeps its context for all its events: read afresh each time.
    return ctx.posts.byIds(caller.workspaceId, [event.postId]).then((found) => found[0] ?? null);
  }
}
