import { actsInWorkspace, requireScope, type ReferenceResolvers } from "@mary/kit";
import type { CrmContext } from "../context.ts";

/**
 * crm's own entities resolve only within the caller's workspace (others are null, like missing ones);
 * the stubs of users' and billing's entities resolve to their key, for the fields crm adds.
 */
export const referenceResolvers: ReferenceResolvers = {
  Contact: {
    __resolveReference: (reference: { id: string }, ctx: CrmContext) => {
      requireScope(ctx.principal, "crm:read");
      return ctx.loaders.contact.load(reference.id);
    },
  },
  Company: {
    __resolveReference: (reference: { id: string }, ctx: CrmContext) => {
      requireScope(ctx.principal, "crm:read");
      return ctx.loaders.company.load(reference.id);
    },
  },
  Deal: {
    __resolveReference: (reference: { id: string }, ctx: CrmContext) => {
      requireScope(ctx.principal, "crm:read");
      return ctx.loaders.deal.load(reference.id);
    },
  },
  Activity: {
    __resolveReference: (reference: { id: string }, ctx: CrmContext) => {
      requireScope(ctx.principal, "crm:read");
      return ctx.loaders.activity.load(reference.id);
    },
  },
  // Any address: Correspondent.contact shows only the caller's workspace's contact, so nothing leaks through it.
  Correspondent: { __resolveReference: (reference: { email: string }) => ({ email: reference.email }) },
  // Any user: assignedDeals shows only the caller's workspace's deals, so nothing leaks through it.
  User: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
  Workspace: {
    __resolveReference: (reference: { id: string }, ctx: CrmContext) =>
      actsInWorkspace(ctx.principal, reference.id) ? { id: reference.id } : null,
  },
  Usage: {
    __resolveReference: (reference: { workspaceId: string }, ctx: CrmContext) =>
      actsInWorkspace(ctx.principal, reference.workspaceId) ? { workspaceId: reference.workspaceId } : null,
  },
};
