import neo4j from "neo4j-driver";
import {
  isUuid,
  notFound,
  requireWithinPlan,
  toConnection,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
  type SecretBox,
} from "@mary/kit";
import type { GraphStore } from "../store.ts";
import type { AccountState, SocialAccount } from "../types/social-account.type.ts";

/** The properties of a (:SocialAccount) node, as stored. */
interface AccountNode {
  id: string;
  workspaceId: string;
  userId: string;
  network: SocialAccount["network"];
  handle: string;
  remoteId: string;
  serviceUrl: string;
  displayName: string | null;
  state: AccountState;
  maxPostLength: number;
  secret: string;
  createdAt: number;
}

const toAccount = (node: AccountNode): SocialAccount => ({ ...node, createdAt: new Date(node.createdAt) });

/**
 * The workspace's connected accounts, in Neo4j. Accounts belong to the workspace (its members
 * publish through them); tokens are sealed with the kit's SecretBox and opened only to call the network.
 */
export class SocialAccountService {
  constructor(
    private readonly graph: GraphStore,
    private readonly secrets: SecretBox,
  ) {}

  async get(caller: AuthenticatedPrincipal, id: string): Promise<SocialAccount> {
    const account = isUuid(id) ? (await this.byIds(caller.workspaceId, [id]))[0] : undefined;
    if (!account) throw notFound("Social account");
    return account;
  }

  /** The workspace's accounts with these ids, in one query; others' and missing ones are left out. */
  async byIds(workspaceId: string, ids: readonly string[]): Promise<SocialAccount[]> {
    const valid = ids.filter(isUuid).map((id) => id.toLowerCase());
    if (!valid.length) return [];
    const { records } = await this.graph.read<{ a: { properties: AccountNode } }>(
      "MATCH (a:SocialAccount) WHERE a.id IN $ids AND a.workspaceId = $workspaceId RETURN a",
      { ids: valid, workspaceId },
    );
    return records.map((record) => toAccount(record.get("a").properties));
  }

  async list(caller: AuthenticatedPrincipal, page: PageRequest): Promise<Connection<SocialAccount>> {
    const after = page.after ? { createdAt: Date.parse(String(page.after[0])), id: page.after[1] } : null;
    const { records } = await this.graph.read<{ a: { properties: AccountNode } }>(
      `MATCH (a:SocialAccount {workspaceId: $workspaceId})
       WHERE $after IS NULL OR a.createdAt < $after.createdAt OR (a.createdAt = $after.createdAt AND a.id < $after.id)
       RETURN a ORDER BY a.createdAt DESC, a.id DESC LIMIT $limit`,
      // JavaScript numbers go to Bolt as floats; LIMIT wants an integer.
      { workspaceId: caller.workspaceId, after, limit: neo4j.int(page.first + 1) },
    );
    const rows = records.map((record) => toAccount(record.get("a").properties));
    return toConnection(rows, page, (account) => [account.createdAt.toISOString(), account.id]);
  }

  async countInWorkspace(workspaceId: string): Promise<number> {
    const { records } = await this.graph.read<{ count: number }>(
      "MATCH (a:SocialAccount {workspaceId: $workspaceId}) RETURN count(a) AS count",
      { workspaceId },
    );
    return records[0]?.get("count") ?? 0;
  }

  /**
   * Saves a newly connected account within the plan's limit, or reconnects the one the
   * workspace already has for that network identity (new tokens, ACTIVE again). The limit is
   * checked under a lock on the workspace's node, so two connections at once cannot both pass.
   */
  async save(
    caller: AuthenticatedPrincipal,
    account: Omit<SocialAccount, "secret" | "createdAt" | "state" | "workspaceId" | "userId">,
    tokens: unknown,
  ): Promise<SocialAccount> {
    const session = this.graph.driver.session();
    try {
      return await session.executeWrite(async (tx) => {
        await tx.run("MERGE (w:Workspace {id: $workspaceId}) SET w.lockedAt = timestamp()", {
          workspaceId: caller.workspaceId,
        });
        const existing = await tx.run(
          "MATCH (a:SocialAccount {workspaceId: $workspaceId, network: $network, remoteId: $remoteId}) RETURN a.id AS id",
          { workspaceId: caller.workspaceId, network: account.network, remoteId: account.remoteId },
        );
        const id: string = existing.records[0]?.get("id") ?? account.id;
        if (!existing.records.length) {
          const count = await tx.run("MATCH (a:SocialAccount {workspaceId: $workspaceId}) RETURN count(a) AS count", {
            workspaceId: caller.workspaceId,
          });
          requireWithinPlan(caller, "socialAccounts", count.records[0]?.get("count") ?? 0);
        }
        const result = await tx.run(
          `MERGE (a:SocialAccount {id: $id})
           ON CREATE SET a.createdAt = timestamp(), a.workspaceId = $workspaceId, a.userId = $userId
           SET a.network = $network, a.handle = $handle, a.remoteId = $remoteId, a.serviceUrl = $serviceUrl,
               a.displayName = $displayName, a.maxPostLength = $maxPostLength, a.state = 'ACTIVE', a.secret = $secret
           MERGE (p:Profile {workspaceId: $workspaceId, network: $network, remoteId: $remoteId})
           SET p.handle = $handle, p.displayName = $displayName
           MERGE (a)-[:IS]->(p)
           RETURN a`,
          {
            ...account,
            id,
            workspaceId: caller.workspaceId,
            userId: caller.userId,
            secret: this.secrets.seal(JSON.stringify(tokens), id),
          },
        );
        return toAccount(result.records[0]!.get("a").properties as AccountNode);
      });
    } finally {
      await session.close();
    }
  }

  /** The account's tokens, opened (never leave the process). */
  tokensOf<T>(account: SocialAccount): T {
    return JSON.parse(this.secrets.open(account.secret, account.id)) as T;
  }

  /** Replaces the account's tokens (a rotated refresh token, say). */
  async updateTokens(account: SocialAccount, tokens: unknown): Promise<void> {
    await this.graph.write("MATCH (a:SocialAccount {id: $id}) SET a.secret = $secret", {
      id: account.id,
      secret: this.secrets.seal(JSON.stringify(tokens), account.id),
    });
  }

  /** Marks the account as needing to be connected again (the network refused its credentials). */
  async needsReconnect(accountId: string): Promise<void> {
    await this.graph.write("MATCH (a:SocialAccount {id: $id}) SET a.state = 'NEEDS_RECONNECT'", { id: accountId });
  }

  /** Forgets the account, its tokens and its own profile's link (the network keeps the account). */
  async disconnect(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const account = await this.get(caller, id);
    await this.graph.write("MATCH (a:SocialAccount {id: $id, workspaceId: $workspaceId}) DETACH DELETE a", {
      id: account.id,
      workspaceId: caller.workspaceId,
    });
    return account.id;
  }
}
