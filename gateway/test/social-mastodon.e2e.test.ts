import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { MastodonTokens } from "../../subgraphs/social/src/providers/mastodon.provider.ts";
import { createGoToSocialUser, GOTOSOCIAL_URL, mastodonAuthorize, type GoToSocialUser } from "@mary/kit/testing";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";

/** Where the instance sends the member's browser back once they sign in and allow Mary (as a person would). */
const consent = async (authorizeUrl: string, user: GoToSocialUser) =>
  (await mastodonAuthorize({ authorizeUrl, email: user.email, password: user.password })).location;

async function gtsApi<T = any>(token: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${GOTOSOCIAL_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const ok = async <T = any>(account: SignedUp, query: string, variables: Record<string, unknown> = {}) => {
  const response = await platform.gql<T>(query, variables, account.accessToken);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
};

const START = `mutation ($url: String!) { startMastodonConnect(instanceUrl: $url) { authorizeUrl state } }`;

/** The whole flow as a member's browser goes through it: Mary's mutation, the instance's pages, the gateway's callback. */
async function connectMastodon(owner: SignedUp, user: GoToSocialUser): Promise<URL> {
  const { startMastodonConnect } = await ok(owner, START, { url: GOTOSOCIAL_URL });
  const back = await consent(startMastodonConnect.authorizeUrl, user);
  expect(back.startsWith(`${platform.gatewayOrigin}/oauth/mastodon/callback?`)).toBe(true);
  const callback = await fetch(back, { redirect: "manual" });
  expect(callback.status).toBe(303);
  return new URL(callback.headers.get("location")!);
}

describe("Mastodon (GoToSocial) through the gateway", () => {
  test("OAuth with PKCE ends on the accounts page with the account connected; the state works once", async () => {
    const owner = await platform.signUp();
    const alice = await createGoToSocialUser();
    const { startMastodonConnect } = await ok(owner, START, { url: GOTOSOCIAL_URL });
    const authorize = new URL(startMastodonConnect.authorizeUrl);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${platform.gatewayOrigin}/oauth/mastodon/callback`);
    const back = await consent(startMastodonConnect.authorizeUrl, alice);
    const landed = await fetch(back, { redirect: "manual" });
    const location = new URL(landed.headers.get("location")!);
    const accountId = location.searchParams.get("connected");
    expect(accountId).toBeTruthy();
    const { socialAccount } = await ok(
      owner,
      `query ($id: ID!) { socialAccount(id: $id) { network handle state maxPostLength serviceUrl } }`,
      { id: accountId },
    );
    expect(socialAccount).toMatchObject({
      network: "MASTODON",
      handle: `@${alice.username}@${new URL(GOTOSOCIAL_URL).host}`,
      state: "ACTIVE",
      maxPostLength: 5000,
      serviceUrl: GOTOSOCIAL_URL,
    });
    // The same callback again: its state is spent.
    const replay = await fetch(back, { redirect: "manual" });
    expect(new URL(replay.headers.get("location")!).searchParams.get("error")).toBe("expired_state");
    // One app registration per instance, reused.
    await ok(owner, START, { url: GOTOSOCIAL_URL });
    const { records } = await platform.social.graph.read("MATCH (m:MastodonApp {origin: $o}) RETURN m", {
      o: GOTOSOCIAL_URL,
    });
    expect(records).toHaveLength(1);
  });

  test("the FREE plan's second account ends on the accounts page with error=PLAN_LIMIT", async () => {
    const owner = await platform.signUp();
    const [first, second] = await Promise.all([createGoToSocialUser(), createGoToSocialUser()]);
    expect((await connectMastodon(owner, first)).searchParams.get("connected")).toBeTruthy();
    expect((await connectMastodon(owner, second)).searchParams.get("error")).toBe("PLAN_LIMIT");
    const { socialAccounts } = await ok(owner, `{ socialAccounts(first: 10) { edges { node { handle } } } }`);
    expect(socialAccounts.edges).toHaveLength(1);
  });

  test("publishing once although GoToSocial ignores Idempotency-Key: a repeat finds the first status", async () => {
    const owner = await platform.signUp();
    const alice = await createGoToSocialUser();
    const accountId = (await connectMastodon(owner, alice)).searchParams.get("connected")!;
    const account = (await platform.social.accounts.byIds(owner.workspace.id, [accountId]))[0]!;
    const tokens = platform.social.accounts.tokensOf<MastodonTokens>(account);
    const provider = (await import("../../subgraphs/social/src/providers/index.ts")).createProviders(
      (await import("../../subgraphs/social/src/config.ts")).loadSocialConfig({
        ...process.env,
        ...platform.socialEnv,
      }),
      platform.social.graph,
    ).mastodon;
    const session = { account, tokens, saveTokens: async () => {} };
    const postId = randomUUID();
    const text = `Hello from Mary ${postId.slice(0, 8)} https://example.com`;
    expect(await provider.findPublished(session, postId)).toBeNull();
    const first = await provider.publish(session, { postId, text });
    // The answer "lost": the ledger forgets the status id, as if the POST's answer never came.
    await platform.social.graph.write("MATCH (p:MastodonPublication {accountId: $a, postId: $p}) REMOVE p.remoteId", {
      a: account.id,
      p: postId,
    });
    const again = await provider.publish(session, { postId, text });
    expect(again.remoteId).toBe(first.remoteId);
    const statuses = await gtsApi<{ id: string }[]>(
      tokens.accessToken,
      "GET",
      `/api/v1/accounts/${tokens.accountId}/statuses`,
    );
    expect(statuses.map((status) => status.id)).toEqual([first.remoteId]);
    expect(await provider.metrics(session, first.remoteId)).toEqual({ likes: 0, reposts: 0, replies: 0 });
    await expect(provider.publish(session, { postId: randomUUID(), text: "x".repeat(5001) })).rejects.toMatchObject({
      kind: "refused",
    });
    await provider.deletePost(session, first.remoteId);
  });

  test("follow, unfollow and the graph import against GoToSocial, with suggestions from the second hop", async () => {
    const owner = await platform.signUp();
    const [alice, bob, carol] = await Promise.all([
      createGoToSocialUser(),
      createGoToSocialUser(),
      createGoToSocialUser(),
    ]);
    const bobToken = bob.accessToken;
    await gtsApi(bobToken, "POST", `/api/v1/accounts/${carol.id}/follow`, {});
    const accountId = (await connectMastodon(owner, alice)).searchParams.get("connected")!;
    const { followProfile } = await ok(
      owner,
      `mutation ($a: ID!, $h: String!) { followProfile(accountId: $a, handle: $h) { id handle } }`,
      { a: accountId, h: `@${bob.username}` },
    );
    const host = new URL(GOTOSOCIAL_URL).host;
    expect(followProfile.handle).toBe(`@${bob.username}@${host}`);
    // GoToSocial answers a follow at once and fills the lists in the background: read them until they show it.
    const accts = async (path: string) =>
      (await gtsApi<{ acct: string }[]>(bobToken, "GET", path)).map((account) => account.acct);
    await expect.poll(() => accts(`/api/v1/accounts/${bob.id}/followers`)).toEqual([alice.username]);
    await expect.poll(() => accts(`/api/v1/accounts/${bob.id}/following`)).toEqual([carol.username]);

    const outcome = await platform.social.socialGraph.refresh(owner.workspace.id, accountId);
    expect(outcome).toMatchObject({ follows: 1, secondHop: 1 });
    const { suggestions } = await ok(
      owner,
      `query ($a: ID!) { suggestions(accountId: $a, first: 5) { profile { handle } reason } }`,
      { a: accountId },
    );
    expect(suggestions).toEqual([
      { profile: { handle: `@${carol.username}@${host}` }, reason: "followed by 1 person you follow" },
    ]);

    await ok(owner, `mutation ($a: ID!, $p: ID!) { unfollowProfile(accountId: $a, profileId: $p) }`, {
      a: accountId,
      p: followProfile.id,
    });
    await expect.poll(() => accts(`/api/v1/accounts/${bob.id}/followers`)).toEqual([]);
    const { socialAccount } = await ok(owner, `query ($id: ID!) { socialAccount(id: $id) { following { handle } } }`, {
      id: accountId,
    });
    expect(socialAccount.following).toEqual([]);
  });
});
