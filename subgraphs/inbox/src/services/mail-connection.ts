import { ImapFlow } from "imapflow";
import { createTransport, type Transporter } from "nodemailer";
import type { ConnectionSecurity, MailAuthMethod } from "../entities/mail-account.entity.ts";

/** Everything needed to log in to one mailbox: an account's settings with its secret opened. */
export interface MailLogin {
  imap: { host: string; port: number; security: ConnectionSecurity };
  smtp: { host: string; port: number; security: ConnectionSecurity };
  username: string;
  authMethod: MailAuthMethod;
  /** The password or the OAuth 2 access token. */
  secret: string;
  timeoutMs: number;
}

/** Why a mail server refused or could not be reached, in words a user can act on. */
export class MailConnectionError extends Error {
  constructor(
    message: string,
    /** `auth`: the server refused the credentials; `connect`: no working connection. */
    readonly kind: "auth" | "connect",
    readonly side: "IMAP" | "SMTP",
  ) {
    super(message);
    this.name = "MailConnectionError";
  }
}

/** A new, unconnected IMAP client for the mailbox (one per job: ImapFlow instances are not reusable). */
export function imapClient(login: MailLogin): ImapFlow {
  const { imap } = login;
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.security === "TLS",
    // false: never upgrade, even if offered; true: refuse to log in without STARTTLS.
    doSTARTTLS: imap.security === "STARTTLS" ? true : imap.security === "NONE" ? false : undefined,
    auth:
      login.authMethod === "OAUTH2"
        ? { user: login.username, accessToken: login.secret }
        : { user: login.username, pass: login.secret },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: login.timeoutMs,
    greetingTimeout: login.timeoutMs,
    socketTimeout: Math.max(login.timeoutMs * 4, 60_000),
  });
}

/** An SMTP transport for the mailbox, one connection per message (no pooling across users). */
export function smtpTransport(login: MailLogin): Transporter {
  const { smtp } = login;
  return createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === "TLS",
    requireTLS: smtp.security === "STARTTLS",
    ignoreTLS: smtp.security === "NONE",
    auth:
      login.authMethod === "OAUTH2"
        ? { type: "OAuth2", user: login.username, accessToken: login.secret }
        : { user: login.username, pass: login.secret },
    connectionTimeout: login.timeoutMs,
    greetingTimeout: login.timeoutMs,
    socketTimeout: Math.max(login.timeoutMs * 4, 60_000),
  });
}

/** Opens an IMAP session, runs `use` and logs out, whatever happens. */
export async function withImap<T>(login: MailLogin, use: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = imapClient(login);
  // An unhandled 'error' event would crash the process; failures surface through the awaited calls.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw describeImapFailure(error);
  }
  try {
    return await use(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Logs in over IMAP and SMTP, so that an account is saved only once both work. Throws a
 * MailConnectionError saying which side failed and why.
 */
export async function verifyMailLogin(login: MailLogin): Promise<void> {
  await withImap(login, async () => {});
  const transport = smtpTransport(login);
  try {
    await transport.verify();
  } catch (error) {
    throw describeSmtpFailure(error);
  } finally {
    transport.close();
  }
}

const networkCodes: Record<string, string> = {
  ECONNREFUSED: "refused the connection",
  ENOTFOUND: "is not a known host name",
  EAI_AGAIN: "could not be looked up",
  ETIMEDOUT: "did not answer in time",
  CONNECT_TIMEOUT: "did not answer in time",
  GREETING_TIMEOUT: "did not greet in time",
  ECONNRESET: "closed the connection",
  EHOSTUNREACH: "cannot be reached",
};

function describeImapFailure(error: unknown): MailConnectionError {
  const facts = error as { authenticationFailed?: boolean; code?: string; message?: string; responseText?: string };
  if (facts.authenticationFailed) {
    return new MailConnectionError(
      `The IMAP server refused the user name or password${facts.responseText ? `: ${facts.responseText}` : ""}`,
      "auth",
      "IMAP",
    );
  }
  const reason = (facts.code && networkCodes[facts.code]) ?? `failed: ${facts.message ?? String(error)}`;
  return new MailConnectionError(`The IMAP server ${reason}`.slice(0, 300), "connect", "IMAP");
}

function describeSmtpFailure(error: unknown): MailConnectionError {
  const facts = error as { code?: string; message?: string; response?: string };
  if (facts.code === "EAUTH") {
    return new MailConnectionError(
      `The SMTP server refused the user name or password${facts.response ? `: ${facts.response}` : ""}`.slice(0, 300),
      "auth",
      "SMTP",
    );
  }
  const reason = (facts.code && networkCodes[facts.code]) ?? `failed: ${facts.message ?? String(error)}`;
  return new MailConnectionError(`The SMTP server ${reason}`.slice(0, 300), "connect", "SMTP");
}
