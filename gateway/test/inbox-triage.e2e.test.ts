import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  createMailUser,
  errorCode,
  MAIL_HOST,
  MAIL_IMAP_PORT,
  MAIL_SUBMISSION_PORT,
  type MailUser,
} from "@mary/kit/testing";
import { startInbox, type InboxApp } from "../../subgraphs/inbox/src/app.ts";
import { loadInboxConfig } from "../../subgraphs/inbox/src/config.ts";
import { deliver } from "../../subgraphs/inbox/test/harness.ts";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const ok = async <T = any>(account: SignedUp, query: string, variables: Record<string, unknown> = {}, url?: string) => {
  const response = url
    ? await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${account.accessToken}` },
        body: JSON.stringify({ query, variables }),
      }).then((answer) => answer.json() as Promise<{ data?: T; errors?: unknown }>)
    : await platform.gql<T>(query, variables, account.accessToken);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
};

const CONNECT = `mutation ($input: ConnectMailAccountInput!) { connectMailAccount(input: $input) { id } }`;
const mailInput = (user: MailUser) => ({
  address: user.address,
  imapHost: MAIL_HOST,
  imapPort: MAIL_IMAP_PORT,
  imapSecurity: "NONE",
  smtpHost: MAIL_HOST,
  smtpPort: MAIL_SUBMISSION_PORT,
  smtpSecurity: "NONE",
  password: user.password,
});
const TRIAGED = `query { messages(first: 50) { edges { node {
  id subject category urgency triageReason triageSource
  from { email contact { name deals(first: 5) { edges { node { title stage } } } } } } } } }`;

interface TriagedMessage {
  id: string;
  subject: string;
  category: string | null;
  urgency: string | null;
  triageReason: string | null;
  triageSource: string | null;
  from: { email: string; contact: { name: string; deals: { edges: { node: { title: string } }[] } } | null };
}

/** The account's messages once `count` of them are triaged (sync runs in the background, on the queue). */
async function triaged(account: SignedUp, count: number, url?: string): Promise<TriagedMessage[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { messages } = await ok<{ messages: { edges: { node: TriagedMessage }[] } }>(account, TRIAGED, {}, url);
    const nodes = messages.edges.map((edge) => edge.node);
    if (nodes.filter((node) => node.category).length >= count) return nodes;
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(nodes)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const bySubject = (messages: TriagedMessage[], subject: string) => messages.find((m) => m.subject === subject)!;

describe("triage through the gateway, against the real mail server and crm", () => {
  test("a newsletter is NEWSLETTER; mail from a crm contact with an open deal is IMPORTANT; the sender's deals show on the message", async () => {
    const owner = await platform.signUp();
    const user = await createMailUser();
    const ada = `ada-${randomUUID().slice(0, 8)}@acme.example`;
    const wendy = `wendy-${randomUUID().slice(0, 8)}@won.example`;
    const { createContact } = await ok(
      owner,
      `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`,
      { input: { name: "Ada Lovelace", emails: [ada] } },
    );
    const CREATE_DEAL = `mutation ($input: CreateDealInput!) { createDeal(input: $input) { id } }`;
    await ok(owner, CREATE_DEAL, {
      input: { title: "Acme renewal", amount: { amount: 120000, currency: "USD" }, contactId: createContact.id },
    });
    const { createContact: closed } = await ok(
      owner,
      `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`,
      { input: { name: "Wendy Won", emails: [wendy] } },
    );
    const { createDeal: won } = await ok(owner, CREATE_DEAL, {
      input: { title: "Signed", amount: { amount: 1, currency: "USD" }, contactId: closed.id },
    });
    await ok(owner, `mutation ($id: ID!) { moveDeal(id: $id, stage: WON) { id } }`, { id: won.id });
    // Another workspace's contact with the same address makes nothing IMPORTANT here.
    const stranger = await platform.signUp();
    const foreign = `eve-${randomUUID().slice(0, 8)}@rival.example`;
    const { createContact: eve } = await ok(
      stranger,
      `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`,
      { input: { name: "Eve", emails: [foreign] } },
    );
    await ok(stranger, CREATE_DEAL, {
      input: { title: "Theirs", amount: { amount: 1, currency: "USD" }, contactId: eve.id },
    });

    await deliver({
      from: `Weekly News <news@paper.example>`,
      to: user.address,
      subject: "This week in anvils",
      text: "Read all about it.",
      headers: { "List-Unsubscribe": "<mailto:unsubscribe@paper.example>", "List-Id": "Anvils <anvils.paper.example>" },
    });
    await deliver({ from: `Ada Lovelace <${ada}>`, to: user.address, subject: "Renewal", text: "Here are the terms." });
    await deliver({ from: `Wendy <${wendy}>`, to: user.address, subject: "Thanks", text: "Great working with you." });
    await deliver({ from: `Eve <${foreign}>`, to: user.address, subject: "Hello", text: "Just saying hi." });
    await ok(owner, CONNECT, { input: mailInput(user) });

    const messages = await triaged(owner, 4);
    expect(bySubject(messages, "This week in anvils")).toMatchObject({
      category: "NEWSLETTER",
      urgency: "LOW",
      triageSource: "PROVIDER",
      triageReason: "Bulk mail: it has a List-Unsubscribe header",
    });
    expect(bySubject(messages, "Renewal")).toMatchObject({
      category: "IMPORTANT",
      triageSource: "CONTACT",
      triageReason: "From Ada Lovelace, a contact with an open deal: Acme renewal",
      from: { email: ada, contact: { name: "Ada Lovelace", deals: { edges: [{ node: { title: "Acme renewal" } }] } } },
    });
    expect(bySubject(messages, "Thanks")).toMatchObject({ category: "OTHER", triageSource: "PROVIDER" });
    expect(bySubject(messages, "Thanks").from.contact?.name).toBe("Wendy Won");
    expect(bySubject(messages, "Hello")).toMatchObject({ category: "OTHER", from: { email: foreign, contact: null } });
  });

  test("another workspace's drafts are unreachable by id through the gateway", async () => {
    const owner = await platform.signUp();
    const user = await createMailUser();
    const { connectMailAccount } = await ok(owner, CONNECT, { input: mailInput(user) });
    const { createDraft } = await ok(
      owner,
      `mutation ($input: CreateDraftInput!) { createDraft(input: $input) { id state } }`,
      { input: { accountId: connectMailAccount.id, to: [{ email: "x@example.com" }], body: "private" } },
    );
    const stranger = await platform.signUp();
    for (const query of [
      `query ($id: ID!) { draft(id: $id) { id body } }`,
      `mutation ($id: ID!) { sendDraft(id: $id) { id } }`,
      `mutation ($id: ID!) { deleteDraft(id: $id) }`,
      `mutation ($id: ID!) { updateDraft(id: $id, input: { body: "theirs" }) { id } }`,
    ]) {
      const response = await platform.gql(query, { id: createDraft.id }, stranger.accessToken);
      expect(errorCode(response), query).toBe("NOT_FOUND");
    }
    const { draft } = await ok(owner, `query ($id: ID!) { draft(id: $id) { body state } }`, { id: createDraft.id });
    expect(draft).toEqual({ body: "private", state: "DRAFT" });
  });

  test("with OPENAI_API_KEY, triage asks the OpenAI-compatible server and uses its JSON verdicts", async () => {
    // A second inbox process with the OpenAI provider on the same data, behind a gateway of its own;
    // its own sync queue, so its accounts' syncs run there.
    let openInbox: InboxApp | null = null;
    const triageRequests: unknown[] = [];
    const previous = platform.openAI.script;
    platform.openAI.script = (request) => {
      if (!request.messages[0]?.content?.startsWith("You triage email")) return previous(request);
      const asked = JSON.parse(request.messages[1]!.content!) as { messages: { index: number; subject: string }[] };
      triageRequests.push(asked);
      return {
        text: [
          JSON.stringify({
            verdicts: asked.messages.map((message) => ({
              index: message.index,
              category: message.subject.includes("quote") ? "ACTIONABLE" : "FYI",
              urgency: "HIGH",
              reason: `The model read: ${message.subject}`,
            })),
          }),
        ],
      };
    };
    try {
      openInbox = await startInbox(
        loadInboxConfig({
          ...platform.inboxEnv,
          SYNC_QUEUE_NAME: `inbox-sync-${randomUUID()}`,
          OPENAI_API_KEY: "sk-test-mary",
          OPENAI_BASE_URL: platform.openAI.url,
          OPENAI_MODEL: "gpt-test",
        }),
      );
      const gateway = await platform.startGateway({}, { inbox: openInbox.url });
      const owner = await platform.signUp();
      const user = await createMailUser();
      await deliver({ to: user.address, subject: "Need a quote", text: "Send me a price list." });
      await deliver({ to: user.address, subject: "Status", text: "All systems normal." });
      await ok(owner, CONNECT, { input: mailInput(user) }, gateway.url);
      const messages = await triaged(owner, 2, gateway.url);
      expect(bySubject(messages, "Need a quote")).toMatchObject({
        category: "ACTIONABLE",
        urgency: "HIGH",
        triageSource: "PROVIDER",
        triageReason: "The model read: Need a quote",
      });
      expect(bySubject(messages, "Status")).toMatchObject({ category: "FYI", triageReason: "The model read: Status" });
      // One chat completion for the batch.
      expect(triageRequests).toHaveLength(1);
    } finally {
      platform.openAI.script = previous;
      await openInbox?.close();
    }
  });
});
