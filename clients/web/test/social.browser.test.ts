import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoToSocialUser, freePort, GOTOSOCIAL_URL, type GoToSocialUser } from "@mary/kit/testing";
import { startPds, xrpc, type LocalPds, type PdsAccount } from "../../../scripts/atproto/src/index.ts";
import { startWebPlatform, type BrowserAccount, type Page, type WebPlatform } from "./browser.ts";

/**
 * The social pages against the real platform and real networks: an AT Protocol PDS (@atproto/pds
 * with its PLC directory, on loopback) and GoToSocial (scripts/services, a Mastodon-API server).
 * Accounts are connected through the pages (an app password; the Mastodon server's own sign-in
 * and consent pages, filled in by the browser), and what the app did is checked on the networks.
 */

/** Waits for a condition the server reaches in the background. */
async function until<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The wall-clock parts of an instant in a zone, as the test computes them (not as the app does). */
function wallClock(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "numeric",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const part = (type: string) => parts.find((entry) => entry.type === type)!.value;
  return { date: `${part("year")}-${part("month")}-${part("day")}`, hour: Number(part("hour")) };
}

/** The UTC instant of a local date and time in a zone (no DST edge here: 09:30 is never skipped). */
function instantOf(date: string, time: string, timeZone: string): Date {
  const guess = new Date(`${date}T${time}:00Z`);
  const shown = wallClock(guess, timeZone);
  const shownAt = Date.parse(`${shown.date}T${String(shown.hour).padStart(2, "0")}:${time.slice(3)}:00Z`);
  return new Date(guess.getTime() - (shownAt - guess.getTime()));
}

describe("the social pages", { timeout: 120_000 }, () => {
  let web: WebPlatform;
  let pds: LocalPds;
  let page: Page;
  let account: BrowserAccount;
  let alice: PdsAccount & { appPassword: string };
  let bob: PdsAccount;
  let carol: PdsAccount;
  let dan: PdsAccount;
  let gts: GoToSocialUser;
  let fan: GoToSocialUser;
  /** postStatusChanged results the page received over its WebSocket. */
  const frames: string[] = [];
  const sent: string[] = [];

  const gql = async <T = any>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await web.platform.gql<T>(query, variables, await web.accessTokenOf(account));
    if (!response.data) throw new Error(`${query}: ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  const follow = (from: PdsAccount, to: PdsAccount) =>
    xrpc(pds.url, "com.atproto.repo.createRecord", {
      token: from.accessJwt,
      body: {
        repo: from.did,
        collection: "app.bsky.graph.follow",
        record: { $type: "app.bsky.graph.follow", subject: to.did, createdAt: new Date().toISOString() },
      },
    });
  const records = async (repo: string, collection: string) =>
    (
      await xrpc<{ records: { uri: string; value: Record<string, any> }[] }>(pds.url, "com.atproto.repo.listRecords", {
        params: { repo, collection },
      })
    ).records;

  beforeAll(async () => {
    // The app is served on a port chosen first: a Mastodon server sends the browser back through
    // the gateway's callback to ACCOUNTS_PAGE_URL, the app's own accounts page.
    const webPort = await freePort();
    const tag = randomUUID().slice(0, 6);
    // On "localhost": with an IP literal for its PLC directory, the PDS cannot resolve DIDs, so
    // profiles read from it would have no handles (subgraphs/social/test/social.bluesky.test.ts).
    [web, pds, gts, fan] = await Promise.all([
      startWebPlatform(
        { ACCOUNTS_PAGE_URL: `http://127.0.0.1:${webPort}/social/accounts`, METRICS_POLL_SECONDS: "5" },
        { webPort },
      ),
      startPds({ host: "localhost" }),
      createGoToSocialUser(),
      createGoToSocialUser(),
    ]);
    // The network: alice follows bob and dan, who both follow carol (the suggestion for alice).
    const made = await Promise.all(
      ["alice", "bob", "carol", "dan"].map((name) => pds.createAccount(`${name}${tag}.test`, `main-${randomUUID()}`)),
    );
    const [a, b, c, d] = made as [PdsAccount, PdsAccount, PdsAccount, PdsAccount];
    const { password } = await xrpc<{ password: string }>(pds.url, "com.atproto.server.createAppPassword", {
      body: { name: "mary" },
      token: a.accessJwt,
    });
    [alice, bob, carol, dan] = [{ ...a, appPassword: password }, b, c, d];
    await Promise.all([follow(alice, bob), follow(alice, dan), follow(bob, carol), follow(dan, carol)]);

    // America/New_York, so the queue's "Show times in" has something to convert.
    page = await web.newPage({ timezoneId: "America/New_York", locale: "en-US" });
    page.on("websocket", (socket) => {
      socket.on("framereceived", ({ payload }) => {
        if (typeof payload === "string" && payload.includes("postStatusChanged")) frames.push(payload);
      });
      socket.on("framesent", ({ payload }) => {
        if (typeof payload === "string") sent.push(payload);
      });
    });
    account = await web.signUp(page);
  });

  afterAll(async () => {
    await web?.stop();
    await pds?.close();
  });

  it("connects a Bluesky account: a wrong app password under its field, then the account; a second is PLAN_LIMIT", async () => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Social" }).click();
    await page.waitForURL("**/social/queue");
    await page.getByRole("heading", { name: "Publishing queue" }).waitFor();
    await page.getByRole("navigation", { name: "Social" }).getByRole("link", { name: "Accounts" }).click();
    await page.getByText("No social account yet").waitFor();
    await web.expectAccessible(page, "social accounts (empty)");

    // Back from a Mastodon server where the member declined: the reason's words (the API's
    // MastodonConnectError), then the address without it.
    await page.goto("/social/accounts?error=access_denied");
    await page
      .getByRole("status")
      .filter({ hasText: "You did not allow Mary on your Mastodon server, so nothing was connected." })
      .waitFor();
    await expect.poll(() => new URL(page.url()).search).toBe("");

    await page.getByRole("button", { name: "Connect Bluesky" }).click();
    const dialog = page.getByRole("dialog", { name: "Connect a Bluesky account" });
    await expect(dialog.getByLabel("Server").inputValue()).resolves.toBe("https://bsky.social");
    await dialog.getByLabel("Handle").fill(alice.handle);
    await dialog.getByLabel("App password").fill("wrong-password-1234");
    await dialog.getByLabel("Server").fill(pds.url);
    await dialog.getByRole("button", { name: "Connect" }).click();
    const passwordField = dialog.getByLabel("App password");
    await expect.poll(() => passwordField.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await passwordField.getAttribute("aria-describedby"))!;
    await expect(page.locator(`[id="${describedBy.split(" ")[0]}"]`).textContent()).resolves.toContain("refused");
    await web.expectAccessible(page, "connect Bluesky (wrong password)");

    await passwordField.fill(alice.appPassword);
    await dialog.getByRole("button", { name: "Connect" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Connected ${alice.handle}.` })
      .waitFor();
    const row = page.getByRole("row").filter({ hasText: alice.handle });
    await expect(row.textContent()).resolves.toMatch(/Bluesky.*Connected/);

    // FREE connects one account: bob is refused, with the way to upgrade.
    await page.getByRole("button", { name: "Connect Bluesky" }).click();
    await dialog.getByLabel("Handle").fill(bob.handle);
    await dialog.getByLabel("App password").fill(bob.password);
    await dialog.getByLabel("Server").fill(pds.url);
    await dialog.getByRole("button", { name: "Connect" }).click();
    const upgrade = dialog.getByRole("link", { name: "See plans and upgrade" });
    await upgrade.waitFor();
    expect(await upgrade.getAttribute("href")).toBe("/billing");
    expect(await dialog.locator('[data-code="PLAN_LIMIT"]').count()).toBe(1);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await web.screenshot(page, "social-accounts");
  });

  it("composes: the counter warns over 300 graphemes and the server refuses; publish now goes PUBLISHED live and is on the PDS", async () => {
    await page.goto("/social/compose");
    const text = page.getByLabel("Text");
    await text.fill(`${"é".repeat(150)}${"👍🏽".repeat(151)}`);
    // 301 graphemes (an emoji with its skin tone is one), though far more UTF-16 units.
    await expect(page.getByTestId("post-counter").textContent()).resolves.toBe("301 / 300");
    await page.getByTestId("over-limit").waitFor();
    await web.expectAccessible(page, "social compose (over the limit)");
    await page.getByRole("button", { name: "Publish now" }).click();
    await expect.poll(() => text.getAttribute("aria-invalid")).toBe("true");
    await expect(page.locator(".field-error").first().textContent()).resolves.toContain("300");
    expect((await records(alice.did, "app.bsky.feed.post")).length).toBe(0);

    const words = `Hello from Mary's composer ${randomUUID().slice(0, 8)}`;
    await text.fill(words);
    await expect(page.getByTestId("post-counter").textContent()).resolves.toBe(`${words.length} / 300`);
    await expect(page.locator(".social-preview").textContent()).resolves.toContain(words);
    await page.getByRole("button", { name: "Publish now" }).click();
    await page.waitForURL(/\/social\/posts\/[^/]+$/);
    await expect.poll(() => page.getByTestId("post-state").textContent(), { timeout: 15_000 }).toBe("Published");
    const published = await until(async () =>
      (await records(alice.did, "app.bsky.feed.post")).find((record) => record.value.text === words),
    );
    await expect(page.getByText(published.uri).count()).resolves.toBe(1);

    // A draft published from its page: the page's subscription brings PUBLISHING and PUBLISHED.
    const draft = `A draft, published from its page ${randomUUID().slice(0, 8)}`;
    await page.goto("/social/compose");
    await page.getByLabel("Text").fill(draft);
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL("**/social/queue?state=DRAFT");
    await page.getByRole("link", { name: draft, exact: true }).click();
    await expect(page.getByTestId("post-state").textContent()).resolves.toBe("Draft");
    const draftId = new URL(page.url()).pathname.split("/").pop()!;
    const subscribed = await until(async () =>
      sent.find(
        (frame) => frame.includes('"subscribe"') && frame.includes("PostPageStatus") && frame.includes(draftId),
      ),
    );
    // After the cursor read with the post (no polling while it is on its way).
    expect(JSON.parse(subscribed).payload.variables.after).toEqual(expect.any(String));
    const before = frames.length;
    await page.getByRole("button", { name: "Publish now" }).click();
    await expect.poll(() => page.getByTestId("post-state").textContent(), { timeout: 15_000 }).toBe("Published");
    await until(async () => frames.slice(before).some((frame) => frame.includes('"PUBLISHED"')));
    await until(async () =>
      (await records(alice.did, "app.bsky.feed.post")).some((record) => record.value.text === draft),
    );
    await web.expectAccessible(page, "social post");
    await web.screenshot(page, "social-post");
  });

  it("schedules a post for 09:30 in Europe/Berlin: the queue shows it at that time there, reschedules, cancels and deletes", async () => {
    const berlinTomorrow = wallClock(new Date(Date.now() + 36 * 3600_000), "Europe/Berlin").date;
    const words = `Scheduled for Berlin ${randomUUID().slice(0, 8)}`;
    await page.goto("/social/compose");
    // The zone picker starts on the browser's zone.
    await expect(page.getByLabel("Time zone").inputValue()).resolves.toBe("America/New_York");
    await page.getByLabel("Text").fill(words);
    await page.getByLabel("Date").fill(berlinTomorrow);
    await page.getByLabel("Time", { exact: true }).fill("09:30");
    await page.getByLabel("Time zone").selectOption("Europe/Berlin");
    await page.getByRole("button", { name: "Schedule" }).click();
    await page.waitForURL("**/social/queue");
    const row = page.getByRole("row").filter({ hasText: words });
    await row.waitFor();

    const due = instantOf(berlinTomorrow, "09:30", "Europe/Berlin");
    const { posts } = await gql(`{ posts(filter: { state: SCHEDULED }) { edges { node { text scheduledAt } } } }`);
    expect(posts.edges.find((edge: any) => edge.node.text === words).node.scheduledAt).toBe(due.toISOString());
    // Shown on New York's clocks first (the browser's zone), with Berlin's beside it...
    const newYorkHour = wallClock(due, "America/New_York").hour;
    await expect(row.locator("time").textContent()).resolves.toContain(`${newYorkHour % 12 || 12}:30`);
    await expect(row.textContent()).resolves.toContain("in Europe/Berlin");
    // ...and on Berlin's once the reader picks it.
    await page.getByLabel("Show times in").selectOption("Europe/Berlin");
    await expect.poll(() => row.locator("time").textContent()).toContain("9:30 AM");
    await web.expectAccessible(page, "social queue");
    await web.screenshot(page, "social-queue");

    // Moved to 10:15, then taken out of the queue (a draft again), then deleted.
    await row.getByRole("button", { name: /^Reschedule/ }).click();
    const dialog = page.getByRole("dialog", { name: "Schedule the post" });
    await expect(dialog.getByLabel("Time zone").inputValue()).resolves.toBe("Europe/Berlin");
    await dialog.getByLabel("Time", { exact: true }).fill("10:15");
    await dialog.getByRole("button", { name: "Schedule" }).click();
    await expect.poll(() => row.locator("time").textContent()).toContain("10:15 AM");
    await row.getByRole("button", { name: /^Cancel the schedule/ }).click();
    await expect.poll(() => row.count()).toBe(0);
    await page.getByRole("navigation", { name: "Post states" }).getByRole("link", { name: "Drafts" }).click();
    const draftRow = page.getByRole("row").filter({ hasText: words });
    await draftRow.getByRole("button", { name: /^Delete/ }).click();
    await page.getByRole("dialog", { name: "Delete this post?" }).getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => draftRow.count()).toBe(0);
  });

  it("links a contact's profile and lists suggestions with their reasons; Follow follows on the PDS", async () => {
    const accountId = (await gql(`{ socialAccounts { edges { node { id } } } }`)).socialAccounts.edges[0].node.id;
    // The graph import after connecting: alice's follows and theirs.
    await until(
      async () =>
        (await gql(`query ($a: ID!) { suggestions(accountId: $a) { reason } }`, { a: accountId })).suggestions.length >
        0,
    );
    const { createContact } = await gql(
      `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`,
      { input: { name: "Carol Contact" } },
    );
    await page.goto(`/crm/contacts/${createContact.id}`);
    const social = page.getByRole("region", { name: "Social profiles" });
    await social.getByText("No social profile linked").waitFor();
    await social.getByLabel("Profile handle").fill(carol.handle);
    await social.getByRole("button", { name: "Link profile" }).click();
    await social.getByRole("listitem").filter({ hasText: carol.handle }).waitFor();
    await web.expectAccessible(page, "contact with social profiles");

    await page.goto("/social/suggestions");
    const suggestion = page.getByRole("listitem").filter({ hasText: carol.handle });
    await suggestion.waitFor();
    await expect(suggestion.textContent()).resolves.toContain("followed by 2 people you follow");
    const contactLink = suggestion.getByRole("link", { name: "Carol Contact" });
    expect(await contactLink.getAttribute("href")).toBe(`/crm/contacts/${createContact.id}`);
    await web.expectAccessible(page, "social suggestions");
    await web.screenshot(page, "social-suggestions");
    await suggestion.getByRole("button", { name: `Follow ${carol.handle}` }).click();
    await suggestion.getByText("Following", { exact: true }).waitFor();
    const subjects = (await records(alice.did, "app.bsky.graph.follow")).map((record) => record.value.subject);
    expect(subjects).toContain(carol.did);
  });

  it("connects a Mastodon account through GoToSocial's own sign-in and consent pages; links count 23", async () => {
    // Another workspace (FREE has one account, and this one has its Bluesky account).
    const other = await web.newPage({ locale: "en-US" });
    await web.signUp(other);
    await other.goto("/social/accounts");
    await other.getByRole("button", { name: "Connect Mastodon" }).click();
    const dialog = other.getByRole("dialog", { name: "Connect a Mastodon account" });
    await dialog.getByLabel("Server").fill(GOTOSOCIAL_URL);
    await dialog.getByRole("button", { name: "Continue to your server" }).click();
    // GoToSocial's pages: sign in, then allow Mary.
    await other.waitForURL((url) => url.origin === GOTOSOCIAL_URL && url.pathname === "/auth/sign_in");
    await other.locator('input[name="username"]').fill(gts.email);
    await other.locator('input[name="password"]').fill(gts.password);
    await other.locator('button[type="submit"], input[type="submit"]').first().click();
    await other.waitForURL((url) => url.origin === GOTOSOCIAL_URL && url.pathname === "/oauth/authorize");
    await other.locator('button[type="submit"], input[type="submit"]').first().click();
    // Back through the gateway's callback to the accounts page, announced.
    await other.waitForURL((url) => url.pathname === "/social/accounts");
    await other
      .getByRole("status")
      .filter({ hasText: `Connected ${gts.acct}` })
      .waitFor();
    expect(new URL(other.url()).search).toBe("");
    await expect(other.getByRole("row").filter({ hasText: gts.acct }).textContent()).resolves.toMatch(
      /Mastodon.*Connected/,
    );

    // Mastodon counts a link as 23 characters, out of the server's 5,000.
    await other.goto("/social/compose");
    const words = `Look https://example.com/${"a".repeat(60)} ${randomUUID().slice(0, 8)}`;
    await other.getByLabel("Text").fill(words);
    await expect(other.getByTestId("post-counter").textContent()).resolves.toBe(`${5 + 23 + 9} / 5000`);
    await other.getByRole("button", { name: "Publish now" }).click();
    await expect.poll(() => other.getByTestId("post-state").textContent(), { timeout: 15_000 }).toBe("Published");
    const link = other.getByRole("link", { name: "See it on Mastodon" });
    const url = (await link.getAttribute("href"))!;
    expect(url.startsWith(GOTOSOCIAL_URL)).toBe(true);

    // Someone likes it on the server; the engagement chart shows it once Mary reads it (every 5 s here).
    const statusId = url.split("/").pop()!;
    const liked = await fetch(`${GOTOSOCIAL_URL}/api/v1/statuses/${statusId}/favourite`, {
      method: "POST",
      headers: { authorization: `Bearer ${fan.accessToken}` },
    });
    expect(liked.status, await liked.text()).toBe(200);
    await until(async () => {
      await other.reload();
      await other.getByTestId("post-state").waitFor();
      return (
        await other
          .locator(".social-legend")
          .textContent()
          .catch(() => "")
      )?.includes("Likes: 1");
    }, 30_000);
    await other.getByText("Readings as a table").click();
    await expect(other.getByRole("table", { name: "Engagement readings, oldest first" }).count()).resolves.toBe(1);
    await web.expectAccessible(other, "social post with engagement");
    await web.screenshot(other, "social-engagement");
  });
});
