import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebPlatform, type BrowserAccount, type Page, type WebPlatform } from "./browser.ts";

/**
 * The agents pages against the real platform: the LOCAL provider echoes the input back a word at
 * a time, LOCAL_TOKEN_INTERVAL_MS apart, so a run of RUN_WORDS words streams for long enough to
 * watch it, reload in the middle of it and cancel it. Access tokens live 10 s (the least the users
 * subgraph allows), so the app refreshes its session during a run, which reconnects the
 * WebSocket: the subscription has to resume after its last event without repeating any.
 */
const TOKEN_INTERVAL_MS = 40;
const RUN_WORDS = 500;
const longInput = (label: string) =>
  Array.from({ length: RUN_WORDS }, (_, index) => `${label}-${index + 1}`).join(" ") + ".";

const RUN_TEST_TIMEOUT = 120_000;

describe("agents in the web app", () => {
  let web: WebPlatform;
  let page: Page;
  let account: BrowserAccount;
  let agentUrl = "";
  const runUrls: string[] = [];

  const outputText = async () => (await page.getByRole("region", { name: "Run output" }).textContent()) ?? "";
  const statusLine = () => page.getByRole("status").filter({ hasText: "Status:" });
  const readRun = async (runId: string) => {
    const token = await web.accessTokenOf(account);
    const response = await web.platform.gql<{ agentRun: { status: string; output: string } }>(
      "query ($id: ID!) { agentRun(id: $id) { status output } }",
      { id: runId },
      token,
    );
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.agentRun;
  };
  const runIdOf = (url: string) => url.split("/runs/")[1]!.split(/[?#]/)[0]!;

  beforeAll(async () => {
    web = await startWebPlatform({
      LOCAL_TOKEN_INTERVAL_MS: String(TOKEN_INTERVAL_MS),
      ACCESS_TOKEN_TTL_SECONDS: "10",
    });
    page = await web.newPage();
    account = await web.signUp(page);
  });
  afterAll(async () => {
    await page?.context().close();
    await web?.stop();
  });

  it("creates a LOCAL agent with the form: client checks, the server's field errors, then the plan's limit", async () => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Agents" }).click();
    await page.getByRole("heading", { level: 1, name: "Agents" }).waitFor();
    await page.getByText("No agents yet").waitFor();
    await web.expectAccessible(page, "agents-empty");

    await page.getByRole("link", { name: "New agent" }).click();
    await page.waitForURL(`${web.webUrl}/agents/new`);
    await page.getByRole("heading", { level: 1, name: "New agent" }).waitFor();

    // Nothing is sent without a name.
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Name the agent").waitFor();
    expect(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid")).toBe("true");

    // The server refuses a model the LOCAL provider does not have, on the model field.
    await page.getByLabel("Name", { exact: true }).fill("Echo");
    await page.getByLabel("Provider").selectOption("LOCAL");
    await page.getByLabel("Model", { exact: true }).fill("gpt-4o");
    await page.getByLabel("Instructions").fill("Repeat what you are told.");
    await page.getByRole("checkbox", { name: /Who am I/ }).check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("The LOCAL provider's models are: local-echo").waitFor();
    await expect.poll(() => page.getByLabel("Model", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toBe("/agents/new");
    await web.expectAccessible(page, "agent-new");
    await web.screenshot(page, "agent-new");

    await page.getByLabel("Model", { exact: true }).fill("");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/agents\/(?!new)[^/]+$/);
    agentUrl = page.url();
    await page.getByRole("heading", { level: 1, name: "Echo" }).waitFor();
    expect(await page.getByLabel("Model", { exact: true }).inputValue()).toBe("local-echo");
    expect(await page.getByRole("checkbox", { name: /Who am I/ }).isChecked()).toBe(true);
    expect(await page.getByLabel("Provider").inputValue()).toBe("LOCAL");

    // Saving a change updates the agent in place.
    await page.getByLabel("Instructions").fill("Repeat exactly what you are told.");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Changes saved.").waitFor();

    // The free plan has room for one agent: a second one offers the upgrade.
    await page.getByRole("link", { name: "All agents" }).click();
    await page.getByRole("link", { name: "New agent" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Second");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("alert").filter({ hasText: "Upgrade" }).waitFor();
    await page.getByRole("link", { name: "See plans and upgrade" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/agents/new");

    await page.getByRole("link", { name: "All agents" }).click();
    const table = page.getByRole("table", { name: "Agents" });
    await table.getByRole("link", { name: "Echo" }).waitFor();
    expect(await table.getByRole("row").count()).toBe(2);
    expect(await table.getByRole("row").nth(1).textContent()).toContain("Local");
    expect(await table.getByRole("row").nth(1).textContent()).toContain("Never run");
  });

  it(
    "streams a run token by token, and after a reload mid-run shows the rest exactly once",
    async () => {
      await page.goto(agentUrl);
      await page.getByRole("heading", { level: 1, name: "Echo" }).waitFor();
      await page.getByText("This agent has not run yet").waitFor();
      await web.expectAccessible(page, "agent");
      await web.screenshot(page, "agent");

      const input = longInput("alpha");
      await page.getByLabel("What to ask the agent").fill(input);
      await page.getByRole("button", { name: "Start run" }).click();
      await page.waitForURL(/\/runs\/[^/]+$/);
      runUrls.push(page.url());
      const runId = runIdOf(page.url());

      // The text grows read after read while the run is still running.
      let length = 0;
      for (let read = 0; read < 4; read++) {
        const before = length;
        await expect
          .poll(async () => (length = (await outputText()).length), { timeout: 10_000 })
          .toBeGreaterThan(before);
      }
      expect(await statusLine().textContent()).toContain("Running");
      expect(input.startsWith(await outputText())).toBe(true);
      await page.getByRole("button", { name: "Cancel run" }).waitFor();

      // A reload in the middle: the page starts again from the run's first event and continues.
      const sockets: string[] = [];
      /** The variables of each subscribe message the page sends for the run's events. */
      const subscribed: { after?: string | null }[] = [];
      page.on("websocket", (socket) => {
        sockets.push(socket.url());
        socket.on("framesent", ({ payload }) => {
          const message = JSON.parse(String(payload)) as {
            type: string;
            payload?: { operationName?: string; variables?: { after?: string | null } };
          };
          if (message.type === "subscribe" && message.payload?.operationName === "RunOutputEvents") {
            subscribed.push(message.payload.variables ?? {});
          }
        });
      });
      await page.reload();
      await expect.poll(async () => (await outputText()).length, { timeout: 10_000 }).toBeGreaterThan(length);
      expect(input.startsWith(await outputText())).toBe(true);
      await web.expectAccessible(page, "run");
      await web.screenshot(page, "run");

      await statusLine().filter({ hasText: "Succeeded" }).waitFor({ timeout: 60_000 });
      const shown = await outputText();
      const stored = await readRun(runId);
      expect(stored.status).toBe("SUCCEEDED");
      expect(shown).toBe(stored.output);
      // local-echo answers with the input itself: no word is missing or doubled.
      expect(shown).toBe(input);
      expect(await page.getByRole("button", { name: "Cancel run" }).count()).toBe(0);
      // The session was refreshed during the run, so the subscription resumed on a new socket.
      expect(sockets.filter((url) => url.endsWith("/graphql")).length).toBeGreaterThanOrEqual(2);
      // The reloaded page subscribed from the start; the re-authenticated socket resumed after a cursor.
      expect(subscribed[0]?.after ?? null).toBeNull();
      expect(subscribed.slice(1).some((variables) => typeof variables.after === "string")).toBe(true);
      await web.screenshot(page, "run-finished");
    },
    RUN_TEST_TIMEOUT,
  );

  it(
    "cancels a run in the middle; the output so far is kept",
    async () => {
      await page.goto(agentUrl);
      const input = longInput("beta");
      await page.getByLabel("What to ask the agent").fill(input);
      await page.getByRole("button", { name: "Start run" }).click();
      await page.waitForURL(/\/runs\/[^/]+$/);
      runUrls.push(page.url());
      const runId = runIdOf(page.url());
      await expect.poll(async () => (await outputText()).length, { timeout: 10_000 }).toBeGreaterThan(20);

      await page.getByRole("button", { name: "Cancel run" }).click();
      await statusLine().filter({ hasText: "Cancelled" }).waitFor({ timeout: 30_000 });
      await page.getByRole("button", { name: "Cancel run" }).waitFor({ state: "detached" });
      const stored = await readRun(runId);
      expect(stored.status).toBe("CANCELLED");
      await expect.poll(outputText).toBe(stored.output);
      expect(stored.output.length).toBeLessThan(input.length);
      expect(input.startsWith(stored.output)).toBe(true);
    },
    RUN_TEST_TIMEOUT,
  );

  it("lists the agent's runs newest first, a page at a time, each linking to its run", async () => {
    // Ten quick runs more, through the gateway, so the history has a second page.
    const token = await web.accessTokenOf(account);
    const agentId = agentUrl.split("/agents/")[1]!;
    for (let index = 0; index < 10; index++) {
      const started = await web.platform.gql(
        "mutation ($input: StartAgentRunInput!) { startAgentRun(input: $input) { id } }",
        { input: { agentId, input: `Quick ${index + 1}` } },
        token,
      );
      expect(started.errors).toBeUndefined();
    }

    await page.goto(agentUrl);
    const history = page.getByRole("table", { name: "Run history" });
    await history.waitFor();
    // A header row and the first ten runs, the quick ones the newest.
    await expect.poll(() => history.getByRole("row").count()).toBe(11);
    expect(await history.getByRole("row").nth(1).textContent()).toContain("Quick 10");
    await page.getByRole("button", { name: "Load more runs" }).click();
    await expect.poll(() => history.getByRole("row").count()).toBe(13);
    expect(await page.getByRole("button", { name: "Load more runs" }).count()).toBe(0);
    const older = history.getByRole("row").nth(11);
    expect(await older.textContent()).toContain("beta-1 beta-2");
    expect(await older.textContent()).toContain("Cancelled");
    const oldest = history.getByRole("row").nth(12);
    expect(await oldest.textContent()).toContain("alpha-1 alpha-2");
    expect(await oldest.textContent()).toContain("Succeeded");

    await oldest.getByRole("link").click();
    await page.waitForURL(runUrls[0]!);
    await statusLine().filter({ hasText: "Succeeded" }).waitFor();
    // A finished run shows its whole output again, once.
    await expect.poll(outputText).toBe(longInput("alpha"));
  });

  it("shows another workspace's run and agent as not found", async () => {
    const other = await web.newPage();
    await web.signUp(other);
    await other.goto(runUrls[0]!);
    await other.getByRole("heading", { level: 1, name: "Run not found" }).waitFor();
    expect(await other.getByRole("region", { name: "Run output" }).count()).toBe(0);
    await other.goto(agentUrl);
    await other.getByRole("heading", { level: 1, name: "Agent not found" }).waitFor();
    await other.context().close();
  });

  it("deletes the agent after confirming; its runs stay as history", async () => {
    await page.goto(`${web.webUrl}/agents`);
    const table = page.getByRole("table", { name: "Agents" });
    await table.getByRole("link", { name: "Echo" }).waitFor();
    await web.expectAccessible(page, "agents");
    await web.screenshot(page, "agents");

    await table.getByRole("link", { name: "Echo" }).click();
    await page.getByRole("button", { name: "Delete agent" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete Echo?" });
    // Cancelling keeps it.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Delete agent" }).click();
    await web.expectAccessible(page, "agent-delete");
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await page.waitForURL(`${web.webUrl}/agents`);
    await page.getByText("No agents yet").waitFor();

    await page.goto(runUrls[0]!);
    await page.getByRole("heading", { level: 1, name: "Run of a deleted agent" }).waitFor();
    await statusLine().filter({ hasText: "Succeeded" }).waitFor();
  });
});
