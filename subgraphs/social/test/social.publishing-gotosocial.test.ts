import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { TEST_ENV } from "@mary/kit/testing";
import {
  createGoToSocialUser,
  GOTOSOCIAL_URL,
  mastodonLogin,
  registerMastodonApp,
  suspendGoToSocialUser,
  type GoToSocialUser,
} from "../../kit/src/testing/social.ts";
import type { MastodonTokens } from "../src/providers/mastodon.provider.ts";
import { NEO4J_URL, startHarness, type Harness } from "./harness.ts";
import { PublishFaultProxy } from "./publish-fault-proxy.ts";

// GoToSocial (a Mastodon-API server, `scripts/services up`) with a real HTTP proxy in front of it
// that injects a network's failures. GoToSocial ignores Idempotency-Key, so what keeps a retried
// post single here is Mary's own check before posting again.

const STATUSES = "/api/v1/statuses";
const PREFIX = `social-gts-${randomUUID()}`;
const QUEUE_ENV = {
  SOCIAL_QUEUE_PREFIX: PREFIX,
  SOCIAL_JOB_LOCK_MS: "2000",
  PUBLISH_BACKOFF_MS: "200",
  METRICS_POLL_SECONDS: "5",
};

let proxy: PublishFaultProxy;
let h: Harness;
beforeAll(async () => {
  proxy = await new PublishFaultProxy(GOTOSOCIAL_URL).start();
  h = await startHarness(QUEUE_ENV);
}, 60_000);
afterAll(async () => {
  await h?.stop();
  await proxy?.stop();
});

interface Connected {
  owner: AuthenticatedPrincipal;
  accountId: string;
  user: GoToSocialUser;
  token: string;
}

async function gts<T = any>(token: string, method: string, path: string, form?: Record<string, string>): Promise<T> {
  const response = await fetch(`${GOTOSOCIAL_URL}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(form ? { "content-type": "application/json" } : {}) },
    body: form ? JSON.stringify(form) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * A GoToSocial user whose token Mary's app holds (as connecting through OAuth leaves it), saved
 * as the workspace's account on the proxy in front of the server.
 */
async function connected(): Promise<Connected> {
  const owner = h.member();
  const user = await createGoToSocialUser();
  const app = await registerMastodonApp({ clientName: "Mary" });
  const { accessToken } = await mastodonLogin({ app, email: user.email, password: user.password });
  const instance = await gts<{ configuration: { statuses: { max_characters: number } } }>(
    accessToken,
    "GET",
    "/api/v1/instance",
  );
  const tokens: MastodonTokens = { accessToken, accountId: user.id, localDomain: new URL(GOTOSOCIAL_URL).host };
  const account = await h.app.accounts.save(
    owner,
    {
      id: randomUUID(),
      network: "MASTODON",
      handle: user.acct,
      remoteId: user.id,
      serviceUrl: proxy.url,
      displayName: null,
      maxPostLength: instance.configuration.statuses.max_characters,
    },
    tokens,
  );
  return { owner, accountId: account.id, user, token: accessToken };
}

const statusesOf = (who: Connected) =>
  gts<{ id: string; content: string }[]>(who.token, "GET", `/api/v1/accounts/${who.user.id}/statuses?limit=40`);

const POST_FIELDS = "id state attempts remoteId url failureReason account { state }";

async function publishNow(who: Connected, text: string): Promise<string> {
  const response = await h.call(who.owner, `mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }`, {
    input: { accountId: who.accountId, text, publishNow: true },
  });
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data.createPost.id;
}

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

const posted = () => proxy.requestsTo("POST", STATUSES).filter((request) => request.path === STATUSES).length;

describe("publishing to GoToSocial", () => {
  test("publish now: the status is on the instance once, at its URL", async () => {
    const who = await connected();
    const id = await publishNow(who, "Hello from Mary to the fediverse");
    const post = await settled(who, id);
    expect(post).toMatchObject({ state: "PUBLISHED", attempts: 1 });
    const statuses = await statusesOf(who);
    expect(statuses.map((status) => status.id)).toEqual([post.remoteId]);
    expect(statuses[0]!.content).toContain("Hello from Mary to the fediverse");
    expect(post.url).toMatch(/^http:\/\/127\.0\.0\.1:8980\/@/);
  });

  test("a 502 then a lost answer: retried, found on the instance, posted once", async () => {
    const who = await connected();
    proxy.failNext("POST", STATUSES, { status: 502 });
    proxy.failNext("POST", STATUSES, "drop-after-upstream");
    const before = posted();
    const id = await publishNow(who, "through a 502 and a lost answer");
    const post = await settled(who, id);
    expect(post.state).toBe("PUBLISHED");
    const statuses = await statusesOf(who);
    expect(statuses).toHaveLength(1);
    expect(statuses[0]!.id).toBe(post.remoteId);
    // The 502 and the dropped one reached the proxy; after the drop Mary looked instead of posting again.
    expect(posted() - before).toBe(2);
  });

  test("refused content: FAILED with the instance's own reason", async () => {
    const who = await connected();
    const draft = await h.call(who.owner, `mutation ($input: CreatePostInput!) { createPost(input: $input) { id } }`, {
      input: { accountId: who.accountId, text: "short for now" },
    });
    const id = draft.data.createPost.id;
    // Mary refuses it before saving; written past its rules, the instance refuses it itself.
    await h.app.graph.write("MATCH (p:Post {id: $id}) SET p.text = $text", { id, text: "y".repeat(5_001) });
    await h.call(who.owner, `mutation ($id: ID!) { publishPost(id: $id) { id } }`, { id });
    const post = await settled(who, id);
    expect(post.state).toBe("FAILED");
    expect(post.failureReason, post.failureReason).toMatch(/^HTTP 400: Bad Request: status too long/);
    expect(await statusesOf(who)).toEqual([]);
  });

  test("a suspended account: NEEDS_RECONNECT, the post FAILED, no retries", async () => {
    const who = await connected();
    await suspendGoToSocialUser({ ...who.user, accessToken: who.token });
    const before = posted();
    const id = await publishNow(who, "after suspension");
    const post = await settled(who, id);
    expect(post.state).toBe("FAILED");
    expect(post.account.state).toBe("NEEDS_RECONNECT");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(posted() - before).toBeLessThanOrEqual(1);
    expect((await postOf(who, id)).attempts).toBe(1);
  });

  test("engagement: likes, boosts and replies by others are polled into the history", { timeout: 60_000 }, async () => {
    const who = await connected();
    const id = await publishNow(who, "Like me, boost me, answer me");
    const post = await settled(who, id);
    const fan = await createGoToSocialUser();
    await gts(fan.accessToken, "POST", `/api/v1/statuses/${post.remoteId}/favourite`);
    await gts(fan.accessToken, "POST", `/api/v1/statuses/${post.remoteId}/reblog`);
    await gts(fan.accessToken, "POST", STATUSES, { status: "Nice post!", in_reply_to_id: post.remoteId });
    const METRICS = `query ($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { post(id: $id) {
      metrics { likes reposts replies } metricsHistory(from: $from, to: $to) { at likes reposts replies } } }`;
    const range = {
      id,
      from: new Date(Date.now() - 60_000).toISOString(),
      to: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const deadline = Date.now() + 45_000;
    let result: any;
    for (;;) {
      result = (await h.call(who.owner, METRICS, range)).data.post;
      if (result.metrics?.likes === 1 && result.metrics.reposts === 1 && result.metrics.replies === 1) break;
      if (Date.now() > deadline) throw new Error(`metrics: ${JSON.stringify(result)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const history = result.metricsHistory;
    expect(history.at(-1)).toMatchObject({ likes: 1, reposts: 1, replies: 1 });
    expect(history.map((sample: any) => sample.at)).toEqual([...history.map((sample: any) => sample.at)].sort());
  });
});

describe("a worker killed mid-publish on GoToSocial", () => {
  test(
    "another process finishes the job: the status is on the instance exactly once",
    { timeout: 90_000 },
    async () => {
      const who = await connected();
      const children: ChildProcess[] = [];
      await h.app.publishing.pause();
      try {
        const child = spawn(process.execPath, ["--import", "tsx", "subgraphs/social/src/index.ts"], {
          cwd: new URL("../../..", import.meta.url).pathname,
          env: { ...process.env, ...TEST_ENV, NEO4J_URL, SOCIAL_PORT: "0", ...QUEUE_ENV, LOG_LEVEL: "silent" },
          stdio: ["ignore", "ignore", "inherit"],
        });
        children.push(child);
        const deadline = Date.now() + 60_000;
        while ((await h.app.publishing.queue.getWorkersCount()) < 2) {
          if (Date.now() > deadline) throw new Error("the second social process did not start");
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        proxy.failNext("POST", STATUSES, "hold-after-upstream");
        const before = posted();
        const id = await publishNow(who, "Published once on the fediverse, whatever happens");
        // The instance made the status; the child waits for the answer when it is killed.
        await proxy.whenHeld();
        expect(await statusesOf(who)).toHaveLength(1);
        child.kill("SIGKILL");
        await once(child, "exit");
        proxy.release();
        h.app.publishing.resume();

        const post = await settled(who, id, 30_000);
        expect(post.state).toBe("PUBLISHED");
        const statuses = await statusesOf(who);
        expect(statuses).toHaveLength(1);
        expect(statuses[0]!.id).toBe(post.remoteId);
        expect(posted() - before).toBe(1);
      } finally {
        h.app.publishing.resume();
        for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  );
});
