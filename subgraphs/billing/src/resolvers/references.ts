import type { ReferenceResolvers } from "@mary/kit";
import type { BillingContext } from "../context.ts";

/** Only the caller's own workspace resolves; any other is null. */
const ownWorkspace = (ctx: BillingContext, workspaceId: string) =>
  (ctx.principal.kind === "user" || ctx.principal.kind === "apiKey") && ctx.principal.workspaceId === workspaceId;

export const referenceResolvers: ReferenceResolvers = {
  Workspace: {
    __resolveReference: (reference: { id: string }, ctx: BillingContext) =>
      ownWorkspace(ctx, reference.id) ? { id: reference.id } : null,
  },
  Usage: {
    __resolveReference: (reference: { workspaceId: string }, ctx: BillingContext) =>
      ownWorkspace(ctx, reference.workspaceId) ? { workspaceId: reference.workspaceId } : null,
  },
};
