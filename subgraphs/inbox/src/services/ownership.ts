import type { EntityManager, EntityName } from "@mikro-orm/postgresql";
import { findInScope, findManyInScope, isUuid, notFound, type AuthenticatedPrincipal } from "@mary/kit";
import { Message } from "../entities/message.entity.ts";

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

export function findOwned<T extends OwnedRow>(
  em: EntityManager,
  entity: EntityName<T>,
  caller: AuthenticatedPrincipal,
  id: string,
  what: string,
): Promise<T> {
  return findInScope(em, entity, ownerScope(caller), id, what);
}

/** The caller's rows with these ids, in one query; ids that are not UUIDs match nothing. */
export function findManyOwned<T extends OwnedRow>(
  em: EntityManager,
  entity: EntityName<T>,
  caller: AuthenticatedPrincipal | null,
  ids: readonly string[],
): Promise<T[]> {
  return findManyInScope(em, entity, caller ? ownerScope(caller) : null, ids);
}

/** The caller's message with its text body (which lists leave unloaded), else NOT_FOUND: what drafts and tasks read. */
export async function findOwnedMessageText(
  em: EntityManager,
  caller: AuthenticatedPrincipal,
  id: string,
): Promise<Message> {
  const message = isUuid(id)
    ? await em.findOne(Message, { id: id.toLowerCase(), ...ownerScope(caller) }, { populate: ["textBody"] as never })
    : null;
  if (!message) throw notFound("Message");
  return message;
}
