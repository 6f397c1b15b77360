import type { ImapFlow } from "imapflow";
import MailComposer from "nodemailer/lib/mail-composer";
import type { Draft } from "../entities/draft.entity.ts";
import type { MailAccount } from "../entities/mail-account.entity.ts";
import { smtpTransport, withImap, type MailLogin } from "./mail-connection.ts";

/**
 * The message exactly as it is sent and saved in Sent: built once, so the copy in Sent has the
 * same bytes (and Message-ID) as what the recipients get.
 */
export async function buildRawMessage(draft: Draft, account: MailAccount, date = new Date()): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: account.displayName ?? "", address: account.address },
    to: draft.toAddresses.map((to) => ({ name: to.name ?? "", address: to.email })),
    cc: draft.ccAddresses.map((cc) => ({ name: cc.name ?? "", address: cc.email })),
    subject: draft.subject,
    text: draft.body,
    date,
    messageId: `<${draft.messageIdHeader}>`,
    ...(draft.inReplyTo ? { inReplyTo: `<${draft.inReplyTo}>` } : {}),
    ...(draft.references.length ? { references: draft.references.map((id) => `<${id}>`) } : {}),
  });
  return composer.compile().build();
}

/** What became of a submission: accepted (perhaps not for every recipient), refused for good, or not now. */
/**
 * What became of a submission: `sent` (accepted), `refused` (5xx: nothing was sent), `deferred`
 * (4xx, or no connection: nothing was sent), or `unknown` (the connection was lost after the
 * message went out, before the server's answer: it may have been delivered).
 */
export type SubmitResult =
  | { kind: "sent"; rejected: string[] }
  | { kind: "refused"; reason: string }
  | { kind: "deferred"; reason: string }
  | { kind: "unknown"; reason: string };

export interface SmtpFailure {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** Hands the raw message to the account's SMTP server (envelope from the account, to every recipient). */
export async function submit(login: MailLogin, from: string, recipients: string[], raw: Buffer): Promise<SubmitResult> {
  const transport = smtpTransport(login);
  try {
    const info = await transport.sendMail({ envelope: { from, to: recipients }, raw });
    const rejected = (info.rejected ?? []).map(String);
    return { kind: "sent", rejected };
  } catch (error) {
    return classify(error as SmtpFailure);
  } finally {
    transport.close();
  }
}

const oneLine = (text: string | undefined) => (text ?? "").replace(/\s+/g, " ").trim().slice(0, 300);

/** SMTP's reply codes say it: 5xx is for good (nothing was sent), 4xx and a lost connection are for now. */
export function classify(failure: SmtpFailure): SubmitResult {
  const reply = oneLine(failure.response ?? failure.message);
  if (failure.responseCode && failure.responseCode >= 500) {
    return { kind: "refused", reason: `The SMTP server refused the message: ${reply}` };
  }
  if (failure.code === "EAUTH") {
    return { kind: "refused", reason: `The SMTP server refused the account's user name or password: ${reply}` };
  }
  if (failure.responseCode && failure.responseCode >= 400) {
    return { kind: "deferred", reason: `The SMTP server deferred the message (${reply}); send it again later` };
  }
  // A connection lost after the message went out may still have delivered it.
  if (failure.command === "DATA" || failure.command === "MESSAGE") {
    return {
      kind: "unknown",
      reason: `The SMTP server did not confirm the message (${failure.code ?? reply}); it was probably delivered`,
    };
  }
  return {
    kind: "deferred",
    reason: `The SMTP server could not be reached (${failure.code ?? reply}); nothing was sent, send it again`,
  };
}

/** The account's Sent folder: the one flagged \Sent (RFC 6154), else one named so; null when there is none. */
export async function sentFolder(client: ImapFlow): Promise<string | null> {
  const folders = await client.list();
  const flagged = folders.find((folder) => folder.specialUse === "\\Sent");
  if (flagged) return flagged.path;
  const named = folders.find((folder) => /^(sent|sent items|sent messages|sent mail)$/i.test(folder.name));
  return named?.path ?? null;
}

/** Whether the Sent folder holds a message with this Message-ID (IMAP SEARCH HEADER). */
export function isInSent(login: MailLogin, messageId: string): Promise<boolean> {
  return withImap(login, async (client) => {
    const path = await sentFolder(client);
    if (!path) return false;
    const lock = await client.getMailboxLock(path, { readOnly: true });
    try {
      const found = await client.search({ header: { "message-id": `<${messageId}>` } }, { uid: true });
      return Array.isArray(found) && found.length > 0;
    } finally {
      lock.release();
    }
  });
}

/** Saves the sent message in Sent, marked read; false when the account has no Sent folder. */
export function appendToSent(login: MailLogin, raw: Buffer, date: Date): Promise<boolean> {
  return withImap(login, async (client) => {
    const path = await sentFolder(client);
    if (!path) return false;
    await client.append(path, raw, ["\\Seen"], date);
    return true;
  });
}
