import type { ImapFlow, MailboxObject } from "imapflow";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
  badUserInput,
  isEmailAddress,
  isUuid,
  notFound,
  serviceUnavailable,
  toConnection,
  type AuthenticatedPrincipal,
  type Connection,
  type CursorKey,
  type PageRequest,
} from "@mary/kit";
import { MailAccount } from "../entities/mail-account.entity.ts";
import { MailFolder, type FolderRole } from "../entities/mail-folder.entity.ts";
import { Message, type MessageCategory } from "../entities/message.entity.ts";
import { Thread } from "../entities/thread.entity.ts";
import { MailConnectionError, withImap, type MailLogin } from "./mail-connection.ts";
import { findOwned, ownerScope } from "./ownership.ts";
import { uidSet } from "./sync.service.ts";

/** What a list of messages may be narrowed to; every condition given must hold. */
export interface MessageListFilter {
  accountId?: string | null;
  folder?: FolderRole | null;
  folderId?: string | null;
  category?: MessageCategory | null;
  unread?: boolean | null;
  threadId?: string | null;
  search?: string | null;
}

export interface MessageSettings {
  login: (account: MailAccount) => MailLogin;
  /** The largest attachment Attachment.content returns. */
  maxAttachmentBytes: number;
}

/** Messages changed by one mutation, at most. */
export const MAX_CHANGED_MESSAGES = 100;

/** The columns of a message list: everything but the bodies (loaded only when asked for). */
const LIST_COLUMNS = `m.id, m.workspace_id, m.user_id, m.account_id, m.folder_id, m.uid, m.message_id_header,
  m.in_reply_to, m."references", m.thread_id, m.subject, m.from_address, m.to_addresses, m.cc_addresses,
  m.correspondents, m.sent_at, m.snippet, m.attachments, m.headers, m.seen, m.flagged, m.category, m.urgency,
  m.triage_reason, m.triage_source, m.size, m.created_at, m.updated_at`;
/** The expression of the index messages_search_index, so that searches use it. */
export const SEARCH_VECTOR = `to_tsvector('english'::regconfig, m."subject" || ' ' || coalesce(m."text_body", ''))`;

/** A search cursor: the rank, the time and the id of the last row. */
const searchCursor = (rank: number, sentAt: Date, id: string): CursorKey => [`${rank}|${sentAt.toISOString()}`, id];

/**
 * The caller's mail: lists (newest first, or ranked by full-text search), threads, bodies and
 * attachments, and the changes a user makes (read, flagged, archived, moved), each written to the
 * IMAP server first, so other mail clients see it, and saved only once the server agreed.
 */
export class MessageService {
  constructor(
    private readonly em: EntityManager,
    private readonly settings: MessageSettings,
  ) {}

  get(caller: AuthenticatedPrincipal, id: string): Promise<Message> {
    return findOwned(this.em, Message, caller, id, "Message");
  }

  /** The caller's message, read afresh (for an event delivered long after the subscription began). */
  async fresh(caller: AuthenticatedPrincipal, id: string): Promise<Message | null> {
    if (!isUuid(id)) return null;
    return this.em.fork().findOne(Message, { id, ...ownerScope(caller) });
  }

  thread(caller: AuthenticatedPrincipal, id: string): Promise<Thread> {
    return findOwned(this.em, Thread, caller, id, "Thread");
  }

  /** The text and HTML bodies of the caller's messages with these ids, in one query. */
  async bodies(
    caller: AuthenticatedPrincipal | null,
    ids: readonly string[],
  ): Promise<{ id: string; textBody: string | null; htmlBody: string | null }[]> {
    const valid = ids.filter(isUuid);
    if (!caller || valid.length === 0) return [];
    return this.em.getConnection().execute(
      `select id, text_body as "textBody", html_body as "htmlBody" from messages
         where id in (?) and workspace_id = ? and user_id = ?`,
      [valid, caller.workspaceId, caller.userId],
    );
  }

  /**
   * The caller's messages matching the filter: newest first, or with `search`, by PostgreSQL's
   * rank (ts_rank) of the full-text match on subject and text (plus, for an address, the mail
   * that has it among its correspondents), then newest first.
   */
  async list(
    caller: AuthenticatedPrincipal,
    filter: MessageListFilter,
    page: PageRequest,
  ): Promise<Connection<Message>> {
    const where = [`m.workspace_id = ?`, `m.user_id = ?`];
    const params: unknown[] = [caller.workspaceId, caller.userId];
    for (const [field, column] of [
      ["accountId", "account_id"],
      ["folderId", "folder_id"],
      ["threadId", "thread_id"],
    ] as const) {
      const value = filter[field];
      if (value == null) continue;
      if (!isUuid(value)) throw badUserInput(`${field} is not an id`, field);
      where.push(`m.${column} = ?`);
      params.push(value.toLowerCase());
    }
    if (filter.folder) {
      where.push(`m.folder_id in (select f.id from mail_folders f where f.workspace_id = ? and f.role = ?)`);
      params.push(caller.workspaceId, filter.folder);
    }
    if (filter.category) {
      where.push(`m.category = ?`);
      params.push(filter.category);
    }
    if (filter.unread != null) where.push(filter.unread ? `not m.seen` : `m.seen`);

    const search = filter.search?.trim() ?? "";
    if (filter.search != null && (search.length === 0 || search.length > 500)) {
      throw badUserInput("search must be 1 to 500 characters", "search");
    }
    if (!search) {
      const after = this.timeCursor(page);
      if (after) {
        where.push(`(m.sent_at < ? or (m.sent_at = ? and m.id < ?))`);
        params.push(after.sentAt, after.sentAt, after.id);
      }
      const rows = await this.em.getConnection().execute(
        `select ${LIST_COLUMNS} from messages m where ${where.join(" and ")}
           order by m.sent_at desc, m.id desc limit ?`,
        [...params, page.first + 1],
      );
      const messages = rows.map((row: Record<string, unknown>) => this.em.map(Message, row));
      return toConnection(messages, page, (m) => [m.sentAt.toISOString(), m.id]);
    }

    const address = isEmailAddress(search.toLowerCase()) ? search.toLowerCase() : null;
    const matches = address
      ? `(${SEARCH_VECTOR} @@ websearch_to_tsquery('english', ?) or m.correspondents @> array[?]::text[])`
      : `${SEARCH_VECTOR} @@ websearch_to_tsquery('english', ?)`;
    where.push(matches);
    params.push(search, ...(address ? [address] : []));
    const rank = address
      ? `(ts_rank(${SEARCH_VECTOR}, websearch_to_tsquery('english', ?)) + case when m.correspondents @> array[?]::text[] then 1 else 0 end)::real`
      : `ts_rank(${SEARCH_VECTOR}, websearch_to_tsquery('english', ?))`;
    const rankParams = [search, ...(address ? [address] : [])];
    let outer = "";
    const outerParams: unknown[] = [];
    const after = page.after ? this.rankCursor(page.after) : null;
    if (after) {
      outer = `where (r.rank < ?::real or (r.rank = ?::real and (r.sent_at < ? or (r.sent_at = ? and r.id < ?))))`;
      outerParams.push(after.rank, after.rank, after.sentAt, after.sentAt, after.id);
    }
    const rows = await this.em.getConnection().execute(
      `select * from (select ${LIST_COLUMNS}, ${rank} as rank from messages m where ${where.join(" and ")}) r
       ${outer} order by r.rank desc, r.sent_at desc, r.id desc limit ?`,
      [...rankParams, ...params, ...outerParams, page.first + 1],
    );
    const ranks = new Map<string, number>();
    const messages = rows.map((row: Record<string, unknown>) => {
      const message = this.em.map(Message, row);
      ranks.set(message.id, Number(row.rank));
      return message;
    });
    return toConnection(messages, page, (m) => searchCursor(ranks.get(m.id)!, m.sentAt, m.id));
  }

  /** A thread's messages, oldest first. */
  async threadMessages(
    caller: AuthenticatedPrincipal,
    threadId: string,
    page: PageRequest,
  ): Promise<Connection<Message>> {
    const where = [`m.workspace_id = ?`, `m.user_id = ?`, `m.thread_id = ?`];
    const params: unknown[] = [caller.workspaceId, caller.userId, threadId];
    const after = this.timeCursor(page);
    if (after) {
      where.push(`(m.sent_at > ? or (m.sent_at = ? and m.id > ?))`);
      params.push(after.sentAt, after.sentAt, after.id);
    }
    const rows = await this.em
      .getConnection()
      .execute(`select ${LIST_COLUMNS} from messages m where ${where.join(" and ")} order by m.sent_at, m.id limit ?`, [
        ...params,
        page.first + 1,
      ]);
    const messages = rows.map((row: Record<string, unknown>) => this.em.map(Message, row));
    return toConnection(messages, page, (m) => [m.sentAt.toISOString(), m.id]);
  }

  /** The caller's mail with any of these addresses among its correspondents, newest first. */
  async withAddresses(
    caller: AuthenticatedPrincipal,
    emails: readonly string[],
    page: PageRequest,
  ): Promise<Connection<Message>> {
    const addresses = [...new Set(emails.map((email) => email.trim().toLowerCase()).filter(Boolean))].slice(0, 100);
    if (addresses.length === 0) return toConnection([], page, (m: Message) => [m.sentAt.toISOString(), m.id]);
    const where = [`m.workspace_id = ?`, `m.user_id = ?`, `m.correspondents && array[?]::text[]`];
    const params: unknown[] = [caller.workspaceId, caller.userId, addresses];
    const after = this.timeCursor(page);
    if (after) {
      where.push(`(m.sent_at < ? or (m.sent_at = ? and m.id < ?))`);
      params.push(after.sentAt, after.sentAt, after.id);
    }
    const rows = await this.em
      .getConnection()
      .execute(
        `select ${LIST_COLUMNS} from messages m where ${where.join(" and ")} order by m.sent_at desc, m.id desc limit ?`,
        [...params, page.first + 1],
      );
    const messages = rows.map((row: Record<string, unknown>) => this.em.map(Message, row));
    return toConnection(messages, page, (m) => [m.sentAt.toISOString(), m.id]);
  }

  /** Marks messages read or unread: the \Seen flag on the server first, then the rows. */
  mark(caller: AuthenticatedPrincipal, ids: string[], seen: boolean): Promise<Message[]> {
    return this.setFlag(caller, ids, "\\Seen", seen, "seen");
  }

  /** Flags or unflags messages: the \Flagged flag on the server first, then the rows. */
  flag(caller: AuthenticatedPrincipal, ids: string[], flagged: boolean): Promise<Message[]> {
    return this.setFlag(caller, ids, "\\Flagged", flagged, "flagged");
  }

  /** Moves messages to their account's Archive folder (on the server, then in Mary). */
  async archive(caller: AuthenticatedPrincipal, ids: string[]): Promise<Message[]> {
    const messages = await this.ownedAll(caller, ids);
    const accountIds = [...new Set(messages.map((m) => m.accountId))];
    const archives = await this.em.find(MailFolder, { accountId: { $in: accountIds }, role: "ARCHIVE" });
    const archiveOf = new Map(archives.map((folder) => [folder.accountId, folder]));
    for (const accountId of accountIds) {
      if (!archiveOf.has(accountId)) throw badUserInput("The mail account has no Archive folder", "ids");
    }
    for (const accountId of accountIds) {
      await this.moveWithin(
        caller,
        messages.filter((m) => m.accountId === accountId),
        archiveOf.get(accountId)!,
      );
    }
    return this.reload(caller, ids);
  }

  /** Moves messages to another folder of their account (on the server, then in Mary). */
  async move(caller: AuthenticatedPrincipal, ids: string[], folderId: string): Promise<Message[]> {
    const messages = await this.ownedAll(caller, ids);
    const target = isUuid(folderId) ? await this.em.findOne(MailFolder, { id: folderId.toLowerCase() }) : null;
    const account = target ? await this.em.findOne(MailAccount, { id: target.accountId, ...ownerScope(caller) }) : null;
    if (!target || !account) throw notFound("Folder");
    if (messages.some((m) => m.accountId !== target.accountId)) {
      throw badUserInput("Messages move only to a folder of their own mail account", "folderId");
    }
    await this.moveWithin(caller, messages, target);
    return this.reload(caller, ids);
  }

  /**
   * An attachment's content, fetched from the server (it is never stored in Mary), base64:
   * BAD_USER_INPUT past the size limit.
   */
  async attachmentContent(caller: AuthenticatedPrincipal, messageId: string, part: string): Promise<string> {
    const message = await this.get(caller, messageId);
    const attachment = message.attachments.find((a) => a.part === part);
    if (!attachment) throw notFound("Attachment");
    const limit = this.settings.maxAttachmentBytes;
    const tooLarge = () =>
      badUserInput(
        `The attachment is larger than ${Math.floor(limit / 1_048_576)} MB; open it in a mail client`,
        "part",
      );
    if (attachment.size > limit) throw tooLarge();
    const { account, folder } = await this.placeOf(caller, message);
    return this.imap(account, async (imap) => {
      const lock = await imap.getMailboxLock(folder.path, { readOnly: true });
      try {
        this.checkValidity(imap, folder);
        const download = await imap.download(String(message.uid), part, { uid: true, maxBytes: limit + 1 });
        if (!download.content) throw notFound("Attachment");
        const buffers: Buffer[] = [];
        let size = 0;
        for await (const chunk of download.content as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > limit) {
            download.content.destroy();
            throw tooLarge();
          }
          buffers.push(chunk);
        }
        return Buffer.concat(buffers).toString("base64");
      } finally {
        lock.release();
      }
    });
  }

  private async setFlag(
    caller: AuthenticatedPrincipal,
    ids: string[],
    flag: string,
    on: boolean,
    column: "seen" | "flagged",
  ): Promise<Message[]> {
    const messages = await this.ownedAll(caller, ids);
    for (const [accountId, ofAccount] of groupBy(messages, (m) => m.accountId)) {
      const folders = await this.em.find(MailFolder, { id: { $in: [...new Set(ofAccount.map((m) => m.folderId))] } });
      const account = await this.em.findOneOrFail(MailAccount, { id: accountId, ...ownerScope(caller) });
      await this.imap(account, async (imap) => {
        for (const folder of folders) {
          const uids = ofAccount.filter((m) => m.folderId === folder.id).map((m) => m.uid);
          const lock = await imap.getMailboxLock(folder.path);
          try {
            this.checkValidity(imap, folder);
            const done = on
              ? await imap.messageFlagsAdd(uidSet(uids), [flag], { uid: true })
              : await imap.messageFlagsRemove(uidSet(uids), [flag], { uid: true });
            if (!done) throw badUserInput(`The mail server refused to change ${flag} in ${folder.path}`, "ids");
          } finally {
            lock.release();
          }
        }
      });
      await this.em
        .getConnection()
        .execute(`update messages set ${column} = ?, updated_at = now() where id in (?)`, [
          on,
          ofAccount.map((m) => m.id),
        ]);
    }
    return this.reload(caller, ids);
  }

  /**
   * Moves one account's messages to `target` with IMAP MOVE (UID MOVE), then updates their rows
   * to the new folder and UIDs: from COPYUID when the server has UIDPLUS, else by finding them in
   * the target among the UIDs past its UIDNEXT of before the move (by Message-ID, then in order).
   */
  private async moveWithin(caller: AuthenticatedPrincipal, messages: Message[], target: MailFolder): Promise<void> {
    const account = await this.em.findOneOrFail(MailAccount, { id: target.accountId, ...ownerScope(caller) });
    const sources = await this.em.find(MailFolder, { id: { $in: [...new Set(messages.map((m) => m.folderId))] } });
    const moves: { id: string; uid: number | null }[] = [];
    await this.imap(account, async (imap) => {
      for (const source of sources) {
        if (source.id === target.id) continue;
        const moving = messages.filter((m) => m.folderId === source.id).sort((a, b) => a.uid - b.uid);
        const before = await imap.status(target.path, { uidNext: true, uidValidity: true });
        if (!before) throw badUserInput(`The mail server has no folder ${target.path}`, "folderId");
        const lock = await imap.getMailboxLock(source.path);
        let uidMap: Map<number, number> | undefined;
        try {
          this.checkValidity(imap, source);
          const result = await imap.messageMove(uidSet(moving.map((m) => m.uid)), target.path, { uid: true });
          if (!result) throw badUserInput(`The mail server refused to move messages to ${target.path}`, "folderId");
          uidMap = result.uidMap;
        } finally {
          lock.release();
        }
        if (uidMap && uidMap.size > 0) {
          for (const m of moving) moves.push({ id: m.id, uid: uidMap.get(m.uid) ?? null });
        } else {
          moves.push(...(await this.findMoved(imap, target, moving, before.uidNext ?? 1)));
        }
      }
    });
    const connection = this.em.getConnection();
    for (const { id, uid } of moves) {
      // Without a UID in the target the row cannot be kept; the next sync of the target finds the message.
      if (uid === null) await connection.execute(`delete from messages where id = ?`, [id]);
      else
        await connection.execute(
          `update messages set folder_id = ?, uid = ?, updated_at = now() where id = ?
             and not exists (select 1 from messages o where o.folder_id = ? and o.uid = ?)`,
          [target.id, uid, id, target.id, uid],
        );
    }
  }

  /** The moved messages' UIDs in the target (for servers without UIDPLUS): by Message-ID, the rest in order. */
  private async findMoved(
    imap: ImapFlow,
    target: MailFolder,
    moving: Message[],
    uidNext: number,
  ): Promise<{ id: string; uid: number | null }[]> {
    const lock = await imap.getMailboxLock(target.path, { readOnly: true });
    try {
      const arrived: { uid: number; messageId: string | null }[] = [];
      for await (const found of imap.fetch(`${uidNext}:*`, { uid: true, envelope: true }, { uid: true })) {
        if (found.uid >= uidNext)
          arrived.push({ uid: found.uid, messageId: found.envelope?.messageId?.replace(/^<|>$/g, "") ?? null });
      }
      arrived.sort((a, b) => a.uid - b.uid);
      const taken = new Set<number>();
      const result = moving.map((m) => {
        const match = arrived.find((a) => !taken.has(a.uid) && m.messageIdHeader && a.messageId === m.messageIdHeader);
        if (match) taken.add(match.uid);
        return { id: m.id, uid: match?.uid ?? null };
      });
      const rest = arrived.filter((a) => !taken.has(a.uid));
      for (const entry of result) if (entry.uid === null) entry.uid = rest.shift()?.uid ?? null;
      return result;
    } finally {
      lock.release();
    }
  }

  /** Every message with these ids, the caller's; NOT_FOUND (and nothing changed) if any is not. */
  private async ownedAll(caller: AuthenticatedPrincipal, ids: string[]): Promise<Message[]> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    if (ids.length === 0 || ids.length > MAX_CHANGED_MESSAGES) {
      throw badUserInput(`Give 1 to ${MAX_CHANGED_MESSAGES} message ids`, "ids");
    }
    const found = unique.every(isUuid)
      ? await this.em.find(Message, { id: { $in: unique }, ...ownerScope(caller) })
      : [];
    if (found.length !== unique.length) throw notFound("Message");
    return found;
  }

  private async reload(caller: AuthenticatedPrincipal, ids: string[]): Promise<Message[]> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    const rows = await this.em.fork().find(Message, { id: { $in: unique }, ...ownerScope(caller) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return unique.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  private async placeOf(caller: AuthenticatedPrincipal, message: Message) {
    const account = await this.em.findOneOrFail(MailAccount, { id: message.accountId, ...ownerScope(caller) });
    const folder = await this.em.findOneOrFail(MailFolder, { id: message.folderId });
    return { account, folder };
  }

  /** The folder must be the one the rows' UIDs are of: after a UIDVALIDITY change, only a sync can tell. */
  private checkValidity(imap: ImapFlow, folder: MailFolder): void {
    const current = String((imap.mailbox as MailboxObject).uidValidity);
    if (folder.uidValidity !== null && folder.uidValidity !== current) {
      throw badUserInput(`The folder ${folder.path} changed on the mail server; try again after the next sync`, "ids");
    }
  }

  /** Runs `use` on an IMAP session of the account; an unreachable server is SERVICE_UNAVAILABLE, refused credentials BAD_USER_INPUT. */
  private async imap<T>(account: MailAccount, use: (imap: ImapFlow) => Promise<T>): Promise<T> {
    try {
      return await withImap(this.settings.login(account), use);
    } catch (error) {
      if (error instanceof MailConnectionError) {
        throw error.kind === "auth" ? badUserInput(error.message, "ids") : serviceUnavailable(error.message);
      }
      throw error;
    }
  }

  private timeCursor(page: PageRequest): { sentAt: Date; id: string } | null {
    if (!page.after) return null;
    const [value, id] = page.after;
    const sentAt = typeof value === "string" ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(sentAt.getTime()) || !isUuid(id))
      throw badUserInput("`after` is not a cursor from this list", "after");
    return { sentAt, id };
  }

  private rankCursor(key: CursorKey): { rank: number; sentAt: Date; id: string } {
    const [value, id] = key;
    const [rankText, time] = typeof value === "string" ? value.split("|") : [];
    const rank = Number(rankText);
    const sentAt = new Date(time ?? "");
    if (!Number.isFinite(rank) || Number.isNaN(sentAt.getTime()) || !isUuid(id)) {
      throw badUserInput("`after` is not a cursor from this search", "after");
    }
    return { rank, sentAt, id };
  }
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
