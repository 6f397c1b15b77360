import "reflect-metadata";
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArgs, requireScope, timePage, type Connection } from "@mary/kit";
import type { SocialContext } from "../context.ts";
import { Post, PostConnection, PostMetrics, PostOrderEnum, type PostOrder } from "../types/post.type.ts";
import { SocialAccount } from "../types/social-account.type.ts";
import { User } from "../types/user.type.ts";
import { cursorFirst } from "./post-event.resolver.ts";
import { CreatePostInput, PostFilter, UpdatePostInput } from "./post.input.ts";

@Resolver(() => Post)
export class PostResolver {
  @Query(() => PostConnection, { description: "The workspace's posts, newest first unless `orderBy` says otherwise." })
  async posts(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => PostFilter, { nullable: true, description: "Only posts matching all of these." })
    filter: PostFilter | null,
    @Arg("orderBy", () => PostOrderEnum, {
      nullable: true,
      description: "How to sort them: NEWEST_FIRST when omitted; DUE_FIRST for the queue of scheduled posts.",
    })
    orderBy: PostOrder | null,
    @Ctx() ctx: SocialContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<Post>> {
    const caller = requireScope(ctx.principal, "social:read");
    await cursorFirst(ctx, caller, info);
    return ctx.posts.list(caller, filter ?? {}, timePage(page), orderBy ?? undefined);
  }

  @Query(() => Post, { description: "One of the workspace's posts; NOT_FOUND when there is none." })
  async post(
    @Arg("id", () => ID, { description: "The post's id." }) id: string,
    @Ctx() ctx: SocialContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const caller = requireScope(ctx.principal, "social:read");
    await cursorFirst(ctx, caller, info);
    return ctx.posts.get(caller, id);
  }

  @Mutation(() => Post, {
    description:
      "Composes a post: a draft, scheduled for a local time in a time zone, or published now. The text is checked " +
      "against the account's network before anything is saved (BAD_USER_INPUT with the field).",
  })
  createPost(
    @Arg("input", () => CreatePostInput, { description: "The post." }) input: CreatePostInput,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.posts.create(requireScope(ctx.principal, "social:write"), input);
  }

  @Mutation(() => Post, {
    description:
      "Changes a draft, scheduled or failed post (a failed one becomes a draft again); BAD_USER_INPUT while it is " +
      "being published or once published.",
  })
  updatePost(
    @Arg("id", () => ID, { description: "The post's id." }) id: string,
    @Arg("input", () => UpdatePostInput, { description: "The fields to change." }) input: UpdatePostInput,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.posts.update(requireScope(ctx.principal, "social:write"), id, input);
  }

  @Mutation(() => Post, {
    description:
      "Schedules a draft or failed post, or moves a scheduled one, to a local date and time in a time zone. A time the " +
      "clocks skip is BAD_USER_INPUT; a time they show twice is the earlier instant.",
  })
  schedulePost(
    @Arg("id", () => ID, { description: "The post's id." }) id: string,
    @Arg("at", () => String, { description: "Local date and time without offset, such as 2026-03-29T09:30." })
    at: string,
    @Arg("timeZone", () => String, { description: "The IANA time zone of `at`, such as Europe/Berlin." })
    timeZone: string,
    @Ctx() ctx: SocialContext,
  ) {
    return ctx.posts.schedule(requireScope(ctx.principal, "social:write"), id, at, timeZone);
  }

  @Mutation(() => Post, {
    description:
      "Publishes a draft, scheduled or failed post now. It is published once, even when an attempt is retried; " +
      "follow `postStatusChanged` for the outcome.",
  })
  publishPost(@Arg("id", () => ID, { description: "The post's id." }) id: string, @Ctx() ctx: SocialContext) {
    return ctx.posts.publishNow(requireScope(ctx.principal, "social:write"), id);
  }

  @Mutation(() => Post, { description: "Takes a scheduled post out of the queue: a draft again." })
  unschedulePost(@Arg("id", () => ID, { description: "The post's id." }) id: string, @Ctx() ctx: SocialContext) {
    return ctx.posts.unschedule(requireScope(ctx.principal, "social:write"), id);
  }

  @Mutation(() => ID, {
    description:
      "Deletes a post; a published one is deleted on its network first (SERVICE_UNAVAILABLE, and nothing deleted, " +
      "when the network cannot be reached), unless its account was disconnected (then only Mary forgets it). " +
      "BAD_USER_INPUT while it is being published. Returns its id.",
  })
  deletePost(@Arg("id", () => ID, { description: "The post's id." }) id: string, @Ctx() ctx: SocialContext) {
    return ctx.posts.delete(requireScope(ctx.principal, "social:write"), id);
  }

  @FieldResolver(() => SocialAccount, {
    nullable: true,
    description: "The account it is published with; null once that account is disconnected.",
  })
  account(@Root() post: Post, @Ctx() ctx: SocialContext) {
    return ctx.loaders.account.load(post.accountId);
  }

  @FieldResolver(() => User, { description: "The member who wrote it." })
  author(@Root() post: Post): User {
    return { id: post.userId };
  }

  @FieldResolver(() => PostMetrics, {
    nullable: true,
    description: "PUBLISHED: its latest likes, reposts and replies; null until first polled.",
  })
  metrics(@Root() post: Post, @Ctx() ctx: SocialContext) {
    return ctx.postLoaders.metrics.load(post.id);
  }

  @FieldResolver(() => [PostMetrics], {
    description:
      "PUBLISHED: its engagement as polled (every METRICS_POLL_SECONDS for its first 7 days) from `from` to `to`, " +
      "oldest first, at most 1,000 samples.",
  })
  metricsHistory(
    @Root() post: Post,
    @Arg("from", () => Date, { description: "The earliest sample's time (inclusive)." }) from: Date,
    @Arg("to", () => Date, { description: "The latest sample's time (inclusive)." }) to: Date,
    @Ctx() ctx: SocialContext,
  ): Promise<PostMetrics[]> {
    requireScope(ctx.principal, "social:read");
    return ctx.metrics.history(post, from, to);
  }
}
