import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { AuthenticatedPrincipal, Principal } from "@mary/kit";
import { createTestDatabase, errorCode, graphql, signedHeaders, STRIPE_API_BASE, TEST_ENV } from "@mary/kit/testing";
import { startBilling, type BillingApp } from "../src/app.ts";
import { loadBillingConfig } from "../src/config.ts";

let app: BillingApp;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  db = await createTestDatabase("billing");
  app = await startBilling(
    loadBillingConfig({
      ...TEST_ENV,
      BILLING_PORT: "0",
      BILLING_DATABASE_URL: db.url,
      STRIPE_API_BASE,
    }),
  );
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const member = (
  scopes: ("billing:read" | "billing:write")[],
  role: "OWNER" | "MEMBER" = "OWNER",
): AuthenticatedPrincipal => ({
  kind: "apiKey",
  userId: randomUUID(),
  workspaceId: randomUUID(),
  role,
  scopes,
  plan: "FREE",
});
const call = (query: string, variables: Record<string, unknown>, principal: Principal) =>
  graphql(app.url, query, variables, signedHeaders(principal));

const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Workspace { id plan { name } } ... on Usage { workspaceId apiCallsThisPeriod } } }`;

test("Workspace and Usage resolve for the caller's own workspace only", async () => {
  const caller = member(["billing:read"]);
  const own = caller.workspaceId;
  const other = randomUUID();
  const response = await call(
    ENTITIES,
    {
      representations: [
        { __typename: "Workspace", id: own },
        { __typename: "Workspace", id: other },
        { __typename: "Usage", workspaceId: own },
        { __typename: "Usage", workspaceId: other },
      ],
    },
    caller,
  );
  expect(response.errors).toBeUndefined();
  expect(response.data._entities).toEqual([
    { id: own, plan: { name: "FREE" } },
    null,
    { workspaceId: own, apiCallsThisPeriod: 0 },
    null,
  ]);
});

test("billing fields need billing:read; changes need billing:write and an owner or admin", async () => {
  const noScope = member([]);
  const own = noScope.workspaceId;
  const denied = await call(ENTITIES, { representations: [{ __typename: "Workspace", id: own }] }, noScope);
  expect(errorCode(denied)).toBe("FORBIDDEN");
  expect(errorCode(await call(`{ invoices { edges { cursor } } }`, {}, noScope))).toBe("FORBIDDEN");
  const checkout = `mutation { createCheckoutSession(plan: PRO) { id } }`;
  expect(errorCode(await call(checkout, {}, member(["billing:read"])))).toBe("FORBIDDEN");
  expect(errorCode(await call(checkout, {}, member(["billing:read", "billing:write"], "MEMBER")))).toBe("FORBIDDEN");
  const rows = await app.orm.em.fork().getConnection().execute(`select count(*)::int as n from billing_accounts`);
  expect(rows[0]!.n).toBe(0);
});

test("the internal plan look-up answers the gateway only", async () => {
  const query = `query ($w: ID!) { workspacePlan(workspaceId: $w) }`;
  const workspaceId = randomUUID();
  const asGateway = await call(query, { w: workspaceId }, { kind: "service", service: "gateway" });
  expect(asGateway.data).toEqual({ workspacePlan: "FREE" });
  expect(errorCode(await call(query, { w: workspaceId }, member(["billing:read"])))).toBe("FORBIDDEN");
});

test("bad cursors and page sizes are BAD_USER_INPUT", async () => {
  const caller = member(["billing:read"]);
  const page = `query ($first: Int, $after: String) { invoices(first: $first, after: $after) { edges { cursor } } }`;
  expect(errorCode(await call(page, { first: 0 }, caller))).toBe("BAD_USER_INPUT");
  expect(errorCode(await call(page, { first: 101 }, caller))).toBe("BAD_USER_INPUT");
  expect(errorCode(await call(page, { after: "not-a-cursor" }, caller))).toBe("BAD_USER_INPUT");
});
