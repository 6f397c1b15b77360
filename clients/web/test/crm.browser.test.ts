import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebPlatform, type BrowserAccount, type Page, type WebPlatform } from "./browser.ts";

// The FREE plan's contact limit (subgraphs/kit/src/plans.ts).
const FREE_CONTACT_LIMIT = 100;

const CONTACTS = `query ($search: String) { contacts(search: $search, first: 100) { edges { node { id name } } } }`;
const CREATE_CONTACTS = `mutation ($inputs: [CreateContactInput!]!) { createContacts(inputs: $inputs) { id } }`;
const PIPELINE = `{ workspace { pipeline { stage count totals { amount currency } } } }`;
const DEALS = `{ deals(first: 100) { edges { node { id title stage } } } }`;

/** The board column of a stage (a region named by its heading). */
const column = (page: Page, stage: string) => page.getByRole("region", { name: stage, exact: true });
const totalsOf = (page: Page, stage: string) => column(page, stage).locator(".crm-column-totals");
const card = (page: Page, stage: string, title: string) =>
  column(page, stage).getByRole("article", { name: title, exact: true });
const rowNames = (page: Page) => page.getByRole("table").locator("tbody th").allTextContents();

// Each test is a walk through several pages with a real platform behind them.
describe("the CRM pages", { timeout: 120_000 }, () => {
  let web: WebPlatform;
  let page: Page;
  let account: BrowserAccount;
  let token: string;
  let adaUrl = "";
  const gql = async <T = any>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await web.platform.gql<T>(query, variables, token);
    if (!response.data) throw new Error(`${query}: ${JSON.stringify(response.errors)}`);
    return response.data;
  };

  beforeAll(async () => {
    web = await startWebPlatform();
    page = await web.newPage();
    account = await web.signUp(page);
    token = await web.accessTokenOf(account);
  });
  afterAll(async () => {
    await page?.context().close();
    await web?.stop();
  });

  it("adds a contact (client and server checks on their fields) and finds it by search, kept in the URL", async () => {
    await page.getByRole("heading", { level: 1, name: "Contacts" }).waitFor();
    await page.getByText("No contacts yet").waitFor();

    await page.getByRole("button", { name: "New contact" }).click();
    const dialog = page.getByRole("dialog", { name: "New contact" });
    await dialog.waitFor();
    // Checked before sending: a name is required and an email must look like one.
    await dialog.getByLabel("Email").fill("not-an-email");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByText("Enter the contact's name").waitFor();
    await dialog.getByText("Enter an email address like name@example.com").waitFor();
    expect(await dialog.getByLabel("Name").getAttribute("aria-invalid")).toBe("true");

    // Looks like an email to the browser, but the server wants a dotted domain: its
    // BAD_USER_INPUT (field "emails") is shown under the Email field, and nothing is added.
    await dialog.getByLabel("Name").fill("Ada Lovelace");
    await dialog.getByLabel("Email").fill("ada@localhost");
    await dialog.getByLabel("Phone").fill("+44 20 7946 0000");
    await dialog.getByRole("button", { name: "Save" }).click();
    const emailError = dialog.locator(".field", { has: page.getByLabel("Email") }).locator(".field-error");
    await expect.poll(() => emailError.textContent()).toContain("is not a valid email");
    expect(await dialog.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    expect(await dialog.getByLabel("Name").getAttribute("aria-invalid")).toBe("false");
    expect((await gql(CONTACTS)).contacts.edges).toHaveLength(0);

    await dialog.getByLabel("Email").fill("ada@example.com");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("link", { name: "Ada Lovelace" }).first().waitFor();
    const table = page.getByRole("table");
    await table.getByRole("row", { name: /Ada Lovelace/ }).waitFor();
    expect(await table.getByRole("row", { name: /Ada Lovelace/ }).textContent()).toContain("ada@example.com");

    // Another contact, added behind the page's back, for the search to leave out.
    await gql(CREATE_CONTACTS, { inputs: [{ name: "Grace Hopper", emails: ["grace@navy.example"] }] });
    await page.reload();
    await expect.poll(() => rowNames(page)).toEqual(["Grace Hopper", "Ada Lovelace"]);

    await page.getByLabel("Search contacts").fill("lovelace");
    await page.waitForURL((url) => url.searchParams.get("q") === "lovelace");
    await expect.poll(() => rowNames(page)).toEqual(["Ada Lovelace"]);
    await page.getByLabel("Search contacts").fill("navy.example");
    await expect.poll(() => rowNames(page)).toEqual(["Grace Hopper"]);
    await page.getByLabel("Search contacts").fill("babbage");
    await page.getByText("No contacts match “babbage”").waitFor();

    // The search survives a reload.
    await page.goto(`${web.webUrl}/crm/contacts?q=ada`);
    await expect.poll(() => rowNames(page)).toEqual(["Ada Lovelace"]);
    expect(await page.getByLabel("Search contacts").inputValue()).toBe("ada");
    await web.expectAccessible(page, "contacts");
    await web.screenshot(page, "contacts");

    await page.getByRole("link", { name: "Ada Lovelace" }).click();
    await page.waitForURL(/\/crm\/contacts\/[0-9a-f-]{36}$/);
    adaUrl = page.url();
  });

  it("shows a contact, edits it, logs activities that appear in its timeline at once and after a reload", async () => {
    await page.goto(adaUrl);
    await page.getByRole("heading", { level: 1, name: "Ada Lovelace" }).waitFor();
    await page.getByText("ada@example.com").waitFor();
    await page.getByText("Nothing logged yet").waitFor();

    await page.getByRole("button", { name: "Edit contact" }).click();
    const edit = page.getByRole("dialog", { name: "Edit contact" });
    expect(await edit.getByLabel("Name").inputValue()).toBe("Ada Lovelace");
    await edit.getByLabel("Job title").fill("Analyst");
    await edit.getByRole("button", { name: "Save" }).click();
    await edit.waitFor({ state: "hidden" });
    await page.locator(".crm-details").getByText("Analyst").waitFor();

    const logForm = page.getByRole("form", { name: "Log activity" });
    // A subject is required, checked before sending.
    await logForm.getByRole("button", { name: "Log activity" }).click();
    await logForm.getByText("Enter a one-line summary").waitFor();

    await logForm.getByLabel("Type").selectOption({ label: "Call" });
    await logForm.getByLabel("When").fill("2026-03-02T10:30");
    await logForm.getByLabel("Subject").fill("Intro call");
    await logForm.getByLabel("Details").fill("Talked about the analytical engine.");
    await logForm.getByRole("button", { name: "Log activity" }).click();
    const timeline = page.getByRole("list", { name: "Timeline, newest first" });
    await timeline.getByRole("heading", { name: "Intro call" }).waitFor();

    // Logged now, so newest: first in the timeline.
    await logForm.getByLabel("Type").selectOption({ label: "Email" });
    await logForm.getByLabel("Subject").fill("Sent the notes");
    await logForm.getByRole("button", { name: "Log activity" }).click();
    const subjects = () => timeline.getByRole("heading").allTextContents();
    await expect.poll(subjects).toEqual(["Sent the notes", "Intro call"]);
    expect(await logForm.getByLabel("Subject").inputValue()).toBe("");

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Ada Lovelace" }).waitFor();
    await expect.poll(subjects).toEqual(["Sent the notes", "Intro call"]);
    expect(await timeline.getByRole("listitem").first().textContent()).toContain("Email");
    await page.locator(".crm-details").getByText("Analyst").waitFor();
    await web.expectAccessible(page, "contact");
    await web.screenshot(page, "contact");
  });

  it("pages through a long timeline with Load more", async () => {
    const grace = (await gql(CONTACTS, { search: "Grace" })).contacts.edges[0].node;
    for (let day = 1; day <= 21; day++) {
      await gql(`mutation ($input: LogActivityInput!) { logActivity(input: $input) { id } }`, {
        input: {
          contactId: grace.id,
          type: "NOTE",
          subject: `Note ${String(day).padStart(2, "0")}`,
          occurredAt: `2026-01-${String(day).padStart(2, "0")}T09:00:00Z`,
        },
      });
    }
    await page.goto(`${web.webUrl}/crm/contacts/${grace.id}`);
    const timeline = page.getByRole("list", { name: "Timeline, newest first" });
    await expect.poll(() => timeline.getByRole("listitem").count()).toBe(20);
    expect(await timeline.getByRole("heading").first().textContent()).toBe("Note 21");
    await page.getByRole("button", { name: "Load more activities" }).click();
    await expect.poll(() => timeline.getByRole("listitem").count()).toBe(21);
    expect(await timeline.getByRole("heading").last().textContent()).toBe("Note 01");
    expect(await page.getByRole("button", { name: "Load more activities" }).count()).toBe(0);
  });

  it("adds companies (a taken domain is refused on its field) and lists a company's people", async () => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Companies" }).click();
    await page.getByRole("heading", { level: 1, name: "Companies" }).waitFor();
    await page.getByText("No companies yet").waitFor();

    await page.getByRole("button", { name: "New company" }).click();
    let dialog = page.getByRole("dialog", { name: "New company" });
    await dialog.getByLabel("Name").fill("Analytical Engines");
    await dialog.getByLabel("Domain").fill("https://Engines.example/about");
    await dialog.getByLabel("Industry").fill("Computing");
    await dialog.getByLabel("Headcount").fill("12");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    const row = page.getByRole("row", { name: /Analytical Engines/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("engines.example");

    await page.getByRole("button", { name: "New company" }).click();
    dialog = page.getByRole("dialog", { name: "New company" });
    await dialog.getByLabel("Name").fill("Engines Again");
    await dialog.getByLabel("Domain").fill("engines.example");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByText("Another company in this workspace has that domain").waitFor();
    expect(await dialog.getByLabel("Domain").getAttribute("aria-invalid")).toBe("true");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await gql(`{ companies { edges { node { name } } } }`)).companies.edges).toHaveLength(1);
    await web.expectAccessible(page, "companies");
    await web.screenshot(page, "companies");

    // Ada joins the company (the contact form's company list), then is among its people.
    await page.goto(adaUrl);
    await page.getByRole("button", { name: "Edit contact" }).click();
    const edit = page.getByRole("dialog", { name: "Edit contact" });
    await edit.getByRole("option", { name: "Analytical Engines" }).waitFor({ state: "attached" });
    await edit.getByLabel("Company").selectOption({ label: "Analytical Engines" });
    await edit.getByRole("button", { name: "Save" }).click();
    await edit.waitFor({ state: "hidden" });
    await page.locator(".crm-details").getByRole("link", { name: "Analytical Engines" }).waitFor();

    await page.goto(`${web.webUrl}/crm/companies`);
    await page.getByRole("link", { name: "People at Analytical Engines" }).click();
    await page.getByText("People at Analytical Engines").waitFor();
    await expect.poll(() => rowNames(page)).toEqual(["Ada Lovelace"]);
  });

  it("adds deals and moves them by the keyboard menu and by drag and drop; the totals follow, also after a reload", async () => {
    await page.goto(`${web.webUrl}/crm/deals`);
    await page.getByRole("heading", { level: 1, name: "Deals" }).waitFor();
    await page.getByText("No deals yet").waitFor();

    for (const [title, amount] of [
      ["Engine licence", "1500"],
      ["Support plan", "500.50"],
    ] as const) {
      await page.getByRole("button", { name: "New deal" }).click();
      const dialog = page.getByRole("dialog", { name: "New deal" });
      await dialog.getByLabel("Title").fill(title);
      await dialog.getByLabel("Amount").fill(amount);
      await dialog.getByLabel("Contact").selectOption({ label: "Ada Lovelace" });
      await dialog.getByRole("button", { name: "Save" }).click();
      await dialog.waitFor({ state: "hidden" });
      await card(page, "Lead", title).waitFor();
    }
    await expect.poll(() => totalsOf(page, "Lead").textContent()).toBe("$2,000.50");
    expect(await column(page, "Lead").getByText("2 deals").count()).toBe(1);
    expect(await totalsOf(page, "Qualified").textContent()).toBe("Nothing yet");

    // The keyboard: the card's "Move … to…" button opens the menu, Enter picks the stage.
    const moveButton = card(page, "Lead", "Support plan").getByRole("button", { name: "Move Support plan to…" });
    await moveButton.focus();
    await page.keyboard.press("Enter");
    const qualified = page.getByRole("menuitem", { name: "Qualified" });
    await qualified.waitFor();
    const focused = () =>
      page.evaluate<string>(`document.activeElement?.getAttribute("role") + ":" + document.activeElement?.textContent`);
    await expect.poll(focused).toBe("menuitem:Qualified");
    await page.keyboard.press("Enter");
    await card(page, "Qualified", "Support plan").waitFor();
    await expect.poll(() => totalsOf(page, "Lead").textContent()).toBe("$1,500.00");
    await expect.poll(() => totalsOf(page, "Qualified").textContent()).toBe("$500.50");
    expect(await card(page, "Lead", "Support plan").count()).toBe(0);
    // Focus follows the card to its new column.
    await expect
      .poll(() => page.evaluate<string>(`document.activeElement?.closest("article")?.textContent ?? ""`))
      .toContain("Support plan");

    // The server has it, so a reload shows the same.
    await expect
      .poll(async () => (await gql(PIPELINE)).workspace.pipeline.find((s: any) => s.stage === "QUALIFIED"))
      .toEqual({ stage: "QUALIFIED", count: 1, totals: [{ amount: 50050, currency: "USD" }] });
    await page.reload();
    await card(page, "Qualified", "Support plan").waitFor();
    expect(await totalsOf(page, "Lead").textContent()).toBe("$1,500.00");
    expect(await totalsOf(page, "Qualified").textContent()).toBe("$500.50");

    // Drag and drop with the mouse: the handle, into the Proposal column.
    const handle = card(page, "Lead", "Engine licence").getByRole("button", { name: "Drag Engine licence" });
    const from = (await handle.boundingBox())!;
    const to = (await column(page, "Proposal").boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 15 });
    await page.mouse.up();
    await card(page, "Proposal", "Engine licence").waitFor();
    await expect.poll(() => totalsOf(page, "Proposal").textContent()).toBe("$1,500.00");
    await expect.poll(() => totalsOf(page, "Lead").textContent()).toBe("Nothing yet");
    await expect
      .poll(async () => (await gql(DEALS)).deals.edges.map((edge: any) => `${edge.node.title}:${edge.node.stage}`))
      .toEqual(["Support plan:QUALIFIED", "Engine licence:PROPOSAL"]);
    expect(await totalsOf(page, "Qualified").textContent()).toBe("$500.50");
    await web.expectAccessible(page, "deals");
    await web.screenshot(page, "deals");

    // Drag and drop with the keyboard: Space picks the card up, the right arrow carries it one
    // stage on, Space drops it; the drag is announced.
    await card(page, "Proposal", "Engine licence").getByRole("button", { name: "Drag Engine licence" }).focus();
    await page.keyboard.press("Space");
    await page.getByText("Engine licence is over Proposal, where it is now.").waitFor({ state: "attached" });
    await page.keyboard.press("ArrowRight");
    await page.getByText("Engine licence is over Negotiation.").waitFor({ state: "attached" });
    await page.keyboard.press("Space");
    await card(page, "Negotiation", "Engine licence").waitFor();
    await page.getByText("Engine licence was dropped on Negotiation.").waitFor({ state: "attached" });
    await expect.poll(() => totalsOf(page, "Negotiation").textContent()).toBe("$1,500.00");
    await expect.poll(() => totalsOf(page, "Proposal").textContent()).toBe("Nothing yet");
  });

  it("puts a deal back, with the error, when the server refuses the move", async () => {
    await page.goto(`${web.webUrl}/crm/deals`);
    await card(page, "Qualified", "Support plan").waitFor();
    // A real failure: the deal is deleted behind the page's back, so moveDeal answers NOT_FOUND.
    const support = (await gql(DEALS)).deals.edges.find((edge: any) => edge.node.title === "Support plan").node;
    await gql(`mutation ($id: ID!) { deleteDeal(id: $id) }`, { id: support.id });

    await card(page, "Qualified", "Support plan").getByRole("button", { name: "Move Support plan to…" }).click();
    await page.getByRole("menuitem", { name: "Won" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "This does not exist, or it belongs to another workspace." })
      .waitFor();
    await card(page, "Qualified", "Support plan").waitFor();
    expect(await card(page, "Won", "Support plan").count()).toBe(0);
    expect(await totalsOf(page, "Qualified").textContent()).toBe("$500.50");
    expect(await totalsOf(page, "Won").textContent()).toBe("Nothing yet");

    // "Try again" asks the server again: the deal is gone.
    await page.getByRole("alert").getByRole("button", { name: "Try again" }).click();
    await expect.poll(() => page.getByRole("article", { name: "Support plan" }).count()).toBe(0);
    await expect.poll(() => totalsOf(page, "Qualified").textContent()).toBe("Nothing yet");
  });

  it("pages through contacts with Load more, and offers the upgrade when the FREE plan's limit is reached", async () => {
    const existing = (await gql(CONTACTS)).contacts.edges.length;
    const missing = FREE_CONTACT_LIMIT - existing;
    await gql(CREATE_CONTACTS, {
      inputs: Array.from({ length: missing }, (_, i) => ({ name: `Bulk Person ${String(i).padStart(3, "0")}` })),
    });

    await page.goto(`${web.webUrl}/crm/contacts`);
    await expect.poll(async () => (await rowNames(page)).length).toBe(20);
    await page.getByText(`${FREE_CONTACT_LIMIT} of ${FREE_CONTACT_LIMIT} contacts on the free plan`).waitFor();
    await page.getByRole("button", { name: "Load more" }).click();
    await expect.poll(async () => (await rowNames(page)).length).toBe(40);
    expect(new Set(await rowNames(page)).size).toBe(40);

    await page.getByRole("button", { name: "New contact" }).click();
    const dialog = page.getByRole("dialog", { name: "New contact" });
    await dialog.getByLabel("Name").fill("One Too Many");
    await dialog.getByRole("button", { name: "Save" }).click();
    const notice = dialog.getByRole("alert").filter({ hasText: "Upgrade" });
    await notice.waitFor();
    expect(await notice.getAttribute("data-code")).toBe("PLAN_LIMIT");
    await notice.getByRole("link", { name: "See plans and upgrade" }).waitFor();
    await web.expectAccessible(page, "contacts-plan-limit");
    await web.screenshot(page, "contacts-plan-limit");
    expect((await gql(CONTACTS, { search: "One Too Many" })).contacts.edges).toHaveLength(0);

    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });

    // Deleting one (after confirming) makes room again.
    await page.getByLabel("Search contacts").fill("Bulk Person 000");
    await expect.poll(() => rowNames(page)).toEqual(["Bulk Person 000"]);
    await page.getByRole("link", { name: "Bulk Person 000" }).click();
    await page.getByRole("heading", { level: 1, name: "Bulk Person 000" }).waitFor();
    await page.getByRole("button", { name: "Delete contact" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete Bulk Person 000?" });
    await confirm.getByRole("button", { name: "Delete contact" }).click();
    await page.waitForURL(`${web.webUrl}/crm/contacts`);
    await page.getByLabel("Search contacts").fill("");
    await page.getByText(`${FREE_CONTACT_LIMIT - 1} of ${FREE_CONTACT_LIMIT} contacts on the free plan`).waitFor();
    expect(await page.getByRole("link", { name: "Bulk Person 000" }).count()).toBe(0);
    expect((await gql(CONTACTS, { search: "Bulk Person 000" })).contacts.edges).toHaveLength(0);

    await page.getByRole("button", { name: "New contact" }).click();
    await dialog.getByLabel("Name").fill("One Too Many");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("link", { name: "One Too Many" }).first().waitFor();

    await page.getByRole("button", { name: "New contact" }).click();
    await dialog.getByLabel("Name").fill("Really Too Many");
    await dialog.getByRole("button", { name: "Save" }).click();
    await notice.getByRole("link", { name: "See plans and upgrade" }).click();
    await page.waitForURL(`${web.webUrl}/billing`);
  });

  it("shows another workspace's contact as not found, and none of its contacts or deals", async () => {
    const other = await web.newPage();
    await web.signUp(other);
    await other.goto(adaUrl);
    await other.getByRole("heading", { level: 1, name: "Contact not found" }).waitFor();
    expect(await other.getByText("Ada Lovelace").count()).toBe(0);
    await web.expectAccessible(other, "contact-not-found");
    await web.screenshot(other, "contact-not-found");

    await other.goto(`${web.webUrl}/crm/contacts?q=ada`);
    await other.getByText("No contacts match “ada”").waitFor();
    await other.goto(`${web.webUrl}/crm/contacts`);
    await other.getByText("No contacts yet").waitFor();
    await other.goto(`${web.webUrl}/crm/deals`);
    await other.getByText("No deals yet").waitFor();
    expect(await other.getByText("Engine licence").count()).toBe(0);
    expect(await totalsOf(other, "Proposal").textContent()).toBe("Nothing yet");
    await other.context().close();
  });
});
