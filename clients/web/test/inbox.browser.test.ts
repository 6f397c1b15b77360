import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMailUser, MAIL_HOST, MAIL_IMAP_PORT, MAIL_SUBMISSION_PORT, type MailUser } from "@mary/kit/testing";
import { deliver, imapOf } from "../../../subgraphs/inbox/test/harness.ts";
import { startWebPlatform, type BrowserAccount, type Page, type WebPlatform } from "./browser.ts";

/**
 * The inbox pages against the real platform and the real mail server (Dovecot and Postfix from
 * scripts/services): mail is delivered over SMTP as another server would, the app connects the
 * mailbox over IMAP and SMTP, and what the app did is checked on the server over IMAP. The
 * harness has the inbox poll every second (SYNC_POLL_SECONDS), so new mail is found quickly.
 */

type ImapFlow = Awaited<ReturnType<typeof imapOf>>;

/** The subjects of a folder's messages on the mail server, with their In-Reply-To. */
async function folderOnServer(imap: ImapFlow, path: string) {
  const lock = await imap.getMailboxLock(path);
  try {
    const mailbox = imap.mailbox;
    if (!mailbox || mailbox.exists === 0) return [];
    const found: { subject: string; inReplyTo: string | undefined }[] = [];
    for await (const message of imap.fetch("1:*", { envelope: true })) {
      found.push({ subject: message.envelope?.subject ?? "", inReplyTo: message.envelope?.inReplyTo });
    }
    return found;
  } finally {
    lock.release();
  }
}

/** vitest's expect.poll waits 1 s by default; a page waits for the gateway, on a busy machine too. */
const soon = { timeout: 10_000 };

/** Waits for a condition the server reaches in the background. */
async function until<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const row = (page: Page, subject: string) => page.getByRole("table").getByRole("row").filter({ hasText: subject });
const subjects = (page: Page) => page.getByRole("table").locator("tbody th a").allTextContents();
/** The same, in alphabetical order: two messages delivered in the same second may come either way. */
const sortedSubjects = async (page: Page) => (await subjects(page)).sort();

describe("the inbox pages", { timeout: 90_000 }, () => {
  let web: WebPlatform;
  let page: Page;
  let account: BrowserAccount;
  let mailbox: MailUser;
  let ada: MailUser;
  let adaContactId = "";
  let renewalId = "";
  const gql = async <T = any>(query: string, variables: Record<string, unknown> = {}) => {
    // Access tokens live 10 s here: a fresh one for each call.
    const response = await web.platform.gql<T>(query, variables, await web.accessTokenOf(account));
    if (!response.data) throw new Error(`${query}: ${JSON.stringify(response.errors)}`);
    return response.data;
  };

  beforeAll(async () => {
    // Access tokens live 10 s (the least users allows), so the app refreshes its session while the
    // inbox is open, which reconnects the WebSocket: inboxEvents has to resume with `after`.
    [web, mailbox, ada] = await Promise.all([
      startWebPlatform({ ACCESS_TOKEN_TTL_SECONDS: "10" }),
      createMailUser(),
      createMailUser(),
    ]);
    page = await web.newPage();
    account = await web.signUp(page);
    // Ada is a contact with an open deal, and has a mailbox of her own for the reply.
    const { createContact } = await gql(
      `mutation ($input: CreateContactInput!) { createContact(input: $input) { id } }`,
      { input: { name: "Ada Lovelace", emails: [ada.address] } },
    );
    adaContactId = createContact.id;
    await gql(`mutation ($input: CreateDealInput!) { createDeal(input: $input) { id } }`, {
      input: { title: "Acme renewal", amount: { amount: 120000, currency: "USD" }, contactId: adaContactId },
    });
    await deliver({
      from: "Weekly News <news@paper.example>",
      to: mailbox.address,
      subject: "This week in anvils",
      text: "Read all about anvils.",
      html: "<h1>Anvils</h1><p>Read all about <b>anvils</b>.</p><script>parent.document.title='pwned'</script>",
      headers: { "List-Unsubscribe": "<mailto:unsubscribe@paper.example>" },
    });
    renewalId = await deliver({
      from: `Ada Lovelace <${ada.address}>`,
      to: mailbox.address,
      subject: "Renewal terms",
      text: "Here are the terms for the renewal.",
      attachments: [{ filename: "terms.txt", content: "Net 30, 12 months.", contentType: "text/plain" }],
    });
  });
  afterAll(async () => {
    await page?.context().close();
    await web?.stop();
  });

  it("connects a mailbox (a wrong password refused under its field), lists mail by category, shows new mail live, searches", async () => {
    /** The variables of each subscribe message the page sends for inboxEvents. */
    const subscribed: { after?: string | null }[] = [];
    page.on("websocket", (socket) =>
      socket.on("framesent", ({ payload }) => {
        const message = JSON.parse(String(payload)) as {
          type: string;
          payload?: { operationName?: string; variables?: { after?: string | null } };
        };
        if (message.type === "subscribe" && message.payload?.operationName === "InboxPageEvents") {
          subscribed.push(message.payload.variables ?? {});
        }
      }),
    );
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Inbox" }).click();
    await page.getByRole("heading", { level: 1, name: "Inbox" }).waitFor();
    await page.getByText("No mail account yet").waitFor();
    await web.expectAccessible(page, "inbox-empty");

    await page.getByRole("button", { name: "Connect a mail account" }).click();
    const dialog = page.getByRole("dialog", { name: "Connect a mail account" });
    await dialog.getByLabel("Email address").fill(mailbox.address);
    await dialog.getByLabel("Password").fill("not-the-password");
    await dialog.getByLabel("IMAP host").fill(MAIL_HOST);
    await dialog.getByLabel("IMAP port").fill(String(MAIL_IMAP_PORT));
    await dialog.getByLabel("IMAP security").selectOption("NONE");
    await dialog.getByLabel("SMTP host").fill(MAIL_HOST);
    await dialog.getByLabel("SMTP port").fill(String(MAIL_SUBMISSION_PORT));
    await dialog.getByLabel("SMTP security").selectOption("NONE");
    await dialog.getByRole("button", { name: "Connect" }).click();
    // The server's BAD_USER_INPUT about the log-in is shown under the password, and nothing is saved.
    const passwordError = dialog.locator(".field", { has: page.getByLabel("Password") }).locator(".field-error");
    await expect.poll(() => passwordError.textContent(), soon).toContain("refused the user name or password");
    expect(await dialog.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    expect((await gql(`{ mailAccounts { edges { node { id } } } }`)).mailAccounts.edges).toHaveLength(0);
    await dialog.getByLabel("Password").scrollIntoViewIfNeeded();
    await web.expectAccessible(page, "inbox-connect");
    await web.screenshot(page, "inbox-connect");

    await dialog.getByLabel("Password").fill(mailbox.password);
    await dialog.getByRole("button", { name: "Connect" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByText(`Connected ${mailbox.address}`).waitFor();

    // The first sync brings both messages in, unread and triaged.
    await expect
      .poll(() => sortedSubjects(page), { timeout: 20_000 })
      .toEqual(["Renewal terms", "This week in anvils"]);
    await expect.poll(() => row(page, "This week in anvils").textContent(), soon).toContain("Newsletters");
    await expect.poll(() => row(page, "Renewal terms").textContent(), soon).toContain("Important");
    expect(await row(page, "Renewal terms").getAttribute("class")).toBe("inbox-row inbox-unread");
    expect(await row(page, "This week in anvils").getAttribute("class")).toBe("inbox-row inbox-unread");

    const categories = page.getByRole("navigation", { name: "Categories" });
    await categories.getByRole("link", { name: "Newsletters" }).click();
    await expect.poll(() => subjects(page), soon).toEqual(["This week in anvils"]);
    expect(new URL(page.url()).searchParams.get("category")).toBe("NEWSLETTER");
    await categories.getByRole("link", { name: "Important" }).click();
    await expect.poll(() => subjects(page), soon).toEqual(["Renewal terms"]);
    await categories.getByRole("link", { name: "All" }).click();
    await expect.poll(() => sortedSubjects(page), soon).toEqual(["Renewal terms", "This week in anvils"]);

    // The page follows events from the cursor it read with the accounts, before the lists; after a
    // token refresh the socket connects again, and the subscription resumes after the last event
    // it received (the syncs' SYNC_STATE events, every second).
    const first = subscribed[0]?.after;
    expect(first).toEqual(expect.any(String));
    await until(async () => subscribed.some((variables) => variables.after && variables.after !== first), 20_000);
    // Mail delivered while the page is open appears without a reload.
    await page.evaluate(`window.__sameDocument = true`);
    await deliver({ from: "Sam Sender <sam@sender.test>", to: mailbox.address, subject: "Lunch on Friday?" });
    await expect.poll(async () => (await subjects(page))[0], { timeout: 20_000 }).toBe("Lunch on Friday?");
    expect(await sortedSubjects(page)).toEqual(["Lunch on Friday?", "Renewal terms", "This week in anvils"]);
    await page.getByRole("status").filter({ hasText: "New mail from Sam Sender: Lunch on Friday?" }).waitFor();
    expect(await page.evaluate<boolean>(`window.__sameDocument === true`)).toBe(true);
    // The LOCAL provider takes a question for something to act on.
    await expect.poll(() => row(page, "Lunch on Friday?").textContent(), soon).toContain("Actionable");

    // Mark read and unread from the selection.
    await row(page, "Lunch on Friday?").getByRole("checkbox").check();
    await page.getByRole("button", { name: "Mark read" }).click();
    await page.getByText("Marked 1 message read.").waitFor();
    await expect.poll(() => row(page, "Lunch on Friday?").getAttribute("class"), soon).toBe("inbox-row");
    await web.expectAccessible(page, "inbox");
    await web.screenshot(page, "inbox");

    // Search, kept in the address.
    await page.getByLabel("Search mail").fill("anvils");
    await expect.poll(() => subjects(page), soon).toEqual(["This week in anvils"]);
    expect(new URL(page.url()).searchParams.get("q")).toBe("anvils");
    await page.reload();
    await expect.poll(() => subjects(page), soon).toEqual(["This week in anvils"]);
    expect(await page.getByLabel("Search mail").inputValue()).toBe("anvils");
    await page.getByLabel("Search mail").fill("");
    await expect
      .poll(() => sortedSubjects(page), soon)
      .toEqual(["Lunch on Friday?", "Renewal terms", "This week in anvils"]);
  });

  it("opens a thread: the sender's contact and deals, sandboxed HTML, an attachment; recategorizes, archives (on the server too)", async () => {
    await row(page, "This week in anvils").getByRole("link", { name: "This week in anvils" }).click();
    await page.getByRole("heading", { level: 1, name: "This week in anvils" }).waitFor();
    // The HTML is shown in a frame that runs no scripts.
    const frame = page.locator("iframe.inbox-body-frame");
    expect(await frame.getAttribute("sandbox")).toBe("");
    await expect
      .poll(() => page.frameLocator("iframe.inbox-body-frame").locator("h1").textContent(), soon)
      .toBe("Anvils");
    expect(await page.title()).not.toBe("pwned");
    await page.getByRole("link", { name: "Inbox" }).first().click();

    await row(page, "Renewal terms").getByRole("link", { name: "Renewal terms" }).click();
    await page.getByRole("heading", { level: 1, name: "Renewal terms" }).waitFor();
    const message = page.getByRole("article", { name: "Renewal terms" });
    expect(await message.getByRole("link", { name: "Ada Lovelace" }).getAttribute("href")).toBe(
      `/crm/contacts/${adaContactId}`,
    );
    await message.getByText("Acme renewal: Lead").waitFor();
    await message.getByText("Here are the terms for the renewal.").waitFor();
    await message.getByText("From Ada Lovelace, a contact with an open deal").waitFor();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      message.getByRole("button", { name: "Download terms.txt" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("terms.txt");
    expect(await readFile(await download.path(), "utf8")).toBe("Net 30, 12 months.");

    // A correction, and the rule Mary proposes from it.
    await message.getByRole("button", { name: "Recategorize" }).click();
    await page.getByRole("menuitem", { name: "Actionable" }).click();
    await expect.poll(() => message.locator(".inbox-chip").textContent(), soon).toBe("Actionable");
    await message.getByText("Mary suggests a rule").waitFor();
    await web.expectAccessible(page, "inbox-thread");
    await web.screenshot(page, "inbox-thread");
    await message.getByRole("button", { name: "Always do this" }).click();
    await message.getByText("From now on:").waitFor();

    await page.getByRole("button", { name: "Archive", exact: true }).click();
    await page.getByText("Archived.").waitFor();
    const imap = await imapOf(mailbox);
    try {
      await until(async () => (await folderOnServer(imap, "Archive")).some((m) => m.subject === "Renewal terms"));
      expect((await folderOnServer(imap, "INBOX")).map((m) => m.subject).sort()).toEqual([
        "Lunch on Friday?",
        "This week in anvils",
      ]);
    } finally {
      await imap.logout();
    }
  });

  it("drafts a reply, edits it, sends it once with In-Reply-To; the contact page shows the mail", async () => {
    await page.getByRole("button", { name: "Draft a reply" }).click();
    await page.getByLabel("What should the reply say? (optional)").fill("Accept the terms.");
    await page.getByRole("button", { name: "Write the draft" }).click();
    const reply = page.getByRole("region", { name: "Reply" });
    await reply.getByText("Status: Draft").waitFor();
    expect(new URL(page.url()).searchParams.get("draft")).toBeTruthy();
    expect(await reply.getByLabel("To").inputValue()).toContain(ada.address);
    expect(await reply.getByLabel("Subject").inputValue()).toBe("Re: Renewal terms");

    // A reload keeps the draft, and so does coming back to the thread; an edit is saved as it is sent.
    await page.reload();
    await reply.getByText("Status: Draft").waitFor();
    await page.goto(page.url().split("?")[0]!);
    await page.getByRole("button", { name: "Continue your draft reply" }).click();
    await reply.getByText("Status: Draft").waitFor();
    await reply.getByLabel("Message").fill("Yes, the terms work for us.\n\nGrace");
    await web.screenshot(page, "inbox-reply");
    const send = reply.getByRole("button", { name: "Send" });
    // Two clicks in a row send once (the page sends one request; the server is exactly-once anyway).
    await send.click();
    await send.click({ force: true, timeout: 1_000 }).catch(() => undefined);
    await reply.getByText("Status: Sent").waitFor({ timeout: 20_000 });
    await reply.getByText("Yes, the terms work for us.").waitFor();

    const imap = await imapOf(ada);
    try {
      const received = await until(async () => {
        const inbox = await folderOnServer(imap, "INBOX");
        return inbox.length ? inbox : null;
      });
      // Give a second copy, if there were one, the time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await folderOnServer(imap, "INBOX")).toEqual(received);
      expect(received).toEqual([{ subject: "Re: Renewal terms", inReplyTo: `<${renewalId}>` }]);
    } finally {
      await imap.logout();
    }

    await page.goto(`${web.webUrl}/crm/contacts/${adaContactId}`);
    await page.getByRole("heading", { level: 1, name: "Ada Lovelace" }).waitFor();
    const mail = page.getByRole("region", { name: "Email" });
    // The reply, synced from Sent, is in the same conversation.
    await mail.getByRole("link", { name: "Re: Renewal terms" }).waitFor({ timeout: 20_000 });
    const link = mail.getByRole("link", { name: "Renewal terms", exact: true });
    await link.waitFor();
    await link.click();
    await page.getByRole("heading", { level: 1, name: "Renewal terms" }).waitFor();
    await page.goBack();
    await mail.waitFor();
    await web.expectAccessible(page, "contact-email");
    await web.screenshot(page, "contact-email");
  });
});
