import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import { startPlatform, type Platform, type SignedUp } from "./platform.ts";

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const ok = async <T = any>(account: SignedUp, query: string, variables: Record<string, unknown> = {}) => {
  const response = await platform.gql<T>(query, variables, account.accessToken);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as T;
};

const principalOf = (account: SignedUp): AuthenticatedPrincipal => ({
  kind: "user",
  userId: account.user.id,
  workspaceId: account.workspace.id,
  role: "OWNER",
  scopes: ["social:read", "social:write"],
  plan: "FREE",
});

/**
 * A Bluesky account and a follow graph written straight into Neo4j (what an import would have
 * made): me follows f1..f4; f1..f4 all follow "acme-person", f1 and f2 follow "stranger-a", f1
 * follows "stranger-b". Nothing here calls a network.
 */
async function seededGraph(owner: SignedUp) {
  const account = await platform.social.accounts.save(
    principalOf(owner),
    {
      id: randomUUID(),
      network: "BLUESKY",
      handle: "me.test",
      remoteId: `did:test:${owner.workspace.id}:me`,
      serviceUrl: "http://127.0.0.1:9",
      displayName: null,
      maxPostLength: 300,
    },
    {},
  );
  const edges: [string, string][] = [
    ["me", "f1"],
    ["me", "f2"],
    ["me", "f3"],
    ["me", "f4"],
    ["f1", "acme-person"],
    ["f2", "acme-person"],
    ["f3", "acme-person"],
    ["f4", "acme-person"],
    ["f1", "stranger-a"],
    ["f2", "stranger-a"],
    ["f3", "stranger-a"],
    ["f4", "stranger-a"],
    ["f1", "stranger-b"],
  ];
  await platform.social.graph.write(
    `UNWIND $edges AS e
     MERGE (a:Profile {workspaceId: $workspaceId, network: 'BLUESKY', remoteId: $prefix + e[0]})
       SET a.id = coalesce(a.id, randomUUID()), a.handle = e[0] + '.test'
     MERGE (b:Profile {workspaceId: $workspaceId, network: 'BLUESKY', remoteId: $prefix + e[1]})
       SET b.id = coalesce(b.id, randomUUID()), b.handle = e[1] + '.test'
     MERGE (a)-[:FOLLOWS]->(b)`,
    { workspaceId: owner.workspace.id, prefix: `did:test:${owner.workspace.id}:`, edges },
  );
  return account;
}

const SUGGESTIONS = `query ($accountId: ID!) {
  suggestions(accountId: $accountId, first: 10) {
    profile { handle contact { id name company { name } } } commonFollows score reason
  }
}`;

describe("the follow graph through the gateway", () => {
  test("a CRM contact's profile ranks first, its reason naming the company crm has for it", async () => {
    const owner = await platform.signUp();
    const account = await seededGraph(owner);
    const before = await ok(owner, SUGGESTIONS, { accountId: account.id });
    // Equal common follows and Jaccard: ties go by handle.
    expect(before.suggestions.map((s: any) => s.profile.handle)).toEqual([
      "acme-person.test",
      "stranger-a.test",
      "stranger-b.test",
    ]);

    const { createCompany } = await ok(owner, `mutation { createCompany(input: { name: "Acme" }) { id } }`);
    const { createContact } = await ok(
      owner,
      `mutation ($companyId: ID!) { createContact(input: { name: "Ada Acme", companyId: $companyId }) { id } }`,
      { companyId: createCompany.id },
    );
    const { linkSocialProfile } = await ok(
      owner,
      `mutation ($contactId: ID!) { linkSocialProfile(contactId: $contactId, network: BLUESKY, handle: "@Stranger-A.test") {
        id handle contact { id name }
      } }`,
      { contactId: createContact.id },
    );
    expect(linkSocialProfile).toMatchObject({
      handle: "stranger-a.test",
      contact: { id: createContact.id, name: "Ada Acme" },
    });

    const after = await ok(owner, SUGGESTIONS, { accountId: account.id });
    expect(after.suggestions[0]).toMatchObject({
      profile: { handle: "stranger-a.test", contact: { name: "Ada Acme", company: { name: "Acme" } } },
      commonFollows: 4,
      reason: "followed by 4 people you follow; a contact at Acme",
    });
    expect(after.suggestions[1]).toMatchObject({
      profile: { handle: "acme-person.test", contact: null },
      reason: "followed by 4 people you follow",
    });
    expect(after.suggestions[0].score).toBeCloseTo(after.suggestions[1].score * 1.5);

    const contact = await ok(
      owner,
      `query ($id: ID!) { contact(id: $id) { name socialProfiles { handle network } } }`,
      { id: createContact.id },
    );
    expect(contact.contact.socialProfiles).toEqual([{ handle: "stranger-a.test", network: "BLUESKY" }]);

    await ok(owner, `mutation ($c: ID!, $p: ID!) { unlinkSocialProfile(contactId: $c, profileId: $p) }`, {
      c: createContact.id,
      p: linkSocialProfile.id,
    });
    const unlinked = await ok(owner, SUGGESTIONS, { accountId: account.id });
    expect(unlinked.suggestions[0].profile.handle).toBe("acme-person.test");
  });

  test("another workspace cannot link to its contacts, nor see its graph", async () => {
    const owner = await platform.signUp();
    const stranger = await platform.signUp();
    const account = await seededGraph(owner);
    await seededGraph(stranger);
    const { createContact } = await ok(owner, `mutation { createContact(input: { name: "Private Person" }) { id } }`);
    // The stranger's own graph has f1.test, but the contact is the owner's: crm says NOT_FOUND.
    const linked = await platform.gql(
      `mutation ($c: ID!) { linkSocialProfile(contactId: $c, network: BLUESKY, handle: "f1.test") { id } }`,
      { c: createContact.id },
      stranger.accessToken,
    );
    expect(errorCode(linked)).toBe("NOT_FOUND");
    const { records } = await platform.social.graph.read("MATCH (c:Contact {id: $id}) RETURN c", {
      id: createContact.id,
    });
    expect(records).toHaveLength(0);
    expect(errorCode(await platform.gql(SUGGESTIONS, { accountId: account.id }, stranger.accessToken))).toBe(
      "NOT_FOUND",
    );
  });
});
