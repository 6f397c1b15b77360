import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ImapFlow } from "imapflow";
import { repoRoot, runUserCommand, servicesDataDir } from "./user-command.ts";

// The mail server `scripts/services up` starts (Dovecot and Postfix, configured by scripts/mail/),
// or the `mail` service of docker-compose.yml. Plain text on every port (no STARTTLS); every
// address on it is local, and nothing leaves the machine.

/** Where the mail server listens. */
export const MAIL_HOST = process.env.MAIL_HOST ?? "127.0.0.1";
/** SMTP as servers deliver: no AUTH, any sender; a recipient without a mailbox is refused at RCPT TO. */
export const MAIL_SMTP_PORT = Number(process.env.MAIL_SMTP_PORT ?? 2525);
/** SMTP submission as clients send: AUTH PLAIN or LOGIN required, then as MAIL_SMTP_PORT. */
export const MAIL_SUBMISSION_PORT = Number(process.env.MAIL_SUBMISSION_PORT ?? 2587);
/** IMAP, with IDLE, MOVE, UIDPLUS, SPECIAL-USE, CONDSTORE and QRESYNC. */
export const MAIL_IMAP_PORT = Number(process.env.MAIL_IMAP_PORT ?? 2143);
/** The server's own name; mailboxes may have any domain. */
export const MAIL_DOMAIN = "mary.test";

/**
 * The command that manages the server's users (`<command> add ADDRESS`, password on stdin), split
 * on spaces: MAIL_USER_COMMAND (with docker compose: `docker compose exec -T mail /opt/mary-mail/user`),
 * else scripts/mail/user on the data of `scripts/services` (SERVICES_DATA_DIR, default `<repo>/.data`).
 */
function mailUser(args: string[], input = ""): Promise<void> {
  const configured = process.env.MAIL_USER_COMMAND?.trim();
  if (configured) return runUserCommand(configured.split(/\s+/), args, process.env, input);
  const env = { ...process.env, MAIL_DATA_DIR: process.env.MAIL_DATA_DIR ?? resolve(servicesDataDir(), "mail") };
  return runUserCommand(["bash", resolve(repoRoot, "scripts/mail/user")], args, env, input);
}

/** A mail user made for a test: the address is also the login for IMAP and submission. */
export interface MailUser {
  address: string;
  password: string;
}

/** An address no other test uses: `<prefix>-<random>@mary.test` (or another domain). */
export const testMailAddress = (prefix = "user", domain = MAIL_DOMAIN) =>
  `${prefix}-${randomBytes(5).toString("hex")}@${domain}`.toLowerCase();

/**
 * Makes a mail user on the running server, who can log in and receive mail as soon as this
 * resolves; a wrong password is refused at login. Its folders (INBOX, Drafts, Sent, Archive, Junk,
 * Trash, with their special-use flags) appear at first use. Takes some 20 ms; may run concurrently.
 */
export async function createMailUser(
  address = testMailAddress(),
  password = randomBytes(12).toString("base64url"),
): Promise<MailUser> {
  address = address.toLowerCase();
  if (password === "" || /[\r\n]/.test(password)) throw new Error("a mail password is one non-empty line");
  await mailUser(["add", address], `${password}\n`);
  madeUsers.set(address, password);
  return { address, password };
}

/** The users this test process made, so that mail sent to them can be waited for (waitForDelivery). */
const madeUsers = new Map<string, string>();

/** Removes a mail user made by createMailUser, with its mailbox and messages. */
export async function deleteMailUser(address: string): Promise<void> {
  await mailUser(["remove", address.toLowerCase()]);
}

/**
 * Waits until the message with this Message-ID (without angle brackets) is in the user's folder.
 * Postfix accepts mail first and hands it to Dovecot a few milliseconds later, so a test that
 * syncs right after sending may find nothing yet. Throws after `timeoutMs`.
 */
export async function waitForMail(user: MailUser, messageId: string, folder = "INBOX", timeoutMs = 10_000) {
  const client = new ImapFlow({
    host: MAIL_HOST,
    port: MAIL_IMAP_PORT,
    secure: false,
    doSTARTTLS: false,
    auth: { user: user.address, pass: user.password },
    logger: false,
  });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lock = await client.getMailboxLock(folder);
      try {
        const found = await client.search({ header: { "message-id": `<${messageId}>` } }, { uid: true });
        if (found && found.length > 0) return;
      } finally {
        lock.release();
      }
      if (Date.now() > deadline)
        throw new Error(`<${messageId}> did not reach ${user.address}'s ${folder} in ${timeoutMs} ms`);
      await sleep(50);
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Waits until the message is in the INBOX of each recipient this process made with
 * createMailUser (others are not waited for): mail sent over SMTP is then really there to sync.
 */
export async function waitForDelivery(recipients: readonly string[], messageId: string): Promise<void> {
  await Promise.all(
    recipients
      .map((address) => address.trim().toLowerCase())
      .filter((address) => madeUsers.has(address))
      .map((address) => waitForMail({ address, password: madeUsers.get(address)! }, messageId)),
  );
}
