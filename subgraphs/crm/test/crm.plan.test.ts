import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import { errorCode } from "@mary/kit/testing";
import { CREATE_CONTACT, CREATE_CONTACTS, newMember, startHarness, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function addContacts(me: AuthenticatedPrincipal, count: number) {
  for (let start = 0; start < count; start += 100) {
    const inputs = Array.from({ length: Math.min(100, count - start) }, (_, k) => ({ name: `Contact ${start + k}` }));
    await h.ok(me, CREATE_CONTACTS, { inputs });
  }
}

describe("plan limits on contacts", () => {
  test("the 101st contact on FREE fails with PLAN_LIMIT and writes nothing", async () => {
    const me = newMember("FREE");
    await addContacts(me, 100);
    const refused = await h.call(me, CREATE_CONTACT, { input: { name: "One too many" } });
    expect(errorCode(refused)).toBe("PLAN_LIMIT");
    expect(refused.errors?.[0]?.extensions).toMatchObject({ plan: "FREE", resource: "contacts", limit: 100 });
    const bulk = await h.call(me, CREATE_CONTACTS, { inputs: [{ name: "A" }, { name: "B" }] });
    expect(errorCode(bulk)).toBe("PLAN_LIMIT");
    expect(await h.count("contacts", me.workspaceId)).toBe(100);
  });

  test("a bulk creation that would pass the limit writes none of its contacts", async () => {
    const me = newMember("FREE");
    await addContacts(me, 99);
    const bulk = await h.call(me, CREATE_CONTACTS, { inputs: [{ name: "A" }, { name: "B" }] });
    expect(errorCode(bulk)).toBe("PLAN_LIMIT");
    expect(await h.count("contacts", me.workspaceId)).toBe(99);
    await h.ok(me, CREATE_CONTACT, { input: { name: "The 100th" } });
    expect(await h.count("contacts", me.workspaceId)).toBe(100);
  });

  test("PRO allows the 101st contact", async () => {
    const me = newMember("PRO");
    await addContacts(me, 100);
    await h.ok(me, CREATE_CONTACT, { input: { name: "The 101st" } });
    expect(await h.count("contacts", me.workspaceId)).toBe(101);
  });

  test("concurrent creations cannot pass the limit together", async () => {
    const me = newMember("FREE");
    await addContacts(me, 95);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.call(me, CREATE_CONTACT, { input: { name: `Racer ${i}` } })),
    );
    expect(results.filter((result) => !result.errors)).toHaveLength(5);
    expect(results.filter((result) => errorCode(result) === "PLAN_LIMIT")).toHaveLength(5);
    expect(await h.count("contacts", me.workspaceId)).toBe(100);
  });

  test("the limit counts only the caller's workspace", async () => {
    const full = newMember("FREE");
    await addContacts(full, 100);
    const neighbour = newMember("FREE");
    await h.ok(neighbour, CREATE_CONTACT, { input: { name: "Fine" } });
  });
});
