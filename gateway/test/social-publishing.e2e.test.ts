import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";
import { subscribe, wsClient } from "./ws-client.ts";

let platform: Platform;
beforeAll(async () => {
  // Short job locks: a killed worker's job is taken over within seconds.
  platform = await startPlatform({ SOCIAL_JOB_LOCK_MS: "2000", PUBLISH_BACKOFF_MS: "200" });
});
afterAll(async () => {
  await platform?.stop();
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

const POST = `id state text scheduledAt timeZone scheduledLocal attempts failureReason url account { id handle }`;
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
