import type { EntityManager, EntityName, FilterQuery } from "@mikro-orm/postgresql";
import { findInScope, findManyInScope, isUuid, notFound } from "@mary/kit";

/** What every crm row has: its id and the workspace it belongs to. */
export interface TenantRow {
  id: string;
  workspaceId: string;
}

/**
 * The caller's row with this id. A row of another workspace is NOT_FOUND exactly like a
 * missing one, so ids never reveal whether they exist elsewhere.
 */
export function findInWorkspace<T extends TenantRow>(
  em: EntityManager,
  entity: EntityName<T>,
  workspaceId: string,
  id: string,
  what: string,
): Promise<T> {
  return findInScope(em, entity, { workspaceId }, id, what);
}

/** Throws NOT_FOUND unless every id given names a row of the caller's workspace. */
export async function requireInWorkspace<T extends TenantRow>(
  em: EntityManager,
  entity: EntityName<T>,
  workspaceId: string,
  ids: (string | null | undefined)[],
  what: string,
): Promise<void> {
  const wanted = [...new Set(ids.filter((id): id is string => id != null).map((id) => id.toLowerCase()))];
  if (!wanted.length) return;
  if (!wanted.every(isUuid)) throw notFound(what);
  const found = await em.count(entity, { id: { $in: wanted }, workspaceId } as FilterQuery<T>);
  if (found !== wanted.length) throw notFound(what);
}

/** The rows of the caller's workspace with these ids, in one query; ids that are not UUIDs match nothing. */
export function findManyInWorkspace<T extends TenantRow>(
  em: EntityManager,
  entity: EntityName<T>,
  workspaceId: string | null,
  ids: readonly string[],
): Promise<T[]> {
  return findManyInScope(em, entity, workspaceId ? { workspaceId } : null, ids);
}
