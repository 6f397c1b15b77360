import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import {
  CREATE_CONTACT,
  CREATE_CONTACTS,
  CREATE_DEAL,
  newMember,
  UNREACHABLE_GATEWAY,
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
beforeEach(() => {
  h.gateway.checks.length = 0;
  h.gateway.failWith = null;
});

const UPDATE_DEAL = `mutation ($id: ID!, $input: UpdateDealInput!) { updateDeal(id: $id, input: $input) { id owner { id } } }`;
const money = { amount: 1, currency: "USD" };

/** Every contact and deal of the workspace, to show that a refused request changed nothing. */
const snapshot = (workspaceId: string) =>
  Promise.all(
    ["contacts", "deals", "deal_stage_changes"].map((table) =>
      h.sql(`select * from ${table} where workspace_id = ? order by id`, [workspaceId]),
    ),
  );

describe("owners are members of the caller's workspace", () => {
  test("every write that sets an owner refuses a non-member with BAD_USER_INPUT and writes nothing", async () => {
    const me = newMember();
    const { createContact: contact } = await h.ok(me, CREATE_CONTACT, { input: { name: "Kept" } });
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, { input: { title: "Kept", amount: money } });
    // A member of another workspace (and of no workspace of mine).
    const stranger = h.addMember(randomUUID());
    const before = await snapshot(me.workspaceId);
    const attempts: [string, Record<string, unknown>][] = [
      [CREATE_CONTACT, { input: { name: "X", ownerId: stranger } }],
      [CREATE_CONTACTS, { inputs: [{ name: "X" }, { name: "Y", ownerId: stranger }] }],
      [UPDATE_CONTACT, { id: contact.id, input: { ownerId: stranger } }],
      [CREATE_DEAL, { input: { title: "X", amount: money, ownerId: stranger } }],
      [UPDATE_DEAL, { id: deal.id, input: { ownerId: stranger } }],
    ];
    for (const [query, variables] of attempts) {
      const response = await h.call(me, query, variables);
      expect(errorCode(response), query).toBe("BAD_USER_INPUT");
      expect(response.errors?.[0]).toMatchObject({
        message: "ownerId must be a member of this workspace",
        extensions: { field: "ownerId" },
      });
    }
    expect(await snapshot(me.workspaceId)).toEqual(before);
    // Each was asked about in the caller's own workspace.
    expect(h.gateway.checks.map((check) => check.userIds)).toEqual(attempts.map(() => [stranger]));
  });

  test("a member is accepted; the caller themself and clearing the owner need no check", async () => {
    const me = newMember();
    const member = h.addMember(me.workspaceId);
    const { createContact: contact } = await h.ok(me, CREATE_CONTACT, { input: { name: "A", ownerId: member } });
    expect(contact.owner).toEqual({ id: member });
    const { createDeal: deal } = await h.ok(me, CREATE_DEAL, { input: { title: "D", amount: money, ownerId: member } });
    expect(deal.owner).toEqual({ id: member });
    expect(h.gateway.checks).toHaveLength(2);

    await h.ok(me, CREATE_CONTACT, { input: { name: "Mine", ownerId: me.userId.toUpperCase() } });
    await h.ok(me, CREATE_DEAL, { input: { title: "Mine", amount: money } });
    await h.ok(me, UPDATE_CONTACT, { id: contact.id, input: { ownerId: null } });
    await h.ok(me, UPDATE_DEAL, { id: deal.id, input: { ownerId: me.userId } });
    await h.ok(me, UPDATE_CONTACT, { id: contact.id, input: { name: "Renamed" } });
    expect(h.gateway.checks).toHaveLength(2);
  });

  test("createContacts asks once about all its distinct owners", async () => {
    const me = newMember();
    const [ann, bob] = [h.addMember(me.workspaceId), h.addMember(me.workspaceId)];
    const inputs = [
      { name: "1", ownerId: ann },
      { name: "2", ownerId: bob },
      { name: "3", ownerId: ann.toUpperCase() },
      { name: "4", ownerId: me.userId },
      { name: "5" },
    ];
    const { createContacts } = await h.ok(
      me,
      `mutation ($inputs: [CreateContactInput!]!) {
      createContacts(inputs: $inputs) { name owner { id } } }`,
      { inputs },
    );
    expect(createContacts.map((contact: any) => contact.owner.id)).toEqual([ann, bob, ann, me.userId, me.userId]);
    expect(h.gateway.checks.map((check) => check.userIds)).toEqual([[ann, bob]]);
  });

  test("the check acts as the caller's user in the caller's workspace with users:read only, for API keys too", async () => {
    const key: AuthenticatedPrincipal = {
      ...newMember("PRO"),
      kind: "apiKey",
      apiKeyId: randomUUID(),
      role: "MEMBER",
      scopes: ["crm:write"],
    };
    const member = h.addMember(key.workspaceId);
    await h.ok(key, CREATE_CONTACT, { input: { name: "A", ownerId: member } });
    expect(h.gateway.checks.map((check) => check.principal)).toEqual([
      {
        kind: "user",
        userId: key.userId,
        workspaceId: key.workspaceId,
        role: "MEMBER",
        scopes: ["users:read"],
        plan: "PRO",
      },
    ]);
  });

  test("when the gateway refuses or fails, nothing passes and nothing is written", async () => {
    const me = newMember();
    const member = h.addMember(me.workspaceId);
    const create = () => h.call(me, CREATE_CONTACT, { input: { name: "X", ownerId: member } });
    h.gateway.failWith = { status: 503, body: "upstream unavailable" };
    expect(errorCode(await create())).toBe("SERVICE_UNAVAILABLE");
    h.gateway.failWith = { status: 200, body: { errors: [{ message: "no", extensions: { code: "FORBIDDEN" } }] } };
    expect(errorCode(await create())).toBe("SERVICE_UNAVAILABLE");
    h.gateway.failWith = {
      status: 429,
      body: { errors: [{ message: "slow down", extensions: { code: "RATE_LIMITED", retryAfterSeconds: 7 } }] },
    };
    const limited = await create();
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 7 });
    expect(await h.count("contacts", me.workspaceId)).toBe(0);
  });

  test("with no gateway to ask, an owner other than the caller is refused as unavailable, and writes nothing", async () => {
    const alone = await startHarness({ gatewayUrl: UNREACHABLE_GATEWAY });
    try {
      const me = newMember();
      const refused = await alone.call(me, CREATE_CONTACT, { input: { name: "X", ownerId: randomUUID() } });
      expect(errorCode(refused)).toBe("SERVICE_UNAVAILABLE");
      expect(await alone.count("contacts", me.workspaceId)).toBe(0);
      // The caller's own contacts need no gateway.
      await alone.ok(me, CREATE_CONTACT, { input: { name: "Mine" } });
    } finally {
      await alone.stop();
    }
  });
});
