// The social subgraph's publishing queue: posts per second published to the local AT Protocol
// PDS (the `pds` service, PDS_URL, default http://127.0.0.1:2583: the real @atproto/pds on
// loopback) with 2 workers, and with 1 worker as the baseline, in the same run.
//
// A worker here is one social process (`node --import tsx subgraphs/social/src/index.ts`) with
// PUBLISH_CONCURRENCY=1: "2 workers" is two such processes sharing the BullMQ queue, as a
// deployment runs them; "1 worker" is one. This process runs the subgraph too (for createPost,
// and to read the posts back), with its own worker paused, so it publishes nothing.
//
// Each side, per round: BENCH_POSTS posts (default 200) over BENCH_ACCOUNTS new PDS accounts
// (default 4), connected through connectBlueskyAccount in one ENTERPRISE workspace. The queue is
// paused while createPost(publishNow) queues them all; then the worker processes are started,
// and once BullMQ counts them the queue is resumed and the clock runs until the last post is
// PUBLISHED in Neo4j (polled every 20 ms). So the figure is the queue draining a backlog: the
// worker's read of the post, the PDS's createRecord under the key fixed by the post's id, and
// the post's PUBLISHED transition and event. Rounds alternate 1 2, 2 1 (BENCH_ROUNDS, default 2).
//
// Checks (any failure exits 1): every post PUBLISHED with 1 attempt, and on the PDS each account's
// app.bsky.feed.post records (listRecords, paged) are exactly its posts: the count is N in all,
// no URI or text twice, each post's remoteId among them. Engagement polling is off
// (METRICS_POLL_DAYS=0), so the PDS serves publishing only. Everything (PDS, Neo4j, Redis, the
// worker processes and this one) shares the machine's cores; the CPU count is printed.
//
//   pnpm bench     (BENCH_POSTS, BENCH_ACCOUNTS, BENCH_ROUNDS, PDS_URL)
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { TEST_ENV } from "@mary/kit/testing";
import { NEO4J_URL, startHarness } from "../subgraphs/social/test/harness.ts";
import { createPdsAccount, PDS_URL, xrpc } from "../subgraphs/social/test/pds-service.ts";

const POSTS = Number(process.env.BENCH_POSTS ?? 200);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CREATORS = 8;
/** Posts per worker process published before the measured batch. */
const WARM_UP = 5;

try {
  await xrpc("_health");
} catch (error) {
  console.error(`no PDS at ${PDS_URL} (${String(error)}): start it with 'bash scripts/services up pds'`);
  process.exit(1);
}

const PREFIX = `social-bench-${randomUUID()}`;
const ENV: Record<string, string> = {
  SOCIAL_QUEUE_PREFIX: PREFIX,
  PUBLISH_CONCURRENCY: "1",
  METRICS_POLL_DAYS: "0",
  LOG_LEVEL: "silent",
};
const h = await startHarness(ENV);
await h.app.publishing.pause();
const owner = h.member("ENTERPRISE");
const children = new Set<ChildProcess>();

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "subgraphs/social/src/index.ts"], {
    cwd: new URL("..", import.meta.url).pathname,
    env: { ...process.env, ...TEST_ENV, NEO4J_URL, SOCIAL_PORT: "0", ...ENV },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

async function stopWorkers() {
  await Promise.all(
    [...children].map(async (child) => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

async function connectAccount() {
  const made = await createPdsAccount("bench-password-1");
  const response = await h.call(
    owner,
    `mutation ($input: ConnectBlueskyAccountInput!) { connectBlueskyAccount(input: $input) { id } }`,
    { input: { handle: made.handle, appPassword: "bench-password-1", serviceUrl: PDS_URL } },
  );
  if (response.errors) throw new Error(`connect failed: ${JSON.stringify(response.errors)}`);
  return { accountId: response.data.connectBlueskyAccount.id as string, did: made.did };
}

/** Every app.bsky.feed.post record of the repo, paged. */
async function recordsOf(did: string) {
  const records: { uri: string; value: { text: string } }[] = [];
  let cursor: string | undefined;
  do {
    const page = await xrpc<{ records: typeof records; cursor?: string }>("com.atproto.repo.listRecords", {
      params: { repo: did, collection: "app.bsky.feed.post", limit: "100", ...(cursor ? { cursor } : {}) },
    });
    records.push(...page.records);
    cursor = page.records.length ? page.cursor : undefined;
  } while (cursor);
  return records;
}

const failures: string[] = [];

/** Queues posts through createPost(publishNow), CREATORS at a time, round-robin over the accounts. */
async function createPosts(accounts: { accountId: string }[], count: number, label: string) {
  const posts: { id: string; account: number; text: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CREATORS }, async () => {
      while (next < count) {
        const i = next++;
        const account = i % accounts.length;
        const text = `bench ${label} post ${i} ${PREFIX.slice(-8)}`;
        const response = await h.call(
          owner,
          `mutation ($input: CreatePostInput!) { createPost(input: $input) { id state } }`,
          { input: { accountId: accounts[account]!.accountId, text, publishNow: true } },
        );
        if (response.errors) throw new Error(`createPost failed: ${JSON.stringify(response.errors)}`);
        posts.push({ id: response.data.createPost.id, account, text });
      }
    }),
  );
  return posts;
}

/** Waits until every post is PUBLISHED (polled every 20 ms); throws on a FAILED one. */
async function allPublished(ids: string[], label: string) {
  const started = performance.now();
  for (;;) {
    const { records } = await h.app.graph.read(
      `MATCH (p:Post) WHERE p.id IN $ids
       RETURN sum(CASE p.state WHEN 'PUBLISHED' THEN 1 ELSE 0 END) AS published,
              sum(CASE p.state WHEN 'FAILED' THEN 1 ELSE 0 END) AS failed`,
      { ids },
    );
    const published: number = records[0]!.get("published");
    const failed: number = records[0]!.get("failed");
    if (failed) throw new Error(`${label}: ${failed} posts FAILED`);
    if (published === ids.length) return;
    if (performance.now() - started > 300_000) {
      throw new Error(`${label}: only ${published}/${ids.length} published in 300 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function side(workers: number, round: number) {
  const accounts = [];
  for (let a = 0; a < ACCOUNTS; a++) accounts.push(await connectAccount());
  const warmUpAccount = await connectAccount();
  const label = `${workers}w-r${round}`;

  for (let w = 0; w < workers; w++) startWorkerProcess();
  // Our paused worker counts too.
  const deadline = Date.now() + 60_000;
  while ((await h.app.publishing.queue.getWorkersCount()) < workers + 1) {
    if (Date.now() > deadline) throw new Error(`${workers} worker processes did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // A warm-up on an account of its own: the new processes' first publishes (code, connections).
  const warmUp = await createPosts([warmUpAccount], WARM_UP * workers, `${label}-warm-up`);
  await allPublished(
    warmUp.map((post) => post.id),
    `${label} warm-up`,
  );

  await h.app.publishing.queue.pause();
  const posts = await createPosts(accounts, POSTS, label);
  const ids = posts.map((post) => post.id);
  const t0 = performance.now();
  await h.app.publishing.queue.resume();
  await allPublished(ids, label);
  const ms = performance.now() - t0;
  await stopWorkers();

  // Exactly once, on the PDS.
  const stored = await h.app.posts.byIds(owner.workspaceId, ids);
  const retried = stored.filter((post) => post.attempts !== 1).length;
  if (retried) failures.push(`${label}: ${retried} posts took more than one attempt`);
  const remoteIds = new Set(stored.map((post) => post.remoteId));
  let onPds = 0;
  let duplicates = 0;
  for (const [a, account] of accounts.entries()) {
    const records = await recordsOf(account.did);
    onPds += records.length;
    const expected = posts.filter((post) => post.account === a);
    const uris = new Set(records.map((record) => record.uri));
    const texts = new Set(records.map((record) => record.value.text));
    duplicates += records.length - Math.min(uris.size, texts.size);
    if (records.length !== expected.length) {
      failures.push(`${label}: account ${a} has ${records.length} records on the PDS, not ${expected.length}`);
    }
    for (const post of expected) if (!texts.has(post.text)) failures.push(`${label}: "${post.text}" not on the PDS`);
    for (const uri of uris) if (!remoteIds.has(uri)) failures.push(`${label}: ${uri} on the PDS is no post's remoteId`);
  }
  if (duplicates) failures.push(`${label}: ${duplicates} duplicate records on the PDS`);
  return { workers, ms, onPds, duplicates, retried };
}

const results: Record<1 | 2, { ms: number; posts: number; onPds: number; duplicates: number }> = {
  1: { ms: 0, posts: 0, onPds: 0, duplicates: 0 },
  2: { ms: 0, posts: 0, onPds: 0, duplicates: 0 },
};
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const);
    for (const workers of order) {
      const result = await side(workers, round);
      console.log(
        `round ${round + 1}, ${workers} worker${workers > 1 ? "s" : ""}: ${POSTS} posts in ${(result.ms / 1000).toFixed(2)} s ` +
          `(${((POSTS / result.ms) * 1000).toFixed(1)} posts/s); on the PDS ${result.onPds}, duplicates ${result.duplicates}`,
      );
      results[workers].ms += result.ms;
      results[workers].posts += POSTS;
      results[workers].onPds += result.onPds;
      results[workers].duplicates += result.duplicates;
    }
  }
} finally {
  await stopWorkers();
  await h.stop();
}

const rate = (r: { ms: number; posts: number }) => (r.posts / r.ms) * 1000;
console.log(
  `\nsocial publishing queue → the local PDS (${PDS_URL}), ${POSTS} posts × ${ROUNDS} rounds per side over ${ACCOUNTS} accounts each, ${availableParallelism()} CPUs`,
);
console.log(
  `${"side".padEnd(52)} ${"posts".padStart(6)} ${"seconds".padStart(8)} ${"posts/s".padStart(8)} ${"on PDS".padStart(7)} ${"dupes".padStart(6)}`,
);
for (const [workers, name] of [
  [1, "baseline: 1 worker (1 process, PUBLISH_CONCURRENCY=1)"],
  [2, "2 workers (2 processes, PUBLISH_CONCURRENCY=1 each)"],
] as const) {
  const r = results[workers];
  console.log(
    `${name.padEnd(52)} ${String(r.posts).padStart(6)} ${(r.ms / 1000).toFixed(2).padStart(8)} ${rate(r).toFixed(1).padStart(8)} ${String(r.onPds).padStart(7)} ${String(r.duplicates).padStart(6)}`,
  );
}
console.log(`2 workers / 1 worker: ${(rate(results[2]) / rate(results[1])).toFixed(2)}x`);
if (failures.length) {
  console.log(`FAIL:\n  ${failures.slice(0, 20).join("\n  ")}`);
  process.exit(1);
}
console.log("every post PUBLISHED once, with one attempt, and on the PDS exactly once");
process.exit(0);
