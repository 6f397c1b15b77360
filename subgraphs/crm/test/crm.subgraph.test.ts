import { afterAll, beforeAll, describe, expect, test } from "vitest";
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
  PIPELINE,
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

const CONTACT = `query ($id: ID!) { contact(id: $id) { id name emails phones title tags customFields
  company { id name } owner { id } createdAt updatedAt } }`;
const names = (connection: any) => connection.edges.map((edge: any) => edge.node.name);

describe("the crm subgraph against its real database", () => {
  test("migrations produce exactly the schema the entities describe", async () => {
    const diff = await h.app.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe("");
  });

  test("readyz answers when PostgreSQL does", async () => {
    const response = await fetch(new URL("/readyz", h.app.url));
    expect(response.status).toBe(200);
  });
});

describe("contacts", () => {
  test("are created normalised, read back, partially updated and deleted", async () => {
    const me = newMember();
    const { createCompany: acme } = await h.ok(me, CREATE_COMPANY, { input: { name: "Acme" } });
    const { createContact: ada } = await h.ok(me, CREATE_CONTACT, {
      input: {
        name: "  Ada Lovelace ",
        emails: ["Ada@Example.com", "ada@example.COM", "ada@work.example"],
        phones: [" +44 (20) 7946-0000 "],
        title: "Analyst",
        companyId: acme.id,
        tags: ["VIP", "vip", " Math "],
        customFields: { source: "conference", score: 7 },
      },
    });
    expect(ada).toEqual({
      id: ada.id,
      name: "Ada Lovelace",
      emails: ["ada@example.com", "ada@work.example"],
      phones: ["+44 (20) 7946-0000"],
      title: "Analyst",
      tags: ["vip", "math"],
      customFields: { source: "conference", score: 7 },
      company: { id: acme.id, name: "Acme" },
      owner: { id: me.userId },
    });

    // Only the fields given change; null clears an optional one.
    const owner = h.addMember(me.workspaceId);
    const { updateContact } = await h.ok(me, UPDATE_CONTACT, {
      id: ada.id,
      input: { title: null, tags: ["pioneer"], ownerId: owner },
    });
    expect(updateContact).toMatchObject({
      name: "Ada Lovelace",
      emails: ["ada@example.com", "ada@work.example"],
      phones: ["+44 (20) 7946-0000"],
      title: null,
      tags: ["pioneer"],
      customFields: { source: "conference", score: 7 },
      company: { id: acme.id },
      owner: { id: owner },
    });
    const { contact } = await h.ok(me, CONTACT, { id: ada.id });
    expect(contact).toMatchObject({ name: "Ada Lovelace", title: null, tags: ["pioneer"], owner: { id: owner } });
    expect(new Date(contact.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(contact.createdAt).getTime());

    expect(names((await h.ok(me, CONTACTS, { search: "acme" })).contacts)).toEqual(["Ada Lovelace"]);
    const { updateContact: unlinked } = await h.ok(me, UPDATE_CONTACT, {
      id: ada.id,
      input: { companyId: null, name: "Ada King", emails: ["countess@example.com"] },
    });
    expect(unlinked).toMatchObject({ name: "Ada King", company: null, emails: ["countess@example.com"] });
    // The search text follows the contact's own changes too.
    for (const [term, found] of [
      ["acme", []],
      ["lovelace", []],
      ["ada@work", []],
      ["ada king", ["Ada King"]],
      ["countess@", ["Ada King"]],
    ] as const) {
      expect(names((await h.ok(me, CONTACTS, { search: term })).contacts), term).toEqual(found);
    }

    const deleted = await h.ok(me, `mutation ($id: ID!) { deleteContact(id: $id) }`, { id: ada.id });
    expect(deleted.deleteContact).toBe(ada.id);
    const gone = await h.call(me, CONTACT, { id: ada.id });
    expect(errorCode(gone)).toBe("NOT_FOUND");
    expect(gone.data?.contact).toBeNull();
    expect(await h.count("contacts", me.workspaceId)).toBe(0);
  });

  test("deleting a contact deletes the activities only it had and keeps its deals and shared activities", async () => {
    const me = newMember();
    const { createContact: contact } = await h.ok(me, CREATE_CONTACT, { input: { name: "Grace" } });
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
      input: { title: "Compilers", amount: { amount: 500, currency: "USD" }, contactId: contact.id },
    });
    const log = async (input: Record<string, unknown>) =>
      (await h.ok(me, LOG_ACTIVITY, { input: { type: "NOTE", subject: "n", ...input } })).logActivity;
    const onlyContact = await log({ contactId: contact.id });
    const both = await log({ contactId: contact.id, dealId: deal.id });
    const onlyDeal = await log({ dealId: deal.id });

    await h.ok(me, `mutation ($id: ID!) { deleteContact(id: $id) }`, { id: contact.id });
    const rows = await h.sql(`select id, contact_id, deal_id from activities where workspace_id = ? order by id`, [
      me.workspaceId,
    ]);
    expect(rows.map((row) => row.id).sort()).toEqual([both.id, onlyDeal.id].sort());
    expect(rows.every((row) => row.contact_id === null && row.deal_id === deal.id)).toBe(true);
    expect(rows.map((row) => row.id)).not.toContain(onlyContact.id);
    const { deal: kept } = await h.ok(me, `query ($id: ID!) { deal(id: $id) { title contact { id } } }`, {
      id: deal.id,
    });
    expect(kept).toEqual({ title: "Compilers", contact: null });
  });

  test("bulk creation is all or nothing", async () => {
    const me = newMember();
    const bad = await h.call(me, CREATE_CONTACTS, {
      inputs: [{ name: "One" }, { name: "Two" }, { name: "Three", emails: ["not-an-email"] }],
    });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.extensions?.field).toBe("emails");
    const foreign = await h.call(newMember(), CREATE_COMPANY, { input: { name: "Elsewhere" } });
    const wrongCompany = await h.call(me, CREATE_CONTACTS, {
      inputs: [{ name: "One" }, { name: "Two", companyId: foreign.data.createCompany.id }],
    });
    expect(errorCode(wrongCompany)).toBe("NOT_FOUND");
    for (const size of [0, 101]) {
      const response = await h.call(me, CREATE_CONTACTS, {
        inputs: Array.from({ length: size }, (_, i) => ({ name: `C${i}` })),
      });
      expect(errorCode(response), `${size} inputs`).toBe("BAD_USER_INPUT");
    }
    expect(await h.count("contacts", me.workspaceId)).toBe(0);

    const good = await h.ok(me, CREATE_CONTACTS, {
      inputs: Array.from({ length: 100 }, (_, i) => ({ name: `Bulk ${i}` })),
    });
    expect(good.createContacts).toHaveLength(100);
    expect(await h.count("contacts", me.workspaceId)).toBe(100);
  });
});

describe("search, filters and paging", () => {
  test("finds contacts by name, email and company name, filters them and pages without gaps or repeats", async () => {
    const me = newMember("PRO");
    const [initech, hooli] = await Promise.all(
      ["Initech", "Hooli"].map(async (name) => (await h.ok(me, CREATE_COMPANY, { input: { name } })).createCompany),
    );
    const alice = h.addMember(me.workspaceId);
    const inputs = Array.from({ length: 45 }, (_, i) => ({
      name: i % 5 === 0 ? `Peter Gibbons ${i}` : `Milton Waddams ${i}`,
      emails: [`person${i}@${i % 3 === 0 ? "initrode" : "example"}.com`],
      companyId: i % 2 === 0 ? initech!.id : hooli!.id,
      ownerId: i < 10 ? alice : undefined,
      tags: i % 4 === 0 ? ["stapler"] : [],
    }));
    // Three calls, so rows have different creation times as well as ties within a call.
    for (const chunk of [inputs.slice(0, 15), inputs.slice(15, 30), inputs.slice(30)]) {
      await h.ok(me, CREATE_CONTACTS, { inputs: chunk });
    }
    const expected = await h.sql<{ id: string }>(
      `select id from contacts where workspace_id = ? order by created_at desc, id desc`,
      [me.workspaceId],
    );

    const pageThrough = async (variables: Record<string, unknown>) => {
      const ids: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: any = (await h.ok(me, CONTACTS, { ...variables, first: 10, after })).contacts;
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        ids.push(...page.edges.map((edge: any) => edge.node.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        pages += 1;
      } while (after);
      return { ids, pages };
    };
    const all = await pageThrough({});
    expect(all.pages).toBe(5);
    expect(all.ids).toEqual(expected.map((row) => row.id));

    const byName = await pageThrough({ search: "PETER" });
    expect(byName.ids).toHaveLength(9);
    expect(new Set(byName.ids).size).toBe(9);
    const { contacts: peters } = await h.ok(me, CONTACTS, { search: "peter", first: 100 });
    expect(names(peters).every((name: string) => name.startsWith("Peter Gibbons"))).toBe(true);

    const { contacts: byEmail } = await h.ok(me, CONTACTS, { search: "person7@" });
    expect(names(byEmail)).toEqual(["Milton Waddams 7"]);
    const { contacts: byDomain } = await h.ok(me, CONTACTS, { search: "initrode", first: 100 });
    expect(byDomain.edges).toHaveLength(15);

    const { contacts: byCompany } = await h.ok(me, CONTACTS, { search: "hooli", first: 100 });
    expect(byCompany.edges).toHaveLength(22);

    const { contacts: filtered } = await h.ok(me, CONTACTS, {
      first: 100,
      search: "milton",
      filter: { ownerId: alice, companyId: initech!.id, tag: "STAPLER" },
    });
    // Owned by alice (0..9), at Initech (even), tagged (multiple of 4), named Milton (not multiple of 5): 4 and 8.
    expect(names(filtered).sort()).toEqual(["Milton Waddams 4", "Milton Waddams 8"]);
    const { contacts: tagged } = await h.ok(me, CONTACTS, { first: 100, filter: { tag: "stapler" } });
    expect(tagged.edges).toHaveLength(12);
  });

  test("wildcards in a search term are taken literally", async () => {
    const me = newMember();
    await h.ok(me, CREATE_CONTACTS, {
      inputs: [{ name: "100% Real" }, { name: "1000 Real" }, { name: "under_score" }, { name: "underXscore" }],
    });
    expect(names((await h.ok(me, CONTACTS, { search: "100%" })).contacts)).toEqual(["100% Real"]);
    expect(names((await h.ok(me, CONTACTS, { search: "under_" })).contacts)).toEqual(["under_score"]);
    expect((await h.ok(me, CONTACTS, { search: "\\" })).contacts.edges).toEqual([]);
  });

  test("the search text follows a company's renaming and deletion", async () => {
    const me = newMember();
    const { createCompany: company } = await h.ok(me, CREATE_COMPANY, { input: { name: "Globex" } });
    await h.ok(me, CREATE_CONTACT, { input: { name: "Hank Scorpio", companyId: company.id } });
    expect(names((await h.ok(me, CONTACTS, { search: "globex" })).contacts)).toEqual(["Hank Scorpio"]);

    await h.ok(me, `mutation ($id: ID!) { updateCompany(id: $id, input: { name: "Cypress Creek" }) { name } }`, {
      id: company.id,
    });
    expect((await h.ok(me, CONTACTS, { search: "globex" })).contacts.edges).toEqual([]);
    expect(names((await h.ok(me, CONTACTS, { search: "cypress" })).contacts)).toEqual(["Hank Scorpio"]);

    await h.ok(me, `mutation ($id: ID!) { deleteCompany(id: $id) }`, { id: company.id });
    expect((await h.ok(me, CONTACTS, { search: "cypress" })).contacts.edges).toEqual([]);
    expect(names((await h.ok(me, CONTACTS, { search: "scorpio" })).contacts)).toEqual(["Hank Scorpio"]);

    // The database keeps the text: even a direct write of it is recomputed.
    await h.sql(`update contacts set search_text = 'forged' where workspace_id = ?`, [me.workspaceId]);
    expect((await h.ok(me, CONTACTS, { search: "forged" })).contacts.edges).toEqual([]);
    expect((await h.sql(`select search_text from contacts where workspace_id = ?`, [me.workspaceId]))[0]).toEqual({
      search_text: "hank scorpio",
    });
  });
});

describe("companies", () => {
  const COMPANIES = `query ($search: String, $first: Int) { companies(search: $search, first: $first) {
    edges { node { name domain } } } }`;

  test("are created, searched, updated and deleted; their contacts and deals stay", async () => {
    const me = newMember();
    const { createCompany: acme } = await h.ok(me, CREATE_COMPANY, {
      input: { name: "Acme", domain: "https://WWW.Acme.example/about?x=1", industry: "Anvils", size: 40 },
    });
    expect(acme).toMatchObject({ name: "Acme", domain: "www.acme.example", industry: "Anvils", size: 40 });
    await h.ok(me, CREATE_COMPANY, { input: { name: "Wayne Enterprises", domain: "wayne.example" } });
    const { createCompany: bucher } = await h.ok(me, CREATE_COMPANY, {
      input: { name: "Bücher", domain: "Bücher.example" },
    });
    expect(bucher.domain).toBe("xn--bcher-kva.example");
    await h.ok(me, `mutation ($id: ID!) { deleteCompany(id: $id) }`, { id: bucher.id });

    const search = async (term: string) =>
      (await h.ok(me, COMPANIES, { search: term })).companies.edges.map((edge: any) => edge.node.name);
    expect(await search("ACME")).toEqual(["Acme"]);
    expect(await search("wayne.ex")).toEqual(["Wayne Enterprises"]);
    expect(await search("example")).toEqual(["Wayne Enterprises", "Acme"]);

    const { updateCompany } = await h.ok(
      me,
      `mutation ($id: ID!) { updateCompany(id: $id, input: { size: 41 }) { name domain industry size } }`,
      { id: acme.id },
    );
    expect(updateCompany).toEqual({ name: "Acme", domain: "www.acme.example", industry: "Anvils", size: 41 });

    const { createContact: wile } = await h.ok(me, CREATE_CONTACT, { input: { name: "Wile E.", companyId: acme.id } });
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
      input: { title: "Rockets", amount: { amount: 1, currency: "USD" }, companyId: acme.id },
    });
    const { company } = await h.ok(me, `query ($id: ID!) { company(id: $id) { contacts { edges { node { id } } } } }`, {
      id: acme.id,
    });
    expect(company.contacts.edges).toEqual([{ node: { id: wile.id } }]);

    expect((await h.ok(me, `mutation ($id: ID!) { deleteCompany(id: $id) }`, { id: acme.id })).deleteCompany).toBe(
      acme.id,
    );
    const after = await h.ok(
      me,
      `query ($c: ID!, $d: ID!) { contact(id: $c) { name company { id } } deal(id: $d) { title company { id } } }`,
      { c: wile.id, d: deal.id },
    );
    expect(after).toEqual({ contact: { name: "Wile E.", company: null }, deal: { title: "Rockets", company: null } });
    expect(errorCode(await h.call(me, `query ($id: ID!) { company(id: $id) { id } }`, { id: acme.id }))).toBe(
      "NOT_FOUND",
    );
  });

  test("a domain is unique within a workspace only", async () => {
    const me = newMember();
    await h.ok(me, CREATE_COMPANY, { input: { name: "First", domain: "same.example" } });
    const duplicate = await h.call(me, CREATE_COMPANY, { input: { name: "Second", domain: "SAME.example" } });
    expect(errorCode(duplicate)).toBe("BAD_USER_INPUT");
    expect(duplicate.errors?.[0]?.extensions?.field).toBe("domain");
    expect(await h.count("companies", me.workspaceId)).toBe(1);

    const { createCompany: other } = await h.ok(me, CREATE_COMPANY, { input: { name: "Other" } });
    const renamed = await h.call(
      me,
      `mutation ($id: ID!) { updateCompany(id: $id, input: { domain: "same.example" }) { id } }`,
      { id: other.id },
    );
    expect(errorCode(renamed)).toBe("BAD_USER_INPUT");
    expect((await h.sql(`select domain from companies where id = ?`, [other.id]))[0]!.domain).toBeNull();

    // Many companies without a domain are fine, and another workspace may use the same domain.
    await h.ok(me, CREATE_COMPANY, { input: { name: "No domain" } });
    await h.ok(newMember(), CREATE_COMPANY, { input: { name: "Elsewhere", domain: "same.example" } });
  });
});

describe("deals and the pipeline", () => {
  test("a deal's stage history records its creation and each real move", async () => {
    const me = newMember();
    const { createContact: contact } = await h.ok(me, CREATE_CONTACT, { input: { name: "Buyer" } });
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
      input: {
        title: "Anvils",
        amount: { amount: 125_000, currency: "usd" },
        contactId: contact.id,
        expectedCloseDate: "2027-03-31",
      },
    });
    expect(deal).toMatchObject({
      stage: "LEAD",
      amount: { amount: 125_000, currency: "USD" },
      contact: { id: contact.id },
      owner: { id: me.userId },
      expectedCloseDate: "2027-03-31",
    });
    for (const stage of ["QUALIFIED", "QUALIFIED", "PROPOSAL", "LOST", "PROPOSAL"]) {
      await h.ok(me, MOVE_DEAL, { id: deal.id, stage });
    }
    const { moveDeal } = await h.ok(me, MOVE_DEAL, { id: deal.id, stage: "PROPOSAL" });
    expect(moveDeal.stage).toBe("PROPOSAL");
    expect(moveDeal.stageHistory.map((change: any) => [change.from, change.to])).toEqual([
      [null, "LEAD"],
      ["LEAD", "QUALIFIED"],
      ["QUALIFIED", "PROPOSAL"],
      ["PROPOSAL", "LOST"],
      ["LOST", "PROPOSAL"],
    ]);
    expect(moveDeal.stageHistory.every((change: any) => change.changedBy.id === me.userId)).toBe(true);
  });

  test("concurrent moves of one deal are applied one after another, each recorded once", async () => {
    const me = newMember();
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
      input: { title: "Contested", amount: { amount: 1, currency: "USD" } },
    });
    const stages = ["QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON", "LOST"];
    const results = await Promise.all(stages.map((stage) => h.call(me, MOVE_DEAL, { id: deal.id, stage })));
    expect(results.map((result) => result.errors)).toEqual(stages.map(() => undefined));
    const { deal: final } = await h.ok(me, `query ($id: ID!) { deal(id: $id) { stage stageHistory { from to } } }`, {
      id: deal.id,
    });
    const history = final.stageHistory as { from: string | null; to: string }[];
    expect(history).toHaveLength(6);
    history.slice(1).forEach((change, i) => expect(change.from).toBe(history[i]!.to));
    expect(history.at(-1)!.to).toBe(final.stage);
    expect(history.map((change) => change.to).sort()).toEqual(["LEAD", ...stages].sort());
  });

  test("updateDeal changes only the fields given, never the stage", async () => {
    const me = newMember();
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
      input: { title: "Draft", amount: { amount: 10, currency: "EUR" }, stage: "PROPOSAL" },
    });
    const UPDATE = `mutation ($id: ID!, $input: UpdateDealInput!) { updateDeal(id: $id, input: $input) {
      title stage amount { amount currency } expectedCloseDate stageHistory { from to } } }`;
    const { updateDeal } = await h.ok(me, UPDATE, { id: deal.id, input: { title: "Final" } });
    expect(updateDeal).toEqual({
      title: "Final",
      stage: "PROPOSAL",
      amount: { amount: 10, currency: "EUR" },
      expectedCloseDate: null,
      stageHistory: [{ from: null, to: "PROPOSAL" }],
    });
    const { updateDeal: repriced } = await h.ok(me, UPDATE, {
      id: deal.id,
      input: { amount: { amount: 9_007_199_254_740_991, currency: "JPY" }, expectedCloseDate: "2027-01-02" },
    });
    expect(repriced).toMatchObject({
      title: "Final",
      amount: { amount: 9_007_199_254_740_991, currency: "JPY" },
      expectedCloseDate: "2027-01-02",
    });
  });

  test("the pipeline lists all six stages with counts and one total per currency", async () => {
    const me = newMember();
    expect((await h.ok(me, PIPELINE)).pipeline).toEqual(
      ["LEAD", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON", "LOST"].map((stage) => ({ stage, count: 0, totals: [] })),
    );
    const ids: string[] = [];
    for (const [amount, currency] of [
      [10_000, "USD"],
      [20_000, "USD"],
      [5_000, "EUR"],
      [7, "JPY"],
    ] as const) {
      ids.push(
        (await h.ok(me, CREATE_DEAL, { input: { title: `${amount}`, amount: { amount, currency } } })).createDeal.id,
      );
    }
    await h.ok(me, MOVE_DEAL, { id: ids[0], stage: "WON" });
    await h.ok(me, MOVE_DEAL, { id: ids[3], stage: "WON" });
    await h.ok(newMember(), CREATE_DEAL, { input: { title: "not mine", amount: { amount: 1, currency: "USD" } } });

    const before = h.statements.length;
    const { pipeline } = await h.ok(me, PIPELINE);
    expect(h.statements.slice(before).filter((sql) => /group by stage, currency/.test(sql))).toHaveLength(1);
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
      {
        stage: "WON",
        count: 2,
        totals: [
          { amount: 7, currency: "JPY" },
          { amount: 10_000, currency: "USD" },
        ],
      },
      { stage: "LOST", count: 0, totals: [] },
    ]);
  });

  test("deals are listed newest first and filtered by stage, owner, contact and company", async () => {
    const me = newMember();
    const bob = h.addMember(me.workspaceId);
    const { createContact: contact } = await h.ok(me, CREATE_CONTACT, { input: { name: "C" } });
    const { createCompany: company } = await h.ok(me, CREATE_COMPANY, { input: { name: "Co" } });
    const create = async (title: string, extra: Record<string, unknown> = {}) =>
      (await h.ok(me, CREATE_DEAL, { input: { title, amount: { amount: 1, currency: "USD" }, ...extra } })).createDeal;
    await create("plain");
    await create("bob's", { ownerId: bob });
    await create("contact's", { contactId: contact.id });
    const won = await create("company's", { companyId: company.id });
    await h.ok(me, MOVE_DEAL, { id: won.id, stage: "WON" });
    const DEALS = `query ($filter: DealFilter) { deals(filter: $filter) { edges { node { title } } } }`;
    const titles = async (filter?: Record<string, unknown>) =>
      (await h.ok(me, DEALS, { filter })).deals.edges.map((edge: any) => edge.node.title);
    expect(await titles()).toEqual(["company's", "contact's", "bob's", "plain"]);
    expect(await titles({ stage: "WON" })).toEqual(["company's"]);
    expect(await titles({ ownerId: bob })).toEqual(["bob's"]);
    expect(await titles({ contactId: contact.id })).toEqual(["contact's"]);
    expect(await titles({ companyId: company.id })).toEqual(["company's"]);
    expect(await titles({ stage: "LEAD", ownerId: me.userId })).toEqual(["contact's", "plain"]);
    const { contact: withDeals } = await h.ok(
      me,
      `query ($id: ID!) { contact(id: $id) { deals { edges { node { title } } } } }`,
      { id: contact.id },
    );
    expect(withDeals.deals.edges).toEqual([{ node: { title: "contact's" } }]);
  });

  test("deleting a deal removes its history and the activities only it had", async () => {
    const me = newMember();
    const { createContact: contact } = await h.ok(me, CREATE_CONTACT, { input: { name: "Keeps notes" } });
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
      input: { title: "Doomed", amount: { amount: 1, currency: "USD" }, contactId: contact.id },
    });
    await h.ok(me, MOVE_DEAL, { id: deal.id, stage: "LOST" });
    const { logActivity: shared } = await h.ok(me, LOG_ACTIVITY, {
      input: { type: "CALL", subject: "shared", contactId: contact.id, dealId: deal.id },
    });
    await h.ok(me, LOG_ACTIVITY, { input: { type: "NOTE", subject: "deal only", dealId: deal.id } });

    expect((await h.ok(me, `mutation ($id: ID!) { deleteDeal(id: $id) }`, { id: deal.id })).deleteDeal).toBe(deal.id);
    expect(await h.count("deals", me.workspaceId)).toBe(0);
    expect(await h.count("deal_stage_changes", me.workspaceId)).toBe(0);
    const rows = await h.sql(`select id, contact_id, deal_id from activities where workspace_id = ?`, [me.workspaceId]);
    expect(rows).toEqual([{ id: shared.id, contact_id: contact.id, deal_id: null }]);
  });
});

describe("activities and timelines", () => {
  test("timelines list a contact's and a deal's activities newest first, page by page", async () => {
    const me = newMember();
    const { createContact: contact } = await h.ok(me, CREATE_CONTACT, { input: { name: "Timeline" } });
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, {
      input: { title: "T", amount: { amount: 1, currency: "USD" }, contactId: contact.id },
    });
    const log = async (subject: string, occurredAt: string | undefined, links: Record<string, unknown>) =>
      (await h.ok(me, LOG_ACTIVITY, { input: { type: "MEETING", subject, occurredAt, ...links } })).logActivity;
    await log("oldest", "2026-01-01T09:00:00.000Z", { contactId: contact.id });
    await log("middle", "2026-02-01T09:00:00.000Z", { contactId: contact.id, dealId: deal.id });
    const latest = await log("just now", undefined, { contactId: contact.id });
    await log("future task", "2030-01-01T09:00:00.000Z", { dealId: deal.id });
    expect(latest).toMatchObject({
      type: "MEETING",
      author: { id: me.userId },
      contact: { id: contact.id },
      deal: null,
    });
    expect(Math.abs(new Date(latest.occurredAt).getTime() - Date.now())).toBeLessThan(60_000);

    const TIMELINE = `query ($id: ID!, $after: String) { contact(id: $id) { timeline(first: 2, after: $after) {
      edges { node { subject } } pageInfo { hasNextPage endCursor } } } }`;
    const first = (await h.ok(me, TIMELINE, { id: contact.id })).contact.timeline;
    const second = (await h.ok(me, TIMELINE, { id: contact.id, after: first.pageInfo.endCursor })).contact.timeline;
    expect([...first.edges, ...second.edges].map((edge: any) => edge.node.subject)).toEqual([
      "just now",
      "middle",
      "oldest",
    ]);
    expect([first.pageInfo.hasNextPage, second.pageInfo.hasNextPage]).toEqual([true, false]);

    const { deal: withTimeline } = await h.ok(
      me,
      `query ($id: ID!) { deal(id: $id) { timeline { edges { node { subject contact { name } } } } } }`,
      { id: deal.id },
    );
    expect(withTimeline.timeline.edges.map((edge: any) => edge.node)).toEqual([
      { subject: "future task", contact: null },
      { subject: "middle", contact: { name: "Timeline" } },
    ]);
  });

  test("an activity is read, partially updated and deleted", async () => {
    const me = newMember();
    const { createContact: contact } = await h.ok(me, CREATE_CONTACT, { input: { name: "Notes" } });
    const { logActivity: note } = await h.ok(me, LOG_ACTIVITY, {
      input: { type: "NOTE", subject: " Call back ", body: "  indented\nbody", contactId: contact.id },
    });
    expect(note).toMatchObject({ subject: "Call back", body: "  indented\nbody" });
    const ACTIVITY = `query ($id: ID!) { activity(id: $id) { type subject body occurredAt } }`;
    const { updateActivity } = await h.ok(
      me,
      `mutation ($id: ID!, $input: UpdateActivityInput!) { updateActivity(id: $id, input: $input) { type subject body occurredAt } }`,
      { id: note.id, input: { type: "TASK", body: null } },
    );
    expect(updateActivity).toEqual({ type: "TASK", subject: "Call back", body: null, occurredAt: note.occurredAt });
    expect((await h.ok(me, ACTIVITY, { id: note.id })).activity).toEqual(updateActivity);
    expect((await h.ok(me, `mutation ($id: ID!) { deleteActivity(id: $id) }`, { id: note.id })).deleteActivity).toBe(
      note.id,
    );
    expect(errorCode(await h.call(me, ACTIVITY, { id: note.id }))).toBe("NOT_FOUND");
  });
});
