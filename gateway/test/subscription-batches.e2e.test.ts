// Subscription events with fields of another subgraph through Mary's real platform, with no
// entity cache (SUBSCRIPTION_ENTITY_CACHE_MS=0): each event's users fields are fetched after the
// event arrived, in batches that the subscriptions of one share key (same kind of principal,
// workspace, role, scopes and plan) send together. Over graphql-ws as the web app subscribes:
// two workspaces, two roles and an API key watching runs at once are each answered as over
// HTTP, and users is never asked for one tenant's users on another's principal; a field that
// changed between two events shows the new value in the second.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PRINCIPAL_HEADER, verifyPrincipal, type Principal } from "@mary/kit";
import { TEST_SIGNING_SECRET } from "@mary/kit/testing";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";
import { subscribe, wsClient } from "./ws-client.ts";

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

async function ok<T = any>(credential: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await platform.gql<T>(query, variables, credential);
  if (!response.data || response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data;
}

const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i + 1}`).join(" ");

/** A LOCAL agent of the caller's workspace and a long run of it (about ten seconds of tokens), cancelled by the test. */
async function longRun(credential: string) {
  const { createAgent } = await ok(
    credential,
    `mutation { createAgent(input: { name: "Streamer", provider: LOCAL }) { id } }`,
  );
  const { startAgentRun } = await ok(
    credential,
    `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id } }`,
    { input: { agentId: createAgent.id, input: words(2_000) } },
  );
  return startAgentRun.id as string;
}

const cancel = (credential: string, runId: string) =>
  ok(credential, `mutation ($id: ID!) { cancelAgentRun(id: $id) { id } }`, { id: runId });

/** A user added to the owner's workspace with `role`, and their session in it. */
async function member(owner: SignedUp, role: "ADMIN" | "MEMBER") {
  const account = await platform.signUp();
  await ok(
    owner.accessToken,
    `mutation ($email: String!, $ws: ID!, $role: Role!) { addMember(email: $email, workspaceId: $ws, role: $role) { role } }`,
    { email: account.user.email, ws: owner.workspace.id, role },
  );
  const { switchWorkspace } = await ok(
    account.accessToken,
    `mutation ($ws: ID!) { switchWorkspace(workspaceId: $ws) { accessToken } }`,
    { ws: owner.workspace.id },
  );
  return { ...account, accessToken: switchWorkspace.accessToken as string };
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(25);
  }
}

interface EntitiesRequest {
  principal: Principal | null;
  /** The users asked for, in the order sent. */
  userIds: string[];
}

/**
 * A proxy in front of users that writes down every `_entities` request (the signed principal it
 * came with, the users asked for) and holds its answer `delayMs`, so that a batch is on its way
 * while the next events arrive.
 */
async function usersProxy(target: string, delayMs: number) {
  const requests: EntitiesRequest[] = [];
  const body = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => resolve(Buffer.concat(chunks)));
      req.on("error", reject);
    });
  const server = createServer((req, res) => {
    void (async () => {
      const sent = await body(req);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string" && !["host", "connection", "content-length"].includes(name))
          headers[name] = value;
      }
      let entities = false;
      try {
        const request = JSON.parse(sent.toString("utf8")) as {
          query?: string;
          variables?: { representations?: { id: string }[] };
        };
        if (request.query?.includes("_entities") && Array.isArray(request.variables?.representations)) {
          entities = true;
          requests.push({
            principal: verifyPrincipal(headers[PRINCIPAL_HEADER], TEST_SIGNING_SECRET),
            userIds: request.variables.representations.map((representation) => representation.id),
          });
        }
      } catch {
        // not JSON: passed on as it is
      }
      const answer = await fetch(target, {
        method: req.method,
        headers,
        body: req.method === "GET" ? undefined : sent,
      });
      const text = Buffer.from(await answer.arrayBuffer());
      if (entities) await sleep(delayMs);
      const back: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!["content-length", "transfer-encoding", "connection", "content-encoding"].includes(name))
          back[name] = value;
      });
      res.writeHead(answer.status, back).end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface CreatorEvent {
  agentRunEvents: { cursor: string; run: { agent: { createdBy: { email: string } } | null } };
}
const CREATOR = `subscription ($runId: ID!) {
  agentRunEvents(runId: $runId) { cursor run { agent { createdBy { email } } } } }`;

describe("batches of one share key", () => {
  test("two admins' runs share users batches; the owner, another workspace and an API key never join them", async () => {
    const proxy = await usersProxy(platform.users.url, 30);
    try {
      const gateway = await platform.startGateway({ SUBSCRIPTION_ENTITY_CACHE_MS: "0" }, { users: proxy.url });
      const owner = await platform.signUp();
      // Two agents in one workspace: more than FREE allows.
      await platform.upgrade(owner, "PRO");
      const [adminA, adminB] = [await member(owner, "ADMIN"), await member(owner, "ADMIN")];
      const other = await platform.signUp();
      const [runA, runB, otherRun] = await Promise.all([
        longRun(adminA.accessToken),
        longRun(adminB.accessToken),
        longRun(other.accessToken),
      ]);
      const { createApiKey } = await ok(
        owner.accessToken,
        `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`,
        { input: { name: "agents only", scopes: ["agents:read"] } },
      );
      const key = createApiKey.key as string;

      const viewers = [
        { name: "admin A on A's run", credential: adminA.accessToken, runId: runA, creator: adminA },
        { name: "admin B on B's run", credential: adminB.accessToken, runId: runB, creator: adminB },
        { name: "the owner on B's run", credential: owner.accessToken, runId: runB, creator: adminB },
        { name: "another workspace's owner", credential: other.accessToken, runId: otherRun, creator: other },
        { name: "an API key on A's run", credential: key, runId: runA, creator: adminA },
      ];
      const clients = viewers.map((viewer) => wsClient(gateway.url, viewer.credential));
      try {
        const subscriptions = viewers.map((viewer, i) =>
          subscribe<CreatorEvent>(clients[i]!, CREATOR, { runId: viewer.runId }),
        );
        await Promise.all(subscriptions.map((subscription) => subscription.received(40)));
        for (const [credential, runId] of [
          [adminA.accessToken, runA],
          [adminB.accessToken, runB],
          [other.accessToken, otherRun],
        ] as const) {
          await cancel(credential, runId);
        }
        await Promise.all(subscriptions.map((subscription) => subscription.done));

        // Every event answered as that caller's own query over HTTP answers it (where nothing is shared).
        for (const [i, viewer] of viewers.entries()) {
          const overHttp = await platform.gql(
            `query ($id: ID!) { agentRun(id: $id) { agent { createdBy { email } } } }`,
            { id: viewer.runId },
            viewer.credential,
          );
          const results = subscriptions[i]!.results;
          expect(results.length, viewer.name).toBeGreaterThanOrEqual(40);
          for (const result of results) {
            expect(result.data!.agentRunEvents.run.agent, viewer.name).toEqual(overHttp.data.agentRun.agent);
            expect(
              result.errors?.map((error) => error.extensions?.code),
              viewer.name,
            ).toEqual(overHttp.errors?.map((error) => error.extensions?.code));
          }
          expect(overHttp.data.agentRun.agent).toEqual({ createdBy: { email: viewer.creator.user.email } });
        }

        // What users was asked, on whose behalf: never one tenant's users on another's principal.
        const requests = proxy.requests;
        const idsOf = (account: SignedUp) => account.user.id;
        const on = (check: (principal: Principal) => boolean) =>
          requests.filter((request) => request.principal && check(request.principal));
        const asAdmins = on((p) => p.kind === "user" && p.workspaceId === owner.workspace.id && p.role === "ADMIN");
        const asOwner = on((p) => p.kind === "user" && p.role === "OWNER" && p.workspaceId === owner.workspace.id);
        const asOther = on((p) => p.kind === "user" && p.workspaceId === other.workspace.id);
        const asKey = on((p) => p.kind === "apiKey");
        expect(requests.every((request) => request.principal !== null)).toBe(true);
        expect(asAdmins.length + asOwner.length + asOther.length + asKey.length).toBe(requests.length);
        for (const request of asAdmins)
          expect([idsOf(adminA), idsOf(adminB)]).toEqual(expect.arrayContaining(request.userIds));
        for (const request of asOwner) expect(new Set(request.userIds)).toEqual(new Set([idsOf(adminB)]));
        for (const request of asOther) expect(new Set(request.userIds)).toEqual(new Set([idsOf(other)]));
        for (const request of asKey) expect(new Set(request.userIds)).toEqual(new Set([idsOf(adminA)]));
        // The two admins' subscriptions (two runs, so two groups) went in the same requests.
        const together = asAdmins.filter(
          (request) => request.userIds.includes(idsOf(adminA)) && request.userIds.includes(idsOf(adminB)),
        );
        expect(together.length).toBeGreaterThan(0);
        // Batched: far fewer requests than events resolved.
        const resolved = subscriptions.reduce((sum, subscription) => sum + subscription.results.length, 0);
        expect(requests.length).toBeLessThan(resolved / 2);
      } finally {
        await Promise.all(clients.map((client) => client.dispose()));
      }
    } finally {
      await proxy.close();
    }
  });
});

describe("freshness", () => {
  interface MembershipsEvent {
    agentRunEvents: {
      type: string;
      delta: string | null;
      run: { agent: { createdBy: { memberships: { workspace: { id: string } }[] } } | null };
    };
  }
  const MEMBERSHIPS = `subscription ($runId: ID!) {
    agentRunEvents(runId: $runId) { type delta run { agent { createdBy { memberships { workspace { id } } } } } } }`;

  /**
   * The owner watches an OPENAI run whose tokens come a second apart; after the first token, they
   * create a workspace (a membership more). Returns the memberships the first and second tokens
   * carried, and the new workspace.
   */
  async function changeBetweenTokens(env: Record<string, string>) {
    const gateway = await platform.startGateway(env);
    const account = await platform.signUp();
    const { createAgent } = await ok(
      account.accessToken,
      `mutation { createAgent(input: { name: "Slow", provider: OPENAI }) { id } }`,
    );
    platform.openAI.script = () => ({ text: ["one", " two"], chunkDelayMs: 1_000 });
    const client = wsClient(gateway.url, account.accessToken);
    try {
      const { startAgentRun } = await ok(
        account.accessToken,
        `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id } }`,
        { input: { agentId: createAgent.id, input: "Count to two" } },
      );
      const events = subscribe<MembershipsEvent>(client, MEMBERSHIPS, { runId: startAgentRun.id });
      const tokens = () =>
        events.results.map((result) => result.data!.agentRunEvents).filter((event) => event.type === "TOKEN");
      await eventually(() => tokens().length === 1);
      const { createWorkspace } = await ok(account.accessToken, `mutation { createWorkspace(name: "Second") { id } }`);
      const changedAt = tokens().length;
      await eventually(() => tokens().length === 2);
      await events.done;
      // The change was made before the second token was published (a second after the first).
      expect(changedAt).toBe(1);
      const workspacesOf = (event: MembershipsEvent["agentRunEvents"]) =>
        event.run.agent!.createdBy.memberships.map((membership) => membership.workspace.id).sort();
      const [first, second] = tokens();
      for (const result of events.results) expect(result.errors).toBeUndefined();
      return {
        first: workspacesOf(first!),
        second: workspacesOf(second!),
        before: [account.workspace.id],
        after: [account.workspace.id, createWorkspace.id as string].sort(),
      };
    } finally {
      await client.dispose();
    }
  }

  test("a users field changed between two events shows the new value in the second", async () => {
    const { first, second, before, after } = await changeBetweenTokens({ SUBSCRIPTION_ENTITY_CACHE_MS: "0" });
    expect(first).toEqual(before);
    expect(second).toEqual(after);
  });

  test("with the entity cache on, the second event still shows the value cached before the change", async () => {
    const { first, second, before } = await changeBetweenTokens({ SUBSCRIPTION_ENTITY_CACHE_MS: "60000" });
    expect(first).toEqual(before);
    expect(second).toEqual(before);
  });
});
