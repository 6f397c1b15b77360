import { actsInWorkspace, requireScope, type ReferenceResolvers } from "@mary/kit";
import type { InboxContext } from "../context.ts";

/**
 * inbox's own entities resolve only for their owner (others are null, like missing ones); the
 * stubs of other subgraphs' entities resolve to their key, for the fields inbox adds.
 */
export const referenceResolvers: ReferenceResolvers = {
  MailAccount: {
    __resolveReference: (reference: { id: string }, ctx: InboxContext) => {
      requireScope(ctx.principal, "inbox:read");
      return ctx.loaders.account.load(reference.id);
    },
  },
  Draft: {
    __resolveReference: (reference: { id: string }, ctx: InboxContext) => {
      requireScope(ctx.principal, "inbox:read");
      return ctx.loaders.draft.load(reference.id);
    },
  },
  Message: {
    __resolveReference: (reference: { id: string }, ctx: InboxContext) => {
      requireScope(ctx.principal, "inbox:read");
      return ctx.loaders.message.load(reference.id);
    },
  },
  Thread: {
    __resolveReference: (reference: { id: string }, ctx: InboxContext) => {
      requireScope(ctx.principal, "inbox:read");
      return ctx.loaders.thread.load(reference.id);
    },
  },
  Calendar: {
    __resolveReference: (reference: { id: string }, ctx: InboxContext) => {
      requireScope(ctx.principal, "inbox:read");
      return ctx.loaders.calendar.load(reference.id);
    },
  },
  CalendarEvent: {
    __resolveReference: (reference: { id: string }, ctx: InboxContext) => {
      requireScope(ctx.principal, "inbox:read");
      return ctx.loaders.event.load(reference.id);
    },
  },
  // An address on its own says nothing about anyone's mail.
  Correspondent: { __resolveReference: (reference: { email: string }) => ({ email: reference.email, name: null }) },
  // Contact.messages shows only the caller's own mail, so nothing leaks through a foreign id.
  Contact: {
    __resolveReference: (reference: { id: string; emails?: string[] }) => ({
      id: reference.id,
      emails: reference.emails,
    }),
  },
  User: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
  Usage: {
    __resolveReference: (reference: { workspaceId: string }, ctx: InboxContext) =>
      actsInWorkspace(ctx.principal, reference.workspaceId) ? { workspaceId: reference.workspaceId } : null,
  },
};
