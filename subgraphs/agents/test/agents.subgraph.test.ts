import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encodeCursor, signPrincipal, type AuthenticatedPrincipal } from "@mary/kit";
import { errorCode, graphql } from "@mary/kit/testing";
import {
  AGENT,
  AGENTS,
  apiKey,
  CANCEL_RUN,
  CREATE_AGENT,
  DELETE_AGENT,
  ENTITIES,
  helpers,
  OPENAI_TEST_MODEL,
  RUN,
  START_RUN,
  startHarness,
  UPDATE_AGENT,
  user,
  words,
  type AgentView,
  type Harness,
} from "./harness.ts";

let h: Harness;
let $: ReturnType<typeof helpers>;
beforeAll(async () => {
  h = await startHarness();
  $ = helpers(h);
});
afterAll(async () => {
  await h?.stop();
});

const storedAgents = (workspaceId: string) => h.app.store.agents.countDocuments({ workspaceId });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Page {
  edges: { cursor: string; node: { id: string; name: string; createdAt: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

describe("agent CRUD", () => {
  test("createAgent defaults to OPENAI and the server's model when a key is configured; LOCAL to local-echo", async () => {
    const me = user();
    const created = await $.createAgent(me, { name: "  Helper  " });
    expect(created).toMatchObject({
      name: "Helper",
      instructions: "",
      provider: "OPENAI",
      model: OPENAI_TEST_MODEL,
      tools: [],
      createdBy: { id: me.userId },
    });
    expect(created.updatedAt).toBe(created.createdAt);
    expect((await h.ok<{ agent: AgentView }>(AGENT, { id: created.id }, me)).agent).toEqual(created);

    const local = await $.createAgent(me, { name: "Echo", provider: "LOCAL" });
    expect(local).toMatchObject({ provider: "LOCAL", model: "local-echo" });

    const full = await $.createAgent(me, {
      name: "Full",
      instructions: "  Be brief.  ",
      provider: "OPENAI",
      model: "gpt-other",
      tools: ["WHOAMI", "SEARCH_CONTACTS", "WHOAMI"],
    });
    expect(full).toMatchObject({
      instructions: "Be brief.",
      provider: "OPENAI",
      model: "gpt-other",
      tools: ["WHOAMI", "SEARCH_CONTACTS"],
    });

    // Stored in the caller's workspace.
    const document = await h.app.store.agents.findOne({ _id: created.id });
    expect(document).toMatchObject({ workspaceId: me.workspaceId, createdById: me.userId, name: "Helper" });
    expect(await storedAgents(me.workspaceId)).toBe(3);
  });

  test("updateAgent changes only the fields given; a new provider gets its default model", async () => {
    const me = user();
    const agent = await $.createAgent(me, {
      name: "Original",
      instructions: "Keep it short",
      tools: ["WHOAMI"],
    });
    await pause(5);

    const renamed = (
      await h.ok<{ updateAgent: AgentView }>(UPDATE_AGENT, { id: agent.id, input: { name: "Renamed" } }, me)
    ).updateAgent;
    expect(renamed).toEqual({ ...agent, name: "Renamed", updatedAt: renamed.updatedAt });
    expect(Date.parse(renamed.updatedAt)).toBeGreaterThan(Date.parse(agent.updatedAt));

    const toLocal = (
      await h.ok<{ updateAgent: AgentView }>(UPDATE_AGENT, { id: agent.id, input: { provider: "LOCAL" } }, me)
    ).updateAgent;
    expect(toLocal).toMatchObject({
      name: "Renamed",
      instructions: "Keep it short",
      provider: "LOCAL",
      model: "local-echo",
      tools: ["WHOAMI"],
    });

    const badModel = await h.call(UPDATE_AGENT, { id: agent.id, input: { model: "gpt-4o" } }, me);
    expect(errorCode(badModel)).toBe("BAD_USER_INPUT");
    const emptyName = await h.call(UPDATE_AGENT, { id: agent.id, input: { name: "  " } }, me);
    expect(errorCode(emptyName)).toBe("BAD_USER_INPUT");
    expect((await h.ok<{ agent: AgentView }>(AGENT, { id: agent.id }, me)).agent).toEqual(toLocal);

    const back = (
      await h.ok<{ updateAgent: AgentView }>(
        UPDATE_AGENT,
        { id: agent.id, input: { provider: "OPENAI", tools: [], instructions: "" } },
        me,
      )
    ).updateAgent;
    expect(back).toMatchObject({ name: "Renamed", provider: "OPENAI", model: OPENAI_TEST_MODEL, tools: [] });
    expect(back.instructions).toBe("");
    expect(back.createdAt).toBe(agent.createdAt);
  });

  test("deleteAgent removes the agent and frees its slot; its runs stay with agent null", async () => {
    const me = user();
    const agent = await $.createAgent(me, { name: "Doomed", provider: "LOCAL" });
    const run = await $.startRun(me, agent.id, "one two three");
    await $.finished(me, run.id);

    expect(await h.ok(DELETE_AGENT, { id: agent.id }, me)).toEqual({ deleteAgent: agent.id });
    expect(errorCode(await h.call(AGENT, { id: agent.id }, me))).toBe("NOT_FOUND");
    expect(errorCode(await h.call(DELETE_AGENT, { id: agent.id }, me))).toBe("NOT_FOUND");
    expect(await storedAgents(me.workspaceId)).toBe(0);

    const history = (await h.ok(RUN, { id: run.id }, me)).agentRun;
    expect(history).toMatchObject({ id: run.id, status: "SUCCEEDED", output: "one two three", agent: null });
    // Nothing can run on a deleted agent.
    expect(errorCode(await h.call(START_RUN, { input: { agentId: agent.id, input: "again" } }, me))).toBe("NOT_FOUND");
  });

  test("agents(first, after) pages newest first, with no gap and no duplicate", async () => {
    const me = user("ENTERPRISE");
    // Created at once, several may share a millisecond: the id must break the tie. (The first is
    // created alone: concurrent first creates of a workspace can fail, see the plan-limit tests.)
    const created = [await $.createAgent(me, { name: "Agent 0", provider: "LOCAL" })];
    created.push(
      ...(await Promise.all(
        Array.from({ length: 4 }, (_, i) => $.createAgent(me, { name: `Agent ${i + 1}`, provider: "LOCAL" })),
      )),
    );
    await $.createAgent(user("ENTERPRISE"), { name: "Someone else's", provider: "LOCAL" });

    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const page: Page = (await h.ok<{ agents: Page }>(AGENTS, { first: 2, after }, me)).agents;
      pages.push(page);
      after = page.pageInfo.endCursor;
    } while (pages.at(-1)!.pageInfo.hasNextPage && pages.length < 10);

    expect(pages.map((page) => page.edges.length)).toEqual([2, 2, 1]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([true, true, false]);
    expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
    for (const page of pages) {
      expect(page.pageInfo.startCursor).toBe(page.edges[0]!.cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    }
    const listed = pages.flatMap((page) => page.edges.map((edge) => edge.node));
    const newestFirst = [...created].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : Date.parse(b.createdAt) - Date.parse(a.createdAt),
    );
    expect(listed.map((agent) => agent.id)).toEqual(newestFirst.map((agent) => agent.id));

    // One page of everything agrees; after the last cursor there is nothing.
    const all = (await h.ok<{ agents: Page }>(AGENTS, { first: 100 }, me)).agents;
    expect(all.edges.map((edge) => edge.node.id)).toEqual(listed.map((agent) => agent.id));
    const end = (await h.ok<{ agents: Page }>(AGENTS, { first: 2, after: all.pageInfo.endCursor }, me)).agents;
    expect(end).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
  });

  test("agents created one after another list newest first", async () => {
    const me = user("ENTERPRISE");
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      names.push((await $.createAgent(me, { name: `Step ${i}`, provider: "LOCAL" })).name);
      await pause(3);
    }
    const listed = (await h.ok<{ agents: Page }>(AGENTS, {}, me)).agents;
    expect(listed.edges.map((edge) => edge.node.name)).toEqual([...names].reverse());
  });

  test("bad inputs are BAD_USER_INPUT and write nothing", async () => {
    const me = user("FREE");
    const refused = [
      { name: "" },
      { name: "   " },
      { name: "x".repeat(101) },
      { name: "Local", provider: "LOCAL", model: "gpt-4o" },
      { name: "Local", provider: "LOCAL", model: "" },
      { name: "Long", instructions: "x".repeat(20_001) },
      { name: "Long model", model: "m".repeat(101) },
    ];
    for (const input of refused) {
      const response = await h.call(CREATE_AGENT, { input }, me);
      expect(errorCode(response), JSON.stringify(input)).toBe("BAD_USER_INPUT");
      expect(response.data).toBeNull();
    }
    // An unknown enum value never reaches the resolver.
    expect(errorCode(await h.call(CREATE_AGENT, { input: { name: "T", tools: ["HACK"] } }, me))).toBe("BAD_USER_INPUT");
    expect(await storedAgents(me.workspaceId)).toBe(0);

    // None of them used the FREE plan's only slot; exactly 100 characters is fine.
    const fits = await $.createAgent(me, { name: "y".repeat(100) });
    expect(fits.name).toHaveLength(100);
    expect(await storedAgents(me.workspaceId)).toBe(1);

    for (const variables of [
      { first: 0 },
      { first: 101 },
      { first: -1 },
      { after: "garbage" },
      { after: encodeCursor(["not a date", randomUUID()]) },
      { after: encodeCursor([new Date().toISOString(), "not-a-uuid"]) },
      { after: encodeCursor([42, randomUUID()]) },
    ]) {
      const response = await h.call(AGENTS, variables, me);
      expect(errorCode(response), JSON.stringify(variables)).toBe("BAD_USER_INPUT");
    }
    expect((await h.ok<{ agents: Page }>(AGENTS, { first: 100 }, me)).agents.edges).toHaveLength(1);
  });

  test("reading needs agents:read, writing agents:write; no principal is 401 UNAUTHENTICATED", async () => {
    const owner = user();
    const agent = await $.createAgent(owner, { name: "Guarded", provider: "LOCAL" });

    const reader = apiKey(["agents:read"], "ENTERPRISE", owner.workspaceId);
    expect((await h.ok<{ agent: AgentView }>(AGENT, { id: agent.id }, reader)).agent.id).toBe(agent.id);
    expect(errorCode(await h.call(CREATE_AGENT, { input: { name: "Nope" } }, reader))).toBe("FORBIDDEN");
    expect(errorCode(await h.call(UPDATE_AGENT, { id: agent.id, input: { name: "Nope" } }, reader))).toBe("FORBIDDEN");
    expect(errorCode(await h.call(DELETE_AGENT, { id: agent.id }, reader))).toBe("FORBIDDEN");
    expect(errorCode(await h.call(START_RUN, { input: { agentId: agent.id, input: "hi" } }, reader))).toBe("FORBIDDEN");

    const writerOnly = apiKey(["agents:write"], "ENTERPRISE", owner.workspaceId);
    expect(errorCode(await h.call(AGENTS, {}, writerOnly))).toBe("FORBIDDEN");
    expect(errorCode(await h.call(AGENT, { id: agent.id }, writerOnly))).toBe("FORBIDDEN");
    const crmOnly = apiKey(["crm:read", "crm:write"], "ENTERPRISE", owner.workspaceId);
    expect(errorCode(await h.call(CREATE_AGENT, { input: { name: "Nope" } }, crmOnly))).toBe("FORBIDDEN");

    // The gateway's own service principal is no caller of a workspace.
    const asService = await h.call(AGENTS, {}, { kind: "service", service: "gateway" });
    expect(errorCode(asService)).toBe("UNAUTHENTICATED");

    const anonymous = await h.call(AGENTS, {}, null);
    expect(anonymous.status).toBe(401);
    expect(errorCode(anonymous)).toBe("UNAUTHENTICATED");
    const forged = await graphql(
      h.app.url,
      CREATE_AGENT,
      { input: { name: "Forged" } },
      {
        "x-mary-principal": signPrincipal(owner, "not-the-signing-secret-0123456789abcdef"),
      },
    );
    expect(forged.status).toBe(401);
    expect(errorCode(forged)).toBe("UNAUTHENTICATED");

    // Only the owner's agent exists, unchanged.
    expect(await storedAgents(owner.workspaceId)).toBe(1);
    expect((await h.ok<{ agent: AgentView }>(AGENT, { id: agent.id }, owner)).agent).toEqual(agent);
    expect(await h.app.store.runs.countDocuments({ workspaceId: owner.workspaceId })).toBe(0);
  });
});

describe("plan limits", () => {
  const create = (me: AuthenticatedPrincipal, name: string) =>
    h.call(CREATE_AGENT, { input: { name, provider: "LOCAL" } }, me);

  test("FREE allows one agent; deleting it frees the slot", async () => {
    const me = user("FREE");
    const first = await $.createAgent(me, { name: "Only" });
    const second = await create(me, "Second");
    expect(errorCode(second)).toBe("PLAN_LIMIT");
    expect(second.errors?.[0]?.extensions).toMatchObject({ plan: "FREE", resource: "agents", limit: 1, current: 1 });
    expect(await storedAgents(me.workspaceId)).toBe(1);

    await h.ok(DELETE_AGENT, { id: first.id }, me);
    expect(await storedAgents(me.workspaceId)).toBe(0);
    await $.createAgent(me, { name: "Replacement" });
    expect(errorCode(await create(me, "Third"))).toBe("PLAN_LIMIT");
    expect(await storedAgents(me.workspaceId)).toBe(1);
  });

  test("PRO allows five agents; deleting one frees a slot", async () => {
    const me = user("PRO");
    const agents: AgentView[] = [];
    for (let i = 0; i < 5; i++) agents.push(await $.createAgent(me, { name: `Pro ${i}`, provider: "LOCAL" }));
    const sixth = await create(me, "Sixth");
    expect(errorCode(sixth)).toBe("PLAN_LIMIT");
    expect(sixth.errors?.[0]?.extensions).toMatchObject({ plan: "PRO", resource: "agents", limit: 5, current: 5 });
    expect(await storedAgents(me.workspaceId)).toBe(5);

    await h.ok(DELETE_AGENT, { id: agents[2]!.id }, me);
    expect((await h.ok(CREATE_AGENT, { input: { name: "Sixth", provider: "LOCAL" } }, me)).createAgent.name).toBe(
      "Sixth",
    );
    expect(errorCode(await create(me, "Seventh"))).toBe("PLAN_LIMIT");
    expect(await storedAgents(me.workspaceId)).toBe(5);
  });

  // FerretDB has no transactions and loses concurrent updates, so the limit must hold by other
  // means; each race is repeated on fresh workspaces so that a lucky interleaving cannot hide a bug.
  test("ten concurrent creates on a fresh PRO workspace end with exactly five agents", async () => {
    for (let trial = 0; trial < 3; trial++) {
      const me = user("PRO");
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => create(me, `Racer ${i}`)));
      const codes = results.map((result) => errorCode(result) ?? "OK");
      expect(
        codes.filter((code) => code === "OK"),
        JSON.stringify(codes),
      ).toHaveLength(5);
      expect(
        codes.filter((code) => code === "PLAN_LIMIT"),
        JSON.stringify(codes),
      ).toHaveLength(5);
      expect(await storedAgents(me.workspaceId)).toBe(5);
    }
  });

  test("concurrent deletes free every slot they held: five creates fit again", async () => {
    for (let trial = 0; trial < 3; trial++) {
      const me = user("PRO");
      const agents: AgentView[] = [];
      for (let i = 0; i < 5; i++) agents.push(await $.createAgent(me, { name: `Gone ${i}`, provider: "LOCAL" }));
      await Promise.all(agents.map((agent) => h.ok(DELETE_AGENT, { id: agent.id }, me)));
      expect(await storedAgents(me.workspaceId)).toBe(0);
      const again = await Promise.all(Array.from({ length: 6 }, (_, i) => create(me, `Again ${i}`)));
      expect(again.map((result) => errorCode(result) ?? "OK").sort()).toEqual([
        "OK",
        "OK",
        "OK",
        "OK",
        "OK",
        "PLAN_LIMIT",
      ]);
      expect(await storedAgents(me.workspaceId)).toBe(5);
    }
  });

  test("a plan change applies at once: a PRO workspace's five agents block creates on FREE", async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < 5; i++) await $.createAgent(user("PRO", undefined, workspaceId), { name: `Kept ${i}` });
    const downgraded = await create(user("FREE", undefined, workspaceId), "Over");
    expect(errorCode(downgraded)).toBe("PLAN_LIMIT");
    expect(downgraded.errors?.[0]?.extensions).toMatchObject({ plan: "FREE", limit: 1, current: 5 });
    expect(await storedAgents(workspaceId)).toBe(5);
    await $.createAgent(user("ENTERPRISE", undefined, workspaceId), { name: "Upgraded" });
    expect(await storedAgents(workspaceId)).toBe(6);
  });

  test("the limit counts only the caller's workspace", async () => {
    const full = user("FREE");
    await $.createAgent(full, { name: "Mine" });
    const neighbour = user("FREE");
    await $.createAgent(neighbour, { name: "Theirs" });
    expect(await storedAgents(neighbour.workspaceId)).toBe(1);
  });
});

describe("tenant isolation", () => {
  test("another workspace's agent and run are NOT_FOUND everywhere, and nothing changes", async () => {
    const owner = user("PRO");
    const stranger = user("ENTERPRISE");
    const agent = await $.createAgent(owner, { name: "Private", provider: "LOCAL", instructions: "secret" });
    // Long enough to still be running while the stranger tries to cancel it.
    const input = words(150);
    const run = await $.startRun(owner, agent.id, input);

    const attempts = await Promise.all([
      h.call(AGENT, { id: agent.id }, stranger),
      h.call(UPDATE_AGENT, { id: agent.id, input: { name: "Mine now" } }, stranger),
      h.call(DELETE_AGENT, { id: agent.id }, stranger),
      h.call(RUN, { id: run.id }, stranger),
      h.call(START_RUN, { input: { agentId: agent.id, input: "hello" } }, stranger),
      h.call(CANCEL_RUN, { id: run.id }, stranger),
    ]);
    expect(attempts.map((response) => errorCode(response))).toEqual(Array(6).fill("NOT_FOUND"));
    for (const response of attempts) expect(response.data).toBeNull();

    expect((await h.ok<{ agent: AgentView }>(AGENT, { id: agent.id }, owner)).agent).toEqual(agent);
    const finished = await $.finished(owner, run.id);
    expect(finished).toMatchObject({ status: "SUCCEEDED", output: input });
    expect(await h.redis.exists(`agents:run:${run.id}:cancel`)).toBe(0);
    expect(await h.app.store.runs.countDocuments({ workspaceId: stranger.workspaceId })).toBe(0);
    expect(await h.app.store.runs.countDocuments({ agentId: agent.id })).toBe(1);
    expect(await storedAgents(stranger.workspaceId)).toBe(0);
    expect(await storedAgents(owner.workspaceId)).toBe(1);
  });

  test("_entities resolve Agent and AgentRun of the caller's workspace only", async () => {
    const owner = user();
    const stranger = user();
    const mine = await $.createAgent(owner, { name: "Mine", provider: "LOCAL" });
    const theirs = await $.createAgent(stranger, { name: "Theirs", provider: "LOCAL" });
    const myRun = await $.startRun(owner, mine.id, "a b");
    const theirRun = await $.startRun(stranger, theirs.id, "c d");
    await $.finished(owner, myRun.id);
    await $.finished(stranger, theirRun.id);

    const response = await h.call(
      ENTITIES,
      {
        representations: [
          { __typename: "Agent", id: mine.id },
          { __typename: "Agent", id: theirs.id },
          { __typename: "AgentRun", id: myRun.id },
          { __typename: "AgentRun", id: theirRun.id },
          { __typename: "Agent", id: randomUUID() },
        ],
      },
      owner,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data._entities).toEqual([
      { __typename: "Agent", id: mine.id, name: "Mine" },
      null,
      { __typename: "AgentRun", id: myRun.id, status: "SUCCEEDED" },
      null,
      null,
    ]);

    const noScope = apiKey(["crm:read"], "ENTERPRISE", owner.workspaceId);
    const denied = await h.call(ENTITIES, { representations: [{ __typename: "Agent", id: mine.id }] }, noScope);
    expect(errorCode(denied)).toBe("FORBIDDEN");
  });

  test("Usage.agents counts the caller's own workspace only", async () => {
    const owner = user();
    const neighbour = user();
    for (let i = 0; i < 2; i++) await $.createAgent(owner, { name: `Own ${i}`, provider: "LOCAL" });
    for (let i = 0; i < 3; i++) await $.createAgent(neighbour, { name: `Other ${i}`, provider: "LOCAL" });

    const response = await h.call(
      ENTITIES,
      {
        representations: [
          { __typename: "Usage", workspaceId: owner.workspaceId },
          { __typename: "Usage", workspaceId: neighbour.workspaceId },
        ],
      },
      owner,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data._entities).toEqual([{ __typename: "Usage", workspaceId: owner.workspaceId, agents: 2 }, null]);
    const theirs = await h.call(
      ENTITIES,
      { representations: [{ __typename: "Usage", workspaceId: neighbour.workspaceId }] },
      neighbour,
    );
    expect(theirs.data._entities).toEqual([{ __typename: "Usage", workspaceId: neighbour.workspaceId, agents: 3 }]);
  });
});
