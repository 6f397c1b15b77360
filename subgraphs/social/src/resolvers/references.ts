import { actsInWorkspace, requireScope, type ReferenceResolvers } from "@mary/kit";
import type { SocialContext } from "../context.ts";

/**
 * social's own entities resolve only within the caller's workspace (others are null, like missing
 * ones); the stubs of other subgraphs' entities resolve to their key, for the fields social adds.
 */
export const referenceResolvers: ReferenceResolvers = {
  SocialAccount: {
    __resolveReference: (reference: { id: string }, ctx: SocialContext) => {
      requireScope(ctx.principal, "social:read");
      return ctx.loaders.account.load(reference.id);
    },
  },
  Post: {
    __resolveReference: (reference: { id: string }, ctx: SocialContext) => {
      requireScope(ctx.principal, "social:read");
      return ctx.postLoaders.post.load(reference.id);
    },
  },
  // Contact.socialProfiles reads only the caller's workspace's graph, so nothing leaks through a foreign id.
  Contact: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
  User: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
  Usage: {
    __resolveReference: (reference: { workspaceId: string }, ctx: SocialContext) =>
      actsInWorkspace(ctx.principal, reference.workspaceId) ? { workspaceId: reference.workspaceId } : null,
  },
};
