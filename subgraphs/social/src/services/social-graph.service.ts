import neo4j from "neo4j-driver";
import { badUserInput, isUuid, notFound, type AuthenticatedPrincipal, type Logger } from "@mary/kit";
import { NetworkError, type AccountSession, type NetworkProvider, type RemoteProfile } from "../providers/provider.ts";
import type { GraphStore } from "../store.ts";
import type { Network, SocialAccount } from "../types/social-account.type.ts";
import type { SocialProfile } from "../types/social-profile.type.ts";
import type { ContactDirectory } from "./crm-directory.ts";
import type { PublishNetwork } from "./publish-network.ts";
import type { SocialAccountService } from "./social-account.service.ts";
import { CONTACT_BOOST, suggestionReason } from "./suggestion-scoring.ts";

/** The most suggestions one request returns. */
export const MAX_SUGGESTIONS = 50;
/** Pages of the account's own follows and followers one refresh reads at most. */
const MAX_OWN_PAGES = 50;
/** Pages of a followed profile's follows one refresh reads at most. */
const MAX_SECOND_HOP_PAGES = 2;

export interface Suggestion {
  profile: SocialProfile;
  /** People the account follows who follow this profile. */
  commonFollows: number;
  jaccard: number;
  score: number;
  reason: string;
  contactId: string | null;
}

/** What a refresh of an account's graph saw. */
export interface RefreshOutcome {
  follows: number;
  followers: number | null;
  secondHop: number;
}

interface ProfileNode {
  id: string;
  workspaceId: string;
  network: Network;
  remoteId: string;
  handle: string;
  displayName?: string | null;
  url?: string | null;
  avatarUrl?: string | null;
}

const toProfile = (node: ProfileNode): SocialProfile => ({
  id: node.id,
  workspaceId: node.workspaceId,
  network: node.network,
  remoteId: node.remoteId,
  handle: node.handle,
  displayName: node.displayName ?? null,
  url: node.url ?? null,
  avatarUrl: node.avatarUrl ?? null,
});

/** A handle as profiles store it: Bluesky's bare domain, Mastodon's `@user@domain`, lower-cased. */
export function normalizeHandle(network: Network, handle: string): string {
  const bare = handle.trim().replace(/^@/, "").toLowerCase();
  return network === "MASTODON" ? `@${bare}` : bare;
}

/**
 * The workspace's follow graph in Neo4j: (:Profile) nodes per workspace and network,
 * (:Profile)-[:FOLLOWS]->(:Profile) edges imported from the networks, each stamped with the
 * refresh that last saw it so a refresh removes the edges that disappeared; CRM contacts'
 * profiles as (:Contact)-[:LINKED_TO]->(:Profile). Every query is scoped to one workspace.
 */
export class SocialGraphService {
  constructor(
    private readonly graph: GraphStore,
    private readonly accounts: SocialAccountService,
    private readonly network: PublishNetwork,
    private readonly crm: ContactDirectory,
    private readonly log: Logger,
    private readonly secondHopProfiles: number,
  ) {}

  // ---- import ----

  /**
   * Imports the account's follows and followers, and the follows of the profiles it follows (the
   * second hop suggestions need), then removes the edges this refresh did not see — only for
   * lists read to their end, so a partial read never deletes what it did not reach. Null when
   * the account is gone; a refused credential marks it NEEDS_RECONNECT.
   */
  async refresh(workspaceId: string, accountId: string): Promise<RefreshOutcome | null> {
    const [account] = await this.accounts.byIds(workspaceId, [accountId]);
    if (!account) return null;
    if (account.state !== "ACTIVE") return { follows: 0, followers: null, secondHop: 0 };
    const provider = this.network.provider(account.network);
    const session = this.network.session(account);
    const stamp = Date.now();
    const meId = await this.ownProfile(account);
    try {
      const follows = await this.readAll(
        (cursor) => provider.follows(session, cursor),
        MAX_OWN_PAGES,
        (page) => this.upsertEdges(account, { from: meId }, page, stamp),
      );
      if (follows.complete) await this.prune(meId, "out", stamp);

      let followers: number | null = null;
      try {
        const read = await this.readAll(
          (cursor) => provider.followers(session, cursor),
          MAX_OWN_PAGES,
          (page) => this.upsertEdges(account, { to: meId }, page, stamp),
        );
        followers = read.count;
        if (read.complete) await this.prune(meId, "in", stamp);
      } catch (error) {
        // The network cannot list followers now (Bluesky's App View down, say): the graph keeps what it had.
        if (error instanceof NetworkError && error.kind === "auth") throw error;
        this.log.info({ err: error, accountId }, "followers are not available from this network now");
      }

      let secondHop = 0;
      for (const followed of follows.profiles.slice(0, this.secondHopProfiles)) {
        try {
          const fromId = await this.profileId(account, followed);
          const read = await this.readAll(
            (cursor) => provider.followsOf(session, followed, cursor),
            MAX_SECOND_HOP_PAGES,
            (page) => this.upsertEdges(account, { from: fromId }, page, stamp),
          );
          if (read.complete) await this.prune(fromId, "out", stamp);
          secondHop += read.count;
        } catch (error) {
          if (error instanceof NetworkError && error.kind === "auth") throw error;
          this.log.info(
            { err: error, accountId, profile: followed.handle },
            "a followed profile's follows were not read",
          );
        }
      }
      return { follows: follows.count, followers, secondHop };
    } catch (error) {
      if (error instanceof NetworkError && error.kind === "auth") {
        await this.accounts.needsReconnect(account.id);
        this.log.warn({ accountId, reason: error.message }, "the network refused the account's credentials");
        return null;
      }
      throw error;
    }
  }

  private async readAll(
    page: (cursor: string | null) => Promise<{ items: RemoteProfile[]; cursor: string | null }>,
    maxPages: number,
    save: (profiles: RemoteProfile[]) => Promise<void>,
  ): Promise<{ profiles: RemoteProfile[]; count: number; complete: boolean }> {
    const profiles: RemoteProfile[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < maxPages; pages++) {
      const result = await page(cursor);
      if (result.items.length) await save(result.items);
      profiles.push(...result.items);
      cursor = result.cursor;
      if (!cursor) return { profiles, count: profiles.length, complete: true };
    }
    return { profiles, count: profiles.length, complete: false };
  }

  /** The account's own profile node (the lead's save made it), with a Mary id. */
  private async ownProfile(account: SocialAccount): Promise<string> {
    const { records } = await this.graph.write<{ id: string }>(
      `MATCH (a:SocialAccount {id: $accountId, workspaceId: $workspaceId})
       MERGE (me:Profile {workspaceId: $workspaceId, network: a.network, remoteId: a.remoteId})
       ON CREATE SET me.handle = a.handle, me.displayName = a.displayName
       SET me.id = coalesce(me.id, randomUUID())
       MERGE (a)-[:IS]->(me)
       RETURN me.id AS id`,
      { accountId: account.id, workspaceId: account.workspaceId },
    );
    return records[0]!.get("id");
  }

  /** A remote profile's node in the account's workspace (made if new), and its id. */
  private async profileId(account: SocialAccount, profile: RemoteProfile): Promise<string> {
    const [node] = await this.upsertProfiles(account, [profile]);
    return node!.id;
  }

  private async upsertProfiles(account: SocialAccount, profiles: RemoteProfile[]): Promise<SocialProfile[]> {
    const { records } = await this.graph.write<{ x: { properties: ProfileNode } }>(
      `UNWIND $profiles AS p
       MERGE (x:Profile {workspaceId: $workspaceId, network: $network, remoteId: p.remoteId})
       ON CREATE SET x.id = randomUUID()
       SET x.id = coalesce(x.id, randomUUID()), x.handle = p.handle, x.displayName = p.displayName,
           x.url = p.url, x.avatarUrl = p.avatarUrl
       RETURN x`,
      { workspaceId: account.workspaceId, network: account.network, profiles: this.params(account.network, profiles) },
    );
    return records.map((record) => toProfile(record.get("x").properties));
  }

  /** Profiles and their FOLLOWS edges from (or to) one profile, stamped with this refresh. */
  private async upsertEdges(
    account: SocialAccount,
    end: { from: string } | { to: string },
    profiles: RemoteProfile[],
    stamp: number,
  ): Promise<void> {
    const edge = "from" in end ? "(anchor)-[r:FOLLOWS]->(x)" : "(x)-[r:FOLLOWS]->(anchor)";
    await this.graph.write(
      `MATCH (anchor:Profile {id: $anchorId, workspaceId: $workspaceId})
       UNWIND $profiles AS p
       MERGE (x:Profile {workspaceId: $workspaceId, network: $network, remoteId: p.remoteId})
       ON CREATE SET x.id = randomUUID()
       SET x.id = coalesce(x.id, randomUUID()), x.handle = p.handle, x.displayName = p.displayName,
           x.url = p.url, x.avatarUrl = p.avatarUrl
       WITH anchor, x WHERE x <> anchor
       MERGE ${edge}
       SET r.seenAt = $stamp`,
      {
        anchorId: "from" in end ? end.from : end.to,
        workspaceId: account.workspaceId,
        network: account.network,
        profiles: this.params(account.network, profiles),
        stamp,
      },
    );
  }

  private params(network: Network, profiles: RemoteProfile[]) {
    return profiles.map((profile) => ({
      remoteId: profile.remoteId,
      handle: normalizeHandle(network, profile.handle),
      displayName: profile.displayName,
      url: profile.url,
      avatarUrl: profile.avatarUrl,
    }));
  }

  private async prune(profileId: string, direction: "in" | "out", stamp: number): Promise<void> {
    const pattern = direction === "out" ? "(p)-[r:FOLLOWS]->()" : "()-[r:FOLLOWS]->(p)";
    await this.graph.write(
      `MATCH (p:Profile {id: $profileId}) MATCH ${pattern} WHERE r.seenAt IS NULL OR r.seenAt < $stamp DELETE r`,
      { profileId, stamp },
    );
  }

  // ---- acting on the network ----

  /** Follows a profile by handle on the network, then records the edge. */
  async follow(caller: AuthenticatedPrincipal, accountId: string, handle: string): Promise<SocialProfile> {
    const account = await this.accounts.get(caller, accountId);
    const wanted = handle.trim();
    if (!wanted || wanted.length > 300) throw badUserInput("The handle must be 1 to 300 characters", "handle");
    const remote = await this.network.call(account, async (provider: NetworkProvider, session: AccountSession) => {
      const profile = await provider.lookup(session, wanted);
      await provider.follow(session, profile);
      return profile;
    });
    const meId = await this.ownProfile(account);
    await this.upsertEdges(account, { from: meId }, [remote], Date.now());
    return (await this.upsertProfiles(account, [remote]))[0]!;
  }

  /** Unfollows one of the workspace's profiles on the network, then removes the edge. Returns the profile's id. */
  async unfollow(caller: AuthenticatedPrincipal, accountId: string, profileId: string): Promise<string> {
    const account = await this.accounts.get(caller, accountId);
    const profile = await this.profile(caller, profileId);
    if (profile.network !== account.network) throw notFound("Social profile");
    await this.network.call(account, (provider, session) => provider.unfollow(session, profile));
    const meId = await this.ownProfile(account);
    await this.graph.write("MATCH (:Profile {id: $meId})-[r:FOLLOWS]->(:Profile {id: $profileId}) DELETE r", {
      meId,
      profileId: profile.id,
    });
    return profile.id;
  }

  // ---- reading ----

  async profile(caller: AuthenticatedPrincipal, id: string): Promise<SocialProfile> {
    const found = isUuid(id) ? (await this.profilesByIds(caller.workspaceId, [id]))[0] : undefined;
    if (!found) throw notFound("Social profile");
    return found;
  }

  async profilesByIds(workspaceId: string, ids: readonly string[]): Promise<SocialProfile[]> {
    const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
    if (!valid.length) return [];
    const { records } = await this.graph.read<{ p: { properties: ProfileNode } }>(
      "MATCH (p:Profile) WHERE p.id IN $ids AND p.workspaceId = $workspaceId RETURN p",
      { ids: valid, workspaceId },
    );
    return records.map((record) => toProfile(record.get("p").properties));
  }

  /** Whom the account follows, as far as the graph knows, by handle. */
  async followsOf(caller: AuthenticatedPrincipal, accountId: string, first: number): Promise<SocialProfile[]> {
    const account = await this.accounts.get(caller, accountId);
    const { records } = await this.graph.read<{ x: { properties: ProfileNode } }>(
      `MATCH (:SocialAccount {id: $accountId, workspaceId: $workspaceId})-[:IS]->(me:Profile)-[:FOLLOWS]->(x:Profile)
       RETURN x ORDER BY x.handle LIMIT $limit`,
      { accountId: account.id, workspaceId: caller.workspaceId, limit: neo4j.int(first) },
    );
    return records.map((record) => toProfile(record.get("x").properties));
  }

  /**
   * People the account might follow: profiles followed by the profiles it follows, except itself
   * and those it already follows, scored by the Jaccard index of its follows and their followers
   * (×1.5 when linked to one of the workspace's CRM contacts), best first, each with its reason.
   */
  async suggestions(caller: AuthenticatedPrincipal, accountId: string, first: number): Promise<Suggestion[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_SUGGESTIONS) {
      throw badUserInput(`first must be 1 to ${MAX_SUGGESTIONS}`, "first");
    }
    const account = await this.accounts.get(caller, accountId);
    const { records } = await this.graph.read<{
      c: { properties: ProfileNode };
      common: number;
      jaccard: number;
      score: number;
      contactId: string | null;
    }>(
      `MATCH (:SocialAccount {id: $accountId, workspaceId: $workspaceId})-[:IS]->(me:Profile)
       WITH me, COUNT { (me)-[:FOLLOWS]->(:Profile) } AS following
       MATCH (me)-[:FOLLOWS]->(f:Profile)-[:FOLLOWS]->(c:Profile)
       WHERE c <> me AND c.workspaceId = $workspaceId AND NOT (me)-[:FOLLOWS]->(c)
       WITH me, following, c, count(DISTINCT f) AS common
       WITH c, common, toFloat(common) / (following + COUNT { (:Profile)-[:FOLLOWS]->(c) } - common) AS jaccard
       OPTIONAL MATCH (k:Contact {workspaceId: $workspaceId})-[:LINKED_TO]->(c)
       WITH c, common, jaccard, min(k.id) AS contactId
       WITH c, common, jaccard, contactId,
            CASE WHEN contactId IS NULL THEN jaccard ELSE jaccard * $boost END AS score
       RETURN c, common, jaccard, score, contactId
       ORDER BY score DESC, common DESC, c.handle ASC
       LIMIT $limit`,
      { accountId: account.id, workspaceId: caller.workspaceId, boost: CONTACT_BOOST, limit: neo4j.int(first) },
    );
    const rows = records.map((record) => ({
      profile: toProfile(record.get("c").properties),
      commonFollows: record.get("common"),
      jaccard: record.get("jaccard"),
      score: record.get("score"),
      contactId: record.get("contactId"),
    }));
    const contactIds = rows.map((row) => row.contactId).filter((id): id is string => !!id);
    const companies = contactIds.length
      ? await this.crm.companyNames(caller, contactIds)
      : new Map<string, string | null>();
    return rows.map((row) => ({
      ...row,
      reason: suggestionReason(row.commonFollows, {
        linked: row.contactId !== null,
        companyName: row.contactId ? companies.get(row.contactId) : null,
      }),
    }));
  }

  // ---- CRM contacts ----

  /**
   * Links one of the workspace's CRM contacts (checked with crm, as the caller) to a profile by
   * handle: the profile the graph already has, or else the one an ACTIVE account of the
   * workspace on that network finds.
   */
  async link(
    caller: AuthenticatedPrincipal,
    contactId: string,
    network: Network,
    handle: string,
  ): Promise<SocialProfile> {
    const wanted = normalizeHandle(network, handle);
    if (wanted.replace(/^@/, "").length < 1 || wanted.length > 300) {
      throw badUserInput("The handle must be 1 to 300 characters", "handle");
    }
    if (!isUuid(contactId)) throw notFound("Contact");
    await this.crm.contact(caller, contactId);
    const profile =
      (await this.profileByHandle(caller.workspaceId, network, wanted)) ??
      (await this.discover(caller, network, handle));
    await this.graph.write(
      `MATCH (p:Profile {id: $profileId, workspaceId: $workspaceId})
       MERGE (c:Contact {workspaceId: $workspaceId, id: $contactId})
       MERGE (c)-[:LINKED_TO]->(p)`,
      { profileId: profile.id, workspaceId: caller.workspaceId, contactId: contactId.toLowerCase() },
    );
    return profile;
  }

  async unlink(caller: AuthenticatedPrincipal, contactId: string, profileId: string): Promise<string> {
    const profile = await this.profile(caller, profileId);
    const { summary } = await this.graph.write(
      `MATCH (c:Contact {workspaceId: $workspaceId, id: $contactId})-[r:LINKED_TO]->(p:Profile {id: $profileId})
       DELETE r`,
      { workspaceId: caller.workspaceId, contactId: contactId.toLowerCase(), profileId: profile.id },
    );
    if (!summary.counters.updates().relationshipsDeleted) throw notFound("Link between that contact and profile");
    return profile.id;
  }

  /** The profiles linked to each of these contacts of the workspace, in one query. */
  async profilesOfContacts(workspaceId: string, contactIds: readonly string[]): Promise<Map<string, SocialProfile[]>> {
    const { records } = await this.graph.read<{ contactId: string; p: { properties: ProfileNode } }>(
      `MATCH (c:Contact {workspaceId: $workspaceId})-[:LINKED_TO]->(p:Profile)
       WHERE c.id IN $ids
       RETURN c.id AS contactId, p ORDER BY p.network, p.handle`,
      { workspaceId, ids: contactIds.map((id) => id.toLowerCase()) },
    );
    const byContact = new Map<string, SocialProfile[]>();
    for (const record of records) {
      const list = byContact.get(record.get("contactId")) ?? [];
      list.push(toProfile(record.get("p").properties));
      byContact.set(record.get("contactId"), list);
    }
    return byContact;
  }

  /** The contact (lowest id) each of these profiles is linked to, in one query. */
  async contactsOfProfiles(workspaceId: string, profileIds: readonly string[]): Promise<Map<string, string>> {
    const { records } = await this.graph.read<{ profileId: string; contactId: string }>(
      `MATCH (c:Contact {workspaceId: $workspaceId})-[:LINKED_TO]->(p:Profile)
       WHERE p.id IN $ids
       RETURN p.id AS profileId, min(c.id) AS contactId`,
      { workspaceId, ids: [...profileIds] },
    );
    return new Map(records.map((record) => [record.get("profileId"), record.get("contactId")]));
  }

  private async profileByHandle(workspaceId: string, network: Network, handle: string): Promise<SocialProfile | null> {
    const { records } = await this.graph.read<{ p: { properties: ProfileNode } }>(
      `MATCH (p:Profile {workspaceId: $workspaceId, handle: $handle}) WHERE p.network = $network
       RETURN p ORDER BY p.id LIMIT 1`,
      { workspaceId, handle, network },
    );
    const node = records[0]?.get("p").properties;
    if (!node) return null;
    if (!node.id) {
      const { records: fixed } = await this.graph.write<{ id: string }>(
        `MATCH (p:Profile {workspaceId: $workspaceId, network: $network, remoteId: $remoteId})
         SET p.id = coalesce(p.id, randomUUID()) RETURN p.id AS id`,
        { workspaceId, network, remoteId: node.remoteId },
      );
      node.id = fixed[0]!.get("id");
    }
    return toProfile(node);
  }

  /** A profile the graph does not have yet, found by an ACTIVE account of the workspace on that network. */
  private async discover(caller: AuthenticatedPrincipal, network: Network, handle: string): Promise<SocialProfile> {
    const { records } = await this.graph.read<{ id: string }>(
      `MATCH (a:SocialAccount {workspaceId: $workspaceId, network: $network, state: 'ACTIVE'})
       RETURN a.id AS id ORDER BY a.createdAt LIMIT 1`,
      { workspaceId: caller.workspaceId, network },
    );
    const accountId = records[0]?.get("id");
    if (!accountId) {
      throw badUserInput(
        `No profile ${handle} is known and the workspace has no ${network} account to look it up with`,
        "handle",
      );
    }
    const account = await this.accounts.get(caller, accountId);
    const remote = await this.network.call(account, (provider, session) => provider.lookup(session, handle));
    return (await this.upsertProfiles(account, [remote]))[0]!;
  }
}
