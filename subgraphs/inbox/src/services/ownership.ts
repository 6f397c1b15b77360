import type { EntityManager, EntityName, FilterQuery } from "@mikro-orm/postgresql";
import { isUuid, notFound, type AuthenticatedPrincipal } from "@mary/kit";

/** What every inbox row has: the workspace and the member whose mailbox it comes from. */
export interface OwnedRow {
  id: string;
  workspaceId: string;
  userId: string;
}

/**
 * Mail is personal: a row is the caller's when it is in their workspace and their own mailbox.
 * Colleagues' mail, and other workspaces', is NOT_FOUND exactly like a missing id.
 */
export const ownerScope = (caller: AuthenticatedPrincipal) => ({
  workspaceId: caller.workspaceId,
  userId: caller.userId,
});

export async function findOwned<T extends OwnedRow>(
  em: EntityManager,
  entity: EntityName<T>,
  caller: AuthenticatedPrincipal,
  id: string,
  what: string,
): Promise<T> {
  const row = isUuid(id)
    ? await em.findOne(entity, { id: id.toLowerCase(), ...ownerScope(caller) } as FilterQuery<T>)
    : null;
  if (!row) throw notFound(what);
  return row as T;
}

/** The caller's rows with these ids, in one query; ids that are not UUIDs match nothing. */
export function findManyOwned<T extends OwnedRow>(
  em: EntityManager,
  entity: EntityName<T>,
  caller: AuthenticatedPrincipal | null,
  ids: readonly string[],
): Promise<T[]> {
  const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
  if (!caller || !valid.length) return Promise.resolve([]);
  return em.find(entity, { id: { $in: valid }, ...ownerScope(caller) } as FilterQuery<T>) as Promise<T[]>;
}
