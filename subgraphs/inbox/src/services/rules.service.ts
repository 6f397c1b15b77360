import type { EntityManager } from "@mikro-orm/postgresql";
import {
  appError,
  badUserInput,
  findPage,
  isEmailAddress,
  isUuid,
  notFound,
  ErrorCode,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
} from "@mary/kit";
import { MailAccount } from "../entities/mail-account.entity.ts";
import { Message, type MessageCategory } from "../entities/message.entity.ts";
import { TriageRule, type RuleField, type RuleState } from "../entities/triage-rule.entity.ts";
import type { CreateTriageRuleInput } from "../resolvers/triage.input.ts";
import { findOwned, ownerScope } from "./ownership.ts";
import { domainOf, firstMatch, ruleSql, ruleSummary, type RuleCondition } from "./rule-matching.ts";
import { MAX_ACTIVE_RULES, saveVerdicts, type TriageService } from "./triage.service.ts";

/** Where "message triaged" events go (the inbox's event streams), so open inboxes update live. */
export interface TriageEventSink {
  publish(
    events: { type: "MESSAGE_TRIAGED"; workspaceId: string; userId: string; accountId: string; messageId: string }[],
  ): Promise<void>;
}

/** Mail services where an address is a person, not an organisation: rules proposed from them are by SENDER. */
const PERSONAL_DOMAINS = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
  "yahoo.com",
  "ymail.com",
  "icloud.com",
  "me.com",
  "mac.com",
  "aol.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "gmx.com",
  "gmx.de",
  "gmx.net",
  "web.de",
  "mail.com",
  "yandex.com",
  "yandex.ru",
  "zoho.com",
  "fastmail.com",
  "hey.com",
  "tutanota.com",
  "qq.com",
  "163.com",
]);

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** RFC 5322 §3.6.8: a field name is printable US-ASCII except the colon. */
const HEADER_NAME = /^[!-9;-~]{1,100}$/;
/** The most messages acceptTriageRule's applyToExisting triages again: the newest ones. */
export const MAX_RETRIAGED = 5_000;
const RETRIAGE_BATCH = 200;

/**
 * A workspace's triage rules (any member makes and removes them; they apply to every member's
 * mail), users' corrections, and the rules proposed from them.
 */
export class RulesService {
  constructor(
    private readonly em: EntityManager,
    private readonly triage: TriageService,
    private readonly events: TriageEventSink | null = null,
  ) {}

  list(caller: AuthenticatedPrincipal, page: PageRequest, state: RuleState | null): Promise<Connection<TriageRule>> {
    const where = state ? { workspaceId: caller.workspaceId, state } : { workspaceId: caller.workspaceId };
    return findPage(this.em, TriageRule, where, page, { field: "createdAt", direction: "desc" });
  }

  async get(caller: AuthenticatedPrincipal, id: string): Promise<TriageRule> {
    const rule = isUuid(id)
      ? await this.em.findOne(TriageRule, { id: id.toLowerCase(), workspaceId: caller.workspaceId })
      : null;
    if (!rule) throw notFound("Triage rule");
    return rule;
  }

  /** Checks the condition and adds the rule, ACTIVE at once. */
  async create(caller: AuthenticatedPrincipal, input: CreateTriageRuleInput): Promise<TriageRule> {
    const condition = checkCondition(input);
    await this.requireRoomForActive(caller.workspaceId);
    const rule = this.newRule(caller, condition, input.category, "ACTIVE");
    await this.em.persist(rule).flush();
    return rule;
  }

  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const rule = await this.get(caller, id);
    await this.em.nativeDelete(TriageRule, { id: rule.id, workspaceId: caller.workspaceId });
    return rule.id;
  }

  /**
   * Sets the message's category as the user says (source USER, which later syncs and triage keep)
   * and proposes a rule for the sender's other mail, unless an ACTIVE one already says the same.
   */
  async recategorize(
    caller: AuthenticatedPrincipal,
    messageId: string,
    category: MessageCategory,
  ): Promise<{ message: Message; proposedRule: TriageRule | null }> {
    const message = await findOwned(this.em, Message, caller, messageId, "Message");
    message.category = category;
    message.urgency ??= "NORMAL";
    message.triageSource = "USER";
    message.triageReason = "Recategorized by you";
    const proposedRule = await this.propose(caller, message, category);
    await this.em.flush();
    await this.publish(caller, [message]);
    return { message, proposedRule };
  }

  /**
   * Makes a rule ACTIVE (one already ACTIVE stays so), removing the workspace's other rules with
   * the same condition, which it replaces. With applyToExisting, the caller's messages it matches
   * (the newest 5,000, except those they recategorized) are triaged again.
   */
  async accept(
    caller: AuthenticatedPrincipal,
    id: string,
    applyToExisting: boolean,
  ): Promise<{ rule: TriageRule; retriagedMessages: number }> {
    if (!isUuid(id)) throw notFound("Triage rule");
    const rule = await this.em.transactional(async (em) => {
      const rule = await em.findOne(TriageRule, { id: id.toLowerCase(), workspaceId: caller.workspaceId });
      if (!rule) throw notFound("Triage rule");
      if (rule.state !== "ACTIVE") {
        await em.execute("select pg_advisory_xact_lock(hashtext(?))", [`inbox:rules:${caller.workspaceId}`]);
        await this.requireRoomForActive(caller.workspaceId, em);
        rule.state = "ACTIVE";
      }
      await em.nativeDelete(TriageRule, {
        workspaceId: caller.workspaceId,
        field: rule.field,
        headerName: rule.headerName,
        value: rule.value,
        id: { $ne: rule.id },
      });
      return rule;
    });
    const retriagedMessages = applyToExisting ? await this.retriage(caller, rule) : 0;
    return { rule, retriagedMessages };
  }

  /** Triages again the caller's messages the rule matches, newest first, in batches; returns how many changed. */
  private async retriage(caller: AuthenticatedPrincipal, rule: TriageRule): Promise<number> {
    const [condition, params] = ruleSql(rule);
    const rows = await this.em.execute<{ id: string }[]>(
      `select m.id from messages m
       where m.workspace_id = ? and m.user_id = ? and m.triage_source is distinct from 'USER' and ${condition}
       order by m.sent_at desc limit ?`,
      [caller.workspaceId, caller.userId, ...params, MAX_RETRIAGED],
    );
    const accounts = new Map<string, MailAccount | null>();
    let written = 0;
    for (let start = 0; start < rows.length; start += RETRIAGE_BATCH) {
      const ids = rows.slice(start, start + RETRIAGE_BATCH).map((row) => row.id);
      const messages = await this.em.find(Message, { id: { $in: ids }, ...ownerScope(caller) });
      for (const [accountId, ofAccount] of Map.groupBy(messages, (message) => message.accountId)) {
        if (!accounts.has(accountId)) {
          accounts.set(accountId, await this.em.findOne(MailAccount, { id: accountId, ...ownerScope(caller) }));
        }
        const account = accounts.get(accountId);
        if (!account) continue;
        const verdicts = await this.triage.triage(account, ofAccount);
        const changed = ofAccount.flatMap((message, index) => {
          const verdict = verdicts[index]!;
          const same =
            message.category === verdict.category &&
            message.urgency === verdict.urgency &&
            message.triageReason === verdict.reason &&
            message.triageSource === verdict.source;
          return same ? [] : [{ id: message.id, verdict }];
        });
        const savedIds = new Set(await saveVerdicts(this.em, changed));
        written += savedIds.size;
        await this.publish(
          caller,
          ofAccount.filter((message) => savedIds.has(message.id)),
        );
      }
    }
    return written;
  }

  /**
   * A PROPOSED rule for mail like this message: by SENDER for personal mail services, else by
   * DOMAIN. An identical proposal is reused; none is needed when the ACTIVE rule deciding the
   * sender's mail already gives this category.
   */
  private async propose(
    caller: AuthenticatedPrincipal,
    message: Message,
    category: MessageCategory,
  ): Promise<TriageRule | null> {
    const sender = message.fromAddress?.email.toLowerCase();
    if (!sender || !isEmailAddress(sender)) return null;
    // The rule that decides this sender's mail already says so: nothing to propose.
    if (firstMatch(await this.triage.activeRules(caller.workspaceId), message)?.category === category) return null;
    const domain = domainOf(sender);
    const condition: RuleCondition = PERSONAL_DOMAINS.has(domain)
      ? { field: "SENDER", headerName: null, value: sender }
      : { field: "DOMAIN", headerName: null, value: domain };
    const existing = await this.em.findOne(
      TriageRule,
      { workspaceId: caller.workspaceId, ...condition, category },
      { orderBy: { state: "asc" } },
    );
    if (existing) return existing.state === "PROPOSED" ? existing : null;
    const rule = this.newRule(caller, condition, category, "PROPOSED");
    this.em.persist(rule);
    return rule;
  }

  private newRule(
    caller: AuthenticatedPrincipal,
    condition: RuleCondition,
    category: MessageCategory,
    state: RuleState,
  ): TriageRule {
    return Object.assign(new TriageRule(), {
      workspaceId: caller.workspaceId,
      createdBy: caller.userId,
      ...condition,
      category,
      state,
      summary: ruleSummary({ ...condition, category }),
    });
  }

  private async requireRoomForActive(workspaceId: string, em: EntityManager = this.em): Promise<void> {
    const active = await em.count(TriageRule, { workspaceId, state: "ACTIVE" });
    if (active >= MAX_ACTIVE_RULES) {
      throw appError(ErrorCode.BAD_USER_INPUT, `A workspace may have at most ${MAX_ACTIVE_RULES} active triage rules`);
    }
  }

  private async publish(caller: AuthenticatedPrincipal, messages: Message[]): Promise<void> {
    if (!this.events || !messages.length) return;
    await this.events.publish(
      messages.map((message) => ({
        type: "MESSAGE_TRIAGED" as const,
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        accountId: message.accountId,
        messageId: message.id,
      })),
    );
  }
}

/** The rule's condition, normalised, or BAD_USER_INPUT naming the field that is wrong. */
export function checkCondition(input: { field: RuleField; headerName?: string | null; value: string }): RuleCondition {
  const value = input.value.trim();
  const headerName = input.headerName?.trim() || null;
  if (input.field !== "HEADER" && headerName !== null) {
    throw badUserInput("headerName is only for HEADER rules", "headerName");
  }
  switch (input.field) {
    case "SENDER": {
      const email = value.toLowerCase();
      if (!isEmailAddress(email)) throw badUserInput("A SENDER rule's value must be an email address", "value");
      return { field: "SENDER", headerName: null, value: email };
    }
    case "DOMAIN": {
      const domain = value.toLowerCase().replace(/^(\*\.|@)/, "");
      if (!DOMAIN.test(domain)) {
        throw badUserInput("A DOMAIN rule's value must be a domain name such as example.com", "value");
      }
      return { field: "DOMAIN", headerName: null, value: domain };
    }
    case "SUBJECT":
      if (value.length < 1 || value.length > 200) {
        throw badUserInput("A SUBJECT rule's value must be 1 to 200 characters", "value");
      }
      return { field: "SUBJECT", headerName: null, value };
    case "HEADER":
      if (!headerName) throw badUserInput("A HEADER rule needs headerName", "headerName");
      if (!HEADER_NAME.test(headerName)) {
        throw badUserInput(
          "headerName must be a header's name (up to 100 printable characters, no colon)",
          "headerName",
        );
      }
      if (value.length > 320) throw badUserInput("A HEADER rule's value must be at most 320 characters", "value");
      return { field: "HEADER", headerName: headerName.toLowerCase(), value };
  }
}
