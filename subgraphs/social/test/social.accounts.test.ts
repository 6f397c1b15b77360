import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { errorCode } from "@mary/kit/testing";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

const account = (handle = `${randomUUID().slice(0, 8)}.test`) => ({
  id: randomUUID(),
  network: "BLUESKY" as const,
  handle,
  remoteId: `did:plc:${randomUUID().replaceAll("-", "")}`,
  serviceUrl: "http://127.0.0.1:2583",
  displayName: null,
  maxPostLength: 300,
});

describe("the social subgraph on Neo4j", () => {
  test("applies its constraints and indexes at start, and readyz answers", async () => {
    const { records } = await h.app.graph.read<{ name: string }>("SHOW CONSTRAINTS YIELD name RETURN name");
    const names = records.map((record) => record.get("name"));
    expect(names).toEqual(expect.arrayContaining(["social_account_id", "profile_key", "contact_key", "post_id"]));
    expect((await fetch(new URL("/readyz", h.app.url))).status).toBe(200);
  });

  test("keeps tokens sealed: the stored secret is not the token, and opens only for its account", async () => {
    const owner = h.member();
    const saved = await h.app.accounts.save(owner, account(), { accessJwt: "token-abc" });
    const { records } = await h.app.graph.read("MATCH (a:SocialAccount {id: $id}) RETURN a.secret AS secret", {
      id: saved.id,
    });
    expect(records[0]!.get("secret")).not.toContain("token-abc");
    expect(h.app.accounts.tokensOf<{ accessJwt: string }>(saved).accessJwt).toBe("token-abc");
  });

  test("FREE connects one account: the second is PLAN_LIMIT, even when both arrive at once", async () => {
    const owner = h.member("FREE");
    const results = await Promise.allSettled([
      h.app.accounts.save(owner, account(), {}),
      h.app.accounts.save(owner, account(), {}),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.extensions.code).toBe("PLAN_LIMIT");
    expect(await h.app.accounts.countInWorkspace(owner.workspaceId)).toBe(1);
  });

  test("reconnecting the same network identity updates the account instead of counting a new one", async () => {
    const owner = h.member("FREE");
    const first = await h.app.accounts.save(owner, account("same.test"), { v: 1 });
    const again = await h.app.accounts.save(owner, { ...account("same.test"), remoteId: first.remoteId }, { v: 2 });
    expect(again.id).toBe(first.id);
    expect(h.app.accounts.tokensOf<{ v: number }>(again).v).toBe(2);
  });

  test("lists the workspace's accounts only; another workspace's id is NOT_FOUND", async () => {
    const owner = h.member("PRO");
    const other = h.member("PRO");
    const mine = await h.app.accounts.save(owner, account(), {});
    const theirs = await h.app.accounts.save(other, account(), {});
    const list = await h.call(owner, `{ socialAccounts(first: 10) { edges { node { id handle network state } } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data.socialAccounts.edges.map((edge: any) => edge.node.id)).toEqual([mine.id]);
    expect(
      errorCode(await h.call(owner, `query ($id: ID!) { socialAccount(id: $id) { id } }`, { id: theirs.id })),
    ).toBe("NOT_FOUND");
    const usage = await h.call(
      owner,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Usage { socialAccounts } } }`,
      { r: [{ __typename: "Usage", workspaceId: owner.workspaceId }] },
    );
    expect(usage.data._entities[0].socialAccounts).toBe(1);
    expect(
      errorCode(await h.call(owner, `mutation ($id: ID!) { disconnectSocialAccount(id: $id) }`, { id: theirs.id })),
    ).toBe("NOT_FOUND");
    expect(await h.app.accounts.countInWorkspace(other.workspaceId)).toBe(1);
  });
});
