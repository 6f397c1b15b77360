import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import { bruteForceSuggestions } from "../src/services/suggestion-scoring.ts";
import type { SocialAccount } from "../src/types/social-account.type.ts";
import { startHarness, type Harness } from "./harness.ts";

/** Nothing answers here: crm's company names are then unknown, and reasons say "a CRM contact". */
const UNREACHABLE_GATEWAY = "http://127.0.0.1:9/graphql";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ GATEWAY_URL: UNREACHABLE_GATEWAY });
});
afterAll(() => h?.stop());

const SUGGESTIONS = `query ($accountId: ID!, $first: Int!) {
  suggestions(accountId: $accountId, first: $first) {
    profile { id handle contact { id } } commonFollows jaccard score reason contact { id }
  }
}`;

/** A random graph of `size` profiles in the caller's workspace (the account's own among them as "p0"). */
async function knownGraph(owner: AuthenticatedPrincipal, size: number, edgesPerProfile: number) {
  const account: SocialAccount = await h.app.accounts.save(
    owner,
    {
      id: randomUUID(),
      network: "BLUESKY",
      handle: "p0.test",
      remoteId: "did:test:p0",
      serviceUrl: "http://127.0.0.1:2583",
      displayName: null,
      maxPostLength: 300,
    },
    {},
  );
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const adjacency = new Map<string, Set<string>>();
  const edges: { from: string; to: string }[] = [];
  for (let i = 0; i < size; i++) {
    const from = `did:test:p${i}`;
    const count = i === 0 ? 8 : Math.floor(random() * edgesPerProfile);
    for (let k = 0; k < count; k++) {
      const to = `did:test:p${Math.floor(random() * size)}`;
      if (to === from || adjacency.get(from)?.has(to)) continue;
      adjacency.set(from, (adjacency.get(from) ?? new Set()).add(to));
      edges.push({ from, to });
    }
  }
  await h.app.graph.write(
    `UNWIND range(0, $size - 1) AS i
     MERGE (p:Profile {workspaceId: $workspaceId, network: 'BLUESKY', remoteId: 'did:test:p' + i})
     SET p.id = coalesce(p.id, randomUUID()), p.handle = 'p' + i + '.test'`,
    { workspaceId: owner.workspaceId, size },
  );
  await h.app.graph.write(
    `UNWIND $edges AS e
     MATCH (a:Profile {workspaceId: $workspaceId, network: 'BLUESKY', remoteId: e.from})
     MATCH (b:Profile {workspaceId: $workspaceId, network: 'BLUESKY', remoteId: e.to})
     MERGE (a)-[:FOLLOWS]->(b)`,
    { workspaceId: owner.workspaceId, edges },
  );
  return { account, adjacency };
}

const handleOf = (remoteId: string) => `${remoteId.replace("did:test:", "")}.test`;

describe("suggestions on a known graph", () => {
  test("match a brute-force count of common neighbours, Jaccard and ranking", async () => {
    const owner = h.member("PRO");
    const { account, adjacency } = await knownGraph(owner, 60, 6);
    const expected = bruteForceSuggestions(adjacency, "did:test:p0").slice(0, 20);
    expect(expected.length).toBeGreaterThan(3);
    const { data, errors } = await h.call(owner, SUGGESTIONS, { accountId: account.id, first: 20 });
    expect(errors).toBeUndefined();
    const got = data.suggestions as {
      profile: { handle: string };
      commonFollows: number;
      score: number;
      reason: string;
    }[];
    expect(got.map((s) => s.profile.handle)).toEqual(expected.map((s) => handleOf(s.id)));
    got.forEach((suggestion, index) => {
      expect(suggestion.commonFollows).toBe(expected[index]!.common);
      expect(suggestion.score).toBeCloseTo(expected[index]!.score, 10);
      expect(suggestion.reason).toBe(
        `followed by ${suggestion.commonFollows} ${suggestion.commonFollows === 1 ? "person" : "people"} you follow`,
      );
    });
  });

  test("a profile linked to a CRM contact ranks higher (×1.5) and says so", async () => {
    const owner = h.member("PRO");
    const { account, adjacency } = await knownGraph(owner, 60, 6);
    const ranked = bruteForceSuggestions(adjacency, "did:test:p0");
    const last = ranked[Math.min(4, ranked.length - 1)]!;
    const contactId = randomUUID();
    await h.app.graph.write(
      `MATCH (p:Profile {workspaceId: $workspaceId, remoteId: $remoteId})
       MERGE (c:Contact {workspaceId: $workspaceId, id: $contactId}) MERGE (c)-[:LINKED_TO]->(p)`,
      { workspaceId: owner.workspaceId, remoteId: last.id, contactId },
    );
    const expected = bruteForceSuggestions(adjacency, "did:test:p0", new Set([last.id])).slice(0, 10);
    const { data } = await h.call(owner, SUGGESTIONS, { accountId: account.id, first: 10 });
    expect(data.suggestions.map((s: any) => s.profile.handle)).toEqual(expected.map((s) => handleOf(s.id)));
    const boosted = data.suggestions.find((s: any) => s.profile.handle === handleOf(last.id));
    expect(boosted.contact).toEqual({ id: contactId });
    expect(boosted.profile.contact).toEqual({ id: contactId });
    expect(boosted.reason).toMatch(/; a CRM contact$/);
  });

  test("another workspace's account, profiles and suggestions are unreachable; bad first is BAD_USER_INPUT", async () => {
    const owner = h.member("PRO");
    const other = h.member("PRO");
    const { account } = await knownGraph(owner, 30, 5);
    expect(errorCode(await h.call(other, SUGGESTIONS, { accountId: account.id, first: 5 }))).toBe("NOT_FOUND");
    const { records } = await h.app.graph.read<{ id: string }>(
      "MATCH (p:Profile {workspaceId: $workspaceId}) RETURN p.id AS id LIMIT 1",
      { workspaceId: owner.workspaceId },
    );
    const profileId = records[0]!.get("id");
    expect(
      errorCode(await h.call(other, `query ($id: ID!) { socialProfile(id: $id) { id } }`, { id: profileId })),
    ).toBe("NOT_FOUND");
    expect(
      errorCode(
        await h.call(other, `mutation ($a: ID!, $p: ID!) { unfollowProfile(accountId: $a, profileId: $p) }`, {
          a: account.id,
          p: profileId,
        }),
      ),
    ).toBe("NOT_FOUND");
    expect(errorCode(await h.call(owner, SUGGESTIONS, { accountId: account.id, first: 51 }))).toBe("BAD_USER_INPUT");
    const contacts = await h.call(
      other,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Contact { socialProfiles { id } } } }`,
      { r: [{ __typename: "Contact", id: randomUUID() }] },
    );
    expect(contacts.data._entities[0].socialProfiles).toEqual([]);
  });
});
