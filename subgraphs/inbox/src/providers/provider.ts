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

/** Something a message asks the reader to do, as a task's title (1 to 500 characters, one line). */
export interface ActionItem {
  title: string;
}

/** The most action items taken from one message. */
export const MAX_ACTION_ITEMS = 20;

/** Triage's AI provider: the built-in LOCAL rules offline, or an OpenAI-compatible model. */
export interface MailProvider {
  readonly name: "LOCAL" | "OPENAI";
  /** One verdict per message, in the same order. Never throws: a failing model falls back to LOCAL. */
  classify(messages: TriageInput[]): Promise<ProviderVerdict[]>;
  /** The body of a reply (plain text, with the original quoted). Never throws: falls back to LOCAL. */
  draftReply(input: ReplyInput): Promise<string>;
  /**
   * What the message asks its reader to do, in its order, without duplicates, at most
   * MAX_ACTION_ITEMS; none for a message that asks nothing. Never throws: falls back to LOCAL.
   */
  actionItems(message: TriageInput): Promise<ActionItem[]>;
}

/** A reason fits its column (300 characters) on one line. */
export const oneLineReason = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 300);
