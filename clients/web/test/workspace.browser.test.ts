import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebPlatform, type WebPlatform } from "./browser.ts";

const WHO_AM_I = `{ workspace { id name } }`;

describe("the workspace page", { timeout: 60_000 }, () => {
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

  it("adds a member by email and removes them; refuses an email no account has, on its field", async () => {
    const page = await openPage();
    const account = await web.signUp(page);
    const other = await web.platform.signUp();

    await page.getByRole("link", { name: "Workspace" }).click();
    await page.getByRole("heading", { level: 1, name: account.workspaceName }).waitFor();
    const members = page.getByRole("table", { name: "Members" });
    await members.getByRole("row", { name: new RegExp(account.email) }).waitFor();

    // An email with no Mary account: the error is on the email field, and nobody is added.
    await page.getByLabel("Email").fill("nobody-here@example.com");
    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByText("No Mary account uses this email").waitFor();
    await expect.poll(() => page.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    expect(await members.getByRole("row").count()).toBe(2);

    await page.getByLabel("Email").fill(other.user.email);
    await page.getByLabel("Role").selectOption({ label: "Admin" });
    await page.getByRole("button", { name: "Add member" }).click();
    const added = members.getByRole("row", { name: new RegExp(other.user.email) });
    await added.waitFor();
    expect(await added.getByRole("cell", { name: "Admin" }).count()).toBe(1);
    // Oneself has no Remove button.
    expect(await page.getByRole("button", { name: `Remove ${account.name} (${account.email})` }).count()).toBe(0);
    await web.expectAccessible(page, "workspace");
    await web.screenshot(page, "workspace");

    await added.getByRole("button", { name: /^Remove / }).click();
    const dialog = page.getByRole("dialog", { name: "Remove member?" });
    await dialog.waitFor();
    await web.expectAccessible(page, "workspace-remove-member");
    await dialog.getByRole("button", { name: "Remove member" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => members.getByRole("row", { name: new RegExp(other.user.email) }).count()).toBe(0);

    // The server agrees: only the owner is left.
    const token = await web.accessTokenOf(account);
    const listed = await web.platform.gql(`{ workspace { members { edges { node { user { email } } } } } }`, {}, token);
    expect(listed.data.workspace.members.edges.map((edge: any) => edge.node.user.email)).toEqual([account.email]);
    await page.context().close();
  });

  it("creates an API key shown once, which works until it is revoked", async () => {
    const page = await openPage();
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: web.webUrl });
    const account = await web.signUp(page);
    await page.goto(`${web.webUrl}/workspace`);
    await page.getByRole("heading", { level: 1, name: account.workspaceName }).waitFor();
    await page.getByText("No API keys yet").waitFor();

    // No scope: refused before sending.
    await page.getByLabel("Key name").fill("Zapier sync");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByText("Choose at least one scope").waitFor();

    await page.getByRole("checkbox", { name: "users:read" }).check();
    await page.getByRole("checkbox", { name: "crm:read" }).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: "Your new API key" });
    await dialog.waitFor();
    await dialog.getByText("won't be shown again").waitFor();
    const key = await dialog.getByLabel(/API key/).inputValue();
    expect(key).toMatch(/^mary_/);
    await web.expectAccessible(page, "workspace-api-key-created");
    await web.screenshot(page, "workspace-api-key-created");

    await dialog.getByRole("button", { name: "Copy" }).click();
    await dialog.getByText("Copied").waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(key);

    // The key works against the gateway, as its workspace.
    const asKey = await web.platform.gql(WHO_AM_I, {}, key);
    expect(asKey.errors).toBeUndefined();
    expect(asKey.data.workspace.name).toBe(account.workspaceName);

    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "hidden" });
    const keys = page.getByRole("table", { name: "API keys" });
    const row = keys.getByRole("row", { name: /Zapier sync/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("crm:read");
    expect(await row.textContent()).toContain("users:read");
    expect(await row.textContent()).toContain("Active");
    // Shown once: after the dialog, the secret is nowhere on the page (only its prefix).
    expect(await page.content()).not.toContain(key);
    expect(await page.content()).toContain(key.slice(0, 12));

    await row.getByRole("button", { name: "Revoke Zapier sync" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke API key?" });
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await confirm.waitFor({ state: "hidden" });
    await row.getByText(/^Revoked/).waitFor();
    expect(await row.getByRole("button", { name: "Revoke Zapier sync" }).count()).toBe(0);
    await web.expectAccessible(page, "workspace-api-key-revoked");
    await web.screenshot(page, "workspace-api-keys");

    await expect
      .poll(async () => (await web.platform.gql(WHO_AM_I, {}, key)).errors?.[0]?.extensions?.code)
      .toBe("UNAUTHENTICATED");
    await page.context().close();
  });

  it("creates another workspace, which the switcher lists at once", async () => {
    const page = await openPage();
    const account = await web.signUp(page);
    await page.goto(`${web.webUrl}/workspace`);
    await page.getByRole("heading", { level: 1, name: account.workspaceName }).waitFor();
    expect(await page.getByRole("banner").getByRole("combobox").count()).toBe(0);

    await page.getByLabel("Workspace name").fill("Side project");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByText("Created Side project").waitFor();
    const switcher = page.getByRole("banner").getByRole("combobox");
    await switcher.waitFor();
    expect(await switcher.locator("option").allTextContents()).toEqual([account.workspaceName, "Side project"]);

    await page.getByRole("button", { name: "Switch to Side project" }).click();
    await page.getByRole("heading", { level: 1, name: "Side project" }).waitFor();
    await expect.poll(() => page.getByTestId("workspace-name").textContent()).toBe("Side project");
    await page.context().close();
  });

  it("shows members the list without the controls", async () => {
    const owner = await web.platform.signUp();
    const page = await openPage();
    const account = await web.signUp(page);
    const added = await web.platform.gql(
      `mutation ($workspaceId: ID!, $email: String!) { addMember(workspaceId: $workspaceId, email: $email, role: MEMBER) { role } }`,
      { workspaceId: owner.workspace.id, email: account.email },
      owner.accessToken,
    );
    expect(added.errors).toBeUndefined();

    await page.reload();
    const switcher = page.getByRole("banner").getByRole("combobox");
    await switcher.waitFor();
    await switcher.selectOption({ index: 1 });
    // The switcher takes the session to the new workspace's contacts page.
    await page.waitForURL(`${web.webUrl}/crm/contacts`);
    await expect.poll(() => page.getByTestId("workspace-name").textContent()).not.toBe(account.workspaceName);
    await page.goto(`${web.webUrl}/workspace`);
    await page.getByText("Only owners and admins can add or remove members.").waitFor();
    const members = page.getByRole("table", { name: "Members" });
    await members.getByRole("row", { name: new RegExp(owner.user.email) }).waitFor();
    expect(await page.getByRole("button", { name: "Add member" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Remove / }).count()).toBe(0);
    // A member's keys cannot manage members or billing.
    expect(await page.getByRole("checkbox", { name: "users:write" }).isDisabled()).toBe(true);
    await web.expectAccessible(page, "workspace-as-member");
    await page.context().close();
  });
});
