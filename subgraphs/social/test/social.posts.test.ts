import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import { NetworkError } from "../src/providers/provider.ts";
import { instantToLocal } from "../src/services/post-time.ts";
import type { Network } from "../src/types/social-account.type.ts";
import { startHarness, type Harness } from "./harness.ts";
import { MemoryNetwork } from "./memory-network.ts";
import { subscribe } from "./ws.ts";

const bluesky = new MemoryNetwork("BLUESKY");
const mastodon = new MemoryNetwork("MASTODON");
let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    { PUBLISH_BACKOFF_MS: "100", PUBLISH_ATTEMPTS: "4", METRICS_POLL_SECONDS: "5", SOCIAL_JOB_LOCK_MS: "2000" },
    { providers: (network) => (network === "BLUESKY" ? bluesky : mastodon) },
  );
});
afterAll(() => h?.stop());

const POST_FIELDS = `id state text network attempts scheduledAt timeZone scheduledLocal publishedAt remoteId url
  failureReason lastError account { id state } author { id }`;

async function connected(owner: AuthenticatedPrincipal, network: Network = "BLUESKY", maxPostLength = 300) {
  return h.app.accounts.save(
    owner,
    {
      id: randomUUID(),
      network,
      handle: `${randomUUID().slice(0, 8)}.test`,
      remoteId: `remote-${randomUUID()}`,
      serviceUrl: "http://127.0.0.1:1",
      displayName: null,
      maxPostLength,
    },
    { token: "t" },
  );
}

const ok = async (owner: AuthenticatedPrincipal, query: string, variables: Record<string, unknown> = {}) => {
  const response = await h.call(owner, query, variables);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data;
};

const createPost = (owner: AuthenticatedPrincipal, input: Record<string, unknown>) =>
  h.call(owner, `mutation ($input: CreatePostInput!) { createPost(input: $input) { ${POST_FIELDS} } }`, { input });

const postOf = async (owner: AuthenticatedPrincipal, id: string) =>
  (await ok(owner, `query ($id: ID!) { post(id: $id) { ${POST_FIELDS} } }`, { id })).post;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const settled = (owner: AuthenticatedPrincipal, id: string, timeoutMs?: number) =>
  until(
    () => postOf(owner, id),
    (post) => post.state === "PUBLISHED" || post.state === "FAILED",
    timeoutMs,
  );

const postCount = async (owner: AuthenticatedPrincipal) =>
  (
    await h.app.graph.read<{ n: number }>("MATCH (p:Post {workspaceId: $ws}) RETURN count(p) AS n", {
      ws: owner.workspaceId,
    })
  ).records[0]!.get("n");

/** A local time `minutes` from now in the zone, as the composer sends it. */
const localIn = (zone: string, msFromNow: number) => instantToLocal(new Date(Date.now() + msFromNow), zone);

describe("composing", () => {
  test("a draft is saved with its account, author and network; nothing is queued", async () => {
    const owner = h.member();
    const account = await connected(owner);
    const { data, errors } = await createPost(owner, { accountId: account.id, text: "Hello @alice.bsky.social" });
    expect(errors).toBeUndefined();
    expect(data.createPost).toMatchObject({
      state: "DRAFT",
      network: "BLUESKY",
      attempts: 0,
      scheduledAt: null,
      account: { id: account.id },
      author: { id: owner.userId },
    });
    expect(await h.app.publishing.queue.getJob(data.createPost.id)).toBeUndefined();
    const linked = await h.app.graph.read("MATCH (:SocialAccount {id: $a})-[:POSTED]->(p:Post {id: $p}) RETURN p", {
      a: account.id,
      p: data.createPost.id,
    });
    expect(linked.records).toHaveLength(1);
  });

  test("the network's rules are checked before saving: BAD_USER_INPUT with the field, nothing saved", async () => {
    const owner = h.member("PRO");
    const sky = await connected(owner, "BLUESKY");
    const masto = await connected(owner, "MASTODON", 100);
    const cases: [string, Record<string, unknown>, string][] = [
      [sky.id, { text: "a".repeat(301) }, "text"],
      [sky.id, { text: "   " }, "text"],
      [sky.id, { text: "hi @alice" }, "text"],
      [masto.id, { text: "a".repeat(101) }, "text"],
      [masto.id, { text: "hi @bob@" }, "text"],
      [randomUUID(), { text: "hello" }, "accountId"],
      [sky.id, { text: "hello", scheduleAt: "2027-06-01T10:00" }, "timeZone"],
      [sky.id, { text: "hello", scheduleAt: "2027-06-01T10:00", timeZone: "Nowhere/City" }, "timeZone"],
      [sky.id, { text: "hello", scheduleAt: "2020-01-01T10:00", timeZone: "Europe/Berlin" }, "scheduleAt"],
      [sky.id, { text: "hello", scheduleAt: "2027-03-28T02:30", timeZone: "Europe/Berlin" }, "scheduleAt"],
      [sky.id, { text: "hello", scheduleAt: "2027-06-01T10:00", timeZone: "UTC", publishNow: true }, "publishNow"],
    ];
    for (const [accountId, input, field] of cases) {
      const response = await createPost(owner, { accountId, ...input });
      expect(response.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    // Mastodon counts a long link as 23: this one fits in 100 there.
    const link = `https://example.com/${"x".repeat(120)}`;
    expect((await createPost(owner, { accountId: masto.id, text: `see ${link}` })).errors).toBeUndefined();
    expect((await createPost(owner, { accountId: sky.id, text: `see ${link}` })).errors).toBeUndefined();
    expect(await postCount(owner)).toBe(2);
  });

  test("a draft is edited and checked again; a published post cannot change", async () => {
    const owner = h.member();
    const account = await connected(owner);
    const { data } = await createPost(owner, { accountId: account.id, text: "first" });
    const id = data.createPost.id;
    const UPDATE = `mutation ($id: ID!, $input: UpdatePostInput!) { updatePost(id: $id, input: $input) { text state } }`;
    expect((await ok(owner, UPDATE, { id, input: { text: "second" } })).updatePost).toEqual({
      text: "second",
      state: "DRAFT",
    });
    const tooLong = await h.call(owner, UPDATE, { id, input: { text: "b".repeat(400) } });
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "text" });
    expect((await postOf(owner, id)).text).toBe("second");

    await ok(owner, `mutation ($id: ID!) { publishPost(id: $id) { id } }`, { id });
    await settled(owner, id);
    const late = await h.call(owner, UPDATE, { id, input: { text: "third" } });
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
    expect((await postOf(owner, id)).text).toBe("second");
  });
});

describe("scheduling in the member's time zone", () => {
  test("a local time in Europe/Berlin is its instant; the ambiguous hour is the earlier one", async () => {
    const owner = h.member();
    const account = await connected(owner);
    const { data, errors } = await createPost(owner, {
      accountId: account.id,
      text: "autumn",
      scheduleAt: "2027-10-31T02:30",
      timeZone: "Europe/Berlin",
    });
    expect(errors).toBeUndefined();
    expect(data.createPost).toMatchObject({
      state: "SCHEDULED",
      scheduledAt: "2027-10-31T00:30:00.000Z",
      timeZone: "Europe/Berlin",
      scheduledLocal: "2027-10-31T02:30:00",
    });
    const job = await h.app.publishing.queue.getJob(data.createPost.id);
    expect(await job?.getState()).toBe("delayed");
    expect(job!.timestamp + job!.delay).toBeGreaterThan(Date.parse("2027-10-31T00:29:00Z"));
  });

  test("a scheduled post is published within 2 s of its time, once", async () => {
    const owner = h.member();
    const account = await connected(owner);
    const zone = "Europe/Berlin";
    const due = Math.ceil((Date.now() + 3_000) / 1000) * 1000;
    const { data } = await createPost(owner, {
      accountId: account.id,
      text: "on time",
      scheduleAt: instantToLocal(new Date(due), zone),
      timeZone: zone,
    });
    const id = data.createPost.id;
    expect(Date.parse(data.createPost.scheduledAt)).toBe(due);
    const published = await settled(owner, id);
    expect(published.state).toBe("PUBLISHED");
    const [call] = bluesky.callsOf("publish", id);
    expect(call!.at).toBeGreaterThanOrEqual(due - 250);
    expect(call!.at - due).toBeLessThan(2_000);
    expect(bluesky.postsOf(id)).toHaveLength(1);
  });

  test("rescheduling moves the post's one job; unscheduling takes it out", async () => {
    const owner = h.member();
    const account = await connected(owner);
    const zone = "America/New_York";
    const { data } = await createPost(owner, {
      accountId: account.id,
      text: "moved",
      scheduleAt: localIn(zone, 2_000),
      timeZone: zone,
    });
    const id = data.createPost.id;
    const SCHEDULE = `mutation ($id: ID!, $at: String!, $tz: String!) { schedulePost(id: $id, at: $at, timeZone: $tz) { state scheduledAt } }`;
    const later = await ok(owner, SCHEDULE, { id, at: localIn("Asia/Tokyo", 3_600_000), tz: "Asia/Tokyo" });
    expect(later.schedulePost.state).toBe("SCHEDULED");
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(bluesky.callsOf("publish", id)).toHaveLength(0);
    const job = await h.app.publishing.queue.getJob(id);
    expect(job!.timestamp + job!.delay).toBeGreaterThan(Date.now() + 3_500_000);

    const draft = await ok(owner, `mutation ($id: ID!) { unschedulePost(id: $id) { state scheduledAt } }`, { id });
    expect(draft.unschedulePost).toEqual({ state: "DRAFT", scheduledAt: null });
    expect(await h.app.publishing.queue.getJob(id)).toBeUndefined();

    const gap = await h.call(owner, SCHEDULE, { id, at: "2027-03-14T02:30", tz: "America/New_York" });
    expect(gap.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "at" });
    expect((await postOf(owner, id)).state).toBe("DRAFT");
  });
});

describe("publishing exactly once", () => {
  test("publish now: PUBLISHED with the network's id and URL after one attempt", async () => {
    const owner = h.member();
    const account = await connected(owner);
    const { data } = await createPost(owner, { accountId: account.id, text: "now", publishNow: true });
    expect(data.createPost.state).toBe("SCHEDULED");
    const post = await settled(owner, data.createPost.id);
    expect(post).toMatchObject({
      state: "PUBLISHED",
      attempts: 1,
      remoteId: `remote-${post.id}`,
      url: `https://network.test/${post.id}`,
      failureReason: null,
    });
    expect(bluesky.postsOf(post.id)).toHaveLength(1);
    expect(bluesky.callsOf("findPublished", post.id)).toHaveLength(0);
  });

  test("a 503 is retried with backoff, and the network is checked before the retry", async () => {
    const owner = h.member();
    const account = await connected(owner, "MASTODON", 500);
    mastodon.fail("publish", new NetworkError("HTTP 503: Service Unavailable", "retryable"));
    const { data } = await createPost(owner, { accountId: account.id, text: "retry me", publishNow: true });
    const post = await settled(owner, data.createPost.id);
    expect(post).toMatchObject({ state: "PUBLISHED", attempts: 2, lastError: null });
    const calls = mastodon.calls.filter((call) => call.postId === post.id).map((call) => call.method);
    expect(calls).toEqual(["publish", "findPublished", "publish"]);
    expect(mastodon.postsOf(post.id)).toHaveLength(1);
  });

  test("a 429's Retry-After is honoured before the next attempt", async () => {
    const owner = h.member();
    const account = await connected(owner);
    bluesky.fail("publish", new NetworkError("HTTP 429: Too Many Requests", "retryable", 1_500));
    const { data } = await createPost(owner, { accountId: account.id, text: "slow down", publishNow: true });
    const id = data.createPost.id;
    await until(
      () => postOf(owner, id),
      (post) => post.lastError !== null,
    );
    expect((await postOf(owner, id)).lastError).toMatch(/429/);
    const post = await settled(owner, id);
    expect(post.state).toBe("PUBLISHED");
    const [first, second] = bluesky.callsOf("publish", id);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1_500);
    expect(bluesky.postsOf(id)).toHaveLength(1);
  });

  test("an answer lost after the post was made: found on the network, not posted again", async () => {
    const owner = h.member();
    const account = await connected(owner);
    bluesky.fail("publish", "unknown-after-effect");
    const { data } = await createPost(owner, { accountId: account.id, text: "lost answer", publishNow: true });
    const post = await settled(owner, data.createPost.id);
    expect(post).toMatchObject({ state: "PUBLISHED", attempts: 1, remoteId: `remote-${post.id}` });
    expect(bluesky.callsOf("publish", post.id)).toHaveLength(1);
    expect(bluesky.callsOf("findPublished", post.id)).toHaveLength(1);
    expect(bluesky.postsOf(post.id)).toHaveLength(1);
  });

  test("refused credentials: the account NEEDS_RECONNECT, the post FAILED, no retry", async () => {
    const owner = h.member();
    const account = await connected(owner);
    bluesky.fail("publish", new NetworkError("HTTP 401: Token has been revoked", "auth"));
    const { data } = await createPost(owner, { accountId: account.id, text: "revoked", publishNow: true });
    const post = await settled(owner, data.createPost.id);
    expect(post.state).toBe("FAILED");
    expect(post.failureReason).toMatch(/Token has been revoked/);
    expect(post.account.state).toBe("NEEDS_RECONNECT");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bluesky.callsOf("publish", post.id)).toHaveLength(1);
    // Publishing again needs the account connected again.
    const again = await h.call(owner, `mutation ($id: ID!) { publishPost(id: $id) { id } }`, { id: post.id });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "accountId" });
  });

  test("refused content: FAILED with the network's reason, no retry; published again once fixed", async () => {
    const owner = h.member();
    const account = await connected(owner, "MASTODON", 500);
    mastodon.fail("publish", new NetworkError("HTTP 422: Validation failed: Text character limit", "refused"));
    const { data } = await createPost(owner, { accountId: account.id, text: "refused", publishNow: true });
    const post = await settled(owner, data.createPost.id);
    expect(post).toMatchObject({
      state: "FAILED",
      failureReason: "HTTP 422: Validation failed: Text character limit",
      attempts: 1,
    });
    expect(mastodon.callsOf("publish", post.id)).toHaveLength(1);
    await ok(owner, `mutation ($id: ID!) { publishPost(id: $id) { id } }`, { id: post.id });
    const again = await settled(owner, post.id);
    expect(again).toMatchObject({ state: "PUBLISHED", attempts: 2, failureReason: null });
    expect(mastodon.postsOf(post.id)).toHaveLength(1);
  });

  test("retries spent: FAILED with the last error, after checking the network once more", async () => {
    const owner = h.member();
    const account = await connected(owner);
    const unavailable = () => new NetworkError("HTTP 502: Bad Gateway", "retryable");
    bluesky.fail("publish", unavailable(), unavailable(), unavailable(), unavailable());
    const { data } = await createPost(owner, { accountId: account.id, text: "never", publishNow: true });
    const post = await settled(owner, data.createPost.id);
    expect(post.state).toBe("FAILED");
    expect(post.failureReason).toMatch(/Gave up after 4 attempts: HTTP 502/);
    expect(bluesky.callsOf("publish", post.id)).toHaveLength(4);
    expect(bluesky.postsOf(post.id)).toHaveLength(0);
  });
});

describe("deleting", () => {
  test("a published post is deleted on the network too; a draft only in Mary", async () => {
    const owner = h.member();
    const account = await connected(owner);
    const { data } = await createPost(owner, { accountId: account.id, text: "to delete", publishNow: true });
    const post = await settled(owner, data.createPost.id);
    expect(bluesky.postsOf(post.id)).toHaveLength(1);
    const DELETE = `mutation ($id: ID!) { deletePost(id: $id) }`;
    // The network cannot be reached: nothing is deleted.
    bluesky.fail("deletePost", new NetworkError("HTTP 503", "retryable"));
    expect(errorCode(await h.call(owner, DELETE, { id: post.id }))).toBe("SERVICE_UNAVAILABLE");
    expect((await postOf(owner, post.id)).state).toBe("PUBLISHED");
    expect((await ok(owner, DELETE, { id: post.id })).deletePost).toBe(post.id);
    expect(bluesky.postsOf(post.id)).toHaveLength(0);
    expect(errorCode(await h.call(owner, `query ($id: ID!) { post(id: $id) { id } }`, { id: post.id }))).toBe(
      "NOT_FOUND",
    );
    expect(await h.app.metricsQueue.tracks(post.id)).toBe(false);

    const draft = (await createPost(owner, { accountId: account.id, text: "draft" })).data.createPost;
    await ok(owner, DELETE, { id: draft.id });
    expect(await postCount(owner)).toBe(0);
  });

  test("a published post of a disconnected account is only forgotten by Mary", async () => {
    const owner = h.member();
    const account = await connected(owner);
    const { data } = await createPost(owner, { accountId: account.id, text: "orphan", publishNow: true });
    const post = await settled(owner, data.createPost.id);
    await ok(owner, `mutation ($id: ID!) { disconnectSocialAccount(id: $id) }`, { id: account.id });
    expect((await postOf(owner, post.id)).account).toBeNull();
    const deletesBefore = bluesky.callsOf("deletePost").length;
    expect((await ok(owner, `mutation ($id: ID!) { deletePost(id: $id) }`, { id: post.id })).deletePost).toBe(post.id);
    expect(bluesky.callsOf("deletePost")).toHaveLength(deletesBefore);
    expect(await postCount(owner)).toBe(0);
  });
});

describe("tenancy", () => {
  test("another workspace's posts are NOT_FOUND by id, absent from lists and null as entities", async () => {
    const owner = h.member();
    const other = h.member();
    const mine = await connected(owner);
    const theirs = await connected(other);
    const myPost = (await createPost(owner, { accountId: mine.id, text: "mine" })).data.createPost;
    const theirPost = (await createPost(other, { accountId: theirs.id, text: "theirs" })).data.createPost;
    // Posting with another workspace's account is refused.
    const borrowed = await createPost(owner, { accountId: theirs.id, text: "borrowed" });
    expect(borrowed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "accountId" });

    const list = await ok(owner, `{ posts(first: 10) { edges { node { id } } } }`);
    expect(list.posts.edges.map((edge: any) => edge.node.id)).toEqual([myPost.id]);
    for (const query of [
      `query ($id: ID!) { post(id: $id) { id } }`,
      `mutation ($id: ID!) { publishPost(id: $id) { id } }`,
      `mutation ($id: ID!) { deletePost(id: $id) }`,
      `mutation ($id: ID!) { updatePost(id: $id, input: {text: "x"}) { id } }`,
      `mutation ($id: ID!) { schedulePost(id: $id, at: "2027-06-01T10:00", timeZone: "UTC") { id } }`,
    ]) {
      expect(errorCode(await h.call(owner, query, { id: theirPost.id })), query).toBe("NOT_FOUND");
    }
    const entities = await ok(
      owner,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Post { id text } } }`,
      {
        r: [
          { __typename: "Post", id: theirPost.id },
          { __typename: "Post", id: myPost.id },
        ],
      },
    );
    expect(entities._entities).toEqual([null, { id: myPost.id, text: "mine" }]);
    expect((await postOf(other, theirPost.id)).state).toBe("DRAFT");
  });

  test("lists page with cursors and filter by account and state", async () => {
    const owner = h.member("PRO");
    const a = await connected(owner);
    const b = await connected(owner);
    for (let i = 0; i < 3; i++) await createPost(owner, { accountId: a.id, text: `a${i}` });
    await createPost(owner, { accountId: b.id, text: "b0" });
    const LIST = `query ($first: Int, $after: String, $filter: PostFilter) {
      posts(first: $first, after: $after, filter: $filter) { edges { node { text } } pageInfo { hasNextPage endCursor } } }`;
    const first = await ok(owner, LIST, { first: 2, filter: { accountId: a.id } });
    expect(first.posts.edges.map((e: any) => e.node.text)).toEqual(["a2", "a1"]);
    const next = await ok(owner, LIST, {
      first: 2,
      after: first.posts.pageInfo.endCursor,
      filter: { accountId: a.id },
    });
    expect(next.posts.edges.map((e: any) => e.node.text)).toEqual(["a0"]);
    expect(next.posts.pageInfo.hasNextPage).toBe(false);
    expect((await ok(owner, LIST, { filter: { state: "PUBLISHED" } })).posts.edges).toEqual([]);
    // The queue: scheduled posts, soonest due first, paged on their time.
    for (const [text, at] of [
      ["later", "2027-06-03T10:00"],
      ["soonest", "2027-06-01T10:00"],
      ["middle", "2027-06-02T10:00"],
    ]) {
      await createPost(owner, { accountId: b.id, text, scheduleAt: at, timeZone: "Europe/Berlin" });
    }
    const QUEUE = `query ($after: String) { posts(first: 2, after: $after, orderBy: DUE_FIRST) {
      edges { node { text } } pageInfo { endCursor hasNextPage } } }`;
    const due = await ok(owner, QUEUE);
    expect(due.posts.edges.map((e: any) => e.node.text)).toEqual(["soonest", "middle"]);
    const rest = await ok(owner, QUEUE, { after: due.posts.pageInfo.endCursor });
    expect(rest.posts.edges.map((e: any) => e.node.text)).toEqual(["later"]);
    expect(rest.posts.pageInfo.hasNextPage).toBe(false);
    expect(errorCode(await h.call(owner, LIST, { after: "nope" }))).toBe("BAD_USER_INPUT");
  });
});

describe("filtering by several states", () => {
  const LIST = `query ($filter: PostFilter) { posts(first: 50, filter: $filter) { edges { node { text state } } } }`;

  test("`states` keeps the posts in any of them; `state` still keeps one; both, or none, is BAD_USER_INPUT", async () => {
    const owner = h.member("PRO");
    const account = await connected(owner);
    await createPost(owner, { accountId: account.id, text: "draft" });
    await createPost(owner, {
      accountId: account.id,
      text: "scheduled",
      scheduleAt: "2027-06-01T10:00",
      timeZone: "Europe/Berlin",
    });
    const failing = (await createPost(owner, { accountId: account.id, text: "failed" })).data!.createPost.id;
    await h.app.graph.write("MATCH (p:Post {id: $id}) SET p.state = 'FAILED'", { id: failing });
    const texts = async (filter: Record<string, unknown>) =>
      (await ok(owner, LIST, { filter })).posts.edges.map((edge: any) => edge.node.text).sort();

    expect(await texts({ states: ["SCHEDULED", "PUBLISHING"] })).toEqual(["scheduled"]);
    expect(await texts({ states: ["DRAFT", "FAILED"] })).toEqual(["draft", "failed"]);
    expect(await texts({ states: ["DRAFT", "DRAFT"] })).toEqual(["draft"]);
    expect(await texts({ states: ["PUBLISHED"] })).toEqual([]);
    expect(await texts({ state: "FAILED" })).toEqual(["failed"]);
    expect(await texts({ states: null })).toEqual(["draft", "failed", "scheduled"]);
    // The queue's order too: the scheduled ones by due time.
    const due = await ok(
      owner,
      `query ($filter: PostFilter) { posts(filter: $filter, orderBy: DUE_FIRST) { edges { node { text } } } }`,
      { filter: { states: ["SCHEDULED", "PUBLISHING"] } },
    );
    expect(due.posts.edges.map((edge: any) => edge.node.text)).toEqual(["scheduled"]);

    for (const filter of [{ state: "DRAFT", states: ["DRAFT"] }, { states: [] }]) {
      const refused = await h.call(owner, LIST, { filter });
      expect(errorCode(refused)).toBe("BAD_USER_INPUT");
      expect(refused.errors![0]!.extensions!.field).toBe("filter.states");
    }
  });
});

describe("status events after postEventsCursor", () => {
  const EVENTS = `subscription ($after: String, $postId: ID) {
    postStatusChanged(after: $after, postId: $postId) { cursor postId state deleted } }`;
  const SCHEDULE = `mutation ($id: ID!) { schedulePost(id: $id, at: "2027-07-01T09:30", timeZone: "Europe/Berlin") { id } }`;
  const UNSCHEDULE = `mutation ($id: ID!) { unschedulePost(id: $id) { id } }`;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

  test("a change made between reading the cursor (with the list) and subscribing after it arrives exactly once", async () => {
    const owner = h.member("PRO");
    const account = await connected(owner);
    const id = (await createPost(owner, { accountId: account.id, text: "watch me" })).data!.createPost.id;
    const read = await ok(owner, `{ postEventsCursor posts(first: 10) { edges { node { id state } } } }`);
    expect(read.posts.edges.map((edge: any) => edge.node)).toEqual([{ id, state: "DRAFT" }]);

    // Made after the read, before the subscription: not on the list, so it must come as an event.
    await ok(owner, SCHEDULE, { id });
    const live = await subscribe(h.app.url, owner, EVENTS, { after: read.postEventsCursor });
    try {
      await live.received(1);
      await ok(owner, UNSCHEDULE, { id });
      await live.received(2);
      await settle();
      const events = live.results.map((result) => result.postStatusChanged);
      // The draft's own creation is before the cursor: not replayed. Nothing twice.
      expect(events.map((event) => [event.postId, event.state, event.deleted])).toEqual([
        [id, "SCHEDULED", false],
        [id, "DRAFT", false],
      ]);
      expect(live.errors).toEqual([]);
      // The cursor is now the latest event's: subscribing after it replays nothing.
      const now = (await ok(owner, `{ postEventsCursor }`)).postEventsCursor;
      expect(now).toBe(events[1].cursor);
      const after = await subscribe(h.app.url, owner, EVENTS, { after: now, postId: id });
      try {
        await ok(owner, `mutation ($id: ID!) { deletePost(id: $id) }`, { id });
        await after.received(1);
        await settle();
        expect(
          after.results.map((result) => [result.postStatusChanged.state, result.postStatusChanged.deleted]),
        ).toEqual([["DRAFT", true]]);
      } finally {
        after.close();
      }
    } finally {
      live.close();
    }
  });

  test("a workspace with no event yet has a cursor too; another workspace's events never arrive", async () => {
    const owner = h.member("PRO");
    const other = h.member("PRO");
    const [mine, theirs] = [await connected(owner), await connected(other)];
    const { postEventsCursor } = await ok(owner, `{ postEventsCursor }`);
    const live = await subscribe(h.app.url, owner, EVENTS, { after: postEventsCursor });
    try {
      await createPost(other, { accountId: theirs.id, text: "theirs" });
      const id = (await createPost(owner, { accountId: mine.id, text: "mine" })).data!.createPost.id;
      await live.received(1);
      await settle();
      expect(live.results.map((result) => result.postStatusChanged.postId)).toEqual([id]);
    } finally {
      live.close();
    }
  });
});

describe("engagement", () => {
  test("a published post's metrics are polled on a schedule and kept as a history", { timeout: 40_000 }, async () => {
    const owner = h.member();
    const account = await connected(owner);
    let likes = 0;
    bluesky.metricsOf = () => ({ likes: ++likes, reposts: 2, replies: 1 });
    const { data } = await createPost(owner, { accountId: account.id, text: "engage", publishNow: true });
    const post = await settled(owner, data.createPost.id);
    expect(await h.app.metricsQueue.tracks(post.id)).toBe(true);
    const METRICS = `query ($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { post(id: $id) {
      metrics { at likes reposts replies } metricsHistory(from: $from, to: $to) { at likes } } }`;
    const range = { id: post.id, from: new Date(Date.now() - 60_000).toISOString(), to: "2100-01-01T00:00:00Z" };
    const polled = await until(
      () => ok(owner, METRICS, range),
      (result) => result.post.metricsHistory.length >= 2,
      30_000,
    );
    const history = polled.post.metricsHistory;
    expect(history.map((sample: any) => sample.likes)).toEqual([...history.map((s: any) => s.likes)].sort());
    expect(Date.parse(history[1].at) - Date.parse(history[0].at)).toBeGreaterThanOrEqual(4_000);
    expect(polled.post.metrics).toMatchObject({ likes: history.at(-1).likes, reposts: 2, replies: 1 });
    const empty = await ok(owner, METRICS, { ...range, from: "2000-01-01T00:00:00Z", to: "2000-01-02T00:00:00Z" });
    expect(empty.post.metricsHistory).toEqual([]);
    const reversed = await h.call(owner, METRICS, { ...range, from: range.to, to: range.from });
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
  });
});
