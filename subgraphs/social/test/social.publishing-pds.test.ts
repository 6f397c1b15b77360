import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { TEST_ENV } from "@mary/kit/testing";
import type { BlueskyTokens } from "../src/providers/bluesky.provider.ts";
import { NEO4J_URL, startHarness, type Harness } from "./harness.ts";
import { createPdsAccount, PDS_URL, postsOnPds, xrpc } from "./pds-service.ts";
import { PublishFaultProxy } from "./publish-fault-proxy.ts";

// The real AT Protocol PDS (@atproto/pds, as `scripts/services up` runs it) on loopback, with a real HTTP proxy in front of it that
// injects a network's failures (a 503, a 429 with Retry-After, an answer lost after the record was
// written, an answer held while its worker is killed). Everything else is the PDS's own answer.

const CREATE_RECORD = "/xrpc/com.atproto.repo.createRecord";
const PREFIX = `social-pds-${randomUUID()}`;
const CHILD_ENV: Record<string, string> = {
  ...TEST_ENV,
  NEO4J_URL,
  SOCIAL_PORT: "0",
  SOCIAL_QUEUE_PREFIX: PREFIX,
  SOCIAL_JOB_LOCK_MS: "2000",
  PUBLISH_BACKOFF_MS: "200",
  LOG_LEVEL: "silent",
};

let proxy: PublishFaultProxy;
let h: Harness;
beforeAll(async () => {
  proxy = await new PublishFaultProxy(PDS_URL).start();
  h = await startHarness({
    SOCIAL_QUEUE_PREFIX: PREFIX,
    SOCIAL_JOB_LOCK_MS: "2000",
    PUBLISH_BACKOFF_MS: "200",
    PUBLISH_ATTEMPTS: "5",
  });
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await proxy?.stop();
});

interface Connected {
  owner: AuthenticatedPrincipal;
  accountId: string;
  did: string;
  accessJwt: string;
}

/** A new PDS account connected through Mary (connectBlueskyAccount), reached through the proxy. */
async function connected(): Promise<Connected> {
  const owner = h.member();
  const made = await createPdsAccount("correct-horse-42");
  const handle = made.handle;
  const response = await h.call(
    owner,
    `mutation ($input: ConnectBlueskyAccountInput!) { connectBlueskyAccount(input: $input) { id state } }`,
    { input: { handle, appPassword: "correct-horse-42", serviceUrl: proxy.url } },
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  const account = (await h.app.accounts.byIds(owner.workspaceId, [response.data.connectBlueskyAccount.id]))[0]!;
  // The DID document names the PDS itself; publishing here goes through the proxy in front of it.
  const tokens = h.app.accounts.tokensOf<BlueskyTokens>(account);
  await h.app.accounts.updateTokens(account, { ...tokens, pdsUrl: undefined });
  return { owner, accountId: account.id, did: made.did, accessJwt: tokens.accessJwt };
}

const POST_FIELDS = "id state attempts remoteId failureReason lastError account { state }";

const publishNow = async (who: Connected, text: string) => {
  const response = await h.call(
    who.owner,
    `mutation ($input: CreatePostInput!) { createPost(input: $input) { ${POST_FIELDS} } }`,
    { input: { accountId: who.accountId, text, publishNow: true } },
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data.createPost.id as string;
};

const postOf = async (who: Connected, id: string) =>
  (await h.call(who.owner, `query ($id: ID!) { post(id: $id) { ${POST_FIELDS} } }`, { id })).data.post;

async function settled(who: Connected, id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const post = await postOf(who, id);
    if (post.state === "PUBLISHED" || post.state === "FAILED") return post;
    if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(post)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("publishing to a real PDS", () => {
  test("publish now: the record is on the PDS once, under the key fixed by the post's id", async () => {
    const who = await connected();
    const id = await publishNow(who, "Hello from Mary @nobody.test and https://example.com/page");
    const post = await settled(who, id);
    expect(post).toMatchObject({ state: "PUBLISHED", attempts: 1, failureReason: null });
    const records = await postsOnPds(who.did);
    expect(records).toHaveLength(1);
    expect(records[0]!.uri).toBe(post.remoteId);
    expect(records[0]!.value.text).toBe("Hello from Mary @nobody.test and https://example.com/page");
  });

  test("a 503 on the first attempt: retried after its Retry-After, on the PDS once", async () => {
    const who = await connected();
    proxy.failNext("POST", CREATE_RECORD, { status: 503, headers: { "retry-after": "1" } });
    const before = proxy.requestsTo("POST", CREATE_RECORD).length;
    const id = await publishNow(who, "through a 503");
    const post = await settled(who, id);
    expect(post).toMatchObject({ state: "PUBLISHED", attempts: 2 });
    const calls = proxy.requestsTo("POST", CREATE_RECORD).slice(before);
    expect(calls.map((call) => call.fault)).toEqual(["status 503", null]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(await postsOnPds(who.did)).toHaveLength(1);
  });

  test("a 429 with Retry-After: 2 delays the next attempt by 2 s", async () => {
    const who = await connected();
    proxy.failNext("POST", CREATE_RECORD, {
      status: 429,
      headers: { "retry-after": "2" },
      body: JSON.stringify({ error: "RateLimitExceeded", message: "Rate Limit Exceeded" }),
    });
    const before = proxy.requestsTo("POST", CREATE_RECORD).length;
    const id = await publishNow(who, "rate limited");
    const post = await settled(who, id);
    expect(post.state).toBe("PUBLISHED");
    const calls = proxy.requestsTo("POST", CREATE_RECORD).slice(before);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(2_000);
    expect(await postsOnPds(who.did)).toHaveLength(1);
  });

  test("the answer is lost after the PDS wrote the record: found there, not posted again", async () => {
    const who = await connected();
    proxy.failNext("POST", CREATE_RECORD, "drop-after-upstream");
    const before = proxy.requestsTo("POST", CREATE_RECORD).length;
    const id = await publishNow(who, "answer lost");
    const post = await settled(who, id);
    expect(post.state).toBe("PUBLISHED");
    const records = await postsOnPds(who.did);
    expect(records).toHaveLength(1);
    expect(records[0]!.uri).toBe(post.remoteId);
    // However the provider and the queue shared the check, no second record was attempted blindly.
    expect(proxy.requestsTo("POST", CREATE_RECORD).length - before).toBe(1);
  });

  test("refused content: FAILED with the PDS's own reason, no retry", async () => {
    const who = await connected();
    // Mary's rules would refuse this text; it is written past them to hear the network refuse it.
    const draft = await h.call(who.owner, `mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }`, {
      input: { accountId: who.accountId, text: "short for now" },
    });
    const id = draft.data.createPost.id;
    await h.app.graph.write("MATCH (p:Post {id: $id}) SET p.text = $text", { id, text: "x".repeat(301) });
    const before = proxy.requestsTo("POST", CREATE_RECORD).length;
    await h.call(who.owner, `mutation ($id: ID!) { publishPost(id: $id) { id } }`, { id });
    const post = await settled(who, id);
    expect(post.state).toBe("FAILED");
    expect(post.failureReason).toBe(
      "HTTP 400: Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got 301) at $.record.text",
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(proxy.requestsTo("POST", CREATE_RECORD).length - before).toBe(1);
    expect(await postsOnPds(who.did)).toHaveLength(0);
  });

  test("a revoked credential: the account NEEDS_RECONNECT, the post FAILED, no retries", async () => {
    const who = await connected();
    const account = (await h.app.accounts.byIds(who.owner.workspaceId, [who.accountId]))[0]!;
    const tokens = h.app.accounts.tokensOf<BlueskyTokens>(account);
    // The session is ended on the PDS (its refresh JWT revoked) and the access JWT is one the PDS never issued.
    await xrpc("com.atproto.server.deleteSession", { method: "POST", token: tokens.refreshJwt });
    const [header, payload] = tokens.accessJwt.split(".");
    await h.app.accounts.updateTokens(account, { ...tokens, accessJwt: `${header}.${payload}.AAAA` });
    const before = proxy.requestsTo("POST", CREATE_RECORD).length;
    const id = await publishNow(who, "revoked");
    const post = await settled(who, id);
    expect(post.state).toBe("FAILED");
    expect(post.account.state).toBe("NEEDS_RECONNECT");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(proxy.requestsTo("POST", CREATE_RECORD).length - before).toBeLessThanOrEqual(1);
    expect((await postOf(who, id)).attempts).toBe(1);
    expect(await postsOnPds(who.did)).toHaveLength(0);
  });
});

describe("a worker killed mid-publish", () => {
  function startSocialProcess(): ChildProcess {
    return spawn(process.execPath, ["--import", "tsx", "subgraphs/social/src/index.ts"], {
      cwd: new URL("../../..", import.meta.url).pathname,
      env: { ...process.env, ...CHILD_ENV },
      stdio: ["ignore", "ignore", "inherit"],
    });
  }

  test("another process finishes the job: the post is on the PDS exactly once", { timeout: 90_000 }, async () => {
    const who = await connected();
    const children: ChildProcess[] = [];
    await h.app.publishing.pause();
    try {
      const child = startSocialProcess();
      children.push(child);
      // The child's worker is up when the queue counts two workers (ours, paused, and its).
      const deadline = Date.now() + 60_000;
      while ((await h.app.publishing.queue.getWorkersCount()) < 2) {
        if (Date.now() > deadline) throw new Error("the second social process did not start");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      proxy.failNext("POST", CREATE_RECORD, "hold-after-upstream");
      const before = proxy.requestsTo("POST", CREATE_RECORD).length;
      const id = await publishNow(who, "survives a killed worker");
      // The PDS has written the record; the child waits for an answer that never comes: killed.
      await proxy.whenHeld();
      expect((await postOf(who, id)).state).toBe("PUBLISHING");
      expect(await postsOnPds(who.did)).toHaveLength(1);
      child.kill("SIGKILL");
      await once(child, "exit");
      proxy.release();
      h.app.publishing.resume();

      const post = await settled(who, id, 30_000);
      expect(post).toMatchObject({ state: "PUBLISHED", attempts: 1 });
      const records = await postsOnPds(who.did);
      expect(records).toHaveLength(1);
      expect(records[0]!.uri).toBe(post.remoteId);
      // The surviving worker looked the post up; it never wrote a second record.
      expect(proxy.requestsTo("POST", CREATE_RECORD).length - before).toBe(1);
      expect(proxy.requestsTo("GET", "com.atproto.repo.getRecord").length).toBeGreaterThan(0);
    } finally {
      h.app.publishing.resume();
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
