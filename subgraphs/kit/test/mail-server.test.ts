// The mail server of `scripts/services up` (Dovecot and Postfix) as the inbox subgraph uses it:
// users made at run time, mail sent by SMTP submission with a password and read back over IMAP, a
// wrong password refused by both, plain SMTP delivery heard by an IDLE session, MOVE into Archive.
import { randomUUID } from "node:crypto";
import { ImapFlow, type ImapFlowOptions } from "imapflow";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  MAIL_HOST,
  MAIL_IMAP_PORT,
  MAIL_SMTP_PORT,
  MAIL_SUBMISSION_PORT,
  createMailUser,
  deleteMailUser,
  testMailAddress,
  type MailUser,
} from "@mary/kit/testing";

const imap = (user: MailUser, options: Partial<ImapFlowOptions> = {}) =>
  new ImapFlow({
    host: MAIL_HOST,
    port: MAIL_IMAP_PORT,
    secure: false,
    doSTARTTLS: false,
    auth: { user: user.address, pass: user.password },
    logger: false,
    ...options,
  });

const submission = (user: MailUser, options: Record<string, unknown> = {}) =>
  nodemailer.createTransport({
    host: MAIL_HOST,
    port: MAIL_SUBMISSION_PORT,
    secure: false,
    ignoreTLS: true,
    auth: { user: user.address, pass: user.password },
    ...options,
  });

/** How many messages a folder holds. */
async function messagesIn(client: ImapFlow, folder: string): Promise<number> {
  const status = await client.status(folder, { messages: true });
  return (status && status.messages) || 0;
}

/** Delivery goes through Postfix's queue: a moment passes between the SMTP answer and the mailbox. */
async function waitForMessages(client: ImapFlow, folder: string, count: number) {
  const deadline = Date.now() + 5_000;
  while ((await messagesIn(client, folder)) < count) {
    if (Date.now() > deadline) throw new Error(`${folder} did not get ${count} message(s) within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let alice: MailUser;
let bob: MailUser;
let carol: MailUser;

beforeAll(async () => {
  [alice, bob, carol] = await Promise.all([
    createMailUser(testMailAddress("alice")),
    createMailUser(testMailAddress("bob")),
    createMailUser(testMailAddress("carol"), "carol's password with spaces"),
  ]);
});

afterAll(async () => {
  await Promise.all([alice, bob, carol].filter(Boolean).map((user) => deleteMailUser(user.address)));
});

describe("mail server", () => {
  test("a user made at run time has the special-use folders, and the server speaks IDLE, MOVE, UIDPLUS and CONDSTORE", async () => {
    const client = imap(carol);
    await client.connect();
    try {
      for (const capability of ["IDLE", "MOVE", "UIDPLUS", "SPECIAL-USE", "CONDSTORE"]) {
        expect(client.capabilities.has(capability), capability).toBe(true);
      }
      const folders = await client.list();
      expect(Object.fromEntries(folders.map((folder) => [folder.path, folder.specialUse ?? null]))).toEqual({
        INBOX: "\\Inbox",
        Sent: "\\Sent",
        Trash: "\\Trash",
        Junk: "\\Junk",
        Drafts: "\\Drafts",
        Archive: "\\Archive",
      });
    } finally {
      await client.logout();
    }
  });

  test("a message sent by submission with a password arrives in the recipient's INBOX, and moves to Archive", async () => {
    const messageId = `<${randomUUID()}@mary.test>`;
    const transport = submission(alice);
    const nobody = testMailAddress("nobody");
    const info = await transport.sendMail({
      from: `Alice <${alice.address}>`,
      to: [`Bob <${bob.address}>`, nobody],
      subject: "Quarterly numbers",
      text: "Hello Bob,\r\nthe numbers are in.\r\n",
      messageId,
    });
    transport.close();
    // An address without a mailbox is refused at RCPT TO; the others get the message.
    expect(info.accepted).toEqual([bob.address]);
    expect(info.rejected).toEqual([nobody]);

    const client = imap(bob);
    await client.connect();
    try {
      await waitForMessages(client, "INBOX", 1);
      const inbox = await client.mailboxOpen("INBOX");
      expect(inbox.exists).toBe(1);
      const [message] = await client.fetchAll("1:*", { envelope: true, source: true, uid: true });
      expect(message!.envelope!.messageId).toBe(messageId);
      expect(message!.envelope!.subject).toBe("Quarterly numbers");
      expect(message!.envelope!.from).toEqual([{ name: "Alice", address: alice.address }]);
      expect(message!.source!.toString()).toContain("the numbers are in.");

      // MOVE, with UIDPLUS's COPYUID telling the message's UID in Archive.
      const moved = await client.messageMove(String(message!.uid), "Archive", { uid: true });
      expect(moved && moved.destination).toBe("Archive");
      const archivedUid = moved && moved.uidMap?.get(message!.uid);
      expect(archivedUid).toBeGreaterThan(0);
      expect(await messagesIn(client, "INBOX")).toBe(0);
      await client.mailboxOpen("Archive");
      const archived = await client.fetchAll("1:*", { envelope: true, uid: true });
      expect(archived.map((m) => [m.uid, m.envelope?.messageId])).toEqual([[archivedUid, messageId]]);
    } finally {
      await client.logout();
    }
  });

  test("a wrong password is refused by IMAP and by SMTP AUTH (PLAIN and LOGIN)", async () => {
    const wrong = { ...alice, password: `${alice.password}-wrong` };
    const stranger = { address: testMailAddress("nobody"), password: "x" };
    // Each refusal takes half a second: side by side.
    await Promise.all([
      (async () => {
        const client = imap(wrong);
        client.on("error", () => undefined);
        await expect(client.connect()).rejects.toMatchObject({ authenticationFailed: true });
      })(),
      ...["PLAIN", "LOGIN"].map(async (method) => {
        const refused = submission(wrong, { authMethod: method });
        await expect(refused.verify(), method).rejects.toMatchObject({ code: "EAUTH", responseCode: 535 });
        refused.close();
        const accepted = submission(alice, { authMethod: method });
        await expect(accepted.verify(), method).resolves.toBe(true);
        accepted.close();
      }),
      // An unknown user is refused the same way.
      (async () => {
        const refused = submission(stranger);
        await expect(refused.verify()).rejects.toMatchObject({ code: "EAUTH", responseCode: 535 });
        refused.close();
      })(),
      // And submission without AUTH takes nothing.
      (async () => {
        const anonymous = nodemailer.createTransport({
          host: MAIL_HOST,
          port: MAIL_SUBMISSION_PORT,
          secure: false,
          ignoreTLS: true,
        });
        await expect(
          anonymous.sendMail({ from: alice.address, to: bob.address, subject: "x", text: "x" }),
        ).rejects.toMatchObject({ responseCode: 530 });
        anonymous.close();
      })(),
    ]);
    // The right password still works at once: no penalty for the failures from this address.
    const client = imap(alice);
    const started = Date.now();
    await client.connect();
    expect(Date.now() - started).toBeLessThan(1_000);
    await client.logout();
  });

  test("plain SMTP delivers from anyone to a local mailbox, which an IDLE session hears of; unknown recipients are refused", async () => {
    const client = imap(carol);
    await client.connect();
    try {
      await client.mailboxOpen("INBOX");
      const before = client.mailbox ? client.mailbox.exists : 0;
      // New mail comes as an untagged EXISTS. imapflow would start IDLE by itself only after a while.
      const heard = new Promise<number>((resolve) => client.on("exists", (event) => resolve(event.count)));
      void client.idle();

      const smtp = nodemailer.createTransport({
        host: MAIL_HOST,
        port: MAIL_SMTP_PORT,
        secure: false,
        ignoreTLS: true,
      });
      const info = await smtp.sendMail({
        from: "someone@example.com",
        to: carol.address,
        subject: "From outside",
        text: "delivered without a password",
      });
      expect(info.accepted).toEqual([carol.address]);
      await expect(
        smtp.sendMail({ from: "someone@example.com", to: testMailAddress("nobody"), subject: "x", text: "x" }),
      ).rejects.toMatchObject({ code: "EENVELOPE", responseCode: 550 });
      smtp.close();

      expect(await heard).toBe(before + 1);
    } finally {
      await client.logout();
    }
  });
});
