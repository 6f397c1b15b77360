import type { MessageCategory, Urgency } from "../entities/message.entity.ts";
import {
  oneLineReason,
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
