import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { errorCode } from "@mary/kit/testing";
import {
  CREATE_COMPANY,
  CREATE_CONTACT,
  CREATE_CONTACTS,
  CREATE_DEAL,
  MOVE_DEAL,
  newMember,
  startHarness,
  type Harness,
} from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on User { id assignedDeals(first: 5) { edges { node { title contact { name company { name } } } } } }
  ... on Workspace { id pipeline { stage count } }
  ... on Usage { workspaceId contacts }
  ... on Contact { name }
  ... on Deal { title }
} }`;
const users = (ids: string[]) => ids.map((id) => ({ __typename: "User", id }));
const titles = (entity: any) => entity.assignedDeals.edges.map((edge: any) => edge.node.title);

/** A workspace whose members each own a few deals with a contact at a company. */
async function workspaceWithOwners(owners: number) {
  const me = newMember();
  const { createCompany: company } = await h.ok(me, CREATE_COMPANY, { input: { name: "Initech" } });
  const { createContact: contact } = await h.ok(me, CREATE_CONTACT, {
    input: { name: "Peter Gibbons", companyId: company.id },
  });
  const ownerIds = Array.from({ length: owners }, () => h.addMember(me.workspaceId));
  for (const [i, ownerId] of ownerIds.entries()) {
    for (let k = 0; k < 3; k += 1) {
      await h.ok(me, CREATE_DEAL, {
        input: { title: `deal ${i}.${k}`, amount: { amount: 100, currency: "USD" }, contactId: contact.id, ownerId },
      });
    }
  }
  return { me, ownerIds };
}

describe("entities contributed to other subgraphs", () => {
  test("User.assignedDeals lists the deals of the caller's workspace the user owns, newest first", async () => {
    const { me, ownerIds } = await workspaceWithOwners(2);
    // The same user owns a deal in another workspace they belong to as well.
    const stranger = newMember();
    h.addMember(stranger.workspaceId, ownerIds[0]);
    await h.ok(stranger, CREATE_DEAL, {
      input: { title: "foreign", amount: { amount: 1, currency: "USD" }, ownerId: ownerIds[0] },
    });
    const { _entities } = await h.ok(me, ENTITIES, { r: users([...ownerIds, randomUUID(), "not-a-uuid"]) });
    expect(_entities.map(titles)).toEqual([
      ["deal 0.2", "deal 0.1", "deal 0.0"],
      ["deal 1.2", "deal 1.1", "deal 1.0"],
      [],
      [],
    ]);
    expect(_entities[0].assignedDeals.edges[0].node.contact).toEqual({
      name: "Peter Gibbons",
      company: { name: "Initech" },
    });
  });

  test("assignedDeals pages and filters by stage per user", async () => {
    const { me, ownerIds } = await workspaceWithOwners(2);
    const { deals } = await h.ok(me, `{ deals(first: 100) { edges { node { id title } } } }`);
    const won = deals.edges.find((edge: any) => edge.node.title === "deal 1.1").node.id;
    await h.ok(me, MOVE_DEAL, { id: won, stage: "WON" });
    const PAGED = `query ($r: [_Any!]!, $after: String, $stage: DealStage) { _entities(representations: $r) {
      ... on User { assignedDeals(first: 2, after: $after, stage: $stage) {
        edges { node { title } } pageInfo { hasNextPage endCursor } } } } }`;
    const first = (await h.ok(me, PAGED, { r: users(ownerIds) }))._entities;
    expect(first.map(titles)).toEqual([
      ["deal 0.2", "deal 0.1"],
      ["deal 1.2", "deal 1.1"],
    ]);
    const rest = (await h.ok(me, PAGED, { r: users([ownerIds[0]!]), after: first[0].assignedDeals.pageInfo.endCursor }))
      ._entities;
    expect(rest.map(titles)).toEqual([["deal 0.0"]]);
    expect(rest[0].assignedDeals.pageInfo.hasNextPage).toBe(false);
    const byStage = (await h.ok(me, PAGED, { r: users(ownerIds), stage: "WON" }))._entities;
    expect(byStage.map(titles)).toEqual([[], ["deal 1.1"]]);
  });

  test("assignedDeals → contact → company costs the same few SQL statements for 2 users as for 8", async () => {
    const { me, ownerIds } = await workspaceWithOwners(8);
    const run = async (ids: string[]) => {
      const before = h.statements.length;
      const { _entities } = await h.ok(me, ENTITIES, { r: users(ids) });
      expect(_entities.flatMap(titles)).toHaveLength(ids.length * 3);
      expect(_entities.every((user: any) => user.assignedDeals.edges.every((e: any) => e.node.contact.company)));
      return h.statements.slice(before);
    };
    const two = await run(ownerIds.slice(0, 2));
    const eight = await run(ownerIds);
    // One statement for every user's deals, one for their contacts, one for the contacts' companies.
    expect(eight).toHaveLength(3);
    expect(two).toHaveLength(eight.length);
    expect(eight.filter((sql) => /cross join lateral/.test(sql))).toHaveLength(1);
  });

  test("Workspace and Usage resolve only for the caller's own workspace", async () => {
    const me = newMember();
    await h.ok(me, CREATE_CONTACTS, { inputs: [{ name: "A" }, { name: "B" }, { name: "C" }] });
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
      input: { title: "D", amount: { amount: 1, currency: "USD" } },
    });
    await h.ok(me, MOVE_DEAL, { id: deal.id, stage: "NEGOTIATION" });
    const other = randomUUID();
    const { _entities } = await h.ok(me, ENTITIES, {
      r: [
        { __typename: "Workspace", id: me.workspaceId },
        { __typename: "Workspace", id: other },
        { __typename: "Usage", workspaceId: me.workspaceId },
        { __typename: "Usage", workspaceId: other },
      ],
    });
    expect(_entities).toEqual([
      {
        id: me.workspaceId,
        pipeline: ["LEAD", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON", "LOST"].map((stage) => ({
          stage,
          count: stage === "NEGOTIATION" ? 1 : 0,
        })),
      },
      null,
      { workspaceId: me.workspaceId, contacts: 3 },
      null,
    ]);
  });

  test("crm's own entities resolve by reference only within the caller's workspace", async () => {
    const me = newMember();
    const stranger = newMember();
    const { createContact: mine } = await h.ok(me, CREATE_CONTACT, { input: { name: "Mine" } });
    const { createContact: theirs } = await h.ok(stranger, CREATE_CONTACT, { input: { name: "Theirs" } });
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
      input: { title: "My deal", amount: { amount: 1, currency: "USD" } },
    });
    const { _entities } = await h.ok(me, ENTITIES, {
      r: [
        { __typename: "Contact", id: mine.id },
        { __typename: "Contact", id: theirs.id },
        { __typename: "Contact", id: "nonsense" },
        { __typename: "Deal", id: deal.id },
      ],
    });
    expect(_entities).toEqual([{ name: "Mine" }, null, null, { title: "My deal" }]);
  });

  test("the fields crm adds need the crm:read scope", async () => {
    const me = { ...newMember(), scopes: ["users:read" as const] };
    const response = await h.call(me, ENTITIES, { r: users([me.userId]) });
    expect(errorCode(response)).toBe("FORBIDDEN");
  });
});
