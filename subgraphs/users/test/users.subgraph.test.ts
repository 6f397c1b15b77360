import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, errorCode, graphql, signedHeaders, TEST_ENV, testKeyPair } from "@mary/kit/testing";
import type { AuthenticatedPrincipal, Principal } from "@mary/kit";
import { startUsers, type UsersApp } from "../src/app.ts";
import { loadUsersConfig } from "../src/config.ts";

let app: UsersApp;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const statements: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase("users");
  app = await startUsers(
    loadUsersConfig({
      ...TEST_ENV,
      USERS_PORT: "0",
      USERS_DATABASE_URL: db.url,
      JWT_PRIVATE_KEY: testKeyPair().privateKey,
    }),
    { onQuery: (sql) => statements.push(sql) },
  );
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const anonymous: Principal = { kind: "anonymous" };
const call = (query: string, variables: Record<string, unknown>, principal: Principal) =>
  graphql(app.url, query, variables, signedHeaders(principal));

async function signUp(email: string) {
  const response = await call(
    `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } workspace { id } } }`,
    { input: { email, password: "correct-horse-42", name: email, workspaceName: `${email}'s team` } },
    anonymous,
  );
  expect(response.errors).toBeUndefined();
  return response.data.signUp as { user: { id: string }; workspace: { id: string } };
}

const owner = (account: { user: { id: string }; workspace: { id: string } }): AuthenticatedPrincipal => ({
  kind: "user",
  userId: account.user.id,
  workspaceId: account.workspace.id,
  role: "OWNER",
  scopes: ["users:read", "users:write"],
  plan: "FREE",
});

describe("users subgraph against its real database", () => {
  test("migrations produce exactly the schema the entities describe", async () => {
    const diff = await app.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe("");
  });

  test("readyz answers when PostgreSQL and Redis do", async () => {
    const response = await fetch(new URL("/readyz", app.url));
    expect(response.status).toBe(200);
  });

  test("_entities resolves only users who share the caller's workspace, in one batch", async () => {
    const alice = await signUp("entities-alice@example.com");
    const bob = await signUp("entities-bob@example.com");
    const carol = await signUp("entities-carol@example.com");
    const added = await call(
      `mutation ($w: ID!, $e: String!) { addMember(workspaceId: $w, email: $e, role: MEMBER) { role } }`,
      { w: alice.workspace.id, e: "entities-carol@example.com" },
      owner(alice),
    );
    expect(added.errors).toBeUndefined();

    statements.length = 0;
    const representations = [alice, bob, carol].map((account) => ({ __typename: "User", id: account.user.id }));
    const response = await call(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }`,
      { r: representations },
      owner(alice),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data._entities).toEqual([
      { id: alice.user.id, email: "entities-alice@example.com" },
      null,
      { id: carol.user.id, email: "entities-carol@example.com" },
    ]);
    // One query for the memberships in the caller's workspace, one for those users: not one per representation.
    expect(statements.filter((sql) => /\bselect\b/i.test(sql))).toHaveLength(2);
  });

  test("_entities never resolves another workspace", async () => {
    const dave = await signUp("entities-dave@example.com");
    const erin = await signUp("entities-erin@example.com");
    const response = await call(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Workspace { id name } } }`,
      {
        r: [
          { __typename: "Workspace", id: erin.workspace.id },
          { __typename: "Workspace", id: dave.workspace.id },
        ],
      },
      owner(dave),
    );
    expect(response.data._entities).toEqual([
      null,
      { id: dave.workspace.id, name: "entities-dave@example.com's team" },
    ]);
  });

  test("members(userIds:) tells who of them belongs to the active workspace, and about no other workspace", async () => {
    const grace = await signUp("members-grace@example.com");
    const heidi = await signUp("members-heidi@example.com");
    const ivan = await signUp("members-ivan@example.com");
    const added = await call(
      `mutation ($w: ID!, $e: String!) { addMember(workspaceId: $w, email: $e, role: MEMBER) { role } }`,
      { w: grace.workspace.id, e: "members-heidi@example.com" },
      owner(grace),
    );
    expect(added.errors).toBeUndefined();
    const AMONG = `query ($ids: [ID!]) { workspace { id members(userIds: $ids, first: 100) {
      edges { node { role user { id } workspace { id } } } } } }`;
    const among = async (principal: Principal, ids: string[]) => {
      const response = await call(AMONG, { ids }, principal);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return response.data.workspace.members.edges.map((edge: any) => edge.node);
    };
    const ids = [grace, heidi, ivan].map((account) => account.user.id);

    statements.length = 0;
    expect(await among(owner(grace), [...ids, heidi.user.id.toUpperCase(), "not-a-uuid"])).toEqual([
      { role: "OWNER", user: { id: grace.user.id }, workspace: { id: grace.workspace.id } },
      { role: "MEMBER", user: { id: heidi.user.id }, workspace: { id: grace.workspace.id } },
    ]);
    // The workspace, the memberships among the ids, their users and their workspace: not one query per id.
    expect(statements.filter((sql) => /\bselect\b/i.test(sql))).toHaveLength(4);
    // Another workspace's user is not a member; from ivan's workspace, grace's members are nobody.
    expect(await among(owner(ivan), [grace.user.id, heidi.user.id])).toEqual([]);
    expect(await among(owner(grace), [])).toEqual([]);

    // A workspace other than the active one, reached through a membership, does not answer.
    const heidiInGrace = { ...owner(heidi), role: "MEMBER" as const, workspaceId: grace.workspace.id };
    const elsewhere = await call(
      `{ me { memberships { workspace { id members(userIds: ["${heidi.user.id}"]) { edges { node { role } } } } } } }`,
      {},
      heidiInGrace,
    );
    expect(errorCode(elsewhere)).toBe("FORBIDDEN");
    const tooMany = await call(AMONG, { ids: Array.from({ length: 101 }, () => grace.user.id) }, owner(grace));
    expect(errorCode(tooMany)).toBe("BAD_USER_INPUT");
    const noScope = await call(AMONG, { ids }, { ...owner(grace), scopes: ["crm:write"] });
    expect(errorCode(noScope)).toBe("FORBIDDEN");
  });

  test("the API-key lookup answers only the gateway's service principal", async () => {
    const frank = await signUp("entities-frank@example.com");
    const asUser = await call(`{ apiKeyIdentity(key: "mary_x") { userId } }`, {}, owner(frank));
    expect(errorCode(asUser)).toBe("FORBIDDEN");
    const asGateway = await call(
      `{ apiKeyIdentity(key: "mary_x") { userId } }`,
      {},
      { kind: "service", service: "gateway" },
    );
    expect(asGateway.errors).toBeUndefined();
    expect(asGateway.data.apiKeyIdentity).toBeNull();
  });

  test("two sign-ups racing for one email create one account", async () => {
    const attempt = () =>
      call(
        `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
        { input: { email: "race@example.com", password: "correct-horse-42", name: "R", workspaceName: "R" } },
        anonymous,
      );
    const results = await Promise.all([attempt(), attempt(), attempt()]);
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    expect(results.filter((result) => errorCode(result) === "BAD_USER_INPUT")).toHaveLength(2);
    const rows = await app.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as n from users where email = 'race@example.com'`);
    expect(rows[0]!.n).toBe(1);
    const workspaces = await app.orm.em
      .fork()
      .getConnection()
      .execute(`select count(*)::int as n from workspaces where name = 'R'`);
    expect(workspaces[0]!.n).toBe(1);
  });

  test("two owners removing each other at once leave exactly one owner", async () => {
    // Many workspaces race at once, so that without the lock some pair would interleave.
    const pairs = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const first = await signUp(`owner-a${i}@example.com`);
        const second = await signUp(`owner-b${i}@example.com`);
        const added = await call(
          `mutation ($w: ID!, $e: String!) { addMember(workspaceId: $w, email: $e, role: OWNER) { role } }`,
          { w: first.workspace.id, e: `owner-b${i}@example.com` },
          owner(first),
        );
        expect(added.errors).toBeUndefined();
        return { first, second };
      }),
    );
    const remove = (workspaceId: string, userId: string, principal: Principal) =>
      call(
        `mutation ($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`,
        { w: workspaceId, u: userId },
        principal,
      );
    const results = await Promise.all(
      pairs.flatMap(({ first, second }) => [
        remove(first.workspace.id, second.user.id, owner(first)),
        remove(first.workspace.id, first.user.id, owner({ user: second.user, workspace: first.workspace })),
      ]),
    );
    expect(results.filter((result) => result.data?.removeMember === true)).toHaveLength(10);
    expect(results.filter((result) => errorCode(result) === "BAD_USER_INPUT")).toHaveLength(10);
    const owners = await app.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(
        `select workspace_id, count(*)::int as n from memberships
         where workspace_id in (?) and role = 'OWNER' group by workspace_id`,
        [pairs.map(({ first }) => first.workspace.id)],
      );
    expect(owners.map((row) => row.n)).toEqual(Array(10).fill(1));
  });
});
