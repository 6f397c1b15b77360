import { callerOf, type BaseSubgraphContext } from "@mary/kit";
import DataLoader from "dataloader";
import type { SocialProfile } from "../types/social-profile.type.ts";
import type { SocialGraphService } from "./social-graph.service.ts";

/** Per-request loaders of the graph's links, within the caller's workspace (none for anyone else). */
export interface GraphLoaders {
  /** A contact's linked profiles: one query for every contact of a request. */
  profilesOfContact: DataLoader<string, SocialProfile[]>;
  /** The contact a profile is linked to: one query for every profile of a request. */
  contactOfProfile: DataLoader<string, string | null>;
}

export function createGraphLoaders(base: BaseSubgraphContext, graph: SocialGraphService): GraphLoaders {
  const caller = callerOf(base.principal);
  return {
    profilesOfContact: new DataLoader(async (ids) => {
      const found = caller ? await graph.profilesOfContacts(caller.workspaceId, ids) : new Map();
      return ids.map((id) => found.get(id.toLowerCase()) ?? []);
    }),
    contactOfProfile: new DataLoader(async (ids) => {
      const found = caller ? await graph.contactsOfProfiles(caller.workspaceId, ids) : new Map();
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
