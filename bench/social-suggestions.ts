// The social subgraph's `suggestions(accountId, first: 20)` on a large follow graph in Neo4j:
// BENCH_PROFILES profiles (default 100,000) and BENCH_FOLLOWS FOLLOWS edges (default 1,000,000)
// in one workspace, generated deterministically from BENCH_SEED (default 15): each profile's
// following is drawn from a Pareto distribution (α 1.5, mean follows/profile, capped at 5,000)
// and whom it follows is skewed towards a few popular profiles (index ⌊n·u^2.5⌋), like a real
// network's followers. Loaded with UNWIND batches of 10,000 (the load time is printed).
//
// Measured through the social subgraph's GraphQL endpoint (in this process), signed as a member
// of the workspace: BENCH_QUERIES (50) sequential queries per class, cycling over 5 accounts whose
// following is at the 10th percentile (small), the median and the 99.9th percentile (large), after
// 5 warm-up queries; p50/p99. The query is PROFILEd once per graph for the large class (the very
// Cypher the resolver runs, through the service) and its db hits and index seeks printed.
//
// Baseline: the same on a graph 10× smaller (a tenth of the profiles and edges, same
// distributions, its own workspace) in the same run, for its accounts of the nearest following
// to each class's; the ratio is big/small. No CRM contacts are
// linked, so no call goes to crm (the gateway is not started). Both workspaces' nodes are deleted
// at the end, in transactions of 1,000 rows: with NEO4J_HEAP=768m, 1M edges load in 10,000-row
// batches, but deleting in 5,000-row transactions exceeded Neo4j's transaction memory pool
// (MemoryPoolOutOfMemoryError: a hub profile has thousands of edges).
//
//   pnpm bench     (BENCH_PROFILES, BENCH_FOLLOWS, BENCH_QUERIES, BENCH_SEED)
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { graphql, signedHeaders } from "@mary/kit/testing";
import { startHarness } from "../subgraphs/social/test/harness.ts";

const PROFILES = Number(process.env.BENCH_PROFILES ?? 100_000);
const FOLLOWS = Number(process.env.BENCH_FOLLOWS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 50);
const SEED = Number(process.env.BENCH_SEED ?? 15);
const BATCH = 10_000;
const ACCOUNTS_PER_CLASS = 5;
const WARM_UP = 5;

/** mulberry32: a small seeded PRNG, so every run builds the same graph. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each profile's follows (target indexes, no self, no duplicates), `edges` in all. */
function generate(profiles: number, edges: number, seed: number): number[][] {
  const random = prng(seed);
  const alpha = 1.5;
  const mean = edges / profiles;
  const xmin = (mean * (alpha - 1)) / alpha;
  const cap = Math.min(5_000, profiles - 1);
  const raw = Array.from({ length: profiles }, () => Math.min(cap, xmin / Math.pow(1 - random(), 1 / alpha)));
  const scale = edges / raw.reduce((sum, d) => sum + d, 0);
  const degrees = raw.map((d) => Math.min(cap, Math.max(1, Math.round(d * scale))));
  // Rounding and the cap leave the total off by a little: spread the difference over random profiles.
  let total = degrees.reduce((sum, d) => sum + d, 0);
  while (total !== edges) {
    const i = Math.floor(random() * profiles);
    if (total < edges && degrees[i]! < cap) {
      degrees[i]!++;
      total++;
    } else if (total > edges && degrees[i]! > 1) {
      degrees[i]!--;
      total--;
    }
  }
  return degrees.map((degree, source) => {
    const targets = new Set<number>();
    while (targets.size < degree) {
      const target = Math.floor(profiles * Math.pow(random(), 2.5));
      if (target !== source) targets.add(target);
    }
    return [...targets];
  });
}

const h = await startHarness({ LOG_LEVEL: "silent" });
/** Every workspace this run made, deleted at the end even when a load failed halfway. */
const workspaces: string[] = [];
const graph = h.app.graph;
type QueryResult = Awaited<ReturnType<typeof graph.read>>;

interface Loaded {
  label: string;
  owner: AuthenticatedPrincipal;
  loadMs: number;
  profiles: number;
  edges: number;
  follows: number[][];
  classes: { name: string; following: number[]; accountIds: string[] }[];
}

async function load(label: string, profiles: number, edges: number, seed: number): Promise<Loaded> {
  const owner = h.member("ENTERPRISE");
  const ws = owner.workspaceId;
  workspaces.push(ws);
  const t0 = performance.now();
  const follows = generate(profiles, edges, seed);
  const generateMs = performance.now() - t0;
  const id = (i: number) => `${ws}:p${i}`;
  const t1 = performance.now();
  for (let from = 0; from < profiles; from += BATCH) {
    // Strings made here: a JavaScript number reaches Cypher as a float (toString gives "1.0").
    const rows = Array.from({ length: Math.min(BATCH, profiles - from) }, (_, k) => String(from + k));
    await graph.write(
      `UNWIND $rows AS i
       CREATE (:Profile {id: $ws + ':p' + i, workspaceId: $ws, network: 'BLUESKY',
                         remoteId: 'did:plc:bench' + i, handle: 'p' + i + '.bench.test'})`,
      { ws, rows },
    );
  }
  const profilesMs = performance.now() - t1;
  const t2 = performance.now();
  let batch: [string, string][] = [];
  const flush = async () => {
    if (!batch.length) return;
    await graph.write(
      `UNWIND $rows AS r
       MATCH (a:Profile {id: r[0]}) MATCH (b:Profile {id: r[1]})
       CREATE (a)-[:FOLLOWS {seenAt: 0}]->(b)`,
      { rows: batch },
    );
    batch = [];
  };
  for (let source = 0; source < profiles; source++) {
    for (const target of follows[source]!) {
      batch.push([id(source), id(target)]);
      if (batch.length === BATCH) await flush();
    }
  }
  await flush();
  const edgesMs = performance.now() - t2;
  const { records: counted } = await graph.read(
    `MATCH (p:Profile {workspaceId: $ws}) RETURN count(p) AS profiles, sum(COUNT { (p)-[:FOLLOWS]->() }) AS edges`,
    { ws },
  );
  const stored = { profiles: counted[0]!.get("profiles"), edges: counted[0]!.get("edges") };
  if (stored.profiles !== profiles || stored.edges !== edges) {
    throw new Error(`loaded ${stored.profiles} profiles and ${stored.edges} follows, not ${profiles} and ${edges}`);
  }

  const loadMs = profilesMs + edgesMs;
  console.log(
    `${label}: ${profiles} profiles, ${edges} FOLLOWS: generated in ${(generateMs / 1000).toFixed(1)} s, ` +
      `profiles loaded in ${(profilesMs / 1000).toFixed(1)} s, edges in ${(edgesMs / 1000).toFixed(1)} s ` +
      `(${((edges / edgesMs) * 1000).toFixed(0)} edges/s); max in-degree ${maxInDegree(follows, profiles)}`,
  );
  return { label, owner, loadMs, profiles, edges, follows, classes: [] };
}

/**
 * Makes the accounts queried: for each class, ACCOUNTS_PER_CLASS profiles of the graph given a
 * (:SocialAccount)-[:IS]-> node. `targets` picks them by following: the big graph's at a
 * percentile, the baseline's nearest to those the big graph's have.
 */
async function addAccounts(loaded: Loaded, targets: { name: string; following: (byDegree: Degree[]) => Degree[] }[]) {
  const ws = loaded.owner.workspaceId;
  const byDegree = loaded.follows.map((f, i) => ({ i, degree: f.length })).sort((x, y) => x.degree - y.degree);
  for (const target of targets) {
    const chosen = target.following(byDegree);
    const accountIds = chosen.map(() => randomUUID());
    await graph.write(
      `UNWIND $rows AS r
       MATCH (me:Profile {id: r.profileId})
       CREATE (a:SocialAccount {id: r.accountId, workspaceId: $ws, userId: $userId, network: 'BLUESKY',
               handle: me.handle, remoteId: me.remoteId, serviceUrl: 'http://127.0.0.1:9', displayName: null,
               state: 'ACTIVE', maxPostLength: 300, secret: 'unused', createdAt: timestamp()})
       CREATE (a)-[:IS]->(me)`,
      {
        ws,
        userId: loaded.owner.userId,
        rows: chosen.map((c, k) => ({ profileId: `${ws}:p${c.i}`, accountId: accountIds[k] })),
      },
    );
    loaded.classes.push({ name: target.name, following: chosen.map((c) => c.degree), accountIds });
  }
}

interface Degree {
  i: number;
  degree: number;
}

const atPercentile = (q: number) => (byDegree: Degree[]) => {
  const at = Math.min(byDegree.length - ACCOUNTS_PER_CLASS, Math.floor(q * byDegree.length));
  return byDegree.slice(at, at + ACCOUNTS_PER_CLASS);
};

/** The profiles whose following is nearest to each of `degrees`, each once. */
const nearest = (degrees: number[]) => (byDegree: Degree[]) => {
  const used = new Set<number>();
  return degrees.map((degree) => {
    let best: Degree | null = null;
    for (const d of byDegree) {
      if (used.has(d.i)) continue;
      if (!best || Math.abs(d.degree - degree) < Math.abs(best.degree - degree)) best = d;
    }
    used.add(best!.i);
    return best!;
  });
};

function maxInDegree(follows: number[][], profiles: number) {
  const into = new Uint32Array(profiles);
  for (const f of follows) for (const t of f) into[t]!++;
  return into.reduce((max, d) => Math.max(max, d), 0);
}

const QUERY = `query ($accountId: ID!) { suggestions(accountId: $accountId, first: 20) { profile { id handle } commonFollows jaccard reason } }`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function measure(loaded: Loaded) {
  const results = [];
  for (const cls of loaded.classes) {
    const latencies: number[] = [];
    let returned = 0;
    for (let q = 0; q < WARM_UP + QUERIES; q++) {
      const accountId = cls.accountIds[q % cls.accountIds.length]!;
      const t0 = performance.now();
      const response = await graphql(h.app.url, QUERY, { accountId }, signedHeaders(loaded.owner));
      const ms = performance.now() - t0;
      if (response.errors || !response.data) throw new Error(`suggestions failed: ${JSON.stringify(response.errors)}`);
      if (q >= WARM_UP) {
        latencies.push(ms);
        returned += response.data.suggestions.length;
      }
    }
    latencies.sort((a, b) => a - b);
    results.push({
      name: cls.name,
      following: cls.following,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      avgReturned: returned / QUERIES,
    });
  }
  return results;
}

/** PROFILEs the resolver's own Cypher once (through the service), returning db hits and the operators used. */
async function profileQuery(loaded: Loaded, accountId: string) {
  const original = graph.read.bind(graph);
  let captured: QueryResult | null = null;
  graph.read = (async (cypher: string, params: Record<string, unknown> = {}) => {
    if (!cypher.includes("FOLLOWS")) return original(cypher, params);
    const result = await original(`PROFILE ${cypher}`, params);
    captured = result;
    return result;
  }) as typeof graph.read;
  try {
    await h.app.socialGraph.suggestions(loaded.owner, accountId, 20);
  } finally {
    graph.read = original;
  }
  const plan = (captured as QueryResult | null)?.summary.profile;
  if (!plan) throw new Error("no profile returned");
  let dbHits = 0;
  const operators = new Map<string, number>();
  const seeks: string[] = [];
  const walk = (node: typeof plan) => {
    dbHits += node.dbHits;
    const name = node.operatorType.replace(/@.*$/, "");
    if (/Index|Seek/.test(name)) seeks.push(`${name} ${String(node.arguments.Details ?? "")} (${node.dbHits} hits)`);
    operators.set(name, (operators.get(name) ?? 0) + node.dbHits);
    for (const child of node.children) walk(child);
  };
  walk(plan);
  return { dbHits, operators, seeks };
}

async function cleanUp(workspaceId: string) {
  const session = graph.driver.session();
  try {
    await session.run(
      `MATCH (n) WHERE n.workspaceId = $ws
       CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS`,
      { ws: workspaceId },
    );
  } finally {
    await session.close();
  }
}

let exitCode = 0;
try {
  const small = await load("baseline graph", Math.round(PROFILES / 10), Math.round(FOLLOWS / 10), SEED);
  let big: Loaded;
  try {
    big = await load("graph", PROFILES, FOLLOWS, SEED);
  } catch (error) {
    console.error(`loading ${PROFILES} profiles / ${FOLLOWS} follows failed: ${String(error)}`);
    throw error;
  }

  const CLASSES = [
    ["small (p10 following)", 0.1],
    ["median following", 0.5],
    ["large (p99.9 following)", 0.999],
  ] as const;
  await addAccounts(
    big,
    CLASSES.map(([name, q]) => ({ name, following: atPercentile(q) })),
  );
  await addAccounts(
    small,
    big.classes.map((cls) => ({ name: cls.name, following: nearest(cls.following) })),
  );

  const smallResults = await measure(small);
  const bigResults = await measure(big);
  const smallPlan = await profileQuery(small, small.classes[2]!.accountIds[0]!);
  const bigPlan = await profileQuery(big, big.classes[2]!.accountIds[0]!);

  console.log(
    `\nsuggestions(accountId, first: 20) through social's GraphQL endpoint, ${QUERIES} queries per class, sequential`,
  );
  console.log(
    `${"class".padEnd(26)} ${"following".padEnd(22)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}   ` +
      `${"baseline p50".padStart(12)} ${"baseline p99".padStart(12)}   ${"p50 ratio".padStart(9)}  returned`,
  );
  for (let k = 0; k < bigResults.length; k++) {
    const b = bigResults[k]!;
    const s = smallResults[k]!;
    console.log(
      `${b.name.padEnd(26)} ${b.following.join(",").padEnd(22)} ${b.p50.toFixed(1).padStart(8)} ${b.p99.toFixed(1).padStart(8)}   ` +
        `${s.p50.toFixed(1).padStart(12)} ${s.p99.toFixed(1).padStart(12)}   ${(b.p50 / s.p50).toFixed(2).padStart(8)}x  ${b.avgReturned.toFixed(0)}`,
    );
  }
  console.log(
    `(baseline: ${small.profiles} profiles / ${small.edges} follows, accounts of the nearest following: ` +
      `${small.classes.map((c) => c.following.join(",")).join(" | ")}; the big graph's largest following is ` +
      `${Math.max(...big.follows.map((f) => f.length))})`,
  );
  for (const [label, plan] of [
    ["graph", bigPlan],
    ["baseline", smallPlan],
  ] as const) {
    const top = [...plan.operators.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([name, hits]) => `${name} ${hits}`)
      .join(", ");
    console.log(
      `PROFILE (${label}, large class): ${plan.dbHits} db hits; index use: ${plan.seeks.join("; ") || "NONE"}; most hits: ${top}`,
    );
  }
  if (!bigPlan.seeks.length) {
    console.log("FAIL: the query plan uses no index");
    exitCode = 1;
  }
} finally {
  const t0 = performance.now();
  for (const ws of workspaces) {
    try {
      await cleanUp(ws);
    } catch (error) {
      console.error(`could not delete workspace ${ws}'s nodes: ${String(error)}`);
      exitCode = 1;
    }
  }
  console.log(`deleted the bench's nodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await h.stop();
}
process.exit(exitCode);
