import type { MessageCategory, Urgency } from "../entities/message.entity.ts";
import {
  MAX_ACTION_ITEMS,
  oneLineReason,
  type ActionItem,
  type MailProvider,
  type ProviderVerdict,
  type ReplyInput,
  type TriageInput,
} from "./provider.ts";

/** Bulk mail says so in its headers (RFC 2369 List-*, RFC 2919 List-Id, the de facto Precedence). */
const BULK_HEADERS = ["list-unsubscribe", "list-id"] as const;
const BULK_PRECEDENCE = /^(bulk|list|junk)$/i;
/** Senders that are machines: no one reads a reply. */
const AUTOMATED_SENDER =
  /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|notifications?|notify|alerts?|mailer-daemon|postmaster|bounces?|automated)([-+_.].*)?@/i;
/** Words that ask the reader to do something. */
const REQUEST =
  /\b(please|can you|could you|would you|will you|action required|deadline|let me know|rsvp|kindly|need you to)\b/i;
/** Words that ask for it soon. */
const URGENT =
  /\b(urgent|urgently|asap|as soon as possible|immediately|right away|today|tonight|end of (the )?day|eod)\b/i;
/** How much of a body the rules read: the new part, not pages of quoted history. */
const READ_CHARS = 5_000;

/** The message's own words: the subject and the body without quoted lines (`> …`) or what follows "On … wrote:". */
function ownWords(message: TriageInput): { subject: string; body: string } {
  const lines: string[] = [];
  for (const line of message.text.slice(0, READ_CHARS).split(/\r?\n/)) {
    if (/^On .{3,200} wrote:\s*$/.test(line.trim()) || /^-{2,}\s*Original Message\s*-{2,}$/i.test(line.trim())) break;
    if (!line.trimStart().startsWith(">")) lines.push(line);
  }
  return { subject: message.subject, body: lines.join("\n") };
}

/**
 * The built-in provider, for working offline and for tests: deterministic rules, the same input
 * always giving the same verdict. Bulk headers → NEWSLETTER; an automated sender or an
 * Auto-Submitted header → FYI; a question or a request ("please", "can you", "deadline", …) →
 * ACTIONABLE; else OTHER. Urgency is HIGH for words like urgent, asap or today; LOW for bulk and
 * automated mail otherwise.
 */
export class LocalProvider implements MailProvider {
  readonly name = "LOCAL" as const;

  classify(messages: TriageInput[]): Promise<ProviderVerdict[]> {
    return Promise.resolve(messages.map((message) => this.classifyOne(message)));
  }

  classifyOne(message: TriageInput): ProviderVerdict {
    const { subject, body } = ownWords(message);
    const words = `${subject}\n${body}`;
    const urgentWord = URGENT.exec(words)?.[0];
    const verdict = (category: MessageCategory, reason: string, quiet: boolean): ProviderVerdict => {
      const urgency: Urgency = urgentWord && category !== "NEWSLETTER" ? "HIGH" : quiet ? "LOW" : "NORMAL";
      const why = urgency === "HIGH" ? `${reason}; it says "${urgentWord!.toLowerCase()}"` : reason;
      return { category, urgency, reason: oneLineReason(why) };
    };

    const bulkHeader = BULK_HEADERS.find((name) => message.headers[name] !== undefined);
    if (bulkHeader) return verdict("NEWSLETTER", `Bulk mail: it has a ${headerLabel(bulkHeader)} header`, true);
    const precedence = message.headers.precedence?.trim();
    if (precedence && BULK_PRECEDENCE.test(precedence)) {
      return verdict("NEWSLETTER", `Bulk mail: Precedence: ${precedence.toLowerCase()}`, true);
    }

    const sender = message.from?.email ?? "";
    if (sender && AUTOMATED_SENDER.test(sender)) return verdict("FYI", `Automated mail from ${sender}`, true);
    const autoSubmitted = message.headers["auto-submitted"]?.trim().toLowerCase();
    if (autoSubmitted && autoSubmitted !== "no")
      return verdict("FYI", `Automated mail (Auto-Submitted: ${autoSubmitted})`, true);

    const request = REQUEST.exec(words)?.[0];
    if (request) return verdict("ACTIONABLE", `It asks something of you ("${request.toLowerCase()}")`, false);
    if (/\?/.test(words)) return verdict("ACTIONABLE", "It asks you a question", false);
    return verdict("OTHER", "Personal mail with nothing asked of you", false);
  }

  /**
   * A plain reply: a greeting by the sender's first name, the instructions as the reply's text
   * (or a short acknowledgement), the signature, and the original quoted below an attribution line.
   */
  draftReply(input: ReplyInput): Promise<string> {
    return Promise.resolve(localReply(input));
  }

  /** The lines of the message's own words that look like requests: see findActionItems. */
  actionItems(message: TriageInput): Promise<ActionItem[]> {
    return Promise.resolve(findActionItems(message));
  }
}

// --- action items ---------------------------------------------------------------------------

/** Request openers whose words go: "Please send the deck" is the task "Send the deck". */
const REQUEST_OPENER =
  /^(?:(?:please|kindly)|(?:could|can|would|will) you(?: please| kindly)?|(?:i|we) need you to|(?:i|we)(?: would|'d) like you to|(?:don't|do not) forget to|remember to|make sure to|let's|let us)\s+(?:please\s+)?/i;
/** Requests kept whole (without the question mark): "Would you mind reviewing it?". */
const REQUEST_QUESTION =
  /^(?:would you mind|do you mind|any chance you could|are you able to|would it be possible (?:for you )?to|is it possible (?:for you )?to|can we|could we|shall we)\b/i;
/** Markers of an action item: "TODO: book flights", "Action: send the invoice", "Next step - sign". */
const ACTION_MARKER =
  /^(?:todo|to-do|to do|action items?|actions?|action required|next steps?|follow[- ]up)\s*[:\u2013\u2014-]\s*/i;
/** A list item: "- ", "* ", "• ", "1. ", "2) ", "[ ] ". */
const BULLET = /^(?:[-*\u2022\u2023\u25e6]|\d{1,2}[.)]|\[ ?\])\s+/;
/** Verbs a list item starts with when it is something to do. */
const ACTION_VERBS = new Set(
  (
    "add answer approve arrange ask attach book bring buy call cancel change check clean collect complete confirm " +
    "contact create deliver deploy design discuss do draft email file fill finalize finalise finish fix follow " +
    "forward get give invite let look make meet move order organize organise pay pick plan post prepare print " +
    "publish read reply reschedule reserve respond return review revise run schedule send set share sign submit " +
    "tell test text think transfer update upload verify write"
  ).split(" "),
);
/** Greetings and linking words before a request: "Hi Ada, please …", "Also, could you …". */
const LEAD_IN =
  /^(?:(?:hi|hello|hey|dear)\b[^,]{0,40},\s*|(?:also|and|then|finally|lastly|plus|oh|ok|okay|first|next|one more thing)\b,?\s+|[A-Z][\w'-]{0,30},\s+)/i;
/** Polite formulas that ask nothing: "Please find attached…", "Let me know if you have any questions". */
const BOILERPLATE =
  /^(?:find (?:attached|enclosed|below)|see (?:attached|below|above)|(?:don't|do not) hesitate|feel free|note that|be advised|excuse|forgive|consider the environment|do not reply|reply to this (?:e-?mail|message) if|let me know if (?:you (?:have|need)|there (?:are|is)|i can)|let me know (?:your )?(?:thoughts|what you think)\b.*$)/i;

/**
 * The LOCAL provider's action items: deterministic, line by line over the message's own words
 * (quoted lines, a forwarded or replied-to original and a signature after "-- " are left out),
 * each line split into sentences. A sentence is an action item when it
 *
 * - starts with a marker (TODO:, To do:, Action:, Action item:, Action required:, Next step:,
 *   Follow-up:) → the rest;
 * - is a request: Please / Kindly …, Could / Can / Would / Will you …, I need you to …, Don't
 *   forget to …, Remember to …, Make sure to …, Let's … → the rest ("Could you send the deck?"
 *   → "Send the deck");
 * - is a question asking for something: Would you mind …?, Any chance you could …?, Are you able
 *   to …?, Can we / Could we / Shall we …? → the question without its "?";
 * - is a list item ("- ", "* ", "• ", "1. ", "[ ] ") whose first word is a verb such as send,
 *   review, call, book, schedule or sign → the item.
 *
 * A greeting or linking word before the request ("Hi Ada, please …", "Also, …") is skipped;
 * polite formulas that ask nothing ("Please find attached", "Let me know if you have any
 * questions") are not items. Titles start with a capital, lose their final punctuation, and are
 * cut to 500 characters; repeats (ignoring case) count once; at most MAX_ACTION_ITEMS.
 */
export function findActionItems(message: TriageInput): ActionItem[] {
  const items: ActionItem[] = [];
  const seen = new Set<string>();
  for (const line of ownLines(message)) {
    const bullet = BULLET.exec(line);
    const text = bullet ? line.slice(bullet[0].length).trim() : line;
    for (const sentence of sentences(text)) {
      const title = actionTitle(sentence, bullet !== null);
      if (!title) continue;
      const key = actionItemKey(title);
      if (seen.has(key)) continue;
      seen.add(key);
      items.push({ title });
      if (items.length >= MAX_ACTION_ITEMS) return items;
    }
  }
  return items;
}

/** How an action item is recognised again: lower case, single spaces. */
export const actionItemKey = (title: string) => title.toLowerCase().replace(/\s+/g, " ").trim().slice(0, 500);

/** The trimmed, non-empty lines of the message's own words, up to a signature ("-- "). */
function ownLines(message: TriageInput): string[] {
  const lines: string[] = [];
  for (const raw of ownWords(message).body.split("\n")) {
    if (/^-- ?$/.test(raw.trimEnd())) break;
    const line = raw
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/\s+/g, " ")
      .trim();
    if (line) lines.push(line);
  }
  return lines;
}

/** A line's sentences: split after . ! ? where the next one starts with a capital, digit or quote. */
const sentences = (line: string) =>
  line
    .split(/(?<=[.!?])\s+(?=["'(\[]?[A-Z0-9])/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The task a sentence asks for, or null when it asks nothing. */
function actionTitle(sentence: string, listItem: boolean): string | null {
  const marker = ACTION_MARKER.exec(sentence);
  if (marker) return cleanTitle(sentence.slice(marker[0].length));
  let text = sentence;
  for (let i = 0; i < 2; i++) {
    const lead = LEAD_IN.exec(text);
    if (!lead || REQUEST_OPENER.test(text) || REQUEST_QUESTION.test(text)) break;
    text = text.slice(lead[0].length);
  }
  if (REQUEST_QUESTION.test(text) && text.endsWith("?")) return cleanTitle(text);
  const opener = REQUEST_OPENER.exec(text);
  if (opener) {
    const rest = text.slice(opener[0].length);
    return BOILERPLATE.test(rest) ? null : cleanTitle(rest);
  }
  if (listItem) {
    const verb = /^[a-z]+/i.exec(text)?.[0].toLowerCase();
    if (verb && ACTION_VERBS.has(verb)) return cleanTitle(text);
  }
  return null;
}

/** A title: no final punctuation or trailing "please", a capital first letter, at most 500 characters; null when too short. */
function cleanTitle(text: string): string | null {
  const title = text
    .replace(/[\s,;:.!?\u2026]+$/, "")
    .replace(/,?\s+please$/i, "")
    .trim()
    .slice(0, 500)
    .trim();
  if (title.length < 3 || !/\p{L}/u.test(title)) return null;
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** The LOCAL template, also what the OpenAI provider falls back to. */
export function localReply(input: ReplyInput): string {
  const from = input.original.from;
  const firstName = from?.name?.trim().split(/\s+/)[0] || from?.email.split("@")[0] || "";
  const text = input.instructions.trim() || "Thank you for your message. I will get back to you shortly.";
  return [
    firstName ? `Hi ${firstName},` : "Hello,",
    "",
    text,
    "",
    "Best regards,",
    input.signature,
    "",
    quoteOriginal(input.original),
  ].join("\n");
}

/** "On <date>, <sender> wrote:" and the original's text quoted with "> ", as replies end. */
export function quoteOriginal(original: ReplyInput["original"]): string {
  const from = original.from;
  const sender = from ? (from.name ? `${from.name} <${from.email}>` : from.email) : "you";
  const quoted = original.text
    .replace(/\s+$/, "")
    .split(/\r?\n/)
    .slice(0, 200)
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");
  return `On ${original.sentAt.toUTCString()}, ${sender} wrote:\n${quoted}\n`;
}

const headerLabel = (name: string) =>
  name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
