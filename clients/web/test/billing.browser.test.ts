import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutCompleted, stripeEvent } from "../../../gateway/test/platform.ts";
import { startWebPlatform, type WebPlatform } from "./browser.ts";

describe("the billing page", { timeout: 60_000 }, () => {
  let web: WebPlatform;
  beforeAll(async () => {
    web = await startWebPlatform();
  });
  afterAll(async () => {
    await web?.stop();
  });
  /** A fresh browser context; a step that cannot happen fails by name before the test's own timeout. */
  const openPage = async () => {
    const page = await web.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  };

  it("shows FREE and its usage, upgrades to PRO through Stripe Checkout, and shows PRO once Stripe confirms", async () => {
    const page = await openPage();
    const account = await web.signUp(page);
    const token = await web.accessTokenOf(account);
    const created = await web.platform.gql(
      `mutation { createContact(input: { name: "Ada Lovelace" }) { id } } `,
      {},
      token,
    );
    expect(created.errors).toBeUndefined();
    const workspaceId = (await web.platform.gql(`{ workspace { id } }`, {}, token)).data.workspace.id as string;

    await page.getByRole("link", { name: "Billing" }).click();
    await page.getByRole("heading", { level: 1, name: "Billing" }).waitFor();
    await page.getByRole("heading", { name: "Your plan: Free" }).waitFor();
    const free = page.getByRole("article", { name: "Free" });
    await free.getByText("Current plan").waitFor();
    expect(await page.getByText("Current plan").count()).toBe(1);
    // Usage meters against FREE's limits.
    const contacts = page.getByRole("meter", { name: "Contacts 1 of 100" });
    expect(await contacts.getAttribute("value")).toBe("1");
    expect(await contacts.getAttribute("max")).toBe("100");
    await page.getByRole("meter", { name: "Agents 0 of 1" }).waitFor();
    await page.getByRole("meter", { name: "API calls this month 0 of 1,000" }).waitFor();
    await page.getByText("No invoices yet").waitFor();
    await web.expectAccessible(page, "billing");
    await web.screenshot(page, "billing");

    // Upgrade: the app asks for a checkout session and sends the browser to its URL. Stripe's site
    // is out of reach here, so its page is stood in for at the HTTP boundary.
    const stripeVisits: string[] = [];
    await page.route("https://checkout.stripe.com/**", async (route) => {
      stripeVisits.push(route.request().url());
      await route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html lang="en"><title>Stripe Checkout</title><h1>Stripe Checkout</h1></html>`,
      });
    });
    // What the gateway answered to createCheckoutSession, read on its way to the page (passed on unchanged).
    let session: { id: string; url: string } | undefined;
    await page.route("**/graphql", async (route) => {
      if (!(route.request().postData() ?? "").includes("createCheckoutSession")) return route.fallback();
      const response = await route.fetch();
      session = (await response.json()).data.createCheckoutSession;
      await route.fulfill({ response });
    });
    await page.getByRole("button", { name: "Upgrade to Pro" }).click();
    await expect.poll(() => stripeVisits.length).toBe(1);
    if (!session) throw new Error("the app did not call createCheckoutSession");
    expect(session.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    expect(stripeVisits).toEqual([session.url]);
    await page.waitForURL(session.url);
    await page.getByRole("heading", { name: "Stripe Checkout" }).waitFor();

    // Stripe sends the customer back; the plan changes only when its webhook arrives.
    await page.goto(`${web.webUrl}/billing?checkout=success`);
    await page.getByText("Payment received; your plan updates when Stripe confirms it").waitFor();
    await page.getByRole("heading", { name: "Your plan: Free" }).waitFor();
    // Meanwhile no second checkout can be started.
    expect(await page.getByRole("button", { name: /^Upgrade to/ }).count()).toBe(0);
    await web.screenshot(page, "billing-awaiting-confirmation");

    const customerId = await web.platform.stripeCustomerOf(workspaceId);
    expect(customerId).toMatch(/^cus_/);
    const subscriptionId = `sub_${randomUUID().replaceAll("-", "")}`;
    const now = Math.floor(Date.now() / 1000);
    const invoice = {
      id: `in_${randomUUID().replaceAll("-", "")}`,
      object: "invoice",
      customer: customerId,
      status: "paid",
      number: "MARY-0001",
      amount_due: 2500,
      amount_paid: 2500,
      currency: "usd",
      created: now,
      hosted_invoice_url: "https://invoice.stripe.com/i/acct_test/in_test",
      parent: { subscription_details: { subscription: subscriptionId, metadata: { workspaceId, plan: "PRO" } } },
    };
    for (const event of [
      checkoutCompleted(workspaceId, customerId!, subscriptionId, "PRO", now),
      stripeEvent("invoice.paid", now + 1, invoice),
    ]) {
      expect((await web.platform.deliverStripeEvent(event)).status).toBe(200);
    }

    // No reload: the page polls until Stripe's confirmation shows.
    await page.getByRole("heading", { name: "Your plan: Pro" }).waitFor({ timeout: 20_000 });
    await page.getByText("Payment received. Your workspace is now on Pro.").waitFor();
    await page.getByRole("article", { name: "Pro" }).getByText("Current plan").waitFor();
    expect(await page.getByText("Current plan").count()).toBe(1);
    await page.getByRole("meter", { name: "Contacts 1 of 5,000" }).waitFor();
    expect(await page.getByRole("button", { name: /^Upgrade to/ }).count()).toBe(0);

    // The invoice, in its currency, with its link to Stripe.
    const invoices = page.getByRole("table", { name: "Invoices" });
    const row = invoices.getByRole("row", { name: /MARY-0001/ });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByRole("cell", { name: "$25.00" }).count()).toBe(2);
    expect(await row.getByRole("cell", { name: "Paid", exact: true }).count()).toBe(1);
    expect(await row.getByRole("link", { name: /View invoice MARY-0001/ }).getAttribute("href")).toBe(
      invoice.hosted_invoice_url,
    );
    await web.expectAccessible(page, "billing-pro");
    await web.screenshot(page, "billing-pro");
    await page.context().close();
  });

  it("tells a cancelled checkout apart, and shows a member the plans without Upgrade buttons", async () => {
    const owner = await web.platform.signUp();
    const page = await openPage();
    const account = await web.signUp(page);
    const added = await web.platform.gql(
      `mutation ($workspaceId: ID!, $email: String!) { addMember(workspaceId: $workspaceId, email: $email, role: MEMBER) { role } }`,
      { workspaceId: owner.workspace.id, email: account.email },
      owner.accessToken,
    );
    expect(added.errors).toBeUndefined();

    await page.goto(`${web.webUrl}/billing?checkout=cancelled`);
    await page.getByText("Checkout was cancelled").waitFor();
    await page.getByRole("button", { name: "Dismiss" }).click();
    await expect.poll(() => new URL(page.url()).search).toBe("");
    expect(await page.getByRole("button", { name: "Upgrade to Pro" }).count()).toBe(1);

    const switcher = page.getByRole("banner").getByRole("combobox");
    await switcher.selectOption({ index: 1 });
    // The switcher takes the session to the new workspace's contacts page.
    await page.waitForURL(`${web.webUrl}/crm/contacts`);
    await expect.poll(() => page.getByTestId("workspace-name").textContent()).not.toBe(account.workspaceName);
    await page.getByRole("link", { name: "Billing" }).click();
    await page.getByRole("heading", { name: "Your plan: Free" }).waitFor();
    expect(await page.getByRole("button", { name: /^Upgrade to/ }).count()).toBe(0);
    expect(await page.getByText("Ask an owner or admin to change the plan.").count()).toBe(2);
    await page.context().close();
  });
});
