import type { EntityManager } from "@mikro-orm/postgresql";
import { createEntityLoader, type AuthenticatedPrincipal, type BaseSubgraphContext } from "@mary/kit";
import type DataLoader from "dataloader";
import { MailAccount } from "./entities/mail-account.entity.ts";
import type { MailAccountService } from "./services/mail-account.service.ts";
import { findManyOwned } from "./services/ownership.ts";

export interface InboxContext extends BaseSubgraphContext {
  em: EntityManager;
  accounts: MailAccountService;
  loaders: InboxLoaders;
}

/** Per-request loaders: the caller's own rows by id, null for missing ones and for anyone else's. */
export interface InboxLoaders {
  account: DataLoader<string, MailAccount | null>;
}

/** The caller when they act in a workspace (a user or an API key); null for anyone else. */
export const callerOf = (base: BaseSubgraphContext): AuthenticatedPrincipal | null =>
  base.principal.kind === "user" || base.principal.kind === "apiKey" ? base.principal : null;

export function createLoaders(em: EntityManager, base: BaseSubgraphContext): InboxLoaders {
  const caller = callerOf(base);
  return {
    account: createEntityLoader((ids) => findManyOwned(em, MailAccount, caller, ids)),
  };
}
