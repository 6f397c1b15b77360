// The social networks' servers that the social subgraph's tests talk to, used as a client of
// each network would: GoToSocial (the Mastodon client API, from `scripts/services up`) and an AT
// Protocol PDS (@mary/atproto-dev, started here). Each test also pins what the server does about
// exactly-once publishing, which the publishing queue relies on.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startPds, tid, xrpc, XrpcError, type LocalPds } from "../../../scripts/atproto/src/index.ts";
import {
  createGoToSocialUser,
  GOTOSOCIAL_URL,
  mastodonAuthorize,
  mastodonAuthorizeUrl,
  mastodonToken,
  pkcePair,
  registerMastodonApp,
  suspendGoToSocialUser,
  type GoToSocialUser,
} from "../src/testing/social.ts";

async function mastodon<T = any>(token: string, method: string, path: string, body?: Record<string, unknown>) {
  const response = await fetch(`${GOTOSOCIAL_URL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

describe("GoToSocial (Mastodon API)", () => {
  let alice: GoToSocialUser;
  let bob: GoToSocialUser;
  beforeAll(async () => {
    [alice, bob] = await Promise.all([createGoToSocialUser(), createGoToSocialUser()]);
  });

  test("an app's authorization-code flow gives a user token; a wrong password is refused", async () => {
    const app = await registerMastodonApp({ redirectUri: "http://127.0.0.1:4000/social/mastodon/callback" });
    const pkce = pkcePair();
    const state = randomBytes(8).toString("hex");
    const authorizeUrl = mastodonAuthorizeUrl(app, { state, codeChallenge: pkce.challenge });

    const consent = await mastodonAuthorize({ authorizeUrl, email: alice.email, password: alice.password });
    expect(consent.location.startsWith(`${app.redirectUri}?`)).toBe(true);
    expect(consent.state).toBe(state);
    const { accessToken, scope } = await mastodonToken({ app, code: consent.code, codeVerifier: pkce.verifier });
    expect(scope).toBe("read write follow");
    const me = await mastodon(accessToken, "GET", "/api/v1/accounts/verify_credentials");
    expect(me).toMatchObject({ status: 200, body: { id: alice.id, username: alice.username } });
    // A code is good once.
    await expect(mastodonToken({ app, code: consent.code, codeVerifier: pkce.verifier })).rejects.toThrow(/400/);

    await expect(mastodonAuthorize({ authorizeUrl, email: alice.email, password: "not-the-password" })).rejects.toThrow(
      /sign in/,
    );
    expect((await mastodon("not-a-token", "GET", "/api/v1/accounts/verify_credentials")).status).toBe(401);
  });

  test("PKCE is not enforced by this version: any code_verifier is accepted", async () => {
    const app = await registerMastodonApp();
    const pkce = pkcePair();
    const { code } = await mastodonAuthorize({
      authorizeUrl: mastodonAuthorizeUrl(app, { codeChallenge: pkce.challenge }),
      email: bob.email,
      password: bob.password,
    });
    // GoToSocial 0.17.3 drops code_challenge at /oauth/authorize. Mary sends PKCE anyway (Mastodon
    // checks it); when this fails, the server checks it too.
    const { accessToken } = await mastodonToken({ app, code, codeVerifier: pkcePair().verifier });
    expect((await mastodon(accessToken, "GET", "/api/v1/accounts/verify_credentials")).status).toBe(200);
  });

  test("statuses: Idempotency-Key is ignored (the same key posts twice), and the instance's limit is enforced", async () => {
    const instance = (await (await fetch(`${GOTOSOCIAL_URL}/api/v1/instance`)).json()) as {
      configuration: { statuses: { max_characters: number } };
    };
    const maxCharacters: number = instance.configuration.statuses.max_characters;
    expect(maxCharacters).toBe(5000);

    const key = randomBytes(12).toString("hex");
    const post = async (status: string) => {
      const response = await fetch(`${GOTOSOCIAL_URL}/api/v1/statuses`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${alice.accessToken}`,
          "content-type": "application/json",
          "idempotency-key": key,
        },
        body: JSON.stringify({ status, visibility: "public" }),
      });
      return { status: response.status, body: (await response.json()) as { id: string } };
    };
    const first = await post(`exactly once? ${key}`);
    const second = await post(`exactly once? ${key}`);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    // Two statuses: a publisher must look for its own post (by its text or a marker) before retrying.
    expect(second.body.id).not.toBe(first.body.id);
    const mine = await mastodon<{ id: string }[]>(alice.accessToken, "GET", `/api/v1/accounts/${alice.id}/statuses`);
    expect(mine.body.map((status) => status.id)).toEqual(expect.arrayContaining([first.body.id, second.body.id]));

    expect((await mastodon(alice.accessToken, "GET", `/api/v1/statuses/${first.body.id}`)).status).toBe(200);
    expect((await mastodon(alice.accessToken, "DELETE", `/api/v1/statuses/${second.body.id}`)).status).toBe(200);
    // GoToSocial deletes in the background.
    await expect
      .poll(async () => (await mastodon(alice.accessToken, "GET", `/api/v1/statuses/${second.body.id}`)).status)
      .toBe(404);

    const tooLong = await mastodon(alice.accessToken, "POST", "/api/v1/statuses", {
      status: "x".repeat(maxCharacters + 1),
    });
    // 400 (Mastodon answers 422), the limit in its words.
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatch(/status too long, 5001 characters .* limit is 5000/);
  });

  test("follow and unfollow another local account", async () => {
    const followed = await mastodon(alice.accessToken, "POST", `/api/v1/accounts/${bob.id}/follow`);
    expect(followed).toMatchObject({ status: 200, body: { id: bob.id, following: true, requested: false } });
    // GoToSocial answers the follow at once but fills the lists in the background (once in a CI
    // run the followers list was still empty right after).
    const idsOf = async (token: string, path: string) =>
      (await mastodon<{ id: string }[]>(token, "GET", path)).body.map((account) => account.id);
    await expect.poll(() => idsOf(bob.accessToken, `/api/v1/accounts/${bob.id}/followers`)).toContain(alice.id);
    await expect.poll(() => idsOf(alice.accessToken, `/api/v1/accounts/${alice.id}/following`)).toContain(bob.id);

    const unfollowed = await mastodon(alice.accessToken, "POST", `/api/v1/accounts/${bob.id}/unfollow`);
    expect(unfollowed).toMatchObject({ status: 200, body: { following: false } });
    const relationships = await mastodon(alice.accessToken, "GET", `/api/v1/accounts/relationships?id[]=${bob.id}`);
    expect(relationships.body).toEqual([expect.objectContaining({ id: bob.id, following: false, requested: false })]);
  });

  test("a suspended account's tokens are refused", async () => {
    const carol = await createGoToSocialUser();
    expect((await mastodon(carol.accessToken, "GET", "/api/v1/accounts/verify_credentials")).status).toBe(200);
    await suspendGoToSocialUser(carol);
    const refused = await mastodon(carol.accessToken, "POST", "/api/v1/statuses", { status: "still here?" });
    expect(refused.status).toBe(401);
  });
});

describe("AT Protocol PDS", () => {
  let pds: LocalPds;
  beforeAll(async () => {
    pds = await startPds();
  });
  afterAll(async () => {
    await pds?.close();
  });

  type Session = { did: string; handle: string; accessJwt: string; refreshJwt: string };
  const jti = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()).jti as string;

  test("an app password signs in by handle; the refresh JWT rotates; a wrong or revoked one is refused", async () => {
    const alice = await pds.createAccount(`a${randomBytes(4).toString("hex")}.test`, "alice-account-password");
    expect(alice.did).toMatch(/^did:plc:/);
    const appPassword = await xrpc<{ name: string; password: string }>(
      pds.url,
      "com.atproto.server.createAppPassword",
      {
        token: alice.accessJwt,
        body: { name: "Mary" },
      },
    );
    expect(appPassword.password).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);

    const session = await xrpc<Session>(pds.url, "com.atproto.server.createSession", {
      body: { identifier: alice.handle, password: appPassword.password },
    });
    expect(session).toMatchObject({ did: alice.did, handle: alice.handle });

    // refreshSession takes the refresh JWT as its bearer and no body.
    const refreshed = await xrpc<Session>(pds.url, "com.atproto.server.refreshSession", {
      method: "POST",
      token: session.refreshJwt,
    });
    expect(refreshed.refreshJwt).not.toBe(session.refreshJwt);
    expect(refreshed.did).toBe(alice.did);
    // The old refresh JWT stays usable for a 2-hour grace period, and always leads to the same
    // next token id, so a refresh whose answer was lost can be repeated.
    const again = await xrpc<Session>(pds.url, "com.atproto.server.refreshSession", {
      method: "POST",
      token: session.refreshJwt,
    });
    expect(jti(again.refreshJwt)).toBe(jti(refreshed.refreshJwt));
    await xrpc(pds.url, "com.atproto.server.getSession", { token: refreshed.accessJwt });

    await expect(
      xrpc(pds.url, "com.atproto.server.createSession", { body: { identifier: alice.handle, password: "wrong" } }),
    ).rejects.toMatchObject({ status: 401, error: "AuthenticationRequired" });

    // Revoking the app password ends its sessions' refresh tokens and its sign-in.
    await xrpc(pds.url, "com.atproto.server.revokeAppPassword", { token: alice.accessJwt, body: { name: "Mary" } });
    await expect(
      xrpc(pds.url, "com.atproto.server.refreshSession", { method: "POST", token: refreshed.refreshJwt }),
    ).rejects.toBeInstanceOf(XrpcError);
    await expect(
      xrpc(pds.url, "com.atproto.server.createSession", {
        body: { identifier: alice.handle, password: appPassword.password },
      }),
    ).rejects.toMatchObject({ status: 401 });
  });

  test("a post with a fixed record key is created once: a second createRecord is refused, putRecord is a no-op", async () => {
    const bob = await pds.createAccount(`b${randomBytes(4).toString("hex")}.test`, "bob-account-password");
    const rkey = tid(BigInt(Date.now()) * 1000n, 42);
    expect(rkey).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    const record = { $type: "app.bsky.feed.post", text: "Hello from Mary", createdAt: new Date().toISOString() };
    const create = (text = record.text) =>
      xrpc<{ uri: string; cid: string; commit?: unknown }>(pds.url, "com.atproto.repo.createRecord", {
        token: bob.accessJwt,
        body: { repo: bob.did, collection: "app.bsky.feed.post", rkey, record: { ...record, text } },
      });

    const first = await create();
    expect(first.uri).toBe(`at://${bob.did}/app.bsky.feed.post/${rkey}`);
    // The PDS refuses the same key with a 500 (its log: "There is already a value at key"), not a
    // 4xx: after any failure, getRecord tells whether the post exists before a retry.
    await expect(create()).rejects.toMatchObject({ status: 500, error: "InternalServerError" });
    await expect(create("a different text")).rejects.toMatchObject({ status: 500 });

    const stored = await xrpc<{ uri: string; cid: string; value: { text: string } }>(
      pds.url,
      "com.atproto.repo.getRecord",
      { params: { repo: bob.did, collection: "app.bsky.feed.post", rkey } },
    );
    expect(stored).toMatchObject({ uri: first.uri, cid: first.cid, value: { text: "Hello from Mary" } });
    const listed = await xrpc<{ records: { uri: string }[] }>(pds.url, "com.atproto.repo.listRecords", {
      params: { repo: bob.did, collection: "app.bsky.feed.post" },
    });
    expect(listed.records.map((r) => r.uri)).toEqual([first.uri]);

    // putRecord of the same record under the same key: the same CID and no new commit.
    const put = await xrpc<{ uri: string; cid: string; commit?: unknown }>(pds.url, "com.atproto.repo.putRecord", {
      token: bob.accessJwt,
      body: { repo: bob.did, collection: "app.bsky.feed.post", rkey, record },
    });
    expect(put).toMatchObject({ uri: first.uri, cid: first.cid });
    expect(put.commit).toBeUndefined();

    await expect(
      xrpc(pds.url, "com.atproto.repo.getRecord", {
        params: { repo: bob.did, collection: "app.bsky.feed.post", rkey: tid(1n, 1) },
      }),
    ).rejects.toMatchObject({ status: 400, error: "RecordNotFound" });
    // The lexicon's 300 graphemes are checked by the PDS.
    await expect(
      xrpc(pds.url, "com.atproto.repo.createRecord", {
        token: bob.accessJwt,
        body: { repo: bob.did, collection: "app.bsky.feed.post", record: { ...record, text: "é".repeat(301) } },
      }),
    ).rejects.toMatchObject({ status: 400, error: "InvalidRequest" });
  });

  test("follow and unfollow: app.bsky.graph.follow records", async () => {
    const [carol, dave] = await Promise.all([
      pds.createAccount(`c${randomBytes(4).toString("hex")}.test`, "carol-account-password"),
      pds.createAccount(`d${randomBytes(4).toString("hex")}.test`, "dave-account-password"),
    ]);
    const follow = await xrpc<{ uri: string }>(pds.url, "com.atproto.repo.createRecord", {
      token: carol.accessJwt,
      body: {
        repo: carol.did,
        collection: "app.bsky.graph.follow",
        record: { $type: "app.bsky.graph.follow", subject: dave.did, createdAt: new Date().toISOString() },
      },
    });
    const follows = () =>
      xrpc<{ records: { uri: string; value: { subject: string } }[] }>(pds.url, "com.atproto.repo.listRecords", {
        params: { repo: carol.did, collection: "app.bsky.graph.follow" },
      });
    expect((await follows()).records).toEqual([
      expect.objectContaining({ uri: follow.uri, value: expect.objectContaining({ subject: dave.did }) }),
    ]);

    const rkey = follow.uri.split("/").pop()!;
    await xrpc(pds.url, "com.atproto.repo.deleteRecord", {
      token: carol.accessJwt,
      body: { repo: carol.did, collection: "app.bsky.graph.follow", rkey },
    });
    expect((await follows()).records).toEqual([]);
  });
});
