import { actsInWorkspace, type ReferenceResolvers } from "@mary/kit";
import type { BillingContext } from "../context.ts";

/** Only the caller's own workspace resolves; any other is null. */
export const referenceResolvers: ReferenceResolvers = {
  Workspace: {
    __resolveReference: (reference: { id: string }, ctx: BillingContext) =>
      actsInWorkspace(ctx.principal, reference.id) ? { id: reference.id } : null,
  },
  Usage: {
    __resolveReference: (reference: { workspaceId: string }, ctx: BillingContext) =>
      actsInWorkspace(ctx.principal, reference.workspaceId) ? { workspaceId: reference.workspaceId } : null,
  },
};
