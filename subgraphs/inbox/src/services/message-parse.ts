import type { FetchMessageObject, MessageStructureObject } from "imapflow";
import { simpleParser, type AddressObject, type HeaderLines } from "mailparser";
import sanitize from "sanitize-html";
import type { AttachmentRecord, MailAddress } from "../entities/message.entity.ts";

/** What sync asks the server for each message (BODY.PEEK, so fetching never marks it read). */
export const FETCH_QUERY = {
  uid: true,
  flags: true,
  internalDate: true,
  size: true,
  bodyStructure: true,
  // A partial fetch: the text and HTML of a message come first; a huge attachment is not downloaded.
  source: { maxLength: 1024 * 1024 },
} as const;

/** The longest text body kept: PostgreSQL's tsvector of the search index must stay under 1 MB. */
export const MAX_TEXT_CHARS = 200_000;
/** The longest sanitized HTML body kept. */
export const MAX_HTML_CHARS = 1_000_000;
const SNIPPET_CHARS = 200;
const MAX_HEADERS = 60;
const MAX_HEADER_VALUE = 500;
const MAX_ADDRESSES = 200;

/** A message as parsed from the server: every column of a Message row that comes from the mail itself. */
export interface ParsedMessage {
  uid: number;
  messageIdHeader: string | null;
  inReplyTo: string | null;
  /** The References header, then In-Reply-To when References lacks it (RFC 5322 §3.6.4's fallback). */
  references: string[];
  subject: string;
  fromAddress: MailAddress | null;
  toAddresses: MailAddress[];
  ccAddresses: MailAddress[];
  correspondents: string[];
  sentAt: Date;
  snippet: string;
  textBody: string | null;
  htmlBody: string | null;
  attachments: AttachmentRecord[];
  headers: Record<string, string>;
  seen: boolean;
  flagged: boolean;
  size: number;
  /** iCalendar parts with METHOD:REPLY (answers to invitations), read at sync and not stored. */
  calendarReplies: string[];
}

/** The parts of an IMAP FETCH answer parsing needs. */
export type FetchedMessage = Pick<
  FetchMessageObject,
  "uid" | "source" | "flags" | "internalDate" | "size" | "bodyStructure"
>;

/** From an IMAP FETCH answer (source, flags, internal date, size, BODYSTRUCTURE) to a message's columns. */
export async function parseFetched(fetched: FetchedMessage): Promise<ParsedMessage> {
  const parsed = await simpleParser(fetched.source ?? Buffer.alloc(0), {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: 2_000_000,
  }).catch(() => simpleParser(Buffer.alloc(0)));
  const messageIdHeader = firstMessageId(parsed.messageId);
  const inReplyTo = firstMessageId(parsed.inReplyTo);
  const references = messageIds(parsed.references);
  if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);
  const fromAddress = addressesOf(parsed.from)[0] ?? null;
  const toAddresses = addressesOf(parsed.to);
  const ccAddresses = addressesOf(parsed.cc);
  const bcc = addressesOf(parsed.bcc);
  const internalDate = validDate(fetched.internalDate);
  // PostgreSQL's text and jsonb refuse NUL characters, which broken mail may hold.
  const text = typeof parsed.text === "string" ? withoutNul(parsed.text) : "";
  const html = typeof parsed.html === "string" ? sanitizeHtml(withoutNul(parsed.html)) : null;
  const flags = fetched.flags ?? new Set<string>();
  return {
    uid: fetched.uid,
    messageIdHeader,
    inReplyTo,
    references: references.slice(-100),
    subject: oneLine(parsed.subject ?? "").slice(0, 1_000),
    fromAddress,
    toAddresses,
    ccAddresses,
    correspondents: [
      ...new Set([fromAddress, ...toAddresses, ...ccAddresses, ...bcc].flatMap((a) => (a ? [a.email] : []))),
    ],
    sentAt: validDate(parsed.date) ?? internalDate ?? new Date(),
    snippet: snippetOf(text),
    textBody: text ? text.slice(0, MAX_TEXT_CHARS) : null,
    htmlBody: html ? html.slice(0, MAX_HTML_CHARS) : null,
    attachments: attachmentsOf(fetched.bodyStructure),
    headers: keptHeaders(parsed.headerLines),
    seen: flags.has("\\Seen"),
    flagged: flags.has("\\Flagged"),
    size: Math.min(fetched.size ?? fetched.source?.length ?? 0, 2_147_483_647),
    calendarReplies: calendarRepliesOf(parsed.attachments),
  };
}

/** The text of text/calendar parts that are replies (METHOD:REPLY), at most 5 of 1 MB each. */
function calendarRepliesOf(attachments: { contentType: string; content: Buffer }[] | undefined): string[] {
  return (attachments ?? [])
    .filter((part) => part.contentType.toLowerCase() === "text/calendar" && part.content.length <= 1_000_000)
    .map((part) => part.content.toString("utf8"))
    .filter((text) => /^METHOD:REPLY\s*$/im.test(text))
    .slice(0, 5);
}

/** `<a@b>` → `a@b`; the first id of a header that has several; null for none. */
export function firstMessageId(value: string | null | undefined): string | null {
  return messageIds(value)[0] ?? null;
}

/** Every message id in a header (or headers), without angle brackets, in order, once each. */
export function messageIds(value: string | string[] | null | undefined): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(" ") : value;
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]!);
  const ids = bracketed.length > 0 ? bracketed : text.split(/[\s,]+/).filter(Boolean);
  return [...new Set(ids.map((id) => withoutNul(id).slice(0, 500)).filter(Boolean))];
}

/** The addresses of an address header (groups flattened), lower-cased, with their names. */
export function addressesOf(header: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (!header) return [];
  const out: MailAddress[] = [];
  const visit = (entries: { address?: string; name?: string; group?: unknown[] }[]) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group as typeof entries);
      else if (entry.address && out.length < MAX_ADDRESSES) {
        const name = oneLine(entry.name ?? "").slice(0, 200);
        out.push({ email: entry.address.trim().toLowerCase().slice(0, 320), name: name || null });
      }
    }
  };
  for (const object of Array.isArray(header) ? header : [header]) visit(object.value);
  return out;
}

/** The first 200 characters of the text, on one line. */
export function snippetOf(text: string): string {
  return oneLine(text.slice(0, SNIPPET_CHARS * 20)).slice(0, SNIPPET_CHARS);
}

const withoutNul = (text: string) => text.replaceAll("\0", "");
const oneLine = (text: string) => withoutNul(text).replace(/\s+/g, " ").trim();

function validDate(value: Date | string | undefined): Date | null {
  if (!value) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * HTML a browser may show: basic formatting, tables, images and links kept; scripts, styles,
 * event handlers, forms, iframes and other active content dropped; links open in a new tab with
 * rel="noopener noreferrer"; only http(s) and mailto links, only https, cid and data images.
 */
export function sanitizeHtml(html: string): string {
  return sanitize(html, {
    allowedTags: [
      ...sanitize.defaults.allowedTags.filter((tag) => tag !== "style"),
      "img",
      "font",
      "center",
      "span",
      "del",
      "ins",
    ],
    allowedAttributes: {
      a: ["href", "title", "name", "target", "rel"],
      img: ["src", "alt", "title", "width", "height"],
      td: ["colspan", "rowspan", "align", "valign", "width"],
      th: ["colspan", "rowspan", "align", "valign", "width"],
      table: ["width", "align", "border", "cellpadding", "cellspacing"],
      font: ["color", "size", "face"],
      "*": ["dir", "lang"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["https", "cid", "data"] },
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, target: "_blank", rel: "noopener noreferrer" },
      }),
    },
  });
}

/**
 * The attachments a BODYSTRUCTURE lists: every leaf part with a file name or an `attachment`
 * disposition, and attached messages; not the text and HTML bodies. Sizes are of the decoded
 * content (base64 is ¾ of what the server stores).
 */
export function attachmentsOf(structure: MessageStructureObject | undefined): AttachmentRecord[] {
  const out: AttachmentRecord[] = [];
  const visit = (node: MessageStructureObject, isRoot: boolean) => {
    if (node.childNodes?.length && node.type.startsWith("multipart/")) {
      for (const child of node.childNodes) visit(child, false);
      return;
    }
    const type = node.type.toLowerCase();
    const filename = node.dispositionParameters?.filename ?? node.parameters?.name ?? null;
    const isAttachment =
      node.disposition?.toLowerCase() === "attachment" ||
      filename != null ||
      type === "message/rfc822" ||
      !(type.startsWith("text/") || type.startsWith("multipart/"));
    if (!isAttachment || out.length >= 100) return;
    const encoded = node.size ?? 0;
    out.push({
      part: node.part ?? (isRoot ? "1" : "TEXT"),
      filename: filename ? filename.slice(0, 255) : null,
      contentType: type.slice(0, 127),
      size: node.encoding?.toLowerCase() === "base64" ? Math.floor((encoded * 3) / 4) : encoded,
    });
  };
  if (structure) visit(structure, true);
  return out;
}

/** Headers that carry routing and signatures, not anything a triage rule looks at. */
const DROPPED_HEADERS =
  /^(received|x-received|dkim-signature|x-google-dkim-signature|domainkey-signature|arc-.*|authentication-results|received-spf|x-gm-message-state|x-google-smtp-source|content-.*|mime-version|message-id|in-reply-to|references|date|bcc)$/;

/**
 * The headers triage rules may test (list-unsubscribe, list-id, precedence, auto-submitted,
 * reply-to, x-mailer, …): names lower-cased, values unfolded and cut at 500 characters, a
 * repeated header's values joined with ", "; at most 60 headers.
 */
export function keptHeaders(lines: HeaderLines): Record<string, string> {
  const headers: Record<string, string> = {};
  let count = 0;
  for (const { key, line } of lines) {
    const name = key.toLowerCase();
    if (DROPPED_HEADERS.test(name)) continue;
    const colon = line.indexOf(":");
    const value = oneLine(colon >= 0 ? line.slice(colon + 1) : "");
    if (name in headers) {
      headers[name] = `${headers[name]}, ${value}`.slice(0, MAX_HEADER_VALUE);
    } else if (count < MAX_HEADERS) {
      headers[name] = value.slice(0, MAX_HEADER_VALUE);
      count++;
    }
  }
  return headers;
}
