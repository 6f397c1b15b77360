import type { MailAddress, MessageCategory, Urgency } from "../entities/message.entity.ts";

/** What a provider reads of a message to triage it. */
export interface TriageInput {
  from: MailAddress | null;
  subject: string;
  /** The text body, or the snippet when the body was not loaded. */
  text: string;
  /** Lower-cased header names (list-unsubscribe, precedence, auto-submitted, …). */
  headers: Record<string, string>;
}

/** A provider's verdict on one message: the category, the urgency and why, in one line. */
export interface ProviderVerdict {
  category: MessageCategory;
  urgency: Urgency;
  reason: string;
}

/** What a provider is given to write a reply. */
export interface ReplyInput {
  original: TriageInput & { sentAt: Date };
  /** The user's instructions, such as "accept, propose Tuesday"; empty for a plain acknowledgement. */
  instructions: string;
  /** Who replies: the account's display name (or address). */
  signature: string;
}

/** Triage's AI provider: the built-in LOCAL rules offline, or an OpenAI-compatible model. */
export interface MailProvider {
  readonly name: "LOCAL" | "OPENAI";
  /** One verdict per message, in the same order. Never throws: a failing model falls back to LOCAL. */
  classify(messages: TriageInput[]): Promise<ProviderVerdict[]>;
  /** The body of a reply (plain text, with the original quoted). Never throws: falls back to LOCAL. */
  draftReply(input: ReplyInput): Promise<string>;
}

/** A reason fits its column (300 characters) on one line. */
export const oneLineReason = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 300);
