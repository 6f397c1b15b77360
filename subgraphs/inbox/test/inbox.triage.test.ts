import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createLogger, type AuthenticatedPrincipal } from "@mary/kit";
import { createMailUser, errorCode } from "@mary/kit/testing";
import { OpenAICompatibleServer } from "../../agents/test/openai-compatible-server.ts";
import { MailAccount } from "../src/entities/mail-account.entity.ts";
import { Message } from "../src/entities/message.entity.ts";
import { OpenAIProvider } from "../src/providers/openai.provider.ts";
import type { TriageInput } from "../src/providers/provider.ts";
import { matchesRule, ruleSql } from "../src/services/rule-matching.ts";
import { CrmStandIn } from "./crm-stand-in.ts";
import { deliver, newMember, startHarness, type Harness } from "./harness.ts";

let h: Harness;
let crm: CrmStandIn;
let openAI: OpenAICompatibleServer;
beforeAll(async () => {
  crm = await new CrmStandIn().start();
  openAI = await new OpenAICompatibleServer().start();
  h = await startHarness({ env: { GATEWAY_URL: crm.url } });
});
afterAll(async () => {
  await h?.stop();
  await crm?.stop();
  await openAI?.stop();
});
beforeEach(() => {
  crm.failWith = null;
  crm.lookups.length = 0;
});

const CREATE_RULE = `mutation ($input: CreateTriageRuleInput!) {
  createTriageRule(input: $input) { id field headerName value category state summary } }`;
const RULES = `query ($first: Int, $after: String, $state: TriageRuleState) {
  triageRules(first: $first, after: $after, state: $state) {
    edges { node { id field value category state summary } } pageInfo { hasNextPage endCursor } } }`;
const DELETE_RULE = `mutation ($id: ID!) { deleteTriageRule(id: $id) }`;
const RECATEGORIZE = `mutation ($id: ID!, $category: MessageCategory!) {
  recategorize(messageId: $id, category: $category) {
    message { id category urgency triageReason triageSource }
    proposedRule { id field value category state summary } } }`;
const ACCEPT = `mutation ($id: ID!, $apply: Boolean) {
  acceptTriageRule(id: $id, applyToExisting: $apply) { rule { id state } retriagedMessages } }`;

/** An account of the member, as sync would hand it to triage (not saved). */
const accountOf = (member: AuthenticatedPrincipal, address = `me-${randomUUID().slice(0, 6)}@mary.test`) =>
  Object.assign(new MailAccount(), { workspaceId: member.workspaceId, userId: member.userId, address });

/** A message as sync hands it to triage (not saved). */
function message(from: string, fields: Partial<Message> = {}): Message {
  return Object.assign(new Message(), {
    fromAddress: { name: null, email: from },
    subject: "Hello",
    snippet: "Just saying hello.",
    textBody: "Just saying hello.",
    headers: {},
    ...fields,
  });
}

const categories = (verdicts: { category: string; source: string }[]) =>
  verdicts.map((verdict) => `${verdict.category}/${verdict.source}`);

describe("TriageService", () => {
  test("applies the workspace's ACTIVE rules, then CRM contacts with an open deal, then the provider; USER stays", async () => {
    const me = newMember();
    const rule = (input: Record<string, unknown>) => h.ok(me, CREATE_RULE, { input });
    await rule({ field: "DOMAIN", value: "vendor.example", category: "FYI" });
    await rule({ field: "SENDER", value: "boss@corp.example", category: "IMPORTANT" });
    await rule({ field: "SUBJECT", value: "invoice", category: "ACTIONABLE" });
    await rule({ field: "HEADER", headerName: "X-Campaign", value: "", category: "NEWSLETTER" });
    // Another workspace's rule applies to nobody here.
    await h.ok(newMember(), CREATE_RULE, { input: { field: "DOMAIN", value: "acme.example", category: "OTHER" } });
    crm.add(me.workspaceId, {
      name: "Ada Lovelace",
      emails: ["ada@acme.example"],
      deals: [{ title: "Acme renewal", stage: "NEGOTIATION" }],
    });
    crm.add(me.workspaceId, {
      name: "Won Wendy",
      emails: ["wendy@won.example"],
      deals: [{ title: "Old", stage: "WON" }],
    });

    const account = accountOf(me);
    const messages = [
      message("billing@eu.vendor.example", { subject: "Please pay today" }),
      message("boss@corp.example"),
      message("someone@else.example", { subject: "Your Invoice #7" }),
      message("promo@shop.example", { headers: { "x-campaign": "spring" } }),
      message("ada@acme.example", { subject: "Contract", textBody: "Can you sign it asap?" }),
      message("wendy@won.example"),
      message("news@paper.example", { headers: { "list-unsubscribe": "<mailto:u@paper.example>" } }),
      message("friend@pals.example"),
      message("ada@acme.example", {
        triageSource: "USER",
        category: "OTHER",
        urgency: "LOW",
        triageReason: "Recategorized by you",
      }),
      message(account.address, { subject: "Sent by me" }),
    ];
    const verdicts = await h.app.triage.triage(account, messages);
    expect(categories(verdicts)).toEqual([
      "FYI/RULE",
      "IMPORTANT/RULE",
      "ACTIONABLE/RULE",
      "NEWSLETTER/RULE",
      "IMPORTANT/CONTACT",
      "OTHER/PROVIDER",
      "NEWSLETTER/PROVIDER",
      "OTHER/PROVIDER",
      "OTHER/USER",
      "OTHER/PROVIDER",
    ]);
    expect(verdicts[0]).toEqual({
      category: "FYI",
      urgency: "HIGH",
      reason: "Rule: Always put mail from vendor.example in FYI",
      source: "RULE",
    });
    expect(verdicts[4]).toEqual({
      category: "IMPORTANT",
      urgency: "HIGH",
      reason: "From Ada Lovelace, a contact with an open deal: Acme renewal",
      source: "CONTACT",
    });
    expect(verdicts[6]).toMatchObject({ urgency: "LOW", reason: "Bulk mail: it has a List-Unsubscribe header" });
    expect(verdicts[8]).toEqual({ category: "OTHER", urgency: "LOW", reason: "Recategorized by you", source: "USER" });

    // One question to crm for the whole batch, as the mailbox's owner with nothing but crm:read,
    // about the senders no rule decided (not the owner's own address).
    expect(crm.lookups).toHaveLength(1);
    expect(crm.lookups[0]!.principal).toMatchObject({
      kind: "user",
      userId: me.userId,
      workspaceId: me.workspaceId,
      scopes: ["crm:read"],
    });
    expect(crm.lookups[0]!.query).toContain("contactsByEmail(emails: $emails)");
    expect(crm.lookups[0]!.emails.sort()).toEqual(
      ["ada@acme.example", "wendy@won.example", "news@paper.example", "friend@pals.example"].sort(),
    );
  });

  test("the newest matching rule wins; PROPOSED rules do not apply", async () => {
    const me = newMember();
    await h.ok(me, CREATE_RULE, { input: { field: "DOMAIN", value: "x.example", category: "FYI" } });
    await h.ok(me, CREATE_RULE, { input: { field: "SENDER", value: "a@x.example", category: "IMPORTANT" } });
    await h.sql(
      `insert into triage_rules (id, workspace_id, created_by, field, value, category, state, summary, created_at)
       values (?, ?, ?, 'SENDER', 'b@x.example', 'NEWSLETTER', 'PROPOSED', 'proposed', now())`,
      [randomUUID(), me.workspaceId, me.userId],
    );
    const verdicts = await h.app.triage.triage(accountOf(me), [message("a@x.example"), message("b@x.example")]);
    expect(categories(verdicts)).toEqual(["IMPORTANT/RULE", "FYI/RULE"]);
  });

  test("when crm cannot be asked, the provider decides and triage does not fail", async () => {
    const me = newMember();
    crm.add(me.workspaceId, { name: "Ada", emails: ["ada@acme.example"], deals: [{ title: "Deal", stage: "LEAD" }] });
    crm.failWith = {
      status: 503,
      body: { errors: [{ message: "down", extensions: { code: "SERVICE_UNAVAILABLE" } }] },
    };
    const verdicts = await h.app.triage.triage(accountOf(me), [message("ada@acme.example")]);
    expect(categories(verdicts)).toEqual(["OTHER/PROVIDER"]);
    expect(await h.app.triage.triage(accountOf(me), [])).toEqual([]);
  });

  test("rules' SQL form matches exactly the messages their TypeScript form does", async () => {
    const me = newMember();
    const user = await createMailUser();
    const accountId = await h.connect(me, user);
    const senders = ["ada@acme.example", "bot@mail.acme.example", "eve@notacme.example", "Bob@Other.example"];
    for (const [i, from] of senders.entries()) {
      await deliver({
        from,
        to: user.address,
        subject: i % 2 ? "Weekly INVOICE" : "Hello",
        headers: i < 2 ? { "List-Id": `Team ${i} <team.acme.example>` } : {},
      });
    }
    await h.sync(accountId);
    const rows = await h.app.orm.em.fork().find(Message, { accountId });
    expect(rows).toHaveLength(senders.length);
    const conditions = [
      { field: "SENDER", headerName: null, value: "bob@other.example" },
      { field: "DOMAIN", headerName: null, value: "acme.example" },
      { field: "SUBJECT", headerName: null, value: "Invoice" },
      { field: "HEADER", headerName: "list-id", value: "team 1" },
      { field: "HEADER", headerName: "list-id", value: "" },
      { field: "HEADER", headerName: "x-absent", value: "" },
    ] as const;
    for (const condition of conditions) {
      const [sql, params] = ruleSql(condition);
      const bySql = await h.sql<{ id: string }>(`select m.id from messages m where m.account_id = ? and ${sql}`, [
        accountId,
        ...params,
      ]);
      const byTs = rows.filter((row) => matchesRule(condition, row)).map((row) => row.id);
      expect(bySql.map((row) => row.id).sort(), JSON.stringify(condition)).toEqual(byTs.sort());
    }
  });
});

describe("triage rules through the API", () => {
  test("are created, listed newest first, filtered by state and deleted, within the workspace", async () => {
    const me = newMember();
    const colleague = newMember(me.workspaceId);
    const { createTriageRule: first } = await h.ok(me, CREATE_RULE, {
      input: { field: "DOMAIN", value: "News.Example", category: "NEWSLETTER" },
    });
    expect(first).toMatchObject({
      field: "DOMAIN",
      headerName: null,
      value: "news.example",
      state: "ACTIVE",
      summary: "Always put mail from news.example in Newsletters",
    });
    const { createTriageRule: second } = await h.ok(colleague, CREATE_RULE, {
      input: { field: "HEADER", headerName: "List-Id", value: "digest", category: "FYI" },
    });
    expect(second).toMatchObject({
      headerName: "list-id",
      summary: 'Always put mail whose list-id header contains "digest" in FYI',
    });
    const page = await h.ok(me, RULES, { first: 1 });
    expect(page.triageRules.edges.map((edge: any) => edge.node.id)).toEqual([second.id]);
    const next = await h.ok(me, RULES, { first: 1, after: page.triageRules.pageInfo.endCursor });
    expect(next.triageRules.edges.map((edge: any) => edge.node.id)).toEqual([first.id]);
    expect((await h.ok(me, RULES, { state: "PROPOSED" })).triageRules.edges).toEqual([]);

    // Another workspace sees none of them and cannot delete them.
    const stranger = newMember();
    expect((await h.ok(stranger, RULES)).triageRules.edges).toEqual([]);
    expect(errorCode(await h.call(stranger, DELETE_RULE, { id: first.id }))).toBe("NOT_FOUND");
    expect(errorCode(await h.call(me, DELETE_RULE, { id: "not-a-uuid" }))).toBe("NOT_FOUND");
    expect((await h.ok(colleague, DELETE_RULE, { id: first.id })).deleteTriageRule).toBe(first.id);
    expect((await h.ok(me, RULES)).triageRules.edges.map((edge: any) => edge.node.id)).toEqual([second.id]);
  });

  test("a bad condition is BAD_USER_INPUT naming the field, and nothing is saved", async () => {
    const me = newMember();
    const bad = [
      [{ field: "SENDER", value: "nobody", category: "FYI" }, "value"],
      [{ field: "DOMAIN", value: "not a domain", category: "FYI" }, "value"],
      [{ field: "SUBJECT", value: "", category: "FYI" }, "value"],
      [{ field: "HEADER", value: "x", category: "FYI" }, "headerName"],
      [{ field: "DOMAIN", headerName: "List-Id", value: "x.example", category: "FYI" }, "headerName"],
    ] as const;
    for (const [input, field] of bad) {
      const response = await h.call(me, CREATE_RULE, { input });
      expect(errorCode(response), JSON.stringify(input)).toBe("BAD_USER_INPUT");
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
    }
    const [{ n }] = (await h.sql<{ n: number }>(`select count(*)::int as n from triage_rules where workspace_id = ?`, [
      me.workspaceId,
    ])) as [{ n: number }];
    expect(n).toBe(0);
  });

  test("need inbox:read to list and inbox:write to change", async () => {
    const reader: AuthenticatedPrincipal = { ...newMember(), scopes: ["inbox:read"] };
    const input = { field: "DOMAIN", value: "x.example", category: "FYI" };
    expect(errorCode(await h.call(reader, CREATE_RULE, { input }))).toBe("FORBIDDEN");
    expect(errorCode(await h.call({ ...reader, scopes: ["crm:read"] }, RULES))).toBe("FORBIDDEN");
    expect(errorCode(await h.call({ kind: "anonymous" }, RULES))).toBe("UNAUTHENTICATED");
    expect(errorCode(await h.call(reader, RECATEGORIZE, { id: randomUUID(), category: "FYI" }))).toBe("FORBIDDEN");
  });
});

describe("recategorize", () => {
  test("keeps the user's category through later syncs and triage, and proposes a rule to accept", async () => {
    const me = newMember();
    const user = await createMailUser();
    const accountId = await h.connect(me, user);
    await deliver({
      from: "Ann <ann@supplier.example>",
      to: user.address,
      subject: "Catalogue",
      text: "Our new range.",
    });
    await deliver({
      from: "bot@eu.supplier.example",
      to: user.address,
      subject: "Stock",
      text: "Can you check stock?",
    });
    await deliver({ from: "pal@gmail.com", to: user.address, subject: "Hi", text: "Long time." });
    await h.sync(accountId);
    const rows = async () =>
      h.sql<{ id: string; subject: string; category: string; triage_source: string }>(
        `select id, subject, category, triage_source from messages where account_id = ? order by subject`,
        [accountId],
      );
    const [catalogue, hi, stock] = await rows();
    expect([catalogue, hi, stock].map((row) => `${row!.subject}:${row!.category}/${row!.triage_source}`)).toEqual([
      "Catalogue:OTHER/PROVIDER",
      "Hi:OTHER/PROVIDER",
      "Stock:ACTIONABLE/PROVIDER",
    ]);

    const { recategorize } = await h.ok(me, RECATEGORIZE, { id: catalogue!.id, category: "FYI" });
    expect(recategorize.message).toEqual({
      id: catalogue!.id,
      category: "FYI",
      urgency: "NORMAL",
      triageReason: "Recategorized by you",
      triageSource: "USER",
    });
    expect(recategorize.proposedRule).toMatchObject({
      field: "DOMAIN",
      value: "supplier.example",
      category: "FYI",
      state: "PROPOSED",
      summary: "Always put mail from supplier.example in FYI",
    });
    // The same correction again proposes the same rule, not a second one.
    const again = await h.ok(me, RECATEGORIZE, { id: catalogue!.id, category: "FYI" });
    expect(again.recategorize.proposedRule.id).toBe(recategorize.proposedRule.id);
    // Mail from a personal address is proposed by sender.
    const personal = await h.ok(me, RECATEGORIZE, { id: hi!.id, category: "IMPORTANT" });
    expect(personal.recategorize.proposedRule).toMatchObject({ field: "SENDER", value: "pal@gmail.com" });

    // A later sync and triage keep the correction.
    await h.sql(`update messages set category = null, triage_source = null where id = ?`, [stock!.id]);
    await h.sync(accountId);
    const [account] = await h.app.orm.em.fork().find(MailAccount, { id: accountId });
    const loaded = await h.app.orm.em.fork().find(Message, { accountId }, { orderBy: { subject: "asc" } });
    const verdicts = await h.app.triage.triage(account!, loaded);
    expect(verdicts[0]).toMatchObject({ category: "FYI", source: "USER" });
    expect((await rows())[0]).toMatchObject({ category: "FYI", triage_source: "USER" });

    // Accepting applies it to the supplier's other mail (subdomains too), not to the corrected one.
    const accepted = await h.ok(me, ACCEPT, { id: recategorize.proposedRule.id, apply: true });
    expect(accepted.acceptTriageRule).toEqual({
      rule: { id: recategorize.proposedRule.id, state: "ACTIVE" },
      retriagedMessages: 1,
    });
    const after = await rows();
    expect(after.map((row) => `${row.subject}:${row.category}/${row.triage_source}`)).toEqual([
      "Catalogue:FYI/USER",
      "Hi:IMPORTANT/USER",
      "Stock:FYI/RULE",
    ]);
    // Accepting again changes nothing; a stranger cannot.
    expect((await h.ok(me, ACCEPT, { id: recategorize.proposedRule.id, apply: true })).acceptTriageRule).toEqual({
      rule: { id: recategorize.proposedRule.id, state: "ACTIVE" },
      retriagedMessages: 0,
    });
    expect(errorCode(await h.call(newMember(), ACCEPT, { id: recategorize.proposedRule.id }))).toBe("NOT_FOUND");
    // An ACTIVE rule saying the same means nothing more is proposed.
    const third = await h.ok(me, RECATEGORIZE, { id: stock!.id, category: "FYI" });
    expect(third.recategorize.proposedRule).toBeNull();
  });

  test("another member's or workspace's message is NOT_FOUND and unchanged", async () => {
    const me = newMember();
    const user = await createMailUser();
    const accountId = await h.connect(me, user);
    await deliver({ to: user.address, subject: "Private" });
    await h.sync(accountId);
    const [row] = await h.sql(`select id, category from messages where account_id = ?`, [accountId]);
    for (const other of [newMember(me.workspaceId), newMember()]) {
      expect(errorCode(await h.call(other, RECATEGORIZE, { id: row!.id, category: "FYI" }))).toBe("NOT_FOUND");
    }
    expect(errorCode(await h.call(me, RECATEGORIZE, { id: "nope", category: "FYI" }))).toBe("NOT_FOUND");
    const [unchanged] = await h.sql(`select category, triage_source from messages where id = ?`, [row!.id]);
    expect(unchanged).toEqual({ category: row!.category, triage_source: "PROVIDER" });
  });
});

describe("the OpenAI provider", () => {
  const log = createLogger("inbox-test", "silent");
  const provider = (baseURL = openAI.url) =>
    new OpenAIProvider({ apiKey: "sk-test", baseURL, model: "gpt-test", timeoutMs: 5_000, log });
  const input = (subject: string, headers: Record<string, string> = {}): TriageInput => ({
    from: { name: "Ada", email: "ada@acme.example" },
    subject,
    text: "Body text",
    headers,
  });

  test("asks for JSON verdicts of a batch in one chat completion", async () => {
    openAI.requests.length = 0;
    openAI.script = () => ({
      text: [
        '{"verdicts":[{"index":1,"category":"ACTIONABLE","urgency":"HIGH","reason":"Asks for a signature by today"},',
        '{"index":0,"category":"FYI","urgency":"LOW","reason":"A status update\\nwith two lines"}]}',
      ],
    });
    const verdicts = await provider().classify([input("Status"), input("Sign please")]);
    expect(verdicts).toEqual([
      { category: "FYI", urgency: "LOW", reason: "A status update with two lines" },
      { category: "ACTIONABLE", urgency: "HIGH", reason: "Asks for a signature by today" },
    ]);
    expect(openAI.requests).toHaveLength(1);
    expect(openAI.requests[0]!.model).toBe("gpt-test");
    expect(openAI.requests[0]!.authorization).toBe("Bearer sk-test");
    expect(JSON.parse(openAI.requests[0]!.messages[1]!.content!).messages.map((m: any) => m.subject)).toEqual([
      "Status",
      "Sign please",
    ]);
  });

  test("falls back to LOCAL's rules, saying why, on an answer that is not the JSON asked for or no answer", async () => {
    openAI.script = () => ({ text: ["Sure! Here you go: FYI"] });
    const [notJson] = await provider().classify([input("Digest", { "list-id": "x" })]);
    expect(notJson).toEqual({
      category: "NEWSLETTER",
      urgency: "LOW",
      reason: "Bulk mail: it has a List-Id header (LOCAL rules: the AI provider failed: its answer was not JSON)",
    });
    openAI.script = () => ({ text: ['{"verdicts":[{"index":0,"category":"SPAM","urgency":"LOW","reason":"x"}]}'] });
    const [wrongShape] = await provider().classify([input("Hello")]);
    expect(wrongShape!.reason).toContain(
      "(LOCAL rules: the AI provider failed: its answer was not the JSON asked for)",
    );
    openAI.script = () => ({ text: ['{"verdicts":[]}'] });
    const [missing] = await provider().classify([input("Hello")]);
    expect(missing!.reason).toContain("no verdict for this message");
    const [unreachable] = await provider("http://127.0.0.1:9/v1").classify([input("Can you call me?")]);
    expect(unreachable).toMatchObject({ category: "ACTIONABLE" });
    expect(unreachable!.reason).toMatch(
      /^It asks something of you \("can you"\) \(LOCAL rules: the AI provider failed: /,
    );
  });

  test("drafts a reply with the model's text and the original quoted; LOCAL's template when it fails", async () => {
    openAI.script = () => ({ text: ["Hi Ada,\n\nTuesday works.", "\n\nBest,\nGrace"] });
    const reply = {
      original: { ...input("Meet?"), text: "Shall we meet?", sentAt: new Date("2026-12-01T10:00:00Z") },
      instructions: "accept Tuesday",
      signature: "Grace",
    };
    expect(await provider().draftReply(reply)).toBe(
      "Hi Ada,\n\nTuesday works.\n\nBest,\nGrace\n\nOn Tue, 01 Dec 2026 10:00:00 GMT, Ada <ada@acme.example> wrote:\n> Shall we meet?\n",
    );
    expect(await provider("http://127.0.0.1:9/v1").draftReply(reply)).toMatch(/^Hi Ada,\n\naccept Tuesday\n/);
  });
});
