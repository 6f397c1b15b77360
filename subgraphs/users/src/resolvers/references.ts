import { actsInWorkspace, type ReferenceResolvers } from "@mary/kit";
import type { UsersContext } from "../context.ts";

/** Entities other subgraphs point at: only people and workspaces the caller shares are resolved. */
export const referenceResolvers: ReferenceResolvers = {
  User: {
    __resolveReference: (reference: { id: string }, ctx: UsersContext) => ctx.loaders.visibleUser.load(reference.id),
  },
  Workspace: {
    __resolveReference: (reference: { id: string }, ctx: UsersContext) =>
      actsInWorkspace(ctx.principal, reference.id) ? ctx.loaders.workspace.load(reference.id) : null,
  },
};
