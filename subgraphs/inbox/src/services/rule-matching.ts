import type { MessageCategory } from "../entities/message.entity.ts";
import type { RuleField, TriageRule } from "../entities/triage-rule.entity.ts";

/** What a rule looks at in a message. */
export interface RuleSubject {
  fromAddress: { email: string } | null;
  subject: string;
  headers: Record<string, string>;
}

/** A rule's condition: the field, the header's name for HEADER, and the value (normalised as saved). */
export type RuleCondition = Pick<TriageRule, "field" | "headerName" | "value">;

/** The part of an address after its last @, lower-cased. */
export const domainOf = (email: string) => email.slice(email.lastIndexOf("@") + 1).toLowerCase();

/** Whether the message meets the condition (see TriageRuleField's values for each field's meaning). */
export function matchesRule(rule: RuleCondition, message: RuleSubject): boolean {
  const value = rule.value.toLowerCase();
  const sender = message.fromAddress?.email.toLowerCase() ?? "";
  switch (rule.field) {
    case "SENDER":
      return sender !== "" && sender === value;
    case "DOMAIN": {
      if (!sender.includes("@")) return false;
      const domain = domainOf(sender);
      return domain === value || domain.endsWith(`.${value}`);
    }
    case "SUBJECT":
      return message.subject.toLowerCase().includes(value);
    case "HEADER": {
      const header = message.headers[(rule.headerName ?? "").toLowerCase()];
      if (header === undefined) return false;
      return value === "" || header.toLowerCase().includes(value);
    }
  }
}

/** The first rule (in the order given) the message meets, or undefined. */
export const firstMatch = <R extends RuleCondition>(rules: readonly R[], message: RuleSubject): R | undefined =>
  rules.find((rule) => matchesRule(rule, message));

/**
 * The same condition as SQL on the messages table (alias `m`), for finding the messages a rule
 * matches without loading them: `[sql, params]`. Agrees with matchesRule (a test checks both).
 */
export function ruleSql(rule: RuleCondition): [string, unknown[]] {
  const sender = `lower(m.from_address->>'email')`;
  const value = rule.value.toLowerCase();
  switch (rule.field) {
    case "SENDER":
      return [`${sender} = ?`, [value]];
    case "DOMAIN":
      return [
        `(split_part(${sender}, '@', 2) = ? or right(split_part(${sender}, '@', 2), ?) = ?)`,
        [value, value.length + 1, `.${value}`],
      ];
    case "SUBJECT":
      return [`strpos(lower(m.subject), ?) > 0`, [value]];
    case "HEADER": {
      const name = (rule.headerName ?? "").toLowerCase();
      return value === ""
        ? [`(m.headers->>?) is not null`, [name]]
        : [`strpos(lower(m.headers->>?), ?) > 0`, [name, value]];
    }
  }
}

const CATEGORY_WORDS: Record<MessageCategory, string> = {
  IMPORTANT: "Important",
  ACTIONABLE: "Actionable",
  FYI: "FYI",
  NEWSLETTER: "Newsletters",
  OTHER: "Other",
};

/** The rule in words: "Always put mail from x.com in FYI". */
export function ruleSummary(rule: RuleCondition & { category: MessageCategory }): string {
  const where = CATEGORY_WORDS[rule.category];
  const conditions: Record<RuleField, () => string> = {
    SENDER: () => `mail from ${rule.value}`,
    DOMAIN: () => `mail from ${rule.value}`,
    SUBJECT: () => `mail whose subject contains "${rule.value}"`,
    HEADER: () =>
      rule.value === ""
        ? `mail with a ${rule.headerName} header`
        : `mail whose ${rule.headerName} header contains "${rule.value}"`,
  };
  return `Always put ${conditions[rule.field]()} in ${where}`.slice(0, 400);
}
