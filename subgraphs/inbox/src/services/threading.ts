/**
 * Threading by Message-ID, In-Reply-To and References, as pure logic (the SQL is in sync).
 *
 * Each message names a set of ids: its own Message-ID and every id it refers to. Two messages are
 * in one thread when their sets share an id, directly or through others (the connected components
 * of "shares an id with"): a reply joins its parent's thread, a parent that arrives after its
 * reply joins the reply's thread, two siblings whose parent was never synced still meet, and a
 * message that links two existing threads merges them.
 */

/** What threading looks at in a message. */
export interface ThreadKeys {
  messageIdHeader: string | null;
  /** References (with In-Reply-To): the ids the message refers to. */
  references: string[];
}

/** A message already stored, as threading sees it. */
export interface ThreadedMessage extends ThreadKeys {
  threadId: string;
}

/** Every id a message names: its own and those it refers to. */
export const idsOf = (message: ThreadKeys): string[] =>
  message.messageIdHeader ? [message.messageIdHeader, ...message.references] : [...message.references];

/** One thread of a batch: which new messages are in it, and which stored threads it touches. */
export interface ThreadGroup {
  /** Indexes into the batch, ascending. */
  members: number[];
  /** Stored threads these messages link to, in the order of `threadRank` (best first); empty: a new thread. */
  threads: string[];
}

/**
 * Groups a batch of new messages into threads, given the stored messages that share any id with
 * them. A group with no stored thread needs a new one; with several, they merge into the first
 * (the one `threadRank` puts first: pass the oldest first so a merged thread keeps the older id).
 */
export function groupIntoThreads(
  batch: ThreadKeys[],
  stored: ThreadedMessage[],
  threadRank: (threadId: string) => number = () => 0,
): ThreadGroup[] {
  // Union-find over nodes: the batch's messages (0…n-1), then one node per id.
  const parent: number[] = [];
  const find = (node: number): number => {
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]!]!;
      node = parent[node]!;
    }
    return node;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const idNodes = new Map<string, number>();
  const nodeOf = (id: string) => {
    let node = idNodes.get(id);
    if (node === undefined) {
      node = parent.length;
      parent.push(node);
      idNodes.set(id, node);
    }
    return node;
  };
  for (let i = 0; i < batch.length; i++) parent.push(i);
  batch.forEach((message, i) => {
    for (const id of idsOf(message)) union(i, nodeOf(id));
  });
  // Stored messages join the ids they name, so a stored message links two of the batch's ids too.
  const threadsOfId = new Map<number, Set<string>>();
  for (const message of stored) {
    const ids = idsOf(message).filter((id) => idNodes.has(id));
    if (ids.length === 0) continue;
    for (const id of ids.slice(1)) union(nodeOf(ids[0]!), nodeOf(id));
    const node = nodeOf(ids[0]!);
    const threads = threadsOfId.get(node) ?? new Set<string>();
    threads.add(message.threadId);
    threadsOfId.set(node, threads);
  }
  const groups = new Map<number, ThreadGroup & { threadSet: Set<string> }>();
  for (let i = 0; i < batch.length; i++) {
    const root = find(i);
    let group = groups.get(root);
    if (!group) {
      group = { members: [], threads: [], threadSet: new Set() };
      groups.set(root, group);
    }
    group.members.push(i);
  }
  for (const [node, threads] of threadsOfId) {
    const group = groups.get(find(node));
    if (group) for (const thread of threads) group.threadSet.add(thread);
  }
  return [...groups.values()].map(({ members, threadSet }) => ({
    members,
    threads: [...threadSet].sort((a, b) => threadRank(a) - threadRank(b) || a.localeCompare(b)),
  }));
}
