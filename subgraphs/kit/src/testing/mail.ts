import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

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

const root = fileURLToPath(new URL("../../../..", import.meta.url));

/**
 * The command that manages the server's users (`<command> add ADDRESS`, password on stdin), split
 * on spaces: MAIL_USER_COMMAND (with docker compose: `docker compose exec -T mail /opt/mary-mail/user`),
 * else scripts/mail/user on the data of `scripts/services` (SERVICES_DATA_DIR, default `<repo>/.data`).
 */
export function mailUserCommand(): { command: string[]; env: NodeJS.ProcessEnv } {
  const configured = process.env.MAIL_USER_COMMAND?.trim();
  if (configured) return { command: configured.split(/\s+/), env: process.env };
  const dataDir = resolve(process.env.SERVICES_DATA_DIR ?? resolve(root, ".data"));
  return {
    command: ["bash", resolve(root, "scripts/mail/user")],
    env: { ...process.env, MAIL_DATA_DIR: process.env.MAIL_DATA_DIR ?? resolve(dataDir, "mail") },
  };
}

function mailUser(args: string[], input = ""): Promise<void> {
  const {
    command: [command, ...prefix],
    env,
  } = mailUserCommand();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command!, [...prefix, ...args], { env, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => reject(new Error(`could not run ${command}`, { cause: error })));
    child.on("close", (code) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`mail user ${args.join(" ")} failed (${code}): ${stderr.trim()}`));
    });
    // The command may exit without reading its input (an error, or `remove`).
    child.stdin.on("error", () => undefined).end(input);
  });
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
  return { address, password };
}

/** Removes a mail user made by createMailUser, with its mailbox and messages. */
export async function deleteMailUser(address: string): Promise<void> {
  await mailUser(["remove", address.toLowerCase()]);
}
