import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { encodeCursor, type AuthenticatedPrincipal, type Principal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import {
  CONTACTS,
  CREATE_COMPANY,
  CREATE_CONTACT,
  CREATE_CONTACTS,
  CREATE_DEAL,
  LOG_ACTIVITY,
  MOVE_DEAL,
  newMember,
  UPDATE_CONTACT,
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

/** Every row of the workspace in every table, to show that a refused request changed nothing. */
async function snapshot(workspaceId: string) {
  const tables = ["companies", "contacts", "deals", "deal_stage_changes", "activities"];
  return Promise.all(
    tables.map((table) => h.sql(`select * from ${table} where workspace_id = ? order by id`, [workspaceId])),
  );
}

/** A workspace with one of everything. */
async function seed(me: Principal) {
  const { createCompany: company } = await h.ok(me, CREATE_COMPANY, {
    input: { name: "Secret Co", domain: "s.example" },
  });
  const { createContact: contact } = await h.ok(me, CREATE_CONTACT, {
    input: { name: "Secret Lead", emails: ["lead@s.example"], companyId: company.id },
  });
  const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
    input: { title: "Secret deal", amount: { amount: 100, currency: "USD" }, contactId: contact.id },
  });
  const { logActivity: activity } = await h.ok(me, LOG_ACTIVITY, {
    input: { type: "NOTE", subject: "Secret note", contactId: contact.id, dealId: deal.id },
  });
  return { company, contact, deal, activity };
}

describe("tenancy", () => {
  test("every query and mutation on another workspace's ids is NOT_FOUND and changes nothing", async () => {
    const alice = newMember();
    const mallory = newMember();
    const { company, contact, deal, activity } = await seed(alice);
    const before = await snapshot(alice.workspaceId);
    const money = { amount: 1, currency: "USD" };
    const attempts: [string, Record<string, unknown>][] = [
      [`query ($id: ID!) { contact(id: $id) { name } }`, { id: contact.id }],
      [`query ($id: ID!) { company(id: $id) { name } }`, { id: company.id }],
      [`query ($id: ID!) { deal(id: $id) { title } }`, { id: deal.id }],
      [`query ($id: ID!) { activity(id: $id) { subject } }`, { id: activity.id }],
      [UPDATE_CONTACT, { id: contact.id, input: { name: "Pwned" } }],
      [`mutation ($id: ID!) { deleteContact(id: $id) }`, { id: contact.id }],
      [`mutation ($id: ID!) { updateCompany(id: $id, input: { name: "Pwned" }) { id } }`, { id: company.id }],
      [`mutation ($id: ID!) { deleteCompany(id: $id) }`, { id: company.id }],
      [`mutation ($id: ID!) { updateDeal(id: $id, input: { title: "Pwned" }) { id } }`, { id: deal.id }],
      [MOVE_DEAL, { id: deal.id, stage: "LOST" }],
      [`mutation ($id: ID!) { deleteDeal(id: $id) }`, { id: deal.id }],
      [`mutation ($id: ID!) { updateActivity(id: $id, input: { subject: "Pwned" }) { id } }`, { id: activity.id }],
      [`mutation ($id: ID!) { deleteActivity(id: $id) }`, { id: activity.id }],
      // Pointing one's own new rows at another workspace's rows is refused the same way.
      [CREATE_CONTACT, { input: { name: "x", companyId: company.id } }],
      [CREATE_CONTACTS, { inputs: [{ name: "x", companyId: company.id }] }],
      [CREATE_DEAL, { input: { title: "x", amount: money, contactId: contact.id } }],
      [CREATE_DEAL, { input: { title: "x", amount: money, companyId: company.id } }],
      [LOG_ACTIVITY, { input: { type: "NOTE", subject: "x", contactId: contact.id } }],
      [LOG_ACTIVITY, { input: { type: "NOTE", subject: "x", dealId: deal.id } }],
      // Ids that exist nowhere, or are not ids at all, look exactly the same.
      [`query ($id: ID!) { contact(id: $id) { name } }`, { id: randomUUID() }],
      [`query ($id: ID!) { deal(id: $id) { title } }`, { id: "not-a-uuid" }],
    ];
    for (const [query, variables] of attempts) {
      const response = await h.call(mallory, query, variables);
      expect(errorCode(response), query).toBe("NOT_FOUND");
    }
    // Mallory's own pointers at Alice's rows must not exist either: nothing at all was written for her.
    const own = await h.ok(mallory, CREATE_DEAL, { input: { title: "mine", amount: money } });
    const relink = await h.call(
      mallory,
      `mutation ($id: ID!, $c: ID!) { updateDeal(id: $id, input: { contactId: $c }) { id } }`,
      {
        id: own.createDeal.id,
        c: contact.id,
      },
    );
    expect(errorCode(relink)).toBe("NOT_FOUND");
    expect(await h.count("contacts", mallory.workspaceId)).toBe(0);
    expect(await h.count("activities", mallory.workspaceId)).toBe(0);
    expect((await h.sql(`select contact_id from deals where id = ?`, [own.createDeal.id]))[0]!.contact_id).toBeNull();

    expect(await snapshot(alice.workspaceId)).toEqual(before);
    const lists = await h.ok(
      mallory,
      `{ contacts { edges { node { id } } } companies { edges { node { id } } } deals { edges { node { title } } } }`,
    );
    expect(lists).toEqual({
      contacts: { edges: [] },
      companies: { edges: [] },
      deals: { edges: [{ node: { title: "mine" } }] },
    });
    expect((await h.ok(mallory, CONTACTS, { search: "secret" })).contacts.edges).toEqual([]);
  });

  test("queries need crm:read, mutations crm:write, and a caller", async () => {
    const reader: AuthenticatedPrincipal = { ...newMember(), scopes: ["crm:read"] };
    const nobody: Principal = { ...newMember(), scopes: ["users:read", "users:write"] };
    expect(errorCode(await h.call(reader, CREATE_CONTACT, { input: { name: "No" } }))).toBe("FORBIDDEN");
    expect(errorCode(await h.call(reader, CREATE_CONTACTS, { inputs: [{ name: "No" }] }))).toBe("FORBIDDEN");
    expect(errorCode(await h.call(reader, CREATE_COMPANY, { input: { name: "No" } }))).toBe("FORBIDDEN");
    expect(
      errorCode(await h.call(reader, CREATE_DEAL, { input: { title: "No", amount: { amount: 1, currency: "USD" } } })),
    ).toBe("FORBIDDEN");
    expect(await h.count("contacts", reader.workspaceId)).toBe(0);
    expect((await h.ok(reader, CONTACTS)).contacts.edges).toEqual([]);
    for (const query of [CONTACTS, `{ pipeline { stage } }`, `{ companies { edges { node { id } } } }`]) {
      expect(errorCode(await h.call(nobody, query)), query).toBe("FORBIDDEN");
    }
    expect(errorCode(await h.call({ kind: "anonymous" }, CONTACTS))).toBe("UNAUTHENTICATED");
    const unsigned = await fetch(h.app.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ pipeline { stage } }" }),
    });
    expect(unsigned.status).toBe(401);
  });
});

describe("bad input is refused and writes nothing", () => {
  test("each bad input is BAD_USER_INPUT (or fails validation) and leaves every table as it was", async () => {
    const me = newMember();
    const { contact, deal, company } = await seed(me);
    const before = await snapshot(me.workspaceId);
    const money = (amount: number, currency = "USD") => ({ amount, currency });
    const bad: [string, Record<string, unknown>, string?][] = [
      [CREATE_DEAL, { input: { title: "Negative", amount: money(-1) } }, "amount"],
      [CREATE_DEAL, { input: { title: "Fake money", amount: money(1, "XYZ") } }, "amount"],
      [CREATE_DEAL, { input: { title: "Float", amount: money(1.5) } }],
      [CREATE_DEAL, { input: { title: " ", amount: money(1) } }, "title"],
      [CREATE_DEAL, { input: { title: "Bad owner", amount: money(1), ownerId: "bob" } }, "ownerId"],
      [CREATE_DEAL, { input: { title: "Bad date", amount: money(1), expectedCloseDate: "2027-02-30" } }],
      [
        `mutation ($id: ID!) { updateDeal(id: $id, input: { amount: { amount: -5, currency: "EUR" } }) { id } }`,
        { id: deal.id },
        "amount",
      ],
      [MOVE_DEAL, { id: deal.id, stage: "MAYBE" }],
      [CREATE_CONTACT, { input: { name: "Big", customFields: { blob: "x".repeat(9_000) } } }, "customFields"],
      [
        CREATE_CONTACT,
        {
          input: { name: "Wide", customFields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
        },
        "customFields",
      ],
      [CREATE_CONTACT, { input: { name: "Bad email", emails: ["not-an-email"] } }, "emails"],
      [
        CREATE_CONTACT,
        { input: { name: "Many emails", emails: Array.from({ length: 11 }, (_, i) => `a${i}@x.io`) } },
        "emails",
      ],
      [CREATE_CONTACT, { input: { name: "Bad phone", phones: ["call me"] } }, "phones"],
      [CREATE_CONTACT, { input: { name: "Long tag", tags: ["x".repeat(41)] } }, "tags"],
      [CREATE_CONTACT, { input: { name: "Many tags", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } }, "tags"],
      [CREATE_CONTACT, { input: { name: "x".repeat(201) } }, "name"],
      [CREATE_CONTACT, { input: { name: "Owner", ownerId: "me" } }, "ownerId"],
      [UPDATE_CONTACT, { id: contact.id, input: { name: null } }, "name"],
      [UPDATE_CONTACT, { id: contact.id, input: { emails: ["ok@x.io", "nope"] } }, "emails"],
      [CREATE_COMPANY, { input: { name: "Bad domain", domain: "not a domain" } }, "domain"],
      [CREATE_COMPANY, { input: { name: "Tiny", size: 0 } }, "size"],
      [
        `mutation ($id: ID!) { updateCompany(id: $id, input: { domain: "-bad-.example" }) { id } }`,
        { id: company.id },
        "domain",
      ],
      [LOG_ACTIVITY, { input: { type: "CALL", subject: "Nowhere" } }, "contactId"],
      [LOG_ACTIVITY, { input: { type: "CALL", subject: "", contactId: contact.id } }, "subject"],
      [
        LOG_ACTIVITY,
        { input: { type: "CALL", subject: "Long", body: "x".repeat(10_001), contactId: contact.id } },
        "body",
      ],
      [LOG_ACTIVITY, { input: { type: "CHAT", subject: "Unknown type", contactId: contact.id } }],
      [CONTACTS, { first: 101 }, "first"],
      [CONTACTS, { first: 0 }, "first"],
      [CONTACTS, { after: "garbage" }, "after"],
      [CONTACTS, { after: encodeCursor(["2026-01-01T00:00:00.000Z", "not-a-uuid"]) }, "after"],
      [CONTACTS, { after: encodeCursor(["yesterday", randomUUID()]) }, "after"],
      [CONTACTS, { filter: { ownerId: "bob" } }, "ownerId"],
      [`{ deals(first: 1000) { edges { node { id } } } }`, {}, "first"],
    ];
    for (const [query, variables, field] of bad) {
      const response = await h.call(me, query, variables);
      expect(errorCode(response), JSON.stringify(variables)).toBe("BAD_USER_INPUT");
      if (field) expect(response.errors?.[0]?.extensions?.field, JSON.stringify(variables)).toBe(field);
    }
    // An unknown enum value written in the document fails validation before anything runs.
    const literal = await h.call(me, `mutation ($id: ID!) { moveDeal(id: $id, stage: MAYBE) { id } }`, { id: deal.id });
    expect(errorCode(literal)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await snapshot(me.workspaceId)).toEqual(before);
  });
});
