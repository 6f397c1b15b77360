import type { EntityManager } from "@mikro-orm/postgresql";
import type { MailAccount } from "../entities/mail-account.entity.ts";
import type { Message, MessageCategory, Urgency } from "../entities/message.entity.ts";
import { TriageRule } from "../entities/triage-rule.entity.ts";
import { LocalProvider } from "../providers/local.provider.ts";
import { oneLineReason, type MailProvider, type TriageInput } from "../providers/provider.ts";
import type { ContactDirectory } from "./crm-contacts.ts";
import { firstMatch } from "./rule-matching.ts";
import type { MessageTriage, TriageVerdict } from "./sync.service.ts";

/** What a provider reads of a stored message: its text when loaded, else its snippet. */
export const triageInput = (message: Message): TriageInput => ({
  from: message.fromAddress,
  subject: message.subject,
  text: message.textBody || message.snippet || "",
  headers: message.headers ?? {},
});

/**
 * Gives each message a category, an urgency and a one-line reason, in this order:
 *
 * 1. a message the user recategorized keeps its verdict (source USER);
 * 2. the workspace's ACTIVE triage rules, the newest first (source RULE);
 * 3. a sender who is a CRM contact with an open deal makes it IMPORTANT (source CONTACT): one
 *    question to crm through the gateway for the whole batch, as the mailbox's owner;
 * 4. the provider, LOCAL or OpenAI (source PROVIDER), for the rest, in one call.
 */
export class TriageService implements MessageTriage {
  private readonly local = new LocalProvider();

  constructor(
    /** A fresh entity manager for each call (triage runs outside requests, in sync jobs). */
    private readonly em: () => EntityManager,
    private readonly contacts: ContactDirectory,
    private readonly provider: MailProvider,
  ) {}

  async triage(account: MailAccount, messages: Message[]): Promise<TriageVerdict[]> {
    if (messages.length === 0) return [];
    const verdicts: (TriageVerdict | undefined)[] = messages.map((message) =>
      message.triageSource === "USER" && message.category
        ? {
            category: message.category,
            urgency: message.urgency ?? "NORMAL",
            reason: message.triageReason ?? "Recategorized by you",
            source: "USER",
          }
        : undefined,
    );
    const undecided = () => messages.flatMap((message, index) => (verdicts[index] ? [] : [index]));

    const rules = await this.activeRules(account.workspaceId);
    for (const index of undecided()) {
      const message = messages[index]!;
      const rule = firstMatch(rules, message);
      if (rule) {
        verdicts[index] = {
          category: rule.category,
          urgency: this.urgencyOf(rule.category, message),
          reason: oneLineReason(`Rule: ${rule.summary}`),
          source: "RULE",
        };
      }
    }

    const own = account.address.toLowerCase();
    const senders = undecided()
      .map((index) => messages[index]!.fromAddress?.email.toLowerCase())
      .filter((email): email is string => !!email && email !== own);
    if (senders.length) {
      const contacts = await this.contacts.withOpenDeals(account, senders);
      for (const index of undecided()) {
        const message = messages[index]!;
        const contact = contacts.get(message.fromAddress?.email.toLowerCase() ?? "");
        if (contact) {
          verdicts[index] = {
            category: "IMPORTANT",
            urgency: this.urgencyOf("IMPORTANT", message),
            reason: oneLineReason(`From ${contact.name}, a contact with an open deal: ${contact.dealTitle}`),
            source: "CONTACT",
          };
        }
      }
    }

    const rest = undecided();
    if (rest.length) {
      const answers = await this.provider.classify(rest.map((index) => triageInput(messages[index]!)));
      rest.forEach((index, k) => {
        const answer = answers[k] ?? this.local.classifyOne(triageInput(messages[index]!));
        verdicts[index] = { ...answer, reason: oneLineReason(answer.reason), source: "PROVIDER" };
      });
    }
    return verdicts as TriageVerdict[];
  }

  /** The workspace's ACTIVE rules, newest first: a later correction wins over an older rule. */
  activeRules(workspaceId: string): Promise<TriageRule[]> {
    return this.em().find(
      TriageRule,
      { workspaceId, state: "ACTIVE" },
      { orderBy: { createdAt: "desc", id: "desc" }, limit: MAX_ACTIVE_RULES },
    );
  }

  /** A rule or a contact decides the category; how soon it wants an answer still comes from its words. */
  private urgencyOf(category: MessageCategory, message: Message): Urgency {
    if (category === "NEWSLETTER") return "LOW";
    const { urgency } = this.local.classifyOne(triageInput(message));
    return urgency === "LOW" ? "NORMAL" : urgency;
  }
}

/** The most ACTIVE rules a workspace may have (createTriageRule and acceptTriageRule check it). */
export const MAX_ACTIVE_RULES = 500;

/**
 * Writes verdicts to their messages in one statement, never over a USER verdict (a correction
 * made while the verdict was being worked out stays). Returns the ids of the messages written.
 */
export async function saveVerdicts(
  em: EntityManager,
  rows: readonly { id: string; verdict: TriageVerdict }[],
): Promise<string[]> {
  const written = rows.filter((row) => row.verdict.source !== "USER");
  if (!written.length) return [];
  const result = await em.execute<{ id: string }[]>(
    `update messages m set category = v.category, urgency = v.urgency, triage_reason = v.reason,
       triage_source = v.source, updated_at = now()
     from unnest(array[?]::uuid[], array[?]::text[], array[?]::text[], array[?]::text[], array[?]::text[])
       as v(id, category, urgency, reason, source)
     where m.id = v.id and m.triage_source is distinct from 'USER'
     returning m.id`,
    [
      written.map((row) => row.id),
      written.map((row) => row.verdict.category),
      written.map((row) => row.verdict.urgency),
      written.map((row) => row.verdict.reason),
      written.map((row) => row.verdict.source),
    ],
  );
  return result.map((row) => row.id);
}
