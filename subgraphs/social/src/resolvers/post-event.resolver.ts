import "reflect-metadata";
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from "type-graphql";
import { requireScope, type AuthenticatedPrincipal } from "@mary/kit";
import type { SocialContext } from "../context.ts";
import { idOfPostCursor, type StoredPostEvent } from "../services/post-events.ts";
import { PostStatusEvent, toPostStatusEvent } from "../types/post-event.type.ts";
import { Post } from "../types/post.type.ts";

interface PostStatusArgs {
  postId?: string | null;
  accountId?: string | null;
  after?: string | null;
}

const CURSOR_FIELD = "postEventsCursor";

/** This request's read of the workspace's latest post event cursor: started once, shared. */
const cursorRead = (ctx: SocialContext, caller: AuthenticatedPrincipal) =>
  (ctx.postEventsCursor ??= ctx.postEvents.latestCursor(caller.workspaceId));

/** Whether the operation's top level (through its fragments) selects postEventsCursor. */
function selectsCursor(info: GraphQLResolveInfo): boolean {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === CURSOR_FIELD;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      const fragment = info.fragments[name];
      return fragment ? visit(fragment.selectionSet) : false;
    });
  return info.operation.operation === "query" && visit(info.operation.selectionSet);
}

/**
 * Before a top-level `posts` or `post` reads the graph: when the same query asks for
 * postEventsCursor, waits for that cursor to be read first. Root fields resolve concurrently, and
 * a post is changed in the graph before its event is appended, so a cursor read after the posts
 * could stand after a change they do not show: subscribing after it would miss that change.
 */
export async function cursorFirst(ctx: SocialContext, caller: AuthenticatedPrincipal, info: GraphQLResolveInfo) {
  if (info.path.prev === undefined && selectsCursor(info)) await cursorRead(ctx, caller);
}

@Resolver(() => PostStatusEvent)
export class PostEventResolver {
  @Query(() => String, {
    description:
      "The cursor of the workspace's latest post event. Read it with the posts, then subscribe to postStatusChanged " +
      "with it as `after`: no change made in between is missed, and none is delivered twice. In the same query as " +
      "`posts` or `post` it is read before them; in separate ones, read it first.",
  })
  postEventsCursor(@Ctx() ctx: SocialContext): Promise<string> {
    return cursorRead(ctx, requireScope(ctx.principal, "social:read"));
  }

  @Subscription(() => PostStatusEvent, {
    description:
      "The workspace's posts as their status changes (scheduled, publishing with each attempt, published, failed, " +
      "deleted), optionally of one post or one account. With `after`, first every stored event after that cursor " +
      "(the latest 10,000 of the workspace are kept), then the live ones, each exactly once and in order: after " +
      "postEventsCursor, read with the posts shown, nothing is missed. " +
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
