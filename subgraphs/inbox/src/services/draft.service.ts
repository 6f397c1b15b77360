import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { EntityManager } from "@mikro-orm/postgresql";
import addressparser from "nodemailer/lib/addressparser";
import {
  badUserInput,
  findPage,
  isEmailAddress,
  notFound,
  type AuthenticatedPrincipal,
  type Connection,
  type Logger,
  type PageRequest,
} from "@mary/kit";
import { Draft } from "../entities/draft.entity.ts";
import { MailAccount } from "../entities/mail-account.entity.ts";
import { Message, type MailAddress } from "../entities/message.entity.ts";
import type { MailProvider } from "../providers/provider.ts";
import type { CreateDraftInput, MailAddressInput, UpdateDraftInput } from "../resolvers/draft.input.ts";
import type { MailLogin } from "./mail-connection.ts";
import { appendToSent, buildRawMessage, isInSent, submit } from "./mail-sending.ts";
import { findOwned, findOwnedMessageText, ownerScope } from "./ownership.ts";
import { triageInput } from "./triage.service.ts";

export interface DraftSettings {
  /** How long a SENDING draft is left to its attempt; after that its outcome counts as unknown and is checked. */
  sendLeaseMs: number;
  /** How long a sendDraft that finds another attempt under way waits for its outcome. */
  sendWaitMs: number;
  log: Logger;
}

/** What drafts need of mail accounts: to log in to one. */
export interface MailLogins {
  loginOf(account: MailAccount): MailLogin;
}

const MAX_RECIPIENTS = 100;
const MAX_SUBJECT = 998;
const MAX_BODY = 200_000;
const MAX_INSTRUCTIONS = 2_000;
const MAX_REFERENCES = 50;
const POLL_MS = 200;

/**
 * The caller's drafts, and sending them exactly once. A draft's Message-ID is fixed when it is
 * made. sendDraft moves it DRAFT/FAILED → SENDING in one conditional UPDATE, so of two concurrent
 * calls one sends and the other waits for its outcome; a SENT draft is returned as it is; and a
 * SENDING whose attempt is older than the lease (its process died, say) is looked for in the Sent
 * folder over IMAP before it is sent again.
 */
export class DraftService {
  constructor(
    private readonly em: EntityManager,
    private readonly logins: MailLogins,
    private readonly provider: MailProvider,
    private readonly settings: DraftSettings,
  ) {}

  get(caller: AuthenticatedPrincipal, id: string): Promise<Draft> {
    return findOwned(this.em, Draft, caller, id, "Draft");
  }

  list(caller: AuthenticatedPrincipal, page: PageRequest): Promise<Connection<Draft>> {
    return findPage(this.em, Draft, ownerScope(caller), page, { field: "createdAt", direction: "desc" });
  }

  async create(caller: AuthenticatedPrincipal, input: CreateDraftInput): Promise<Draft> {
    const account = await findOwned(this.em, MailAccount, caller, input.accountId, "Mail account");
    const draft = this.newDraft(caller, account);
    Object.assign(draft, checkContent(input, draft));
    await this.em.persist(draft).flush();
    return draft;
  }

  /**
   * A reply to one of the caller's messages, written by the provider: to its Reply-To (else its
   * sender; for one's own message, its recipients), "Re: " once, threaded by In-Reply-To and References.
   */
  async draftReply(caller: AuthenticatedPrincipal, messageId: string, instructions: string | null): Promise<Draft> {
    const wanted = (instructions ?? "").trim();
    if (wanted.length > MAX_INSTRUCTIONS) {
      throw badUserInput(`instructions must be at most ${MAX_INSTRUCTIONS} characters`, "instructions");
    }
    const message = await findOwnedMessageText(this.em, caller, messageId);
    const account = await findOwned(this.em, MailAccount, caller, message.accountId, "Mail account");
    const draft = this.newDraft(caller, account);
    draft.replyToId = message.id;
    draft.toAddresses = replyRecipients(message, account);
    draft.subject = /^re:/i.test(message.subject.trim()) ? message.subject.trim() : `Re: ${message.subject.trim()}`;
    draft.subject = draft.subject.trim().slice(0, MAX_SUBJECT);
    draft.inReplyTo = message.messageIdHeader;
    draft.references = [
      ...new Set([...message.references, ...(message.messageIdHeader ? [message.messageIdHeader] : [])]),
    ].slice(-MAX_REFERENCES);
    draft.body = (
      await this.provider.draftReply({
        original: { ...triageInput(message), sentAt: message.sentAt },
        instructions: wanted,
        signature: account.displayName ?? account.address,
      })
    ).slice(0, MAX_BODY);
    await this.em.persist(draft).flush();
    return draft;
  }

  /** Changes a DRAFT or FAILED draft; one being sent or sent is BAD_USER_INPUT and stays as it is. */
  async update(caller: AuthenticatedPrincipal, id: string, input: UpdateDraftInput): Promise<Draft> {
    const draft = await this.get(caller, id);
    const changes = checkContent(input, draft);
    const changed = await this.em.nativeUpdate(
      Draft,
      { id: draft.id, ...ownerScope(caller), state: { $in: ["DRAFT", "FAILED"] } },
      { ...changes, updatedAt: new Date() },
    );
    if (!changed) throw badUserInput("A draft that is being sent or was sent cannot be changed", "id");
    return this.reload(draft.id);
  }

  /** Deletes a draft (a SENT one too: the mail stays sent), but not while it is being sent. Returns its id. */
  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const draft = await this.get(caller, id);
    const deleted = await this.em.nativeDelete(Draft, {
      id: draft.id,
      ...ownerScope(caller),
      state: { $ne: "SENDING" },
    });
    if (!deleted) throw badUserInput("A draft cannot be deleted while it is being sent", "id");
    return draft.id;
  }

  /** Sends the draft exactly once (see the class) and returns it: SENT, FAILED, or SENDING if the wait ran out. */
  async send(caller: AuthenticatedPrincipal, id: string): Promise<Draft> {
    const draft = await this.get(caller, id);
    if (draft.state === "SENT") return draft;
    if (draft.state !== "SENDING" && !draft.toAddresses.length && !draft.ccAddresses.length) {
      throw badUserInput("A draft needs at least one recipient before it is sent", "to");
    }
    const claimed = await this.transition(
      draft.id,
      `state in ('DRAFT', 'FAILED')`,
      [],
      `state = 'SENDING', send_started_at = now(), send_error = null`,
    );
    if (claimed) return this.attempt(caller, claimed, false);

    // Another call is sending it: wait for its outcome, or take over an attempt past its lease.
    const deadline = Date.now() + this.settings.sendWaitMs;
    for (;;) {
      const current = await this.reload(draft.id);
      if (current.state !== "SENDING") return current;
      const started = current.sendStartedAt?.getTime() ?? 0;
      if (Date.now() - started >= this.settings.sendLeaseMs) {
        // Only one caller takes over: the first UPDATE renews the lease, so the others' match nothing.
        const taken = await this.transition(
          draft.id,
          `state = 'SENDING' and (send_started_at is null or send_started_at <= now() - ? * interval '1 millisecond')`,
          [this.settings.sendLeaseMs],
          `send_started_at = now()`,
        );
        if (taken) return this.attempt(caller, taken, true);
      }
      if (Date.now() >= deadline) return current;
      await sleep(POLL_MS);
    }
  }

  /**
   * One attempt at a draft this call moved to SENDING. After an unknown outcome, the Sent folder
   * is checked first: found there means it went out, and it is not sent again.
   */
  private async attempt(caller: AuthenticatedPrincipal, draft: Draft, checkSentFirst: boolean): Promise<Draft> {
    const account = await this.em.fork().findOne(MailAccount, { id: draft.accountId, ...ownerScope(caller) });
    if (!account) return this.finish(draft.id, "FAILED", "The draft's mail account is no longer connected");
    const login = this.logins.loginOf(account);
    if (checkSentFirst) {
      let found: boolean;
      try {
        found = await isInSent(login, draft.messageIdHeader);
      } catch (error) {
        this.settings.log.warn({ err: error, draftId: draft.id }, "could not check Sent for an unknown send outcome");
        // Not known either way: it stays SENDING with its old start, so the next call checks again.
        await this.transition(draft.id, `state = 'SENDING'`, [], `send_started_at = ?, send_error = ?`, [
          new Date(0),
          "An earlier attempt's outcome is unknown and the Sent folder could not be checked; send it again later",
        ]);
        return this.reload(draft.id);
      }
      if (found) return this.finish(draft.id, "SENT", null);
    }

    const date = new Date();
    const raw = await buildRawMessage(draft, account, date);
    const recipients = [...draft.toAddresses, ...draft.ccAddresses].map((address) => address.email);
    const result = await submit(login, account.address, recipients, raw);
    if (result.kind === "refused" || result.kind === "deferred") return this.finish(draft.id, "FAILED", result.reason);

    // An unconfirmed submission may have been delivered: it is recorded as sent (and saved in
    // Sent), so that no retry can send it a second time; the note tells the user so.
    const note =
      result.kind === "unknown"
        ? `${result.reason}: recorded as sent so that it is never sent twice; if the recipient did not get it, send a new draft`
        : result.rejected.length
          ? `Not delivered to ${result.rejected.join(", ")}: the SMTP server refused ${result.rejected.length === 1 ? "it" : "them"}`
          : null;
    // Saved as SENT and in Sent together: should this process die now, Sent still shows it went out.
    const [saved, appended] = await Promise.allSettled([
      this.finish(draft.id, "SENT", note),
      appendToSent(login, raw, date),
    ]);
    if (appended.status === "rejected") {
      this.settings.log.warn({ err: appended.reason, draftId: draft.id }, "sent, but could not be saved in Sent");
    } else if (!appended.value) {
      this.settings.log.warn({ draftId: draft.id }, "sent; the account has no Sent folder to save it in");
    }
    if (saved.status === "fulfilled") return saved.value;
    // The mail went out: recording it must not be lost to one failed statement.
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.finish(draft.id, "SENT", note);
      } catch (error) {
        if (attempt >= 3) throw error;
        await sleep(250 * 2 ** attempt);
      }
    }
  }

  /** Records the outcome of this call's attempt (only while it is SENDING). */
  private async finish(id: string, state: "SENT" | "FAILED", error: string | null): Promise<Draft> {
    await this.transition(
      id,
      `state = 'SENDING'`,
      [],
      state === "SENT" ? `state = 'SENT', sent_at = now(), send_error = ?` : `state = 'FAILED', send_error = ?`,
      [error?.slice(0, 500) ?? null],
    );
    return this.reload(id);
  }

  /** One conditional UPDATE of a draft: the row as updated, or null when the condition did not hold. */
  private async transition(
    id: string,
    condition: string,
    conditionParams: unknown[],
    set: string,
    setParams: unknown[] = [],
  ): Promise<Draft | null> {
    const rows = await this.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>(
        `update drafts set ${set}, updated_at = now() where id = ? and ${condition} returning id`,
        [...setParams, id, ...conditionParams],
      );
    return rows[0] ? this.reload(id) : null;
  }

  private async reload(id: string): Promise<Draft> {
    const draft = await this.em.fork().findOne(Draft, { id });
    if (!draft) throw notFound("Draft");
    return draft;
  }

  private newDraft(caller: AuthenticatedPrincipal, account: MailAccount): Draft {
    return Object.assign(new Draft(), {
      workspaceId: caller.workspaceId,
      userId: caller.userId,
      accountId: account.id,
      messageIdHeader: `${randomUUID()}@${account.address.slice(account.address.lastIndexOf("@") + 1)}`,
    });
  }
}

/** The checked and normalised content fields given (absent ones are left out). */
function checkContent(input: UpdateDraftInput, current: Draft): Partial<Draft> {
  const changes: Partial<Draft> = {};
  if (input.to != null) changes.toAddresses = checkAddresses(input.to, "to");
  if (input.cc != null) changes.ccAddresses = checkAddresses(input.cc, "cc");
  const recipients =
    (changes.toAddresses ?? current.toAddresses).length + (changes.ccAddresses ?? current.ccAddresses).length;
  if (recipients > MAX_RECIPIENTS) throw badUserInput(`A draft may have at most ${MAX_RECIPIENTS} recipients`, "to");
  if (input.subject != null) {
    const subject = input.subject.replace(/[\r\n]+/g, " ").trim();
    if (subject.length > MAX_SUBJECT)
      throw badUserInput(`subject must be at most ${MAX_SUBJECT} characters`, "subject");
    changes.subject = subject;
  }
  if (input.body != null) {
    if (input.body.length > MAX_BODY) throw badUserInput(`body must be at most ${MAX_BODY} characters`, "body");
    changes.body = input.body;
  }
  return changes;
}

function checkAddresses(addresses: MailAddressInput[], field: string): MailAddress[] {
  const seen = new Set<string>();
  const checked: MailAddress[] = [];
  for (const address of addresses) {
    const email = address.email.trim().toLowerCase();
    if (!isEmailAddress(email)) throw badUserInput(`"${address.email}" is not an email address`, field);
    const name = address.name?.replace(/[\r\n]+/g, " ").trim() || null;
    if (name && name.length > 200) throw badUserInput("A name must be at most 200 characters", field);
    if (seen.has(email)) continue;
    seen.add(email);
    checked.push({ name, email });
  }
  return checked;
}

/** Reply-To when it names valid addresses, else the sender; replying to one's own mail goes to its recipients. */
function replyRecipients(message: Message, account: MailAccount): MailAddress[] {
  const own = account.address.toLowerCase();
  const replyTo = message.headers?.["reply-to"];
  if (replyTo) {
    const parsed = addressparser(replyTo, { flatten: true })
      .map((entry) => ({ name: entry.name || null, email: (entry.address ?? "").toLowerCase() }))
      .filter((entry) => isEmailAddress(entry.email));
    if (parsed.length) return parsed.slice(0, MAX_RECIPIENTS);
  }
  if (message.fromAddress && message.fromAddress.email.toLowerCase() !== own) return [message.fromAddress];
  return message.toAddresses.filter((to) => to.email.toLowerCase() !== own).slice(0, MAX_RECIPIENTS);
}
