import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebPlatform, type WebPlatform } from "./browser.ts";

describe("sessions in the web app", () => {
  let web: WebPlatform;
  beforeAll(async () => {
    web = await startWebPlatform();
  });
  afterAll(async () => {
    await web?.stop();
  });

  it("signs up, keeps the session across reloads in an httpOnly cookie only, logs out and back in", async () => {
    const page = await web.newPage();
    const account = await web.signUp(page);
    await expect.poll(() => page.getByTestId("workspace-name").textContent()).toBe(account.workspaceName);

    // The refresh token lives in a cookie page scripts cannot read, and nowhere else.
    const cookies = await page.context().cookies();
    const refresh = cookies.find((cookie) => cookie.name === "mary_refresh");
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/graphql" });
    expect(await page.evaluate<string>("document.cookie")).not.toContain("mary_refresh");
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(stored).not.toContain(refresh!.value);

    // A reload starts the session again from the cookie, on the same page.
    await page.goto(`${web.webUrl}/crm/companies`);
    await page.reload();
    await expect.poll(() => page.getByTestId("workspace-name").textContent()).toBe(account.workspaceName);
    expect(new URL(page.url()).pathname).toBe("/crm/companies");
    const rotated = (await page.context().cookies()).find((cookie) => cookie.name === "mary_refresh");
    expect(rotated?.value).not.toBe(refresh!.value);

    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${web.webUrl}/login`);
    expect((await page.context().cookies()).find((cookie) => cookie.name === "mary_refresh")).toBeUndefined();

    // Signed out, a page sends the visitor to log in and back to it afterwards.
    await page.goto(`${web.webUrl}/crm/deals`);
    await page.waitForURL(/\/login\?next=/);
    await web.expectAccessible(page, "log-in");
    await web.screenshot(page, "log-in");
    await web.logIn(page, account);
    expect(new URL(page.url()).pathname).toBe("/crm/deals");
    await page.context().close();
  });

  it("shows a wrong password as an error and a malformed email on its field before sending", async () => {
    const page = await web.newPage();
    const account = await web.signUp(page);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${web.webUrl}/login`);

    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("whatever");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Enter an email address like name@example.com").waitFor();
    await expect.poll(() => page.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill("wrong-password-1");
    await page.getByRole("button", { name: "Log in" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /password|invalid|incorrect/i })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.context().close();
  });

  it("refuses a sign-up whose email is taken, on the email field", async () => {
    const first = await web.newPage();
    const account = await web.signUp(first);
    await first.context().close();

    const page = await web.newPage();
    await page.goto(`${web.webUrl}/signup`);
    await web.expectAccessible(page, "sign-up");
    await web.screenshot(page, "sign-up");
    await page.getByLabel("Your name").fill("Someone Else");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill("another-pass-77");
    await page.getByLabel("Workspace name").fill("Elsewhere");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toBe("/signup");
    await page.context().close();
  });
});
