import { callerOf, type BaseSubgraphContext } from "@mary/kit";
import DataLoader from "dataloader";
import type { MetricsService } from "./services/metrics.service.ts";
import type { PostEvents } from "./services/post-events.ts";
import type { PostLoaders } from "./services/post-loaders.ts";
import type { PostService } from "./services/post.service.ts";
import type { ConnectService } from "./services/connect.service.ts";
import type { GraphLoaders } from "./services/graph-loaders.ts";
import type { SocialAccountService } from "./services/social-account.service.ts";
import type { SocialGraphService } from "./services/social-graph.service.ts";
import type { SocialAccount } from "./types/social-account.type.ts";

export interface SocialContext extends BaseSubgraphContext {
  accounts: SocialAccountService;
  loaders: SocialLoaders;
  posts: PostService;
  metrics: MetricsService;
  postEvents: PostEvents;
  /** This request's read of postEventsCursor, once started: the posts it lists are read after it. */
  postEventsCursor?: Promise<string>;
  postLoaders: PostLoaders;
  connect: ConnectService;
  socialGraph: SocialGraphService;
  graphLoaders: GraphLoaders;
}

/** Per-request loaders: the workspace's own nodes by id, null for missing ones and for other workspaces'. */
export interface SocialLoaders {
  account: DataLoader<string, SocialAccount | null>;
}

export function createLoaders(base: BaseSubgraphContext, accounts: SocialAccountService): SocialLoaders {
  const caller = callerOf(base.principal);
  return {
    account: new DataLoader(async (ids) => {
      const found = new Map((caller ? await accounts.byIds(caller.workspaceId, ids) : []).map((a) => [a.id, a]));
      return ids.map((id) => found.get(id.toLowerCase()) ?? null);
    }),
  };
}
