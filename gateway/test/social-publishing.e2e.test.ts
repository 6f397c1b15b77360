import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import type { BlueskyTokens } from "../../subgraphs/social/src/providers/bluesky.provider.ts";
import { instantToLocal } from "../../subgraphs/social/src/services/post-time.ts";
import { createPdsAccount, PDS_URL, postsOnPds } from "../../subgraphs/social/test/pds-service.ts";
import { PublishFaultProxy } from "../../subgraphs/social/test/publish-fault-proxy.ts";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";
import { subscribe, wsClient } from "./ws-client.ts";

let platform: Platform;
/** A real HTTP proxy in front of the real PDS: it holds an answer while its worker is killed. */
let proxy: PublishFaultProxy;
beforeAll(async () => {
  proxy = await new PublishFaultProxy(PDS_URL).start();
  // Short job locks: a killed worker's job is taken over within seconds.
  platform = await startPlatform({ SOCIAL_JOB_LOCK_MS: "2000", PUBLISH_BACKOFF_MS: "200" });
}, 120_000);
afterAll(async () => {
  await platform?.stop();
  await proxy?.stop();
});

const ok = async <T = any>(account: SignedUp, query: string, variables: Record<string, unknown> = {}) => {
  const response = await platform.gql<T>(query, variables, account.accessToken);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
};

/** The principal the gateway forwards for a signed-up owner (to seed an account without a network). */
const principalOf = (account: SignedUp): AuthenticatedPrincipal => ({
  kind: "user",
  userId: account.user.id,
  workspaceId: account.workspace.id,
  role: "OWNER",
  scopes: ["social:read", "social:write"],
  plan: "FREE",
});

/** An account saved as connecting one would, on a server nobody calls (for what needs no network). */
const offlineAccount = (account: SignedUp) =>
  platform.social.accounts.save(
    principalOf(account),
    {
      id: randomUUID(),
      network: "MASTODON",
      handle: `@${randomUUID().slice(0, 8)}@mastodon.test`,
      remoteId: randomUUID(),
      serviceUrl: "http://127.0.0.1:9",
      displayName: null,
      maxPostLength: 500,
    },
    { accessToken: "unused", accountId: "1", localDomain: "mastodon.test" },
  );

const POST = `id state text scheduledAt timeZone scheduledLocal publishedAt attempts failureReason url account { id handle }`;
const CREATE = `mutation ($input: CreatePostInput!) { createPost(input: $input) { ${POST} } }`;
const EVENTS = `subscription ($postId: ID, $accountId: ID, $after: String) {
  postStatusChanged(postId: $postId, accountId: $accountId, after: $after) {
    cursor postId state attempts reason deleted post { id state url text }
  } }`;

describe("scheduling through the gateway", () => {
  test("a post scheduled at 09:30 in Europe/Berlin is due at that instant, and the DST gap is refused", async () => {
    const owner = await platform.signUp();
    const account = await offlineAccount(owner);
    const { createPost } = await ok(owner, CREATE, {
      input: { accountId: account.id, text: "Guten Morgen", scheduleAt: "2027-07-01T09:30", timeZone: "Europe/Berlin" },
    });
    expect(createPost).toMatchObject({
      state: "SCHEDULED",
      scheduledAt: "2027-07-01T07:30:00.000Z",
      timeZone: "Europe/Berlin",
      scheduledLocal: "2027-07-01T09:30:00",
      account: { id: account.id },
    });
    // In winter Berlin is UTC+1; 02:30 on 28 March 2027 does not exist there.
    const moved = await ok(
      owner,
      `mutation ($id: ID!) { schedulePost(id: $id, at: "2027-01-15T09:30", timeZone: "Europe/Berlin") { scheduledAt } }`,
      {
        id: createPost.id,
      },
    );
    expect(moved.schedulePost.scheduledAt).toBe("2027-01-15T08:30:00.000Z");
    const gap = await platform.gql(
      `mutation ($id: ID!) { schedulePost(id: $id, at: "2027-03-28T02:30", timeZone: "Europe/Berlin") { id } }`,
      { id: createPost.id },
      owner.accessToken,
    );
    expect(gap.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "at" });
    expect(gap.errors?.[0]?.message).toMatch(/does not exist in Europe\/Berlin/);
    const tooLong = await platform.gql(
      CREATE,
      { input: { accountId: account.id, text: "x".repeat(501) } },
      owner.accessToken,
    );
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "text" });
    const after = await ok(owner, `query ($id: ID!) { post(id: $id) { scheduledAt } }`, { id: createPost.id });
    expect(after.post.scheduledAt).toBe("2027-01-15T08:30:00.000Z");
  });
});

describe("tenancy", () => {
  test("another workspace's post is NOT_FOUND by id, for every field and mutation, and its events are not seen", async () => {
    const owner = await platform.signUp();
    const stranger = await platform.signUp();
    const account = await offlineAccount(owner);
    await offlineAccount(stranger);
    const { createPost } = await ok(owner, CREATE, { input: { accountId: account.id, text: "private" } });
    const id = createPost.id;
    for (const query of [
      `query ($id: ID!) { post(id: $id) { id } }`,
      `mutation ($id: ID!) { updatePost(id: $id, input: {text: "mine now"}) { id } }`,
      `mutation ($id: ID!) { schedulePost(id: $id, at: "2027-07-01T09:30", timeZone: "UTC") { id } }`,
      `mutation ($id: ID!) { publishPost(id: $id) { id } }`,
      `mutation ($id: ID!) { deletePost(id: $id) }`,
    ]) {
      expect(errorCode(await platform.gql(query, { id }, stranger.accessToken)), query).toBe("NOT_FOUND");
    }
    const theirs = await ok(stranger, `{ posts(first: 100) { edges { node { id } } } }`);
    expect(theirs.posts.edges).toEqual([]);
    // Their subscription to the post is refused; one to all their workspace's posts sees nothing of ours.
    const client = wsClient(platform.url, stranger.accessToken);
    try {
      const refused = subscribe(client, EVENTS, { postId: id });
      await refused.received(1);
      expect(refused.results[0]!.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      const all = subscribe(client, EVENTS, {});
      await new Promise((resolve) => setTimeout(resolve, 300));
      await ok(owner, `mutation ($id: ID!) { schedulePost(id: $id, at: "2027-07-01T09:30", timeZone: "UTC") { id } }`, {
        id,
      });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(all.results).toEqual([]);
      all.unsubscribe();
    } finally {
      await client.dispose();
    }
    expect((await ok(owner, `query ($id: ID!) { post(id: $id) { text state } }`, { id })).post).toEqual({
      text: "private",
      state: "SCHEDULED",
    });
  });
});

describe("status over the subscription", () => {
  test("a post's changes arrive live, and `after` resumes exactly after a cursor", async () => {
    const owner = await platform.signUp();
    const account = await offlineAccount(owner);
    const { createPost } = await ok(owner, CREATE, { input: { accountId: account.id, text: "watch me" } });
    const id = createPost.id;
    const client = wsClient(platform.url, owner.accessToken);
    try {
      const live = subscribe(client, EVENTS, { postId: id });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await ok(
        owner,
        `mutation ($id: ID!) { schedulePost(id: $id, at: "2027-07-01T09:30", timeZone: "Europe/Berlin") { id } }`,
        { id },
      );
      await ok(owner, `mutation ($id: ID!) { unschedulePost(id: $id) { id } }`, { id });
      await ok(owner, `mutation ($id: ID!) { deletePost(id: $id) }`, { id });
      await live.received(3);
      const events = live.results.map((result) => result.data!.postStatusChanged);
      expect(events.map((event: any) => [event.state, event.deleted])).toEqual([
        ["SCHEDULED", false],
        ["DRAFT", false],
        ["DRAFT", true],
      ]);
      expect(events[0].post).toMatchObject({ id, text: "watch me" });
      expect(events[2].post).toBeNull(); // read as it is when delivered: deleted
      live.unsubscribe();

      const resumed = subscribe(client, EVENTS, { accountId: account.id, after: events[0].cursor });
      await resumed.received(2);
      expect(resumed.results.map((result) => result.data!.postStatusChanged.cursor)).toEqual([
        events[1].cursor,
        events[2].cursor,
      ]);
      resumed.unsubscribe();
      const bad = subscribe(client, EVENTS, { after: "not-a-cursor" });
      await bad.received(1);
      expect(bad.results[0]!.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    } finally {
      await client.dispose();
    }
  });
});

const CREATE_RECORD = "/xrpc/com.atproto.repo.createRecord";

/** A signed-up owner with a new account on the local PDS (`scripts/services`), connected through the gateway and reached through the proxy. */
async function withBluesky() {
  const owner = await platform.signUp();
  const made = await createPdsAccount("correct-horse-42");
  const handle = made.handle;
  const { connectBlueskyAccount } = await ok(
    owner,
    `mutation ($input: ConnectBlueskyAccountInput!) { connectBlueskyAccount(input: $input) { id handle state } }`,
    { input: { handle, appPassword: "correct-horse-42", serviceUrl: proxy.url } },
  );
  expect(connectBlueskyAccount).toMatchObject({ handle, state: "ACTIVE" });
  const account = (await platform.social.accounts.byIds(owner.workspace.id, [connectBlueskyAccount.id]))[0]!;
  // Its DID document names the PDS itself: publishing goes through the proxy in front of it instead.
  const tokens = platform.social.accounts.tokensOf<BlueskyTokens>(account);
  await platform.social.accounts.updateTokens(account, { ...tokens, pdsUrl: undefined });
  return { owner, accountId: account.id as string, did: made.did };
}

const recordsOf = postsOnPds;

async function untilState(owner: SignedUp, id: string, states: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { post } = await ok(owner, `query ($id: ID!) { post(id: $id) { ${POST} remoteId } }`, { id });
    if (states.includes(post.state)) return post;
    if (Date.now() > deadline) throw new Error(`post still ${post.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("publishing to the real PDS through the gateway", () => {
  test("publish now: the status arrives live over the subscription, and the post is on the PDS once", async () => {
    const { owner, accountId, did } = await withBluesky();
    const client = wsClient(platform.url, owner.accessToken);
    try {
      const live = subscribe(client, EVENTS, { accountId });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { createPost } = await ok(owner, CREATE, {
        input: { accountId, text: "Live from Mary", publishNow: true },
      });
      await live.received(3);
      const events = live.results.map((result) => result.data!.postStatusChanged);
      expect(events.map((event: any) => [event.postId, event.state, event.attempts])).toEqual([
        [createPost.id, "SCHEDULED", 0],
        [createPost.id, "PUBLISHING", 1],
        [createPost.id, "PUBLISHED", 1],
      ]);
      expect(events[2].post).toMatchObject({ id: createPost.id, state: "PUBLISHED", text: "Live from Mary" });
      live.unsubscribe();
    } finally {
      await client.dispose();
    }
    const records = await recordsOf(did);
    expect(records.map((record) => record.value.text)).toEqual(["Live from Mary"]);
  });

  test("a post scheduled at a local time in Europe/Berlin is on the PDS within 2 s of that time", async () => {
    const { owner, accountId, did } = await withBluesky();
    const due = Math.ceil((Date.now() + 4_000) / 1000) * 1000;
    const local = instantToLocal(new Date(due), "Europe/Berlin");
    const { createPost } = await ok(owner, CREATE, {
      input: { accountId, text: "Pünktlich", scheduleAt: local, timeZone: "Europe/Berlin" },
    });
    expect(Date.parse(createPost.scheduledAt)).toBe(due);
    expect(createPost.scheduledLocal).toBe(local);
    const post = await untilState(owner, createPost.id, ["PUBLISHED", "FAILED"], 20_000);
    const publishedAt = Date.parse(post.publishedAt);
    expect(post.state).toBe("PUBLISHED");
    expect(publishedAt).toBeGreaterThanOrEqual(due - 250);
    expect(publishedAt - due).toBeLessThan(2_000);
    expect((await recordsOf(did)).map((record) => record.value.text)).toEqual(["Pünktlich"]);
  });

  test("refused content: FAILED with the network's reason, not retried", async () => {
    const { owner, accountId, did } = await withBluesky();
    const { createPost } = await ok(owner, CREATE, { input: { accountId, text: "a draft" } });
    // Mary's rules refuse 301 graphemes before saving; written past them, the PDS refuses it itself.
    await platform.social.graph.write("MATCH (p:Post {id: $id}) SET p.text = $text", {
      id: createPost.id,
      text: "é".repeat(301),
    });
    await ok(owner, `mutation ($id: ID!) { publishPost(id: $id) { id } }`, { id: createPost.id });
    const post = await untilState(owner, createPost.id, ["PUBLISHED", "FAILED"]);
    expect(post.state).toBe("FAILED");
    expect(post.failureReason).toMatch(/grapheme too big \(maximum 300, got 301\)/);
    expect(post.attempts).toBe(1);
    expect(await recordsOf(did)).toEqual([]);
  });

  test(
    "a worker killed mid-publish: another process finishes, the post is on the PDS exactly once",
    { timeout: 120_000 },
    async () => {
      const { owner, accountId, did } = await withBluesky();
      const children: ChildProcess[] = [];
      // This process's worker stands back while a second social process takes the job.
      await platform.social.publishing.pause();
      try {
        const child = spawn(process.execPath, ["--import", "tsx", "subgraphs/social/src/index.ts"], {
          cwd: new URL("../..", import.meta.url).pathname,
          env: { ...process.env, ...platform.socialEnv, LOG_LEVEL: "silent" },
          stdio: ["ignore", "ignore", "inherit"],
        });
        children.push(child);
        const deadline = Date.now() + 60_000;
        while ((await platform.social.publishing.queue.getWorkersCount()) < 2) {
          if (Date.now() > deadline) throw new Error("the second social process did not start");
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        proxy.failNext("POST", CREATE_RECORD, "hold-after-upstream");
        const before = proxy.requestsTo("POST", CREATE_RECORD).length;
        const { createPost } = await ok(owner, CREATE, {
          input: { accountId, text: "Published once, whatever happens", publishNow: true },
        });
        // The PDS wrote the record; the child is waiting for its answer when it is killed.
        await proxy.whenHeld();
        child.kill("SIGKILL");
        await once(child, "exit");
        proxy.release();
        platform.social.publishing.resume();

        const post = await untilState(owner, createPost.id, ["PUBLISHED", "FAILED"], 60_000);
        expect(post).toMatchObject({ state: "PUBLISHED", attempts: 1 });
        const records = await recordsOf(did);
        expect(records).toHaveLength(1);
        expect(records[0]!.uri).toBe(post.remoteId);
        expect(proxy.requestsTo("POST", CREATE_RECORD).length - before).toBe(1);
      } finally {
        platform.social.publishing.resume();
        for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  );
});
