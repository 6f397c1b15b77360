import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { errorCode } from "@mary/kit/testing";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const CREATE_COMPANY = `mutation ($input: CreateCompanyInput!) { createCompany(input: $input) { id name domain } }`;
const CREATE_CONTACT = `mutation ($input: CreateContactInput!) { createContact(input: $input) { id name emails company { id name } owner { id email } tags customFields } }`;
const CREATE_CONTACTS = `mutation ($inputs: [CreateContactInput!]!) { createContacts(inputs: $inputs) { id } }`;
const CREATE_DEAL = `mutation ($input: CreateDealInput!) { createDeal(input: $input) { id title stage amount { amount currency } contact { id } company { id } owner { id } } }`;
const MOVE_DEAL = `mutation ($id: ID!, $stage: DealStage!) { moveDeal(id: $id, stage: $stage) { id stage stageHistory { from to changedBy { id } } } }`;
const LOG_ACTIVITY = `mutation ($input: LogActivityInput!) { logActivity(input: $input) { id type subject author { id email } contact { id } deal { id } } }`;
const CONTACTS = `query ($first: Int, $after: String, $search: String, $filter: ContactFilter) {
  contacts(first: $first, after: $after, search: $search, filter: $filter) {
    edges { node { id name } } pageInfo { hasNextPage endCursor } } }`;
const PIPELINE = `{ pipeline { stage count totals { amount currency } } }`;

const contactCount = async (workspaceId: string) =>
  Number(
    (
      await platform.crm.orm.em
        .fork()
        .getConnection()
        .execute(`select count(*)::int as n from contacts where workspace_id = ?`, [workspaceId])
    )[0]!.n,
  );

/** Runs an operation as the account and fails the test on any error. */
async function ok<T = any>(account: SignedUp, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await platform.gql(query, variables, account.accessToken);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
}

/** Creates `count` contacts in bulk, 100 per call. */
async function createContacts(account: SignedUp, count: number, name = (i: number) => `Contact ${i}`) {
  for (let start = 0; start < count; start += 100) {
    const inputs = Array.from({ length: Math.min(100, count - start) }, (_, k) => ({
      name: name(start + k),
      emails: [`contact${start + k}@example.com`],
    }));
    await ok(account, CREATE_CONTACTS, { inputs });
  }
}

describe("a CRM session through the gateway", () => {
  test("companies, contacts, deals and activities, with owners from users", async () => {
    const owner = await platform.signUp();
    const { createCompany: acme } = await ok(owner, CREATE_COMPANY, {
      input: { name: "Acme", domain: "ACME.example", industry: "Anvils", size: 40 },
    });
    expect(acme.domain).toBe("acme.example");
    const { createContact: ada } = await ok(owner, CREATE_CONTACT, {
      input: {
        name: "Ada Lovelace",
        emails: ["Ada@Example.com"],
        companyId: acme.id,
        tags: ["VIP"],
        customFields: { source: "conference" },
      },
    });
    expect(ada).toMatchObject({
      name: "Ada Lovelace",
      emails: ["ada@example.com"],
      company: { id: acme.id, name: "Acme" },
      owner: { id: owner.user.id, email: owner.user.email },
      tags: ["vip"],
      customFields: { source: "conference" },
    });

    const { createDeal: deal } = await ok(owner, CREATE_DEAL, {
      input: {
        title: "Anvils for Acme",
        amount: { amount: 125_000, currency: "usd" },
        contactId: ada.id,
        companyId: acme.id,
      },
    });
    expect(deal).toMatchObject({
      stage: "LEAD",
      amount: { amount: 125_000, currency: "USD" },
      owner: { id: owner.user.id },
    });

    const { logActivity } = await ok(owner, LOG_ACTIVITY, {
      input: { type: "CALL", subject: "Intro call", contactId: ada.id, dealId: deal.id },
    });
    expect(logActivity).toMatchObject({ type: "CALL", author: { id: owner.user.id, email: owner.user.email } });
    await ok(owner, LOG_ACTIVITY, { input: { type: "NOTE", subject: "Follow up", contactId: ada.id } });
    const timeline = await ok(
      owner,
      `query ($id: ID!) { contact(id: $id) { timeline(first: 10) { edges { node { subject } } } } }`,
      { id: ada.id },
    );
    expect(timeline.contact.timeline.edges.map((edge: any) => edge.node.subject)).toEqual(["Follow up", "Intro call"]);

    // Deleting the company keeps its contacts.
    await ok(owner, `mutation ($id: ID!) { deleteCompany(id: $id) }`, { id: acme.id });
    const after = await ok(owner, `query ($id: ID!) { contact(id: $id) { name company { id } } }`, { id: ada.id });
    expect(after.contact).toEqual({ name: "Ada Lovelace", company: null });
  });

  test("a deal moves through the pipeline; totals are per stage and currency", async () => {
    const owner = await platform.signUp();
    const deals = [];
    for (const [amount, currency] of [
      [10_000, "USD"],
      [20_000, "USD"],
      [5_000, "EUR"],
    ] as const) {
      deals.push(
        (await ok(owner, CREATE_DEAL, { input: { title: `Deal ${amount}`, amount: { amount, currency } } })).createDeal,
      );
    }
    for (const stage of ["QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON"]) {
      await ok(owner, MOVE_DEAL, { id: deals[0].id, stage });
    }
    const moved = await ok(owner, MOVE_DEAL, { id: deals[0].id, stage: "WON" });
    expect(moved.moveDeal.stageHistory.map((change: any) => [change.from, change.to])).toEqual([
      [null, "LEAD"],
      ["LEAD", "QUALIFIED"],
      ["QUALIFIED", "PROPOSAL"],
      ["PROPOSAL", "NEGOTIATION"],
      ["NEGOTIATION", "WON"],
    ]);
    expect(moved.moveDeal.stageHistory.every((change: any) => change.changedBy.id === owner.user.id)).toBe(true);

    const { pipeline } = await ok(owner, PIPELINE);
    expect(pipeline).toEqual([
      {
        stage: "LEAD",
        count: 2,
        totals: [
          { amount: 5_000, currency: "EUR" },
          { amount: 20_000, currency: "USD" },
        ],
      },
      { stage: "QUALIFIED", count: 0, totals: [] },
      { stage: "PROPOSAL", count: 0, totals: [] },
      { stage: "NEGOTIATION", count: 0, totals: [] },
      { stage: "WON", count: 1, totals: [{ amount: 10_000, currency: "USD" }] },
      { stage: "LOST", count: 0, totals: [] },
    ]);
  });

  test("searches and pages through 1,000 contacts with no gap or repeat", async () => {
    const owner = await platform.signUp();
    await platform.upgrade(owner, "PRO");
    await createContacts(owner, 1_000, (i) => (i % 10 === 0 ? `Grace Hopper ${i}` : `Alan Turing ${i}`));
    expect(await contactCount(owner.workspace.id)).toBe(1_000);

    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    do {
      const page: any = (await ok(owner, CONTACTS, { first: 100, after })).contacts;
      for (const edge of page.edges) seen.add(edge.node.id);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect([seen.size, pages]).toEqual([1_000, 10]);

    const byName = await ok(owner, CONTACTS, { first: 100, search: "grace" });
    expect(byName.contacts.edges).toHaveLength(100);
    expect(byName.contacts.edges.every((edge: any) => edge.node.name.startsWith("Grace Hopper"))).toBe(true);
    const byEmail = await ok(owner, CONTACTS, { search: "contact999@" });
    expect(byEmail.contacts.edges.map((edge: any) => edge.node.name)).toEqual(["Alan Turing 999"]);
  });
});

/** A reverse proxy that counts the requests passing through it, to count the gateway's subgraph fetches. */
async function countingProxy(target: string): Promise<{ url: string; count: () => number; close: () => void }> {
  let requests = 0;
  const server: Server = createServer(async (req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !["host", "content-length", "connection"].includes(name)),
    ) as Record<string, string>;
    const response = await fetch(target, { method: req.method, headers, body: Buffer.concat(chunks) });
    res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "application/json" });
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    count: () => requests,
    close: () => server.close(),
  };
}

describe("one query across users and crm", () => {
  test("members → their deals → contact → company costs one fetch per subgraph and a fixed number of SQL statements", async () => {
    const owner = await platform.signUp();
    const { createCompany: company } = await ok(owner, CREATE_COMPANY, { input: { name: "Initech" } });
    const { createContact: contact } = await ok(owner, CREATE_CONTACT, {
      input: { name: "Peter Gibbons", companyId: company.id },
    });
    const members: SignedUp[] = [];
    for (let i = 0; i < 6; i += 1) {
      const member = await platform.signUp();
      await ok(
        owner,
        `mutation ($w: ID!, $e: String!) { addMember(workspaceId: $w, email: $e, role: MEMBER) { role } }`,
        {
          w: owner.workspace.id,
          e: member.user.email,
        },
      );
      members.push(member);
      await ok(owner, CREATE_DEAL, {
        input: {
          title: `Deal of member ${i}`,
          amount: { amount: 100 * (i + 1), currency: "USD" },
          contactId: contact.id,
          ownerId: member.user.id,
        },
      });
    }
    const users = await countingProxy(platform.users.url);
    const crm = await countingProxy(platform.crm.url);
    const gateway = await platform.startGateway({}, { users: users.url, crm: crm.url });
    const query = `query ($first: Int) { workspace { members(first: $first) { edges { node { user { email
      assignedDeals(first: 5) { edges { node { title contact { name company { name } } } } } } } } } } }`;
    const run = async (first: number) => {
      const before = { users: users.count(), crm: crm.count(), sql: platform.sql.crm.length };
      const response = await fetch(gateway.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${owner.accessToken}` },
        body: JSON.stringify({ query, variables: { first } }),
      });
      const body = (await response.json()) as any;
      expect(body.errors).toBeUndefined();
      return {
        edges: body.data.workspace.members.edges,
        users: users.count() - before.users,
        crm: crm.count() - before.crm,
        sql: platform.sql.crm.length - before.sql,
      };
    };
    const small = await run(2);
    const large = await run(7);
    expect(large.edges).toHaveLength(7);
    const dealsOf = (edge: any) => edge.node.user.assignedDeals.edges.map((deal: any) => deal.node);
    expect(large.edges.flatMap(dealsOf)).toHaveLength(6);
    expect(large.edges.flatMap(dealsOf).every((deal: any) => deal.contact.company.name === "Initech")).toBe(true);
    // One request to users (the members) and one to crm (every member's deals at once), however many members.
    expect([small.users, small.crm, large.users, large.crm]).toEqual([1, 1, 1, 1]);
    expect(large.sql).toBe(small.sql);
    users.close();
    crm.close();
  });
});

describe("plan limits", () => {
  test("the 101st contact on FREE fails with PLAN_LIMIT and writes nothing", async () => {
    const owner = await platform.signUp();
    await createContacts(owner, 100);
    const refused = await platform.gql(CREATE_CONTACT, { input: { name: "One too many" } }, owner.accessToken);
    expect(errorCode(refused)).toBe("PLAN_LIMIT");
    const bulk = await platform.gql(CREATE_CONTACTS, { inputs: [{ name: "A" }, { name: "B" }] }, owner.accessToken);
    expect(errorCode(bulk)).toBe("PLAN_LIMIT");
    expect(await contactCount(owner.workspace.id)).toBe(100);
    // billing's Workspace.usage joined with crm's count of contacts, in one query.
    const usage = await ok(
      owner,
      `{ workspace { plan { name limits { contacts } } usage { contacts apiCallsThisPeriod } } }`,
    );
    expect(usage.workspace).toEqual({
      plan: { name: "FREE", limits: { contacts: 100 } },
      usage: { contacts: 100, apiCallsThisPeriod: 0 },
    });
  });
});

describe("tenants and bad input", () => {
  test("another workspace's contact is NOT_FOUND and unchanged", async () => {
    const alice = await platform.signUp();
    const mallory = await platform.signUp();
    const { createContact: contact } = await ok(alice, CREATE_CONTACT, { input: { name: "Secret Lead" } });
    const { createDeal: deal } = await ok(alice, CREATE_DEAL, {
      input: { title: "Secret deal", amount: { amount: 1, currency: "USD" }, contactId: contact.id },
    });
    for (const [query, variables] of [
      [`query ($id: ID!) { contact(id: $id) { name } }`, { id: contact.id }],
      [`mutation ($id: ID!) { updateContact(id: $id, input: { name: "Pwned" }) { name } }`, { id: contact.id }],
      [`mutation ($id: ID!) { deleteContact(id: $id) }`, { id: contact.id }],
      [MOVE_DEAL, { id: deal.id, stage: "LOST" }],
      [LOG_ACTIVITY, { input: { type: "NOTE", subject: "x", contactId: contact.id } }],
      [CREATE_DEAL, { input: { title: "x", amount: { amount: 1, currency: "USD" }, contactId: contact.id } }],
    ] as const) {
      const response = await platform.gql(query, variables, mallory.accessToken);
      expect(errorCode(response), query).toBe("NOT_FOUND");
    }
    expect((await ok(mallory, CONTACTS, {})).contacts.edges).toEqual([]);
    const still = await ok(alice, `query ($id: ID!) { contact(id: $id) { name } deal(id: "${deal.id}") { stage } }`, {
      id: contact.id,
    });
    expect(still).toEqual({ contact: { name: "Secret Lead" }, deal: { stage: "LEAD" } });
  });

  test("negative amounts, unknown currencies, unknown stages and oversized custom fields are BAD_USER_INPUT and write nothing", async () => {
    const owner = await platform.signUp();
    const { createDeal: deal } = await ok(owner, CREATE_DEAL, {
      input: { title: "Valid", amount: { amount: 100, currency: "USD" } },
    });
    const bad = [
      [CREATE_DEAL, { input: { title: "Negative", amount: { amount: -1, currency: "USD" } } }],
      [CREATE_DEAL, { input: { title: "Fake money", amount: { amount: 1, currency: "XYZ" } } }],
      [CREATE_DEAL, { input: { title: "Float", amount: { amount: 1.5, currency: "USD" } } }],
      [MOVE_DEAL, { id: deal.id, stage: "MAYBE" }],
      [CREATE_CONTACT, { input: { name: "Big", customFields: { blob: "x".repeat(20_000) } } }],
      [CREATE_CONTACT, { input: { name: "Bad email", emails: ["not-an-email"] } }],
      [CONTACTS, { first: 1_000 }],
    ] as const;
    for (const [query, variables] of bad) {
      const response = await platform.gql(query, variables, owner.accessToken);
      expect(errorCode(response), JSON.stringify(variables)).toBe("BAD_USER_INPUT");
    }
    expect(await contactCount(owner.workspace.id)).toBe(0);
    const { pipeline } = await ok(owner, PIPELINE);
    expect(pipeline.map((stage: any) => stage.count)).toEqual([1, 0, 0, 0, 0, 0]);
  });
});

describe("owners are members of the caller's workspace", () => {
  const UPDATE_DEAL = `mutation ($id: ID!, $input: UpdateDealInput!) { updateDeal(id: $id, input: $input) { id owner { id } } }`;
  const CREATE_API_KEY = `mutation ($scopes: [String!]!) { createApiKey(input: { name: "crm only", scopes: $scopes }) { key } }`;

  /** A new user added to the account's workspace as a MEMBER. */
  async function addMember(account: SignedUp): Promise<SignedUp> {
    const member = await platform.signUp();
    await ok(
      account,
      `mutation ($w: ID!, $e: String!) { addMember(workspaceId: $w, email: $e, role: MEMBER) { role } }`,
      {
        w: account.workspace.id,
        e: member.user.email,
      },
    );
    return member;
  }

  /** The statements users runs on memberships while `run` runs: what crm's owner checks cost. */
  async function membershipQueries(run: () => Promise<unknown>): Promise<number> {
    const before = platform.sql.users.length;
    await run();
    return platform.sql.users.slice(before).filter((sql) => /from "memberships"/i.test(sql)).length;
  }

  test("createContacts checks every owner in one call and writes nothing when one is not a member", async () => {
    const owner = await platform.signUp();
    const [ann, bob] = [await addMember(owner), await addMember(owner)];
    const stranger = await platform.signUp();
    const inputs = [
      { name: "Mine" },
      { name: "Ann's", ownerId: ann.user.id },
      { name: "Bob's", ownerId: bob.user.id },
      { name: "Ann's too", ownerId: ann.user.id.toUpperCase() },
      { name: "Also mine", ownerId: owner.user.id },
    ];

    let refused: any;
    const refusedQueries = await membershipQueries(async () => {
      refused = await platform.gql(
        CREATE_CONTACTS,
        { inputs: [...inputs, { name: "Stranger's", ownerId: stranger.user.id }] },
        owner.accessToken,
      );
    });
    expect(errorCode(refused)).toBe("BAD_USER_INPUT");
    expect(refused.errors[0]).toMatchObject({
      message: "ownerId must be a member of this workspace",
      extensions: { field: "ownerId" },
    });
    expect(await contactCount(owner.workspace.id)).toBe(0);

    let created: any;
    const createdQueries = await membershipQueries(async () => {
      created = await ok(
        owner,
        `mutation ($inputs: [CreateContactInput!]!) { createContacts(inputs: $inputs) { name owner { id } } }`,
        { inputs },
      );
    });
    expect(created.createContacts.map((contact: any) => [contact.name, contact.owner.id])).toEqual([
      ["Mine", owner.user.id],
      ["Ann's", ann.user.id],
      ["Bob's", bob.user.id],
      ["Ann's too", ann.user.id],
      ["Also mine", owner.user.id],
    ]);
    // One membership question for all the owners of a bulk call; none when the caller owns everything.
    expect([refusedQueries, createdQueries]).toEqual([1, 1]);
    expect(
      await membershipQueries(() => ok(owner, CREATE_CONTACTS, { inputs: [{ name: "A", ownerId: owner.user.id }] })),
    ).toBe(0);
  });

  test("updateDeal refuses an owner of another workspace and keeps the deal's owner", async () => {
    const owner = await platform.signUp();
    const member = await addMember(owner);
    const stranger = await platform.signUp();
    const { createDeal: deal } = await ok(owner, CREATE_DEAL, {
      input: { title: "Anvils", amount: { amount: 100, currency: "EUR" }, ownerId: member.user.id },
    });
    expect(deal.owner).toEqual({ id: member.user.id });

    const refused = await platform.gql(
      UPDATE_DEAL,
      { id: deal.id, input: { ownerId: stranger.user.id } },
      owner.accessToken,
    );
    expect(errorCode(refused)).toBe("BAD_USER_INPUT");
    expect(refused.errors?.[0]?.extensions?.field).toBe("ownerId");
    // The stranger themself cannot even find the deal, let alone take it.
    const taken = await platform.gql(
      UPDATE_DEAL,
      { id: deal.id, input: { ownerId: stranger.user.id } },
      stranger.accessToken,
    );
    expect(errorCode(taken)).toBe("NOT_FOUND");
    expect(
      (await ok(owner, `query ($id: ID!) { deal(id: $id) { owner { id } } }`, { id: deal.id })).deal.owner,
    ).toEqual({
      id: member.user.id,
    });

    expect((await ok(owner, UPDATE_DEAL, { id: deal.id, input: { ownerId: owner.user.id } })).updateDeal.owner).toEqual(
      {
        id: owner.user.id,
      },
    );
    expect((await ok(owner, UPDATE_DEAL, { id: deal.id, input: { ownerId: null } })).updateDeal.owner).toBeNull();
  });

  test("an API key with crm:write alone may give a contact to a member, not to a stranger, and the check is not an API call", async () => {
    const owner = await platform.signUp();
    const member = await addMember(owner);
    const stranger = await platform.signUp();
    const key = (await ok(owner, CREATE_API_KEY, { scopes: ["crm:write"] })).createApiKey.key as string;
    const usage = async () =>
      (await ok(owner, `{ workspace { usage { apiCallsThisPeriod } } }`)).workspace.usage.apiCallsThisPeriod as number;
    const calls = await usage();

    const given = await platform.gql(
      `mutation ($input: CreateContactInput!) { createContact(input: $input) { id owner { id } } }`,
      { input: { name: "For a member", ownerId: member.user.id } },
      key,
    );
    expect(given.errors, JSON.stringify(given.errors)).toBeUndefined();
    expect(given.data.createContact.owner).toEqual({ id: member.user.id });
    const refused = await platform.gql(
      CREATE_DEAL,
      { input: { title: "For a stranger", amount: { amount: 1, currency: "USD" }, ownerId: stranger.user.id } },
      key,
    );
    expect(errorCode(refused)).toBe("BAD_USER_INPUT");
    // The key still cannot read users itself.
    expect(errorCode(await platform.gql(`{ workspace { members { edges { node { role } } } } }`, {}, key))).toBe(
      "FORBIDDEN",
    );
    expect(await contactCount(owner.workspace.id)).toBe(1);
    const { pipeline } = await ok(owner, PIPELINE);
    expect(pipeline.every((stage: any) => stage.count === 0)).toBe(true);
    // Three calls made with the key; crm's membership checks are not counted as the key's.
    expect((await usage()) - calls).toBe(3);
  });

  test("an owner who leaves the workspace stays the owner by id only, and cannot be given more", async () => {
    const owner = await platform.signUp();
    const member = await addMember(owner);
    const { createContact: contact } = await ok(owner, CREATE_CONTACT, {
      input: { name: "Kept", ownerId: member.user.id },
    });
    await ok(owner, `mutation ($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`, {
      w: owner.workspace.id,
      u: member.user.id,
    });
    const byId = await ok(owner, `query ($id: ID!) { contact(id: $id) { owner { id } } }`, { id: contact.id });
    expect(byId.contact.owner).toEqual({ id: member.user.id });
    // users no longer shows them to the workspace, so asking for more than the id gives no owner.
    const withEmail = await platform.gql(
      `query ($id: ID!) { contact(id: $id) { name owner { id email } } }`,
      { id: contact.id },
      owner.accessToken,
    );
    expect(withEmail.data.contact).toEqual({ name: "Kept", owner: null });
    // Nobody new can be given a former member's contacts.
    const again = await platform.gql(
      `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`,
      { input: { name: "Too late", ownerId: member.user.id } },
      owner.accessToken,
    );
    expect(errorCode(again)).toBe("BAD_USER_INPUT");
  });
});
