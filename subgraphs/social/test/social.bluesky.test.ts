import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { errorCode } from "@mary/kit/testing";
import { startPds, xrpc, type LocalPds, type PdsAccount } from "../../../scripts/atproto/src/index.ts";
import { BlueskyProvider, jwtExpiry, type BlueskyTokens } from "../src/providers/bluesky.provider.ts";
import type { AccountSession } from "../src/providers/provider.ts";
import { postRecordKey } from "../src/providers/record-key.ts";
import type { SocialAccount } from "../src/types/social-account.type.ts";
import { startHarness, type Harness } from "./harness.ts";

let pds: LocalPds;
let h: Harness;
beforeAll(async () => {
  // The whole local network in this process: PDS, PLC directory and the App View (its index in a
  // schema of its own in the local PostgreSQL's `bsky` database, dropped by close()).
  [pds, h] = await Promise.all([
    startPds({ host: "localhost" }),
    startHarness({ GATEWAY_URL: "http://127.0.0.1:9/graphql", METRICS_POLL_SECONDS: "5" }),
  ]);
});
afterAll(async () => {
  await h?.stop();
  await pds?.close();
});

const handle = () => `u${randomUUID().slice(0, 8)}.test`;

/** A PDS account with an app password (what a member pastes into Mary). */
async function appPasswordAccount(): Promise<PdsAccount & { appPassword: string }> {
  const account = await pds.createAccount(handle(), `main-${randomUUID()}`);
  const { password } = await xrpc<{ password: string }>(pds.url, "com.atproto.server.createAppPassword", {
    body: { name: "mary" },
    token: account.accessJwt,
  });
  return { ...account, appPassword: password };
}

const CONNECT = `mutation ($input: ConnectBlueskyAccountInput!) {
  connectBlueskyAccount(input: $input) { id handle network state maxPostLength serviceUrl }
}`;

/** Reads until `done` holds, or throws with the last value read after the deadline. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A record in the account's repository (com.atproto.repo.createRecord): its URI and CID. */
const createRecord = (account: PdsAccount, collection: string, record: Record<string, unknown>) =>
  xrpc<{ uri: string; cid: string }>(pds.url, "com.atproto.repo.createRecord", {
    token: account.accessJwt,
    body: {
      repo: account.did,
      collection,
      record: { $type: collection, createdAt: new Date().toISOString(), ...record },
    },
  });

/** A session on the account as the publishing queue opens one, with its rotations counted. */
function sessionOf(account: SocialAccount) {
  const saved: BlueskyTokens[] = [];
  const session: AccountSession<BlueskyTokens> = {
    account,
    tokens: h.app.accounts.tokensOf<BlueskyTokens>(account),
    saveTokens: async (tokens) => {
      saved.push(tokens);
      await h.app.accounts.updateTokens(account, tokens);
    },
  };
  return { session, saved };
}

describe("Bluesky against a real PDS", () => {
  test("connects with an app password; a wrong one is BAD_USER_INPUT and saves nothing", async () => {
    const owner = h.member("PRO");
    const alice = await appPasswordAccount();
    const wrong = await h.call(owner, CONNECT, {
      input: { handle: alice.handle, appPassword: "wrong-password-1234", serviceUrl: pds.url },
    });
    expect(errorCode(wrong)).toBe("BAD_USER_INPUT");
    expect(await h.app.accounts.countInWorkspace(owner.workspaceId)).toBe(0);

    const { data, errors } = await h.call(owner, CONNECT, {
      input: { handle: alice.handle, appPassword: alice.appPassword, serviceUrl: pds.url },
    });
    expect(errors).toBeUndefined();
    expect(data.connectBlueskyAccount).toMatchObject({
      handle: alice.handle,
      network: "BLUESKY",
      state: "ACTIVE",
      maxPostLength: 300,
      serviceUrl: pds.url,
    });
    const saved = await h.app.accounts.get(owner, data.connectBlueskyAccount.id);
    expect(saved.remoteId).toBe(alice.did);
    expect(saved.secret).not.toContain(alice.appPassword);

    // Reconnecting the same identity updates it (NEEDS_RECONNECT → ACTIVE), no second account.
    await h.app.accounts.needsReconnect(saved.id);
    const again = await h.call(owner, CONNECT, {
      input: { handle: alice.handle, appPassword: alice.appPassword, serviceUrl: pds.url },
    });
    expect(again.data.connectBlueskyAccount).toMatchObject({ id: saved.id, state: "ACTIVE" });
    expect(await h.app.accounts.countInWorkspace(owner.workspaceId)).toBe(1);
  });

  test("the FREE plan connects one account: a second is PLAN_LIMIT", async () => {
    const owner = h.member("FREE");
    const [first, second] = await Promise.all([appPasswordAccount(), appPasswordAccount()]);
    const ok = await h.call(owner, CONNECT, {
      input: { handle: first.handle, appPassword: first.appPassword, serviceUrl: pds.url },
    });
    expect(ok.errors).toBeUndefined();
    const refused = await h.call(owner, CONNECT, {
      input: { handle: second.handle, appPassword: second.appPassword, serviceUrl: pds.url },
    });
    expect(errorCode(refused)).toBe("PLAN_LIMIT");
    expect(await h.app.accounts.countInWorkspace(owner.workspaceId)).toBe(1);
  });

  test("publishes once per post id: the record key is the post's, a repeat finds it, links and mentions are facets", async () => {
    const owner = h.member("PRO");
    const [alice, bob] = await Promise.all([appPasswordAccount(), appPasswordAccount()]);
    const { data } = await h.call(owner, CONNECT, {
      input: { handle: alice.handle, appPassword: alice.appPassword, serviceUrl: pds.url },
    });
    const account = await h.app.accounts.get(owner, data.connectBlueskyAccount.id);
    const provider = new BlueskyProvider({ timeoutMs: 10_000, allowHttp: true });
    const { session } = sessionOf(account);
    const postId = randomUUID();
    expect(await provider.findPublished(session, postId)).toBeNull();
    const text = `Hello @${bob.handle}, see https://example.com/page`;
    const first = await provider.publish(session, { postId, text });
    expect(first.remoteId).toBe(`at://${alice.did}/app.bsky.feed.post/${postRecordKey(postId)}`);
    const again = await provider.publish(session, { postId, text });
    expect(again.remoteId).toBe(first.remoteId);
    expect((await provider.findPublished(session, postId))?.remoteId).toBe(first.remoteId);

    const { records } = await xrpc<{ records: { uri: string; value: { text: string; facets?: any[] } }[] }>(
      pds.url,
      "com.atproto.repo.listRecords",
      { params: { repo: alice.did, collection: "app.bsky.feed.post" } },
    );
    expect(records).toHaveLength(1);
    const features = records[0]!.value.facets!.flatMap((facet) => facet.features);
    expect(features).toEqual(
      expect.arrayContaining([
        { $type: "app.bsky.richtext.facet#mention", did: bob.did },
        { $type: "app.bsky.richtext.facet#link", uri: "https://example.com/page" },
      ]),
    );

    // Too long for the lexicon (300 graphemes): the PDS refuses it, no retry.
    await expect(provider.publish(session, { postId: randomUUID(), text: "x".repeat(301) })).rejects.toMatchObject({
      kind: "refused",
    });
    await provider.deletePost(session, first.remoteId);
    expect(await provider.findPublished(session, postId)).toBeNull();
  });

  test("an expired access JWT is refreshed with the refresh JWT, the rotated tokens saved before use; a revoked session is auth", async () => {
    const owner = h.member("PRO");
    const alice = await appPasswordAccount();
    const { data } = await h.call(owner, CONNECT, {
      input: { handle: alice.handle, appPassword: alice.appPassword, serviceUrl: pds.url },
    });
    const account = await h.app.accounts.get(owner, data.connectBlueskyAccount.id);
    const original = h.app.accounts.tokensOf<BlueskyTokens>(account);
    // The clock three hours ahead: the access JWT (2 h on this PDS) reads as expired.
    const later = new BlueskyProvider({ timeoutMs: 10_000, allowHttp: true, now: () => Date.now() + 3 * 3600_000 });
    const { session, saved } = sessionOf(account);
    const postId = randomUUID();
    // Two calls at once share one refresh.
    await Promise.all([later.findPublished(session, postId), later.findPublished(session, randomUUID())]);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.refreshJwt).not.toBe(original.refreshJwt);
    const stored = h.app.accounts.tokensOf<BlueskyTokens>((await h.app.accounts.get(owner, account.id))!);
    expect(stored.refreshJwt).toBe(saved[0]!.refreshJwt);
    expect(jwtExpiry(stored.accessJwt)).toBeGreaterThan(jwtExpiry(original.accessJwt)! - 1);

    // The session revoked on the PDS (deleteSession with the refresh JWT): the next refresh is auth.
    await fetch(new URL("/xrpc/com.atproto.server.deleteSession", pds.url), {
      method: "POST",
      headers: { authorization: `Bearer ${stored.refreshJwt}` },
    });
    const revoked = sessionOf(await h.app.accounts.get(owner, account.id));
    await expect(later.findPublished(revoked.session, postId)).rejects.toMatchObject({ kind: "auth" });
  });

  test("follow and unfollow act on the PDS and in the graph; the graph import reads follows and followers from the App View", async () => {
    const owner = h.member("PRO");
    const [alice, bob, carol] = await Promise.all([appPasswordAccount(), appPasswordAccount(), appPasswordAccount()]);
    const { data } = await h.call(owner, CONNECT, {
      input: { handle: alice.handle, appPassword: alice.appPassword, serviceUrl: pds.url },
    });
    const accountId = data.connectBlueskyAccount.id;
    // bob follows carol on the network: the second hop. dave follows alice: a follower.
    const dave = await pds.createAccount(handle(), `main-${randomUUID()}`);
    await createRecord(bob, "app.bsky.graph.follow", { subject: carol.did });
    await createRecord(dave, "app.bsky.graph.follow", { subject: alice.did });
    // The App View knows bob's profile (followProfile looks him up there) once it has indexed the firehose.
    await pds.indexed();
    const followed = await h.call(
      owner,
      `mutation ($a: ID!, $h: String!) { followProfile(accountId: $a, handle: $h) { id handle } }`,
      {
        a: accountId,
        h: `@${bob.handle}`,
      },
    );
    expect(followed.errors).toBeUndefined();
    expect(followed.data.followProfile.handle).toBe(bob.handle);
    // Following again (a retry) makes no second record.
    await h.call(owner, `mutation ($a: ID!, $h: String!) { followProfile(accountId: $a, handle: $h) { id } }`, {
      a: accountId,
      h: bob.handle,
    });
    const follows = async () =>
      (
        await xrpc<{ records: { value: { subject: string } }[] }>(pds.url, "com.atproto.repo.listRecords", {
          params: { repo: alice.did, collection: "app.bsky.graph.follow" },
        })
      ).records.map((record) => record.value.subject);
    expect(await follows()).toEqual([bob.did]);

    // The import (what the graph job runs) reads follows and followers from the App View.
    await pds.indexed();
    const outcome = await h.app.socialGraph.refresh(owner.workspaceId, accountId);
    expect(outcome).toEqual({ follows: 1, followers: 1, secondHop: 1 });
    const followers = await h.app.graph.read<{ handle: string }>(
      `MATCH (:SocialAccount {id: $accountId})-[:IS]->(me:Profile)<-[:FOLLOWS]-(x:Profile) RETURN x.handle AS handle`,
      { accountId },
    );
    expect(followers.records.map((record) => record.get("handle"))).toEqual([dave.handle]);
    const suggestions = await h.call(
      owner,
      `query ($a: ID!) { suggestions(accountId: $a, first: 5) { profile { handle } reason } }`,
      {
        a: accountId,
      },
    );
    expect(suggestions.data.suggestions).toEqual([
      { profile: { handle: carol.handle }, reason: "followed by 1 person you follow" },
    ]);
    const following = await h.call(owner, `query ($id: ID!) { socialAccount(id: $id) { following { handle } } }`, {
      id: accountId,
    });
    expect(following.data.socialAccount.following).toEqual([{ handle: bob.handle }]);

    const unfollowed = await h.call(
      owner,
      `mutation ($a: ID!, $p: ID!) { unfollowProfile(accountId: $a, profileId: $p) }`,
      {
        a: accountId,
        p: followed.data.followProfile.id,
      },
    );
    expect(unfollowed.errors).toBeUndefined();
    expect(await follows()).toEqual([]);
    const after = await h.call(owner, `query ($id: ID!) { socialAccount(id: $id) { following { handle } } }`, {
      id: accountId,
    });
    expect(after.data.socialAccount.following).toEqual([]);
  });

  test(
    "a post liked, reposted and replied to by two other accounts shows those counts in Post.metrics after the metrics job runs",
    { timeout: 60_000 },
    async () => {
      const owner = h.member("PRO");
      const alice = await appPasswordAccount();
      const [bob, carol] = await Promise.all([
        pds.createAccount(handle(), `main-${randomUUID()}`),
        pds.createAccount(handle(), `main-${randomUUID()}`),
      ]);
      const { data } = await h.call(owner, CONNECT, {
        input: { handle: alice.handle, appPassword: alice.appPassword, serviceUrl: pds.url },
      });
      const created = await h.call(owner, `mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }`, {
        input: { accountId: data.connectBlueskyAccount.id, text: "Engage with this", publishNow: true },
      });
      expect(created.errors).toBeUndefined();
      const postId = created.data.createPost.id;
      const POST = `query ($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { post(id: $id) {
        state remoteId metrics { likes reposts replies } metricsHistory(from: $from, to: $to) { at likes reposts replies } } }`;
      const range = { id: postId, from: new Date(Date.now() - 60_000).toISOString(), to: "2100-01-01T00:00:00Z" };
      const read = async () => (await h.call(owner, POST, range)).data.post;
      const published = await until(read, (post) => post.state === "PUBLISHED" || post.state === "FAILED", 15_000);
      expect(published.state).toBe("PUBLISHED");
      expect(await h.app.metricsQueue.tracks(postId)).toBe(true);

      // bob and carol like it, repost it and reply to it: records in their own repositories.
      const { cid } = await xrpc<{ cid: string }>(pds.url, "com.atproto.repo.getRecord", {
        params: { repo: alice.did, collection: "app.bsky.feed.post", rkey: published.remoteId.split("/").pop() },
      });
      const subject = { uri: published.remoteId, cid };
      for (const account of [bob, carol]) {
        await createRecord(account, "app.bsky.feed.like", { subject });
        await createRecord(account, "app.bsky.feed.repost", { subject });
        await createRecord(account, "app.bsky.feed.post", {
          text: "A reply",
          reply: { root: subject, parent: subject },
        });
      }

      // The App View indexes the firehose on its own time and the job polls every 5 s: read until
      // a poll has seen all six (or the deadline).
      const polled = await until(read, (post) => post.metrics?.likes === 2 && post.metrics.replies === 2, 45_000);
      expect(polled.metrics).toEqual({ likes: 2, reposts: 2, replies: 2 });
      expect(polled.metricsHistory.at(-1)).toMatchObject({ likes: 2, reposts: 2, replies: 2 });
    },
  );
});
