import type { EntityManager } from "@mikro-orm/postgresql";
import { createEntityLoader, sessionPrincipal, type BaseSubgraphContext } from "@mary/kit";
import type DataLoader from "dataloader";
import { Membership } from "./entities/membership.entity.ts";
import { User } from "./entities/user.entity.ts";
import { Workspace } from "./entities/workspace.entity.ts";
import type { ApiKeyService } from "./services/api-key.service.ts";
import type { Session, SessionService } from "./services/session.service.ts";
import type { WorkspaceService } from "./services/workspace.service.ts";

export interface UsersContext extends BaseSubgraphContext {
  em: EntityManager;
  sessions: SessionService;
  workspaces: WorkspaceService;
  apiKeys: ApiKeyService;
  loaders: UsersLoaders;
}

export interface UsersLoaders {
  /** Users by id, without a tenant check: for rows the caller was already allowed to reach. */
  user: DataLoader<string, User | null>;
  workspace: DataLoader<string, Workspace | null>;
  /** Users by id that share the caller's active workspace; null for anyone else. */
  visibleUser: DataLoader<string, User | null>;
}

export function createLoaders(em: EntityManager, base: BaseSubgraphContext): UsersLoaders {
  const { principal } = base;
  return {
    user: createEntityLoader((ids) => em.find(User, { id: { $in: [...ids] } })),
    workspace: createEntityLoader((ids) => em.find(Workspace, { id: { $in: [...ids] } })),
    visibleUser: createEntityLoader(async (ids) => {
      if (principal.kind !== "user" && principal.kind !== "apiKey") return [];
      const memberships = await em.find(Membership, {
        userId: { $in: [...ids] },
        workspaceId: principal.workspaceId,
      });
      return em.find(User, { id: { $in: memberships.map((membership) => membership.userId) } });
    }),
  };
}

/**
 * After signUp, logIn, refreshSession or switchWorkspace the rest of the operation is read as the
 * session just made, so `signUp { user { memberships } }` answers for the new user rather than
 * for the anonymous caller. The plan is not known here and nothing in users reads it.
 */
export function actAs(ctx: UsersContext, session: Session): Session {
  ctx.principal = sessionPrincipal({ userId: session.user.id, workspaceId: session.workspace.id, role: session.role });
  ctx.loaders = createLoaders(ctx.em, ctx);
  return session;
}
