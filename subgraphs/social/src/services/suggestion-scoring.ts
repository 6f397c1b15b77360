/** How much more a suggestion weighs when its profile is linked to one of the workspace's CRM contacts. */
export const CONTACT_BOOST = 1.5;

/**
 * The Jaccard index of the account's neighbourhood (whom it follows) and a candidate's (who
 * follows it): the people you follow who follow them, over everyone in either set.
 */
export function jaccard(common: number, accountFollows: number, candidateFollowers: number): number {
  const union = accountFollows + candidateFollowers - common;
  return union > 0 ? common / union : 0;
}

/** A suggestion's score: its Jaccard index, boosted when the profile is a CRM contact's. */
export const suggestionScore = (jaccardIndex: number, isContact: boolean) =>
  isContact ? jaccardIndex * CONTACT_BOOST : jaccardIndex;

/** A suggestion's reason, such as "followed by 4 people you follow; a contact at Acme". */
export function suggestionReason(common: number, contact: { linked: boolean; companyName?: string | null }): string {
  const followed = `followed by ${common} ${common === 1 ? "person" : "people"} you follow`;
  if (!contact.linked) return followed;
  return `${followed}; ${contact.companyName ? `a contact at ${contact.companyName}` : "a CRM contact"}`;
}

/** A follow graph as adjacency (who follows whom), for checking the Cypher's ranking by brute force. */
export type FollowGraph = ReadonlyMap<string, ReadonlySet<string>>;

export interface BruteForceSuggestion {
  id: string;
  common: number;
  score: number;
}

/**
 * Suggestions by direct count over a whole graph: every profile two hops from `me` that `me` does
 * not follow (and is not `me`), with its common neighbours, Jaccard index and score; ranked by
 * score, then common neighbours, then id. What the Cypher query must agree with.
 */
export function bruteForceSuggestions(
  graph: FollowGraph,
  me: string,
  contacts: ReadonlySet<string> = new Set(),
): BruteForceSuggestion[] {
  const mine = graph.get(me) ?? new Set<string>();
  const followers = new Map<string, number>();
  for (const [, targets] of graph)
    for (const target of targets) followers.set(target, (followers.get(target) ?? 0) + 1);
  const common = new Map<string, number>();
  for (const followed of mine) {
    for (const candidate of graph.get(followed) ?? []) {
      if (candidate === me || mine.has(candidate)) continue;
      common.set(candidate, (common.get(candidate) ?? 0) + 1);
    }
  }
  return [...common]
    .map(([id, count]) => ({
      id,
      common: count,
      score: suggestionScore(jaccard(count, mine.size, followers.get(id) ?? 0), contacts.has(id)),
    }))
    .sort((a, b) => b.score - a.score || b.common - a.common || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
