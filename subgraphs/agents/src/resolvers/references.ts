import { actsInWorkspace, requireScope, type ReferenceResolvers } from "@mary/kit";
import type { AgentsContext } from "../context.ts";

/** agents' own entities resolve only within the caller's workspace (others are null, like missing ones). */
export const referenceResolvers: ReferenceResolvers = {
  Agent: {
    __resolveReference: (reference: { id: string }, ctx: AgentsContext) => {
      requireScope(ctx.principal, "agents:read");
      return ctx.loaders.agent.load(reference.id);
    },
  },
  AgentRun: {
    __resolveReference: (reference: { id: string }, ctx: AgentsContext) => {
      requireScope(ctx.principal, "agents:read");
      return ctx.loaders.run.load(reference.id);
    },
  },
  Usage: {
    __resolveReference: (reference: { workspaceId: string }, ctx: AgentsContext) =>
      actsInWorkspace(ctx.principal, reference.workspaceId) ? { workspaceId: reference.workspaceId } : null,
  },
};
