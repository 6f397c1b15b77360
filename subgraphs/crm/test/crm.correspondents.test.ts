import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Principal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import { CREATE_CONTACT, CREATE_DEAL, MOVE_DEAL, newMember, startHarness, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const BY_EMAIL = `query ($emails: [String!]!) { contactsByEmail(emails: $emails) {
  id name emails deals(first: 20) { edges { node { title stage } } } } }`;
const CORRESPONDENTS = `query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on Correspondent { email contact { id name deals(first: 5) { edges { node { title } } } } } } }`;
const correspondents = (emails: string[]) => emails.map((email) => ({ __typename: "Correspondent", email }));

async function contact(me: Principal, name: string, emails: string[], deals: string[] = []) {
  const { createContact } = await h.ok(me, CREATE_CONTACT, { input: { name, emails } });
  for (const title of deals) {
    await h.ok(me, CREATE_DEAL, {
      input: { title, amount: { amount: 100, currency: "USD" }, contactId: createContact.id },
    });
  }
  return createContact as { id: string; name: string };
}

describe("contactsByEmail", () => {
  test("finds the workspace's contacts by any of their addresses, ignoring case, each once, with their deals", async () => {
    const me = newMember();
    const ada = await contact(me, "Ada Lovelace", ["ada@acme.example", "ada@home.example"], ["Acme renewal"]);
    const grace = await contact(me, "Grace Hopper", ["grace@navy.example"]);
    await contact(newMember(), "Foreign Ada", ["ada@acme.example"]);
    const { contactsByEmail } = await h.ok(me, BY_EMAIL, {
      emails: ["ADA@acme.example", "ada@home.example", " grace@navy.example ", "nobody@example.com"],
    });
    expect(contactsByEmail).toEqual([
      {
        id: ada.id,
        name: "Ada Lovelace",
        emails: ["ada@acme.example", "ada@home.example"],
        deals: { edges: [{ node: { title: "Acme renewal", stage: "LEAD" } }] },
      },
      { id: grace.id, name: "Grace Hopper", emails: ["grace@navy.example"], deals: { edges: [] } },
    ]);
    expect((await h.ok(me, BY_EMAIL, { emails: [] })).contactsByEmail).toEqual([]);
  });

  test("costs the same few statements for 3 contacts as for 30 (contacts in one, all their deals in one)", async () => {
    const me = newMember();
    const emails = Array.from({ length: 30 }, (_, i) => `person${i}@bulk.example`);
    for (const [i, email] of emails.entries()) await contact(me, `Person ${i}`, [email], [`deal ${i}`]);
    const run = async (wanted: string[]) => {
      const before = h.statements.length;
      const { contactsByEmail } = await h.ok(me, BY_EMAIL, { emails: wanted });
      expect(contactsByEmail).toHaveLength(wanted.length);
      expect(contactsByEmail.every((found: any) => found.deals.edges.length === 1)).toBe(true);
      return h.statements.slice(before);
    };
    const three = await run(emails.slice(0, 3));
    const thirty = await run(emails);
    expect(thirty).toHaveLength(2);
    expect(three).toHaveLength(thirty.length);
  });

  test("refuses more than 100 addresses, or one that is not an address, and needs crm:read", async () => {
    const me = newMember();
    const many = Array.from({ length: 101 }, (_, i) => `p${i}@example.com`);
    const tooMany = await h.call(me, BY_EMAIL, { emails: many });
    expect(errorCode(tooMany)).toBe("BAD_USER_INPUT");
    expect(tooMany.errors?.[0]?.extensions?.field).toBe("emails");
    expect(errorCode(await h.call(me, BY_EMAIL, { emails: ["not an address"] }))).toBe("BAD_USER_INPUT");
    const noScope: Principal = { ...newMember(), scopes: ["inbox:read"] };
    expect(errorCode(await h.call(noScope, BY_EMAIL, { emails: ["a@example.com"] }))).toBe("FORBIDDEN");
    expect(errorCode(await h.call({ kind: "anonymous" }, BY_EMAIL, { emails: [] }))).toBe("UNAUTHENTICATED");
  });
});

describe("Correspondent.contact", () => {
  test("is the caller's workspace's contact with the address (the oldest of several), or null", async () => {
    const me = newMember();
    const ada = await contact(me, "Ada Lovelace", ["ada@acme.example"], ["Acme renewal"]);
    await contact(me, "Ada Again", ["ada@acme.example"]);
    const stranger = newMember();
    await contact(stranger, "Grace Hopper", ["grace@navy.example"]);
    const { _entities } = await h.ok(me, CORRESPONDENTS, {
      r: correspondents(["Ada@Acme.example", "grace@navy.example", "not an address"]),
    });
    expect(_entities).toEqual([
      {
        email: "Ada@Acme.example",
        contact: { id: ada.id, name: "Ada Lovelace", deals: { edges: [{ node: { title: "Acme renewal" } }] } },
      },
      { email: "grace@navy.example", contact: null },
      { email: "not an address", contact: null },
    ]);
  });

  test("looks every correspondent of a request up in one statement", async () => {
    const me = newMember();
    const emails = Array.from({ length: 12 }, (_, i) => `c${i}@batch.example`);
    for (const [i, email] of emails.entries()) await contact(me, `C ${i}`, [email]);
    const before = h.statements.length;
    const { _entities } = await h.ok(me, CORRESPONDENTS, { r: correspondents(emails) });
    expect(_entities.map((entity: any) => entity.contact.name)).toEqual(emails.map((_, i) => `C ${i}`));
    const statements = h.statements.slice(before);
    expect(statements.filter((sql) => /from "contacts"/.test(sql))).toHaveLength(1);
    // The contacts' deals: one statement for all of them.
    expect(statements.filter((sql) => /cross join lateral/.test(sql))).toHaveLength(1);
  });

  test("a closed deal's stage shows as it is", async () => {
    const me = newMember();
    const ada = await contact(me, "Ada", ["ada@closed.example"], ["Old deal"]);
    const { deals } = await h
      .ok(me, `query ($id: ID!) { contact(id: $id) { deals { edges { node { id } } } } }`, {
        id: ada.id,
      })
      .then((data) => data.contact);
    await h.ok(me, MOVE_DEAL, { id: deals.edges[0].node.id, stage: "WON" });
    const { contactsByEmail } = await h.ok(me, BY_EMAIL, { emails: ["ada@closed.example"] });
    expect(contactsByEmail[0].deals.edges[0].node.stage).toBe("WON");
  });

  test("needs crm:read", async () => {
    const noScope: Principal = { ...newMember(), scopes: ["inbox:read"] };
    const response = await h.call(noScope, CORRESPONDENTS, { r: correspondents(["a@example.com"]) });
    expect(errorCode(response)).toBe("FORBIDDEN");
  });
});
