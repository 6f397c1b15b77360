import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebPlatform, type BrowserAccount, type Page, type WebPlatform } from "./browser.ts";

/**
 * The tasks page against the real platform: two tasks made in the dialog (one due by the end of
 * a day in Berlin), a dependency added, DONE refused while its blocker is open and a cycle
 * refused, each in the server's words, then both completed in order; the filters narrow the list.
 * What the app did is checked through the API.
 */

interface ApiTask {
  id: string;
  title: string;
  status: string;
  progress: number;
  dueAt: string | null;
  dueDate: string | null;
  dueTimeZone: string;
  completedAt: string | null;
  assignee: { id: string } | null;
  blockedBy: { id: string }[];
}

describe("the tasks page", { timeout: 120_000 }, () => {
  let web: WebPlatform;
  let page: Page;
  let account: BrowserAccount;
  const gql = async <T = any>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await web.platform.gql<T>(query, variables, await web.accessTokenOf(account));
    if (!response.data) throw new Error(`${query}: ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  const tasks = async () =>
    (
      await gql<{ tasks: { edges: { node: ApiTask }[] } }>(
        `{ tasks(first: 100) { edges { node { id title status progress dueAt dueDate dueTimeZone completedAt assignee { id } blockedBy { id } } } } }`,
      )
    ).tasks.edges.map((edge) => edge.node);
  const taskNamed = async (title: string) => (await tasks()).find((task) => task.title === title)!;
  const row = (title: string) => page.getByTestId("task-row").and(page.locator(`[data-title="${title}"]`));

  beforeAll(async () => {
    web = await startWebPlatform();
    page = await web.newPage({ timezoneId: "America/New_York", locale: "en-US" });
    account = await web.signUp(page);
  });
  afterAll(async () => {
    await page?.context().close();
    await web?.stop();
  });

  it("makes two tasks, one due by the end of a day in Berlin, the other for nobody; filters by status and assignee", async () => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Tasks" }).click();
    await page.waitForURL("**/tasks");
    await page.getByRole("heading", { level: 1, name: "Tasks" }).waitFor();
    await page.getByText("No tasks yet").waitFor();
    await web.expectAccessible(page, "tasks (empty)");

    await page.getByRole("button", { name: "New task" }).click();
    const dialog = page.getByRole("dialog", { name: "New task" });
    await dialog.getByLabel("Title").fill("Write the brief");
    await dialog.getByLabel("Description").fill("Two pages for the launch.");
    await dialog.getByLabel("Priority").selectOption("HIGH");
    await dialog.getByLabel("Due", { exact: true }).selectOption("DATE");
    await dialog.getByLabel("Due date").fill("2031-03-30");
    // The zone starts on the browser's own.
    await expect(dialog.getByLabel("Due time zone").inputValue()).resolves.toBe("America/New_York");
    await dialog.getByLabel("Due time zone").selectOption("Europe/Berlin");
    await web.expectAccessible(page, "task dialog");
    await dialog.getByRole("button", { name: "Add task" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("status").filter({ hasText: "Added “Write the brief”." }).waitFor();

    const brief = await taskNamed("Write the brief");
    expect(brief).toMatchObject({ status: "TODO", dueDate: "2031-03-30", dueTimeZone: "Europe/Berlin" });
    // The end of 30 March 2031 on Berlin's clocks (summer time by then): 21:59:59.999 UTC.
    expect(brief.dueAt).toBe("2031-03-30T21:59:59.999Z");
    await expect(row("Write the brief").textContent()).resolves.toMatch(/High.*Mar 30, 2031 \(Europe\/Berlin\)/);

    await page.getByRole("button", { name: "New task" }).click();
    await dialog.getByLabel("Title").fill("Ship the release");
    await dialog.getByLabel("Assignee").selectOption("");
    await dialog.getByRole("button", { name: "Add task" }).click();
    await dialog.waitFor({ state: "hidden" });
    await row("Ship the release").waitFor();
    expect((await taskNamed("Ship the release")).assignee).toBeNull();

    // Assigned to me: only the brief.
    await page.getByLabel("Assigned to me").check();
    await page.waitForURL(/mine=1/);
    await expect.poll(() => page.getByTestId("task-row").count()).toBe(1);
    await row("Write the brief").waitFor();
    await page.getByLabel("Assigned to me").uncheck();
    await page.waitForURL((url) => !url.search.includes("mine="));
    await page.getByLabel("Status").selectOption("DONE");
    await page.waitForURL(/status=DONE/);
    await page.getByText("No task matches these filters.").waitFor();
    await page.getByLabel("Status").selectOption("");
    await expect.poll(() => page.getByTestId("task-row").count()).toBe(2);
  });

  it("adds a blocker; DONE is refused while it is open and a cycle is refused, both in the server's words; then done in order", async () => {
    await page.getByRole("button", { name: "Edit Ship the release" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit task" });
    await dialog.getByText("Nothing: this task waits for no other.").waitFor();
    await dialog.getByLabel("Add a blocker").selectOption({ label: "Write the brief" });
    await dialog.getByRole("button", { name: "Add blocker" }).click();
    const waitsFor = dialog.getByRole("list", { name: "Tasks it waits for" });
    await expect.poll(() => waitsFor.textContent()).toContain("Write the brief");
    const [brief, release] = [await taskNamed("Write the brief"), await taskNamed("Ship the release")];
    expect(release.blockedBy).toEqual([{ id: brief.id }]);

    // DONE from the dialog: refused under the status, with the open blocker named.
    await dialog.getByLabel("Status").selectOption("DONE");
    await dialog.getByRole("button", { name: "Save" }).click();
    const status = dialog.getByLabel("Status");
    await expect.poll(() => status.getAttribute("aria-invalid")).toBe("true");
    await expect(
      dialog
        .locator(".field", { has: page.getByLabel("Status") })
        .locator(".field-error")
        .textContent(),
    ).resolves.toBe('"Ship the release" cannot be DONE while tasks blocking it are open: "Write the brief"');
    await web.expectAccessible(page, "task dialog (refused)");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(row("Ship the release").getByTestId("task-blockers").textContent()).resolves.toContain(
      "Write the brief (To do)",
    );

    // And from the list's "Mark done".
    await page.getByRole("button", { name: "Mark Ship the release done" }).click();
    await expect
      .poll(() => page.locator('[role="alert"][data-code="BAD_USER_INPUT"]').textContent())
      .toContain('"Ship the release" cannot be DONE while tasks blocking it are open: "Write the brief"');
    expect((await taskNamed("Ship the release")).status).toBe("TODO");

    // The brief waiting for the release would close a cycle: refused, with it spelled out.
    await page.getByRole("button", { name: "Edit Write the brief" }).click();
    await dialog.getByLabel("Add a blocker").selectOption({ label: "Ship the release" });
    await dialog.getByRole("button", { name: "Add blocker" }).click();
    await expect
      .poll(() => dialog.locator('[role="alert"][data-code="BAD_USER_INPUT"]').textContent())
      .toContain(
        'That would make a cycle of blocking tasks (each waits for the next): "Write the brief" → "Ship the release" → "Write the brief"',
      );
    expect((await taskNamed("Write the brief")).blockedBy).toEqual([]);
    await web.screenshot(page, "tasks-cycle");
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // In order: the brief, then the release.
    await page.getByRole("button", { name: "Mark Write the brief done" }).click();
    await expect.poll(() => row("Write the brief").getByTestId("task-status").textContent()).toBe("Done");
    await expect
      .poll(() => row("Ship the release").getByTestId("task-blockers").textContent())
      .toContain("Write the brief (Done)");
    await page.getByRole("button", { name: "Mark Ship the release done" }).click();
    await expect.poll(() => row("Ship the release").getByTestId("task-status").textContent()).toBe("Done");
    await page.getByRole("status").filter({ hasText: "Marked “Ship the release” done." }).waitFor();
    for (const task of await tasks()) {
      expect(task).toMatchObject({ status: "DONE", progress: 100 });
      expect(task.completedAt).not.toBeNull();
    }
    await web.expectAccessible(page, "tasks");
    await web.screenshot(page, "tasks");
  });
});
