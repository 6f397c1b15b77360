import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { graphql, type GraphQLResponse } from "@mary/kit/testing";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";
import { subscribe, wsClient } from "./ws-client.ts";

/**
 * The faults of the gateway hardening issue, through the gateway: a subgraph killed mid-query, a
 * subgraph that hangs, and PostgreSQL, Redis and the MongoDB-wire server restarted under a running
 * platform. Other test files share the usual data services, so this one stops and starts a private
 * set of its own (`scripts/services` with SERVICES_DATA_DIR and SERVICES_PORT_OFFSET).
 */

const OFFSET = 20_000;
const PORTS = { postgres: 5432 + OFFSET, redis: 6379 + OFFSET, ferretdb: 27017 + OFFSET };
type DataService = keyof typeof PORTS;
const SERVICES = fileURLToPath(new URL("../../scripts/services", import.meta.url));
/** Held by the test run that owns the private set, so two runs cannot share (and restart) one set. */
const LOCK = join(tmpdir(), `mary-services-${OFFSET}.lock`);

/** What the fields of a subgraph that died or did not answer in time fail with: "try again". */
const UNREACHABLE_SUBGRAPH_CODE = "SERVICE_UNAVAILABLE";

/** `scripts/services <command> <names>` on the private set; fails with the script's own words. */
async function services(dataDir: string, command: "up" | "down", ...names: DataService[]): Promise<void> {
  try {
    await promisify(execFile)("bash", [SERVICES, command, ...names], {
      timeout: 120_000,
      env: { ...process.env, SERVICES_DATA_DIR: dataDir, SERVICES_PORT_OFFSET: String(OFFSET) },
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`scripts/services ${command} ${names.join(" ")} failed:\n${stdout}${stderr}`, { cause: error });
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Takes the lock of the private set. A lock whose holder is alive is another run's: fail. One
 * whose holder died is stale: stop what that run left running, remove its folder, take over.
 */
async function claimPrivateServices(dataDir: string): Promise<void> {
  const claim = () => writeFileSync(LOCK, JSON.stringify({ pid: process.pid, dataDir }), { flag: "wx" });
  try {
    return claim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const held = JSON.parse(readFileSync(LOCK, "utf8")) as { pid: number; dataDir: string };
  if (alive(held.pid)) {
    throw new Error(
      `Another test run (pid ${held.pid}) owns the private data services on SERVICES_PORT_OFFSET=${OFFSET} ` +
        `(${LOCK}); wait for it to finish`,
    );
  }
  await services(held.dataDir, "down", "postgres", "redis", "ferretdb");
  rmSync(held.dataDir, { recursive: true, force: true });
  unlinkSync(LOCK);
  claim();
}

let dataDir: string | undefined;
let platform: Platform;

interface Readiness {
  status: number;
  body: { status: string; redis: boolean; subgraphs: Record<string, boolean> };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "mary-faults-"));
  try {
    await claimPrivateServices(dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  dataDir = dir;
  await services(dir, "up", "postgres", "redis", "ferretdb");
  platform = await startPlatform(
    // A run of RUN_WORDS tokens then lasts about a second: most of its events arrive live, over Redis.
    { LOCAL_TOKEN_INTERVAL_MS: "25" },
    {
      postgresUrl: `postgres://mary:mary@127.0.0.1:${PORTS.postgres}`,
      redisUrl: `redis://127.0.0.1:${PORTS.redis}`,
      mongodbUrl: `mongodb://127.0.0.1:${PORTS.ferretdb}`,
    },
  );
});

afterAll(async () => {
  try {
    await platform?.stop();
  } finally {
    if (dataDir) {
      try {
        await services(dataDir, "down", "postgres", "redis", "ferretdb");
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(LOCK, { force: true });
      }
    }
  }
});

async function readiness(origin: string): Promise<Readiness> {
  const response = await fetch(`${origin}/readyz`);
  return { status: response.status, body: (await response.json()) as Readiness["body"] };
}
const gatewayReady = () => readiness(platform.gatewayOrigin);

/** Polls until `check` holds, for at most `timeoutMs`; returns its last value either way. */
async function poll<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await sleep(250);
  }
}

const bearer = (account: SignedUp) => ({ authorization: `Bearer ${account.accessToken}` });

/** An operation through the platform's gateway that must succeed. */
async function ok<T = any>(account: SignedUp, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await platform.gql<T>(query, variables, account.accessToken);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
}

const CREATE_CONTACT = `mutation ($input: CreateContactInput!) { createContact(input: $input) { id name } }`;
const CREATE_AGENT = `mutation ($input: CreateAgentInput!) { createAgent(input: $input) { id name } }`;
/** A users field and a crm field, fetched side by side; `contact` is nullable, so it can fail alone. */
const ME_AND_CONTACT = `query ($id: ID!) { me { id } contact(id: $id) { id name } }`;

const START_RUN = `mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id } }`;
const RUN_EVENTS = `subscription ($runId: ID!) { agentRunEvents(runId: $runId) { type delta status } }`;
const RUN_WORDS = 40;

/** Runs the agent and follows its events over the gateway's WebSocket (MongoDB, then Redis pub/sub) to its end. */
async function followRun(account: SignedUp, agentId: string): Promise<void> {
  const input = Array.from({ length: RUN_WORDS }, (_, i) => `w${i + 1}`).join(" ");
  const { startAgentRun: run } = await ok(account, START_RUN, { input: { agentId, input } });
  const client = wsClient(platform.url, account.accessToken);
  let timer: NodeJS.Timeout | undefined;
  try {
    const events = subscribe<{ agentRunEvents: { type: string; delta: string | null; status: string | null } }>(
      client,
      RUN_EVENTS,
      { runId: run.id },
    );
    const stalled = new Promise<string>((resolve) => (timer = setTimeout(() => resolve("stalled"), 15_000)));
    expect(await Promise.race([events.done.then(() => "ended"), stalled]), "the run's events stopped coming").toBe(
      "ended",
    );
    for (const result of events.results) expect(result.errors).toBeUndefined();
    const received = events.results.map((result) => result.data!.agentRunEvents);
    const tokens = received.filter((event) => event.type === "TOKEN").map((event) => event.delta);
    expect(tokens.join("")).toBe(input);
    expect(received.at(-1)).toMatchObject({ type: "STATUS", status: "SUCCEEDED" });
  } finally {
    clearTimeout(timer);
    await client.dispose();
  }
}

/**
 * A write to every datastore (users, crm and billing in PostgreSQL; agents in MongoDB; Redis
 * through agents' lock and events, the plan cache and the rate limit), then a read across every
 * subgraph.
 */
async function writeAndRead(): Promise<SignedUp> {
  const account = await platform.signUp();
  const { createContact: contact } = await ok(account, CREATE_CONTACT, { input: { name: "Grace Hopper" } });
  const { createAgent: agent } = await ok(account, CREATE_AGENT, { input: { name: "Scout", provider: "LOCAL" } });
  await ok(account, `mutation { createCheckoutSession(plan: PRO) { id } }`);
  await followRun(account, agent.id);
  const read = await ok(
    account,
    `{ me { id } workspace { plan { name } usage { contacts agents } }
       contacts { edges { node { id name } } } agents { edges { node { id name } } } }`,
  );
  expect(read).toEqual({
    me: { id: account.user.id },
    workspace: { plan: { name: "FREE" }, usage: { contacts: 1, agents: 1 } },
    contacts: { edges: [{ node: contact }] },
    agents: { edges: [{ node: agent }] },
  });
  expect(await platform.stripeCustomerOf(account.workspace.id)).toMatch(/^cus_/);
  return account;
}

/** A read of every subgraph. */
const READ_ALL = `{ me { id } workspace { plan { name } usage { contacts agents } }
  contacts { edges { node { id } } } agents { edges { node { id } } } }`;

/**
 * A TCP proxy in front of a subgraph that can play its death: once armed, the first bytes of an
 * answer coming back (the subgraph got the request and is answering) close every connection, and
 * the port stops accepting, as when the process is killed.
 */
async function killableProxy(target: URL) {
  const pairs = new Set<[Socket, Socket]>();
  let armed = false;
  let requests = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const kill = () => {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      server.close();
    };
    client.on("data", (chunk) => {
      requests += 1;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => (armed ? kill() : client.write(chunk)));
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    arm: () => {
      armed = true;
      requests = 0;
    },
    requestsSinceArmed: () => requests,
    listening: () => server.listening,
  };
}

/** A server that accepts connections and never answers, as a subgraph stuck in a loop or a deadlock. */
async function hangingServer() {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  let accepted = 0;
  server.on("connection", () => (accepted += 1));
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The answer of a query whose crm part failed: users' data, null for crm's field, one error on it. */
function expectCrmFieldFailed(response: GraphQLResponse, account: SignedUp) {
  expect(response.status).toBe(200);
  expect(response.data).toEqual({ me: { id: account.user.id }, contact: null });
  expect(response.errors).toEqual([
    expect.objectContaining({
      message: expect.stringContaining("crm service"),
      extensions: { code: UNREACHABLE_SUBGRAPH_CODE },
    }),
  ]);
  // Nothing of the failure's internals (addresses, socket errors) reaches the client.
  expect(JSON.stringify(response.errors)).not.toMatch(/127\.0\.0\.1|ECONN|socket|abort|timeout/i);
}

describe("a subgraph that fails mid-flight", () => {
  test("killed mid-query: the other subgraph's fields answer, the killed one's are null with an error, and the gateway keeps serving", async () => {
    const account = await platform.signUp();
    const { createContact: contact } = await ok(account, CREATE_CONTACT, { input: { name: "Ada Lovelace" } });
    const proxy = await killableProxy(new URL(platform.crm.url));
    const gateway = await platform.startGateway({}, { crm: proxy.url });
    const origin = new URL(gateway.url).origin;
    const query = (text: string, variables: Record<string, unknown> = {}) =>
      graphql(gateway.url, text, variables, bearer(account));

    const before = await query(ME_AND_CONTACT, { id: contact.id });
    expect(before.errors).toBeUndefined();
    expect(before.data).toEqual({ me: { id: account.user.id }, contact });

    proxy.arm();
    const killed = await query(ME_AND_CONTACT, { id: contact.id });
    expect(proxy.requestsSinceArmed()).toBeGreaterThan(0); // crm had the query when it died
    expect(proxy.listening()).toBe(false);
    expectCrmFieldFailed(killed, account);

    // The gateway is still up, answers what does not need crm, and fails only crm's fields after.
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const later = await query(`{ me { id } workspace { plan { name } } }`);
    expect(later.errors).toBeUndefined();
    expect(later.data).toEqual({ me: { id: account.user.id }, workspace: { plan: { name: "FREE" } } });
    expectCrmFieldFailed(await query(ME_AND_CONTACT, { id: contact.id }), account);
    expect((await readiness(origin)).body.subgraphs).toEqual({
      users: true,
      crm: false,
      agents: true,
      inbox: true,
      social: true,
      billing: true,
    });
  });

  test("hanging: its fields fail at SUBGRAPH_TIMEOUT_MS while queries to the other subgraphs answer meanwhile", async () => {
    const TIMEOUT_MS = 2_000;
    const account = await platform.signUp();
    const hang = await hangingServer();
    try {
      const gateway = await platform.startGateway({ SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS) }, { crm: hang.url });
      const query = (text: string, variables: Record<string, unknown> = {}) =>
        graphql(gateway.url, text, variables, bearer(account));
      // Warm the path (plan cache, connections to users) so the hung query waits on crm alone.
      expect((await query(`{ me { id } }`)).errors).toBeUndefined();

      const started = performance.now();
      let hungAnsweredAt = Number.POSITIVE_INFINITY;
      const hung = query(ME_AND_CONTACT, { id: "00000000-0000-4000-8000-000000000000" }).then((response) => {
        hungAnsweredAt = performance.now() - started;
        return response;
      });
      // While crm holds that query, the other subgraphs answer, one query after another.
      const others: GraphQLResponse[] = [];
      for (let i = 0; i < 3; i += 1) {
        others.push(await query(`{ me { id } agents { edges { node { id } } } workspace { plan { name } } }`));
      }
      const othersAnsweredAt = performance.now() - started;
      const response = await hung;

      for (const other of others) {
        expect(other.errors).toBeUndefined();
        expect(other.data).toEqual({
          me: { id: account.user.id },
          agents: { edges: [] },
          workspace: { plan: { name: "FREE" } },
        });
      }
      expect(othersAnsweredAt).toBeLessThan(hungAnsweredAt);
      expect(hang.accepted()).toBeGreaterThan(0);
      expectCrmFieldFailed(response, account);
      // Cut at its timeout: not before it, and well before the default 10 s.
      expect(hungAnsweredAt).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(hungAnsweredAt).toBeLessThan(TIMEOUT_MS + 5_000);
    } finally {
      await hang.close();
    }
  });
});

describe("a data server restarted under the running platform is used again", () => {
  // Each case: what /readyz must say while the server is down (the parts that need it false).
  const cases: { service: DataService; redis: boolean; subgraphs: Record<string, boolean> }[] = [
    {
      service: "postgres",
      redis: true,
      subgraphs: { users: false, crm: false, agents: true, inbox: false, social: true, billing: false },
    },
    {
      service: "redis",
      redis: false,
      subgraphs: { users: false, crm: true, agents: false, inbox: false, social: false, billing: false },
    },
    {
      service: "ferretdb",
      redis: true,
      subgraphs: { users: true, crm: true, agents: false, inbox: true, social: true, billing: true },
    },
  ];

  test.each(cases)(
    "$service: /readyz is 503 while it is down, then 200 and writes and reads succeed after it is back",
    async ({ service, redis, subgraphs }) => {
      const account = await writeAndRead();
      expect((await gatewayReady()).status).toBe(200);

      await services(dataDir!, "down", service);
      const down = await gatewayReady();
      expect(down).toEqual({ status: 503, body: expect.objectContaining({ status: "unavailable", redis, subgraphs }) });
      // Meanwhile a query that needs it fails, telling nothing of why, and the gateway stays up.
      const during = await platform.gql(READ_ALL, {}, account.accessToken);
      expect(during.data ?? null).toBeNull();
      expect(during.errors?.length).toBeGreaterThan(0);
      // Every failure says "retry": SERVICE_UNAVAILABLE, with 503 when the gateway's own check could not run.
      expect(during.errors?.map((error) => error.extensions?.code)).toEqual(
        during.errors?.map(() => "SERVICE_UNAVAILABLE"),
      );
      if (service === "redis") expect(during.status).toBe(503);
      expect(JSON.stringify(during.errors)).not.toMatch(/127\.0\.0\.1|ECONN|redis|postgres|mongo|ferret/i);
      expect((await fetch(`${platform.gatewayOrigin}/healthz`)).status).toBe(200);

      await services(dataDir!, "up", service);
      const up = await poll(gatewayReady, (readiness) => readiness.status === 200);
      expect(up).toEqual({
        status: 200,
        body: expect.objectContaining({
          status: "ready",
          redis: true,
          subgraphs: { users: true, crm: true, agents: true, inbox: true, social: true, billing: true },
        }),
      });
      await writeAndRead();
    },
    60_000,
  );
});
