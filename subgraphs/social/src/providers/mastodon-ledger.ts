import type { GraphStore } from "../store.ts";
import type { PublicationAttempt, PublicationLedger } from "./mastodon.provider.ts";

interface AttemptNode {
  textHash: string;
  startedAt: number;
  remoteId: string | null;
  url: string | null;
}

const toAttempt = (node: AttemptNode, seenBefore: boolean): PublicationAttempt => ({
  textHash: node.textHash,
  startedAt: new Date(node.startedAt),
  remoteId: node.remoteId ?? null,
  url: node.url ?? null,
  seenBefore,
});

/**
 * The Mastodon provider's publish attempts as (:MastodonPublication {accountId, postId}) nodes
 * (unique per pair: see migrations), written before the first POST so a lost answer can be
 * recognised later; the status id is set once known. Deleted with the account.
 */
export class GraphPublicationLedger implements PublicationLedger {
  constructor(private readonly graph: GraphStore) {}

  async begin(accountId: string, postId: string, textHash: string): Promise<PublicationAttempt> {
    const { records } = await this.graph.write<{ p: { properties: AttemptNode }; created: boolean }>(
      `MERGE (p:MastodonPublication {accountId: $accountId, postId: $postId})
       ON CREATE SET p.startedAt = timestamp(), p.textHash = $textHash, p.created = true
       WITH p, coalesce(p.created, false) AS created
       REMOVE p.created
       RETURN p, created`,
      { accountId, postId, textHash },
    );
    const record = records[0]!;
    return toAttempt(record.get("p").properties, !record.get("created"));
  }

  async find(accountId: string, postId: string): Promise<PublicationAttempt | null> {
    const { records } = await this.graph.read<{ p: { properties: AttemptNode } }>(
      "MATCH (p:MastodonPublication {accountId: $accountId, postId: $postId}) RETURN p",
      { accountId, postId },
    );
    return records[0] ? toAttempt(records[0].get("p").properties, true) : null;
  }

  async settle(accountId: string, postId: string, remoteId: string, url: string | null): Promise<void> {
    await this.graph.write(
      "MATCH (p:MastodonPublication {accountId: $accountId, postId: $postId}) SET p.remoteId = $remoteId, p.url = $url",
      { accountId, postId, remoteId, url },
    );
  }

  async claimedByOthers(accountId: string, postId: string, remoteIds: string[]): Promise<Set<string>> {
    const { records } = await this.graph.read<{ remoteId: string }>(
      `MATCH (p:MastodonPublication {accountId: $accountId})
       WHERE p.remoteId IN $remoteIds AND p.postId <> $postId
       RETURN p.remoteId AS remoteId`,
      { accountId, postId, remoteIds },
    );
    return new Set(records.map((record) => record.get("remoteId")));
  }
}
