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
  // On "localhost": with an IP literal for its PLC directory, this PDS cannot resolve DIDs
  // (describeRepo answers "Could not resolve DID: Invalid hostname").
  [pds, h] = await Promise.all([
    startPds({ host: "localhost" }),
    startHarness({ GATEWAY_URL: "http://127.0.0.1:9/graphql" }),
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

  test("follow and unfollow act on the PDS and in the graph; the graph import reads follows from the repository", async () => {
    const owner = h.member("PRO");
    const [alice, bob, carol] = await Promise.all([appPasswordAccount(), appPasswordAccount(), appPasswordAccount()]);
    const { data } = await h.call(owner, CONNECT, {
      input: { handle: alice.handle, appPassword: alice.appPassword, serviceUrl: pds.url },
    });
    const accountId = data.connectBlueskyAccount.id;
    // bob follows carol on the network: the second hop.
    await xrpc(pds.url, "com.atproto.repo.createRecord", {
      token: bob.accessJwt,
      body: {
        repo: bob.did,
        collection: "app.bsky.graph.follow",
        record: { $type: "app.bsky.graph.follow", subject: carol.did, createdAt: new Date().toISOString() },
      },
    });
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

    const outcome = await h.app.socialGraph.refresh(owner.workspaceId, accountId);
    expect(outcome).toMatchObject({ follows: 1, secondHop: 1 });
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
});
