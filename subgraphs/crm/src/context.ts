import type { EntityManager } from "@mikro-orm/postgresql";
import {
  callerOf,
  createEntityLoader,
  isUuid,
  type BaseSubgraphContext,
  type Connection,
  type PageRequest,
} from "@mary/kit";
import DataLoader from "dataloader";
import { Activity } from "./entities/activity.entity.ts";
import { Company } from "./entities/company.entity.ts";
import { Contact } from "./entities/contact.entity.ts";
import type { DealStageChange } from "./entities/deal-stage-change.entity.ts";
import { Deal, type DealStage } from "./entities/deal.entity.ts";
import type { ActivityService } from "./services/activity.service.ts";
import type { CompanyService } from "./services/company.service.ts";
import type { ContactService } from "./services/contact.service.ts";
import type { DealService } from "./services/deal.service.ts";
import { findManyInWorkspace } from "./services/tenant.ts";

export interface CrmContext extends BaseSubgraphContext {
  em: EntityManager;
  contacts: ContactService;
  companies: CompanyService;
  deals: DealService;
  activities: ActivityService;
  loaders: CrmLoaders;
}

/** Per-request loaders, so a list of N items costs one query per kind of reference, not N. */
export interface CrmLoaders {
  /** Rows by id in the caller's workspace; null for missing ones and for other workspaces'. */
  contact: DataLoader<string, Contact | null>;
  company: DataLoader<string, Company | null>;
  deal: DataLoader<string, Deal | null>;
  activity: DataLoader<string, Activity | null>;
  /** The workspace's oldest contact with each (lower-cased) address, or null. */
  contactByEmail: DataLoader<string, Contact | null>;
  /** Each deal's stage history, oldest first. */
  stageHistory: DataLoader<string, DealStageChange[]>;
  /** A page of the deals each user owns, for one set of page arguments. */
  assignedDeals: (page: PageRequest, stage: DealStage | null) => DataLoader<string, Connection<Deal>>;
  /** A page of each contact's deals (contacts the caller already reached), for one set of page arguments. */
  contactDeals: (page: PageRequest) => DataLoader<string, Connection<Deal>>;
}

export function createLoaders(
  em: EntityManager,
  base: BaseSubgraphContext,
  deals: DealService,
  contacts: ContactService,
): CrmLoaders {
  const { principal } = base;
  const workspaceId = callerOf(principal)?.workspaceId ?? null;
  const byPage = new Map<string, DataLoader<string, Connection<Deal>>>();
  const contactDealsByPage = new Map<string, DataLoader<string, Connection<Deal>>>();
  return {
    contact: createEntityLoader((ids) => findManyInWorkspace(em, Contact, workspaceId, ids)),
    company: createEntityLoader((ids) => findManyInWorkspace(em, Company, workspaceId, ids)),
    deal: createEntityLoader((ids) => findManyInWorkspace(em, Deal, workspaceId, ids)),
    activity: createEntityLoader((ids) => findManyInWorkspace(em, Activity, workspaceId, ids)),
    // Every correspondent of one request in one statement (array overlap, served by a GIN index).
    contactByEmail: new DataLoader(async (emails) => {
      const wanted = emails.map((email) => email.trim().toLowerCase());
      const found = await contacts.withEmails(workspaceId, [...new Set(wanted)]);
      const byEmail = new Map<string, Contact>();
      for (const contact of found)
        for (const email of contact.emails) if (!byEmail.has(email)) byEmail.set(email, contact);
      return wanted.map((email) => byEmail.get(email) ?? null);
    }),
    stageHistory: new DataLoader(async (ids) => {
      const histories = await deals.histories(ids);
      return ids.map((id) => histories.get(id) ?? []);
    }),
    // Users in one _entities request that ask for the same page share a loader, hence one statement.
    assignedDeals: (page, stage) => {
      const key = JSON.stringify([page.first, page.after, stage]);
      let loader = byPage.get(key);
      if (!loader) {
        loader = new DataLoader(async (ownerIds) => {
          const valid = ownerIds.filter(isUuid);
          const pages = workspaceId && valid.length ? await deals.pagesByOwner(workspaceId, valid, page, stage) : null;
          return ownerIds.map((id) => pages?.get(id) ?? emptyConnection());
        });
        byPage.set(key, loader);
      }
      return loader;
    },
    contactDeals: (page) => {
      const key = JSON.stringify([page.first, page.after]);
      let loader = contactDealsByPage.get(key);
      if (!loader) {
        loader = new DataLoader(async (contactIds) => {
          const pages = workspaceId ? await deals.pagesByContact(workspaceId, contactIds, page) : null;
          return contactIds.map((id) => pages?.get(id) ?? emptyConnection());
        });
        contactDealsByPage.set(key, loader);
      }
      return loader;
    },
  };
}

const emptyConnection = <T>(): Connection<T> => ({
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
});
