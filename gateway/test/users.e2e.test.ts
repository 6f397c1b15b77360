import { createHash, randomInt, randomUUID } from "node:crypto";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { importPKCS8, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { errorCode, graphql, TEST_SIGNING_SECRET } from "@mary/kit/testing";
import { signPrincipal } from "@mary/kit";
import { startPlatform, type Platform } from "./platform.ts";

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(async () => {
  await platform?.stop();
});

const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) {
    accessToken refreshToken expiresAt role
    user { id email name memberships { role workspace { id } } }
    workspace { id name members { edges { node { role user { email } } } } }
  }
}`;
const LOG_IN = `mutation ($input: LogInInput!) { logIn(input: $input) { accessToken refreshToken user { id } workspace { id } } }`;
const REFRESH = `mutation ($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken } }`;
const ADD_MEMBER = `mutation ($w: ID!, $e: String!, $role: Role!) {
  addMember(workspaceId: $w, email: $e, role: $role) { role user { id } }
}`;
const REMOVE_MEMBER = `mutation ($w: ID!, $u: ID!) { removeMember(workspaceId: $w, userId: $u) }`;
const ME = `{ me { id email name memberships { role workspace { id name } } } }`;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const gql = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  graphql(platform.url, query, variables, headers);

let seq = 0;
/** Signs up a fresh user with their own workspace. */
async function signUp(
  overrides: Partial<{ email: string; password: string; name: string; workspaceName: string }> = {},
) {
  seq += 1;
  const input = {
    email: `user${seq}-${randomUUID().slice(0, 8)}@example.com`,
    password: "correct-horse-42",
    name: `User ${seq}`,
    workspaceName: `Workspace ${seq}`,
    ...overrides,
  };
  const response = await gql(SIGN_UP, { input });
  expect(response.errors).toBeUndefined();
  return { input, ...response.data.signUp } as {
    input: typeof input;
    accessToken: string;
    refreshToken: string;
    user: { id: string; email: string; memberships: unknown[] };
    workspace: { id: string; name: string; members: { edges: unknown[] } };
  };
}

/** Creates a `users:read` API key in the session's workspace. */
async function createReadKey(accessToken: string, name: string): Promise<{ key: string; apiKey: { id: string } }> {
  const created = await gql(
    `mutation ($name: String!) { createApiKey(input: { name: $name, scopes: ["users:read"] }) { key apiKey { id } } }`,
    { name },
    bearer(accessToken),
  );
  expect(created.errors).toBeUndefined();
  return created.data.createApiKey;
}

/** Row counts of the users database, to prove a refused request changed nothing. */
async function counts() {
  const rows = await platform.users.orm.em
    .fork()
    .getConnection()
    .execute(
      `select (select count(*) from users)::int as users, (select count(*) from workspaces)::int as workspaces,
              (select count(*) from memberships)::int as memberships, (select count(*) from api_keys)::int as api_keys,
              (select count(*) from refresh_tokens)::int as refresh_tokens`,
    );
  return rows[0];
}

describe("sign-up, log-in and me through the gateway", () => {
  test("a new user signs up, logs in and reads themself", async () => {
    const account = await signUp();
    expect(account.user.email).toBe(account.input.email);
    expect(account.workspace.name).toBe(account.input.workspaceName);
    // The payload is read as the new session, not as the anonymous caller who asked for it.
    expect(account.user.memberships).toEqual([{ role: "OWNER", workspace: { id: account.workspace.id } }]);
    expect(account.workspace.members.edges).toEqual([
      { node: { role: "OWNER", user: { email: account.input.email } } },
    ]);

    const me = await gql(ME, {}, bearer(account.accessToken));
    expect(me.errors).toBeUndefined();
    expect(me.data.me).toMatchObject({
      id: account.user.id,
      email: account.input.email,
      memberships: [{ role: "OWNER", workspace: { id: account.workspace.id, name: account.input.workspaceName } }],
    });

    const login = await gql(LOG_IN, {
      input: { email: account.input.email.toUpperCase(), password: account.input.password },
    });
    expect(login.errors).toBeUndefined();
    expect(login.data.logIn.user.id).toBe(account.user.id);
    const again = await gql(`{ me { id } }`, {}, bearer(login.data.logIn.accessToken));
    expect(again.data.me.id).toBe(account.user.id);
  });

  test("me without a token is UNAUTHENTICATED", async () => {
    const response = await gql(`{ me { id } }`);
    expect(errorCode(response)).toBe("UNAUTHENTICATED");
    expect(response.data).toBeNull();
  });

  test("the gateway answers with a request id", async () => {
    const response = await gql(`{ __typename }`);
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("refresh tokens rotate, and reuse ends the session", () => {
  test("a refresh token works once; using it again revokes the whole family", async () => {
    const account = await signUp();
    const first = await gql(REFRESH, { token: account.refreshToken });
    expect(first.errors).toBeUndefined();
    const rotated = first.data.refreshSession;
    expect(rotated.refreshToken).not.toBe(account.refreshToken);
    expect((await gql(`{ me { id } }`, {}, bearer(rotated.accessToken))).data.me.id).toBe(account.user.id);

    const reuse = await gql(REFRESH, { token: account.refreshToken });
    expect(errorCode(reuse)).toBe("UNAUTHENTICATED");
    // The thief's reuse also kills the legitimate, newer token of the same family,
    // and every access token of that session at once, not when they expire.
    const afterReuse = await gql(REFRESH, { token: rotated.refreshToken });
    expect(errorCode(afterReuse)).toBe("UNAUTHENTICATED");
    for (const token of [account.accessToken, rotated.accessToken]) {
      const refused = await gql(`{ me { id } }`, {}, bearer(token));
      expect(errorCode(refused)).toBe("UNAUTHENTICATED");
      expect(refused.errors?.[0]?.message).toMatch(/session has ended/);
    }
  });

  test("logOut ends the session, its access token included, and no other session", async () => {
    const account = await signUp();
    const other = (await gql(LOG_IN, { input: { email: account.input.email, password: account.input.password } })).data
      .logIn;
    const out = await gql(`mutation ($t: String!) { logOut(refreshToken: $t) }`, { t: account.refreshToken });
    expect(out.data.logOut).toBe(true);
    expect(errorCode(await gql(REFRESH, { token: account.refreshToken }))).toBe("UNAUTHENTICATED");
    expect(errorCode(await gql(`{ me { id } }`, {}, bearer(account.accessToken)))).toBe("UNAUTHENTICATED");
    // Signed in elsewhere (another device): still signed in.
    expect((await gql(`{ me { id } }`, {}, bearer(other.accessToken))).data.me.id).toBe(account.user.id);
  });

  test("an unknown refresh token is UNAUTHENTICATED", async () => {
    expect(errorCode(await gql(REFRESH, { token: "not-a-real-token" }))).toBe("UNAUTHENTICATED");
  });
});

describe("API keys", () => {
  const CREATE = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id name prefix scopes revokedAt } } }`;

  test("a key is created, used, revoked and then refused", async () => {
    const account = await signUp();
    const created = await gql(
      CREATE,
      { input: { name: "CI", scopes: ["users:read", "crm:read"] } },
      bearer(account.accessToken),
    );
    expect(created.errors).toBeUndefined();
    const { key, apiKey } = created.data.createApiKey;
    expect(key).toMatch(/^mary_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);

    const stored = await platform.users.orm.em
      .fork()
      .getConnection()
      .execute(`select key_hash from api_keys where id = ?`, [apiKey.id]);
    expect(stored[0]!.key_hash).not.toContain(key.slice(5));

    const asKey = await gql(`{ me { id } workspace { id } }`, {}, bearer(key));
    expect(asKey.errors).toBeUndefined();
    expect(asKey.data).toEqual({ me: { id: account.user.id }, workspace: { id: account.workspace.id } });

    const listed = await gql(`{ apiKeys { edges { node { id name scopes } } } }`, {}, bearer(account.accessToken));
    expect(listed.data.apiKeys.edges).toEqual([
      { node: { id: apiKey.id, name: "CI", scopes: ["users:read", "crm:read"] } },
    ]);

    const revoked = await gql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`,
      { id: apiKey.id },
      bearer(account.accessToken),
    );
    expect(revoked.data.revokeApiKey.revokedAt).not.toBeNull();
    const refused = await gql(`{ me { id } }`, {}, bearer(key));
    expect(errorCode(refused)).toBe("UNAUTHENTICATED");
    expect(refused.status).toBe(401);
  });

  test("a key acts only within its scopes and cannot mint keys", async () => {
    const account = await signUp();
    const created = await gql(
      CREATE,
      { input: { name: "crm only", scopes: ["crm:read"] } },
      bearer(account.accessToken),
    );
    const key = created.data.createApiKey.key;
    expect(errorCode(await gql(`{ me { id } }`, {}, bearer(key)))).toBe("FORBIDDEN");
    const before = await counts();
    expect(errorCode(await gql(CREATE, { input: { name: "escalate", scopes: ["users:read"] } }, bearer(key)))).toBe(
      "FORBIDDEN",
    );
    expect(await counts()).toEqual(before);
  });

  test("unknown scopes and unknown keys are refused", async () => {
    const account = await signUp();
    const before = await counts();
    const bad = await gql(CREATE, { input: { name: "x", scopes: ["everything:write"] } }, bearer(account.accessToken));
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(await counts()).toEqual(before);
    const unknown = await gql(`{ me { id } }`, {}, bearer(`mary_${"A".repeat(43)}`));
    expect(errorCode(unknown)).toBe("UNAUTHENTICATED");
  });
});

describe("bad input gets a clear error and changes nothing", () => {
  test("duplicate, malformed and weak sign-ups", async () => {
    const account = await signUp();
    const cases: [Record<string, string>, string][] = [
      [{ email: account.input.email.toUpperCase() }, "BAD_USER_INPUT"],
      [{ email: "not-an-email" }, "BAD_USER_INPUT"],
      [{ email: "a@b" }, "BAD_USER_INPUT"],
      [{ password: "short1" }, "BAD_USER_INPUT"],
      [{ password: "onlyletterslong" }, "BAD_USER_INPUT"],
      [{ name: "  " }, "BAD_USER_INPUT"],
    ];
    for (const [overrides, code] of cases) {
      const before = await counts();
      const input = {
        email: `fresh-${randomUUID()}@example.com`,
        password: "correct-horse-42",
        name: "N",
        workspaceName: "W",
        ...overrides,
      };
      const response = await gql(SIGN_UP, { input });
      expect(errorCode(response), JSON.stringify(overrides)).toBe(code);
      expect(await counts()).toEqual(before);
    }
  });

  test("a wrong password is UNAUTHENTICATED and issues nothing", async () => {
    const account = await signUp();
    const before = await counts();
    const response = await gql(LOG_IN, { input: { email: account.input.email, password: "wrong-password-1" } });
    expect(errorCode(response)).toBe("UNAUTHENTICATED");
    expect(response.data).toBeNull();
    expect(await counts()).toEqual(before);
  });

  test("repeated wrong passwords lock log-in, even with the right password", async () => {
    const account = await signUp();
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(
        errorCode(await gql(LOG_IN, { input: { email: account.input.email, password: `wrong-${attempt}-pass` } })),
      ).toBe("UNAUTHENTICATED");
    }
    const locked = await gql(LOG_IN, { input: { email: account.input.email, password: account.input.password } });
    expect(errorCode(locked)).toBe("RATE_LIMITED");
    expect(locked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });

  test("expired and tampered tokens are UNAUTHENTICATED", async () => {
    const account = await signUp();
    const key = await importPKCS8(platform.keys.privateKey, "EdDSA");
    const expired = await new SignJWT({ wid: account.workspace.id, role: "OWNER", sid: randomUUID(), typ: "access" })
      .setProtectedHeader({ alg: "EdDSA" })
      .setSubject(account.user.id)
      .setIssuer("mary-users")
      .setAudience("mary")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const expiredResponse = await gql(`{ me { id } }`, {}, bearer(expired));
    expect(errorCode(expiredResponse)).toBe("UNAUTHENTICATED");
    expect(expiredResponse.errors?.[0]?.message).toMatch(/expired/);

    const [header, payload, signature] = account.accessToken.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: "OWNER", wid: randomUUID() })).toString("base64url");
    expect(errorCode(await gql(`{ me { id } }`, {}, bearer(`${header}.${forged}.${signature}`)))).toBe(
      "UNAUTHENTICATED",
    );
    expect(errorCode(await gql(`{ me { id } }`, {}, { authorization: "Basic abc" }))).toBe("UNAUTHENTICATED");
  });

  test("malformed GraphQL, unknown fields and wrong types are refused before any subgraph", async () => {
    expect(errorCode(await gql(`{ me { id `))).toBe("GRAPHQL_PARSE_FAILED");
    const unknown = await gql(`{ me { passwordHash } }`);
    expect(errorCode(unknown)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(unknown.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const wrongType = await gql(LOG_IN, { input: { email: 42, password: true } });
    expect(errorCode(wrongType)).toBe("BAD_USER_INPUT");
  });

  test("too deep, too many aliases and oversized queries are refused", async () => {
    // me → memberships → workspace → members → edges → node → user → memberships …
    const around = (inner: string) => `memberships { workspace { members { edges { ${inner} } } } }`;
    const atLimit = `{ me { ${around(`node { user { ${around("cursor")} } }`)} } }`; // 12 levels
    const account = await signUp();
    const allowed = await gql(atLimit, {}, bearer(account.accessToken));
    expect(allowed.errors).toBeUndefined();
    const tooDeep = await gql(`{ me { ${around(`node { user { ${around("node { role }")} } }`)} } }`); // 13
    expect(errorCode(tooDeep)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(tooDeep.errors?.[0]?.message).toMatch(/Query depth 13 exceeds the limit of 12/);

    // A fragment cycle through a nested field is refused, not followed forever.
    const cycle = await gql(`query { me { ...A } } fragment A on User { memberships { workspace { id } } ...B }
      fragment B on User { id memberships { workspace { members { edges { node { user { ...A } } } } } } }`);
    expect(errorCode(cycle)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(cycle.errors?.map((error) => error.message).join(" ")).toMatch(/Cannot spread fragment/);

    const aliases = `{ me { ${Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(" ")} } }`;
    expect((await gql(aliases)).errors?.[0]?.message).toMatch(/31 aliases/);
    const rootFields = `{ ${Array.from({ length: 21 }, () => "__typename").join(" ")} }`;
    expect((await gql(rootFields)).errors?.[0]?.message).toMatch(/21 root fields/);

    const huge = `{ ${"__typename ".repeat(6000)} }`;
    expect(errorCode(await gql(huge))).toBe("GRAPHQL_PARSE_FAILED");
  });

  test("operations that could return too much are refused by cost, with variables counted", async () => {
    const account = await signUp();
    const auth = bearer(account.accessToken);
    // members(first: N) → user → memberships → workspace → members(first: N): about N × N leaves.
    const nested = `query ($n: Int) {
      workspace { members(first: $n) { edges { node { user { memberships { workspace {
        members(first: $n) { edges { node { role } } }
      } } } } } } }
    }`;
    const small = await gql(nested, { n: 10 }, auth);
    expect(small.errors).toBeUndefined();
    expect(small.data.workspace.members.edges).toHaveLength(1);

    const big = await gql(nested, { n: 100 }, auth);
    expect(big.status).toBe(400);
    expect(errorCode(big)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(big.errors?.[0]?.message).toMatch(/^Operation cost \d+ exceeds the limit of 10000/);
    // The same through a fragment and with the page size inline.
    const viaFragment = await gql(
      `fragment Deep on Workspace { members(first: 100) { edges { node { user { memberships { workspace {
         members(first: 100) { edges { node { role } } } } } } } } } }
       { workspace { ...Deep } }`,
      {},
      auth,
    );
    expect(viaFragment.errors?.[0]?.message).toMatch(/^Operation cost/);
  });

  test("automatic persisted queries: a hash alone works once the query is known", async () => {
    const query = `{ __typename }`;
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const post = async (body: object): Promise<any> => {
      const response = await fetch(platform.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return response.json();
    };
    expect((await post({ extensions })).errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await post({ query, extensions })).data).toEqual({ __typename: "Query" });
    expect((await post({ extensions })).data).toEqual({ __typename: "Query" });
  });

  test("CSRF prevention refuses simple cross-site requests", async () => {
    const response = await fetch(`${platform.url}?query=${encodeURIComponent("{ __typename }")}`);
    expect(response.status).toBe(400);
    const form = await fetch(platform.url, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    expect(form.status).toBe(400);
  });
});

describe("the users subgraph cannot be called around the gateway", () => {
  test("no signature, a forged signature or a stale one is refused", async () => {
    const direct = await graphql(
      platform.users.url,
      `
        {
          me {
            id
            email
          }
        }
      `,
    );
    expect(direct.status).toBe(401);
    expect(errorCode(direct)).toBe("UNAUTHENTICATED");

    const forged = signPrincipal({ kind: "service", service: "gateway" }, "some-other-secret-of-enough-length-000");
    const withForged = await graphql(
      platform.users.url,
      `
        {
          __typename
        }
      `,
      {},
      { "x-mary-principal": forged },
    );
    expect(withForged.status).toBe(401);

    const stale = signPrincipal({ kind: "anonymous" }, TEST_SIGNING_SECRET, Date.now() - 5 * 60_000);
    expect(
      (
        await graphql(
          platform.users.url,
          `
            {
              __typename
            }
          `,
          {},
          { "x-mary-principal": stale },
        )
      ).status,
    ).toBe(401);
  });

  test("the internal API-key lookup is hidden from clients", async () => {
    const response = await gql(`{ apiKeyIdentity(key: "mary_x") { userId } }`);
    expect(errorCode(response)).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

describe("workspaces are tenants", () => {
  test("a user in two workspaces acts in each, and data never crosses", async () => {
    const account = await signUp();
    const created = await gql(
      `mutation { createWorkspace(name: "Second") { id name } }`,
      {},
      bearer(account.accessToken),
    );
    const second = created.data.createWorkspace;
    const switched = await gql(
      `mutation ($id: ID!) { switchWorkspace(workspaceId: $id) { accessToken role workspace { id } } }`,
      { id: second.id },
      bearer(account.accessToken),
    );
    expect(switched.data.switchWorkspace).toMatchObject({ role: "OWNER", workspace: { id: second.id } });
    const inSecond = await gql(
      `{ workspace { id name members { edges { node { role user { id } } } } } }`,
      {},
      bearer(switched.data.switchWorkspace.accessToken),
    );
    expect(inSecond.data.workspace).toEqual({
      id: second.id,
      name: "Second",
      members: { edges: [{ node: { role: "OWNER", user: { id: account.user.id } } }] },
    });
    const inFirst = await gql(`{ workspace { id } }`, {}, bearer(account.accessToken));
    expect(inFirst.data.workspace.id).toBe(account.workspace.id);
    const me = await gql(ME, {}, bearer(account.accessToken));
    expect(me.data.me.memberships.map((m: { workspace: { id: string } }) => m.workspace.id).sort()).toEqual(
      [account.workspace.id, second.id].sort(),
    );
  });

  test("a member of workspace A cannot read or change anything of workspace B", async () => {
    const alice = await signUp();
    const bob = await signUp();
    const aliceKey = await createReadKey(alice.accessToken, "a");
    const before = await counts();

    const addToA = await gql(
      ADD_MEMBER,
      { w: alice.workspace.id, e: bob.input.email, role: "ADMIN" },
      bearer(bob.accessToken),
    );
    expect(errorCode(addToA)).toBe("FORBIDDEN");
    const removeAlice = await gql(REMOVE_MEMBER, { w: alice.workspace.id, u: alice.user.id }, bearer(bob.accessToken));
    expect(errorCode(removeAlice)).toBe("FORBIDDEN");
    const revoke = await gql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`,
      { id: aliceKey.apiKey.id },
      bearer(bob.accessToken),
    );
    expect(errorCode(revoke)).toBe("NOT_FOUND");
    const switchToA = await gql(
      `mutation ($id: ID!) { switchWorkspace(workspaceId: $id) { accessToken } }`,
      { id: alice.workspace.id },
      bearer(bob.accessToken),
    );
    expect(errorCode(switchToA)).toBe("FORBIDDEN");
    expect(await counts()).toEqual(before);

    const bobSees = await gql(
      `{ workspace { id members { edges { node { user { id email } } } } } apiKeys { edges { node { id } } } }`,
      {},
      bearer(bob.accessToken),
    );
    expect(bobSees.data.workspace.id).toBe(bob.workspace.id);
    expect(JSON.stringify(bobSees.data)).not.toContain(alice.user.id);
    expect(bobSees.data.apiKeys.edges).toEqual([]);
    // Alice's key still works: Bob's attempt changed nothing.
    expect((await gql(`{ me { id } }`, {}, bearer(aliceKey.key))).data.me.id).toBe(alice.user.id);
  });

  test("owners add and remove members; members cannot manage; the last owner stays", async () => {
    const owner = await signUp();
    const member = await signUp();
    const added = await gql(
      ADD_MEMBER,
      { w: owner.workspace.id, e: member.input.email, role: "MEMBER" },
      bearer(owner.accessToken),
    );
    expect(added.data.addMember).toEqual({ role: "MEMBER", user: { id: member.user.id } });
    const duplicate = await gql(
      ADD_MEMBER,
      { w: owner.workspace.id, e: member.input.email, role: "MEMBER" },
      bearer(owner.accessToken),
    );
    expect(errorCode(duplicate)).toBe("BAD_USER_INPUT");

    const asMember = (
      await gql(LOG_IN, {
        input: { email: member.input.email, password: member.input.password, workspaceId: owner.workspace.id },
      })
    ).data.logIn;
    const memberKey = (await createReadKey(asMember.accessToken, "m")).key;
    expect((await gql(`{ me { id } }`, {}, bearer(memberKey))).data.me.id).toBe(member.user.id); // now cached
    const memberAdds = await gql(
      ADD_MEMBER,
      { w: owner.workspace.id, e: member.input.email, role: "ADMIN" },
      bearer(asMember.accessToken),
    );
    expect(errorCode(memberAdds)).toBe("FORBIDDEN");
    const lastOwner = await gql(REMOVE_MEMBER, { w: owner.workspace.id, u: owner.user.id }, bearer(owner.accessToken));
    expect(errorCode(lastOwner)).toBe("BAD_USER_INPUT");

    const removed = await gql(REMOVE_MEMBER, { w: owner.workspace.id, u: member.user.id }, bearer(owner.accessToken));
    expect(removed.data.removeMember).toBe(true);
    // A removed member's refresh token, access token and API key for that workspace stop
    // working at once, though the access token has not expired and the key was cached.
    const gone = await gql(`{ workspace { id } }`, {}, bearer(asMember.accessToken));
    expect(errorCode(gone)).toBe("UNAUTHENTICATED");
    expect(gone.errors?.[0]?.message).toMatch(/no longer a member/);
    expect(errorCode(await gql(REFRESH, { token: asMember.refreshToken }))).toBe("UNAUTHENTICATED");
    expect(errorCode(await gql(`{ me { id } }`, {}, bearer(memberKey)))).toBe("UNAUTHENTICATED");
    // In their own workspace nothing changed.
    expect((await gql(`{ workspace { id } }`, {}, bearer(member.accessToken))).data.workspace.id).toBe(
      member.workspace.id,
    );
  });
});

describe("lists are Relay connections", () => {
  const KEYS_PAGE = `query ($first: Int, $after: String) {
    apiKeys(first: $first, after: $after) {
      edges { cursor node { name } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

  test("API keys page newest first, with no gap or repeat, and a key made meanwhile does not shift later pages", async () => {
    const account = await signUp();
    const auth = bearer(account.accessToken);
    const createKey = (name: string) => createReadKey(account.accessToken, name);
    for (let i = 1; i <= 7; i++) await createKey(`key ${i}`);

    const names: string[] = [];
    const pages: { hasNextPage: boolean; hasPreviousPage: boolean }[] = [];
    let after: string | null = null;
    do {
      const response: { data?: any } = await gql(KEYS_PAGE, { first: 3, after }, auth);
      const page = response.data.apiKeys;
      names.push(...page.edges.map((edge: { node: { name: string } }) => edge.node.name));
      pages.push({ hasNextPage: page.pageInfo.hasNextPage, hasPreviousPage: page.pageInfo.hasPreviousPage });
      expect(page.pageInfo.startCursor).toBe(page.edges[0].cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      if (names.length === 3) await createKey("made between pages"); // lands before page 1
    } while (after);
    expect(names).toEqual(["key 7", "key 6", "key 5", "key 4", "key 3", "key 2", "key 1"]);
    expect(pages).toEqual([
      { hasNextPage: true, hasPreviousPage: false },
      { hasNextPage: true, hasPreviousPage: true },
      { hasNextPage: false, hasPreviousPage: true },
    ]);
    const firstPage = (await gql(KEYS_PAGE, { first: 1 }, auth)).data.apiKeys;
    expect(firstPage.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(["made between pages"]);
  });

  test("members page oldest first", async () => {
    const owner = await signUp();
    const others = [await signUp(), await signUp(), await signUp()];
    for (const other of others) {
      const added = await gql(
        ADD_MEMBER,
        { w: owner.workspace.id, e: other.input.email, role: "MEMBER" },
        bearer(owner.accessToken),
      );
      expect(added.errors).toBeUndefined();
    }
    const MEMBERS = `query ($after: String) {
      workspace { members(first: 2, after: $after) { edges { node { user { id } } } pageInfo { hasNextPage endCursor } } }
    }`;
    const first = (await gql(MEMBERS, {}, bearer(owner.accessToken))).data.workspace.members;
    const second = (await gql(MEMBERS, { after: first.pageInfo.endCursor }, bearer(owner.accessToken))).data.workspace
      .members;
    const ids = [...first.edges, ...second.edges].map((edge: { node: { user: { id: string } } }) => edge.node.user.id);
    expect(ids).toEqual([owner.user.id, ...others.map((other) => other.user.id)]);
    expect([first.pageInfo.hasNextPage, second.pageInfo.hasNextPage]).toEqual([true, false]);
  });

  test("bad page sizes and foreign cursors are BAD_USER_INPUT; another workspace's cursor shows only your own", async () => {
    const alice = await signUp();
    const bob = await signUp();
    for (const [account, name] of [
      [bob, "bob 1"],
      [alice, "alice 1"],
      [alice, "alice 2"],
    ] as const) {
      await createReadKey(account.accessToken, name);
    }
    for (const first of [0, -1, 101]) {
      const response = await gql(KEYS_PAGE, { first }, bearer(alice.accessToken));
      expect(errorCode(response)).toBe("BAD_USER_INPUT");
      expect(response.errors?.[0]?.message).toMatch(/first/);
    }
    const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");
    for (const after of ["not-a-cursor", cursor(["not a date", "x"]), cursor([new Date().toISOString(), "x"]), ""]) {
      expect(errorCode(await gql(KEYS_PAGE, { after }, bearer(alice.accessToken)))).toBe("BAD_USER_INPUT");
    }
    expect(errorCode(await gql(KEYS_PAGE, { first: "3" }, bearer(alice.accessToken)))).toBe("BAD_USER_INPUT");

    // A cursor only marks a position: Alice's newest key's cursor, used in Bob's session, continues
    // Bob's own list (his older key) and never shows Alice's keys.
    const aliceCursor = (await gql(KEYS_PAGE, { first: 1 }, bearer(alice.accessToken))).data.apiKeys.pageInfo.endCursor;
    const bobPage = (await gql(KEYS_PAGE, { after: aliceCursor }, bearer(bob.accessToken))).data.apiKeys;
    expect(bobPage.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(["bob 1"]);
  });
});

describe("rate limits", () => {
  /** A POST to /graphql from a chosen loopback address, as another client machine would send it. */
  function postFrom(url: string, localAddress: string, query: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; headers: IncomingHttpHeaders; body: any }>((resolve, reject) => {
      const body = JSON.stringify({ query });
      const req = httpRequest(
        url,
        { method: "POST", localAddress, headers: { "content-type": "application/json", ...headers } },
        (res) => {
          let text = "";
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  /**
   * A gateway with small limits and a window of about an hour, its length chosen so that the
   * current window has at least five minutes left: no window boundary (which resets the counts)
   * can fall inside a test. Counters are keyed by window length, so no other gateway shares them.
   */
  async function limitedGateway() {
    const now = Math.floor(Date.now() / 1000);
    let windowSeconds = 3600;
    while (windowSeconds - (now % windowSeconds) < 300) windowSeconds += 1;
    const gateway = await platform.startGateway({
      RATE_LIMIT_REQUESTS: "5",
      RATE_LIMIT_ANONYMOUS_REQUESTS: "3",
      RATE_LIMIT_WINDOW_SECONDS: String(windowSeconds),
    });
    return Object.assign(gateway, { windowSeconds });
  }

  test("each user and API key gets its own budget; over it, 429 RATE_LIMITED with Retry-After", async () => {
    const gateway = await limitedGateway();
    const alice = await signUp();
    const bob = await signUp();
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const ok = await graphql(
        gateway.url,
        `
          {
            me {
              id
            }
          }
        `,
        {},
        bearer(alice.accessToken),
      );
      expect(ok.data.me.id).toBe(alice.user.id);
      expect(ok.headers.get("x-ratelimit-limit")).toBe("5");
      remaining.push(ok.headers.get("x-ratelimit-remaining") ?? "");
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);

    const refused = await graphql(
      gateway.url,
      `
        {
          me {
            id
          }
        }
      `,
      {},
      bearer(alice.accessToken),
    );
    expect(refused.status).toBe(429);
    expect(errorCode(refused)).toBe("RATE_LIMITED");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(gateway.windowSeconds);
    expect(refused.errors?.[0]?.extensions).toEqual({ code: "RATE_LIMITED", retryAfterSeconds: retryAfter });
    expect(refused.data).toBeUndefined();

    // Bob is counted on his own.
    const bobOk = await graphql(
      gateway.url,
      `
        {
          me {
            id
          }
        }
      `,
      {},
      bearer(bob.accessToken),
    );
    expect(bobOk.data.me.id).toBe(bob.user.id);
  });

  test("callers without credentials are counted per client address", async () => {
    const gateway = await limitedGateway();
    const [first, second] = [1, 2].map(() => `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await postFrom(gateway.url, first!, "{ __typename }")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await postFrom(gateway.url, first!, "{ __typename }");
    expect(refused.body.errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect((await postFrom(gateway.url, second!, "{ __typename }")).status).toBe(200);
  });
});

describe("health", () => {
  test("healthz and readyz", async () => {
    expect((await fetch(`${platform.gatewayOrigin}/healthz`)).status).toBe(200);
    const ready = await fetch(`${platform.gatewayOrigin}/readyz`);
    expect(ready.status).toBe(200);
    const allReady = Object.fromEntries(platform.subgraphNames.map((name) => [name, true]));
    expect(await ready.json()).toEqual({ status: "ready", redis: true, subgraphs: allReady });

    // A subgraph that does not answer makes the gateway unready (port 9 on loopback: nothing listens).
    const orphan = await platform.startGateway({}, { users: "http://127.0.0.1:9/graphql" });
    const unready = await fetch(new URL("/readyz", orphan.url));
    expect(unready.status).toBe(503);
    expect(await unready.json()).toEqual({
      status: "unavailable",
      redis: true,
      subgraphs: { ...allReady, users: false },
    });
    expect((await fetch(new URL("/healthz", orphan.url))).status).toBe(200);
  });
});
