import { callerOf, type BaseSubgraphContext } from "@mary/kit";
import DataLoader from "dataloader";
import type { Post, PostMetrics } from "../types/post.type.ts";
import type { MetricsService } from "./metrics.service.ts";
import type { PostService } from "./post.service.ts";

/** Per-request loaders of posts: the caller's workspace's only (others' are null, like missing ones). */
export interface PostLoaders {
  post: DataLoader<string, Post | null>;
  /** The latest engagement of a post; null before its first poll. */
  metrics: DataLoader<string, PostMetrics | null>;
}

export function createPostLoaders(base: BaseSubgraphContext, posts: PostService, metrics: MetricsService): PostLoaders {
  const caller = callerOf(base.principal);
  return {
    post: new DataLoader(async (ids) => {
      const found = new Map((caller ? await posts.byIds(caller.workspaceId, ids) : []).map((p) => [p.id, p]));
      return ids.map((id) => found.get(id.toLowerCase()) ?? null);
    }),
    metrics: new DataLoader(async (ids) => {
      const found = await metrics.latest(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
