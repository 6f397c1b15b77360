import { randomUUID } from "node:crypto";
import type { ImapFlow, ListResponse, MailboxObject } from "imapflow";
import type { MikroORM } from "@mikro-orm/postgresql";
import pg from "pg";
import type { Logger } from "@mary/kit";
import { MailAccount, type SyncState } from "../entities/mail-account.entity.ts";
import type { FolderRole } from "../entities/mail-folder.entity.ts";
import { Message, type MessageCategory, type TriageSource, type Urgency } from "../entities/message.entity.ts";
import type { InboxEvents } from "./inbox-events.ts";
import { withImap, type MailLogin } from "./mail-connection.ts";
import { FETCH_QUERY, parseFetched, type ParsedMessage } from "./message-parse.ts";
import { withSessionLock } from "./session-lock.ts";
import { groupIntoThreads, idsOf } from "./threading.ts";

/** Triage's verdict on one message. */
export interface TriageVerdict {
  category: MessageCategory;
  urgency: Urgency;
  reason: string;
  source: TriageSource;
}

/** What sync needs of triage: a verdict per message, in the messages' order. */
export interface MessageTriage {
  triage(account: MailAccount, messages: Message[]): Promise<TriageVerdict[]>;
}

export interface SyncDependencies {
  orm: MikroORM;
  /** The inbox database: each sync holds a connection of its own (and the account's advisory lock on it). */
  databaseUrl: string;
  /** How to log in to an account (its secret opened). */
  login: (account: MailAccount) => MailLogin;
  triage: MessageTriage;
  events: InboxEvents;
  log: Logger;
  /** An iCalendar REPLY found in new mail (an answer to an invitation the mailbox's owner sent). */
  calendarReply?: (account: MailAccount, ics: string, from: string | null) => Promise<unknown>;
}

/** What one sync did. */
export interface SyncReport {
  /** Why nothing was done: another sync of the account holds its lock, or the account is gone. */
  skipped?: "locked" | "missing";
  folders: number;
  added: number;
  /** Messages found in another folder than before (moved on the server), kept with their id. */
  moved: number;
  /** Messages no longer on the server, forgotten. */
  removed: number;
  flagsChanged: number;
  triaged: number;
}

/** Messages fetched (and inserted) per round trip. */
export const FETCH_BATCH = 100;
/** UIDs per FETCH FLAGS or SEARCH of known messages. */
const KNOWN_BATCH = 1_000;
/** Folders whose messages are synced, at most (INBOX, then the special-use ones, then the user's own). */
export const MAX_SYNCED_FOLDERS = 20;
/** Folders recorded (as targets of moveMessages), at most. */
const MAX_FOLDERS = 500;
/** Untriaged messages (a triage that failed before) retried per sync. */
const TRIAGE_CATCH_UP = 500;

const DAY_MS = 86_400_000;

/** A folder's role from its special-use flag (or, as imapflow does, its well-known name). */
export function folderRole(entry: Pick<ListResponse, "path" | "specialUse">): FolderRole {
  if (entry.path.toUpperCase() === "INBOX") return "INBOX";
  switch (entry.specialUse) {
    case "\\Inbox":
      return "INBOX";
    case "\\Sent":
      return "SENT";
    case "\\Archive":
      return "ARCHIVE";
    case "\\Drafts":
      return "DRAFTS";
    case "\\Trash":
      return "TRASH";
    case "\\Junk":
      return "JUNK";
    default:
      return "OTHER";
  }
}

const ROLE_ORDER: FolderRole[] = ["INBOX", "SENT", "ARCHIVE", "TRASH", "JUNK", "OTHER"];

/**
 * Which folders' messages sync reads: INBOX, Sent, Archive, Trash and Junk, then the user's own
 * folders by name, MAX_SYNCED_FOLDERS at most. Not Drafts (other clients' unfinished mail), nor
 * the virtual \All, \Flagged and \Important folders (copies of mail in other folders).
 */
export function foldersToSync<T extends { path: string; role: FolderRole; specialUse?: string | undefined }>(
  folders: T[],
): T[] {
  return folders
    .filter(
      (folder) => folder.role !== "DRAFTS" && !["\\All", "\\Flagged", "\\Important"].includes(folder.specialUse ?? ""),
    )
    .sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.path.localeCompare(b.path))
    .slice(0, MAX_SYNCED_FOLDERS);
}

/** UIDs as an IMAP sequence set of ranges ("1:4,7,9:12"). */
export function uidSet(uids: number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j++;
    parts.push(sorted[i] === sorted[j] ? `${sorted[i]}` : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

interface FolderRow {
  id: string;
  path: string;
  role: FolderRole;
  uidValidity: string | null;
  lastUid: number;
  highestModseq: string | null;
  specialUse?: string | undefined;
}

/** A row whose message is no longer where it was: moved (found elsewhere by Message-ID) or expunged. */
interface VanishedRow {
  id: string;
  folderId: string;
  uid: number;
  messageIdHeader: string | null;
}

/** What phase 1 found in a folder, for phase 2 to fetch. */
interface FolderPlan {
  folder: FolderRow;
  toFetch: number[];
  /** What the folder's row says once every message in toFetch is stored. */
  complete: { uidValidity: string; lastUid: number; highestModseq: string | null };
}

/** One sync of one account, on its own database connection (see SyncService.syncAccount). */
interface SyncRun {
  db: pg.Client;
  account: MailAccount;
  report: SyncReport;
  /** Vanished rows by Message-ID (and those without one), across the account's folders. */
  vanished: Map<string, VanishedRow[]>;
}

const MESSAGE_COLUMNS = [
  "id",
  "workspace_id",
  "user_id",
  "account_id",
  "folder_id",
  "uid",
  "message_id_header",
  "in_reply_to",
  "references",
  "thread_id",
  "subject",
  "from_address",
  "to_addresses",
  "cc_addresses",
  "correspondents",
  "sent_at",
  "snippet",
  "text_body",
  "html_body",
  "attachments",
  "headers",
  "seen",
  "flagged",
  "size",
  "created_at",
  "updated_at",
] as const;

/**
 * Syncs mailboxes over IMAP into PostgreSQL. The first sync of a folder reads the last
 * `syncDays` days (SEARCH SINCE); later ones read UIDs above the folder's last under the same
 * UIDVALIDITY, refresh the flags of known messages (FETCH FLAGS over their UIDs, or only the
 * changed ones with CONDSTORE) and notice those gone: found in another folder by Message-ID, a row
 * moves there with its id, triage and thread; else it is forgotten. A changed UIDVALIDITY
 * resyncs the folder, matching its rows to the server's messages by Message-ID.
 *
 * Re-running a sync adds nothing: rows are unique by (folder, UID) and inserted with
 * `on conflict do nothing`, each batch in one transaction with the folder's progress, so a
 * sync killed half-way goes on from its last batch. Two syncs of one account never run at once:
 * each holds a PostgreSQL advisory lock on its connection, which PostgreSQL frees when a killed
 * process's connection drops.
 */
export class SyncService {
  constructor(private readonly deps: SyncDependencies) {}

  async syncAccount(accountId: string): Promise<SyncReport> {
    const report: SyncReport = { folders: 0, added: 0, moved: 0, removed: 0, flagsChanged: 0, triaged: 0 };
    const done = await withSessionLock<SyncReport>(
      this.deps.databaseUrl,
      "inbox-sync",
      `inbox-sync:${accountId}`,
      async (db) => {
        const account = await this.deps.orm.em.fork().findOne(MailAccount, { id: accountId });
        if (!account) return { ...report, skipped: "missing" };
        const run: SyncRun = { db, account, report, vanished: new Map() };
        await this.setState(run, "SYNCING", null);
        try {
          await withImap(this.deps.login(account), async (imap) => {
            const folders = await this.reconcileFolders(run, imap);
            report.folders = folders.length;
            const plans: FolderPlan[] = [];
            for (const folder of folders) plans.push(await this.examine(run, imap, folder));
            for (const plan of plans) await this.fetchNew(run, imap, plan);
            await this.dropVanished(run);
          });
          await this.triagePending(run);
          await this.setState(run, "IDLE", null);
          return report;
        } catch (error) {
          const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500) || "Sync failed";
          await this.setState(run, "ERROR", reason).catch(() => {});
          throw error;
        }
      },
    );
    return done ?? { ...report, skipped: "locked" };
  }

  private async setState(run: SyncRun, state: SyncState, error: string | null): Promise<void> {
    const { account } = run;
    await run.db.query(
      `update mail_accounts set sync_state = $2::text, sync_error = $3::text, updated_at = now(),
         last_synced_at = case when $2::text = 'IDLE' then now() else last_synced_at end where id = $1`,
      [account.id, state, error],
    );
    await this.deps.events
      .publish([
        {
          type: "SYNC_STATE",
          workspaceId: account.workspaceId,
          userId: account.userId,
          accountId: account.id,
          syncState: state,
        },
      ])
      .catch((failure: unknown) => this.deps.log.warn({ err: failure }, "could not publish a sync state"));
  }

  /** Records the server's folders (forgetting those gone, with their messages); returns those to sync. */
  private async reconcileFolders(run: SyncRun, imap: ImapFlow): Promise<FolderRow[]> {
    const { db, account } = run;
    const listed = (await imap.list())
      .filter((entry) => !entry.flags.has("\\Noselect") && !entry.flags.has("\\NonExistent"))
      .slice(0, MAX_FOLDERS);
    const { rows } = await db.query<FolderRow>(
      `insert into mail_folders (id, workspace_id, account_id, path, role, last_uid, created_at)
       select v.id, $1, $2, v.path, v.role, 0, now() from unnest($3::uuid[], $4::text[], $5::text[]) as v(id, path, role)
       on conflict (account_id, path) do update set role = excluded.role
       returning id, path, role, uid_validity as "uidValidity", last_uid::float8 as "lastUid", highest_modseq as "highestModseq"`,
      [
        account.workspaceId,
        account.id,
        listed.map(() => randomUUID()),
        listed.map((entry) => entry.path),
        listed.map(folderRole),
      ],
    );
    const gone = await db.query<{ id: string }>(
      `select id from mail_folders where account_id = $1 and not (path = any($2::text[]))`,
      [account.id, listed.map((entry) => entry.path)],
    );
    if (gone.rows.length > 0) {
      const ids = gone.rows.map((row) => row.id);
      await this.transaction(db, async () => {
        const removed = await db.query<{ thread_id: string }>(
          `delete from messages where folder_id = any($1::uuid[]) returning thread_id`,
          [ids],
        );
        run.report.removed += removed.rowCount ?? 0;
        await this.refreshThreads(
          db,
          removed.rows.map((row) => row.thread_id),
        );
        await db.query(`delete from mail_folders where id = any($1::uuid[])`, [ids]);
      });
    }
    const specialUse = new Map(listed.map((entry) => [entry.path, entry.specialUse]));
    return foldersToSync(rows.map((row) => ({ ...row, specialUse: specialUse.get(row.path) })));
  }

  /**
   * Phase 1 of a folder: what to fetch, and what became of the known messages (flags refreshed,
   * the vanished set aside for phase 2 to find elsewhere). A changed UIDVALIDITY rematches the
   * folder's rows to the server's messages by Message-ID.
   */
  private async examine(run: SyncRun, imap: ImapFlow, folder: FolderRow): Promise<FolderPlan> {
    const lock = await imap.getMailboxLock(folder.path, { readOnly: true });
    try {
      const box = imap.mailbox as MailboxObject;
      const uidValidity = String(box.uidValidity);
      const modseq = box.highestModseq != null && !box.noModseq ? String(box.highestModseq) : null;
      const since = new Date(Date.now() - run.account.syncDays * DAY_MS);
      const complete = (found: number[]) => ({
        uidValidity,
        lastUid: Math.max(box.uidNext - 1, folder.lastUid, ...found.slice(-1)),
        highestModseq: modseq,
      });
      if (folder.uidValidity === null) {
        // The first sync (or one interrupted: it goes on after the last batch it stored).
        const inWindow = box.exists ? await this.searchUids(imap, { since }) : [];
        const toFetch = inWindow.filter((uid) => uid > folder.lastUid);
        return { folder, toFetch, complete: complete(inWindow) };
      }
      if (folder.uidValidity !== uidValidity) return await this.rematch(run, imap, folder, since, complete);

      await this.refreshKnown(run, imap, folder, modseq);
      let toFetch: number[] = [];
      if (box.exists && box.uidNext > folder.lastUid + 1) {
        toFetch = (await this.searchUids(imap, { uid: `${folder.lastUid + 1}:*` })).filter(
          (uid) => uid > folder.lastUid,
        );
      }
      return { folder, toFetch, complete: complete(toFetch) };
    } finally {
      lock.release();
    }
  }

  private async searchUids(imap: ImapFlow, query: Parameters<ImapFlow["search"]>[0]): Promise<number[]> {
    const found = await imap.search(query, { uid: true });
    return (Array.isArray(found) ? found : []).sort((a, b) => a - b);
  }

  /** Flags of the folder's known messages, from the server; those it no longer has are set aside. */
  private async refreshKnown(run: SyncRun, imap: ImapFlow, folder: FolderRow, modseq: string | null): Promise<void> {
    const { rows: known } = await run.db.query<{
      id: string;
      uid: number;
      seen: boolean;
      flagged: boolean;
      messageIdHeader: string | null;
    }>(
      `select id, uid::float8 as uid, seen, flagged, message_id_header as "messageIdHeader"
       from messages where folder_id = $1 order by uid`,
      [folder.id],
    );
    if (known.length === 0) return;
    const condstore = modseq !== null && folder.highestModseq !== null && imap.enabled.has("CONDSTORE");
    const present = new Set<number>();
    const changes: { id: string; seen: boolean; flagged: boolean }[] = [];
    const byUid = new Map(known.map((row) => [row.uid, row]));
    for (const chunk of chunks(known, KNOWN_BATCH)) {
      const range = uidSet(chunk.map((row) => row.uid));
      if (condstore) {
        // Only what changed since the last sync; which messages are still there, by SEARCH.
        for (const uid of await this.searchUids(imap, { uid: range })) present.add(uid);
        if (modseq === folder.highestModseq) continue;
      }
      const changedSince = condstore ? { changedSince: BigInt(folder.highestModseq!) } : {};
      for await (const message of imap.fetch(range, { uid: true, flags: true }, { uid: true, ...changedSince })) {
        if (!condstore) present.add(message.uid);
        const row = byUid.get(message.uid);
        const flags = message.flags ?? new Set<string>();
        const seen = flags.has("\\Seen");
        const flagged = flags.has("\\Flagged");
        if (row && (row.seen !== seen || row.flagged !== flagged)) changes.push({ id: row.id, seen, flagged });
      }
    }
    if (changes.length > 0) {
      await run.db.query(
        `update messages m set seen = v.seen, flagged = v.flagged, updated_at = now()
         from unnest($1::uuid[], $2::bool[], $3::bool[]) as v(id, seen, flagged) where m.id = v.id`,
        [changes.map((c) => c.id), changes.map((c) => c.seen), changes.map((c) => c.flagged)],
      );
      run.report.flagsChanged += changes.length;
    }
    for (const row of known) {
      if (!present.has(row.uid)) this.setAside(run, { ...row, folderId: folder.id });
    }
  }

  private setAside(run: SyncRun, row: VanishedRow): void {
    const key = row.messageIdHeader ?? "";
    const rows = run.vanished.get(key) ?? [];
    rows.push(row);
    run.vanished.set(key, rows);
  }

  /**
   * The folder's UIDVALIDITY changed: its UIDs mean nothing any more. The server's messages in the
   * window are matched to the folder's rows by Message-ID (the rows keep their ids, threads and
   * triage corrections, with new UIDs); rows without a match are set aside, messages without one
   * are fetched.
   */
  private async rematch(
    run: SyncRun,
    imap: ImapFlow,
    folder: FolderRow,
    since: Date,
    complete: (found: number[]) => FolderPlan["complete"],
  ): Promise<FolderPlan> {
    const { db } = run;
    const inWindow = await this.searchUids(imap, { since });
    const onServer = new Map<string, { uid: number; seen: boolean; flagged: boolean }[]>();
    const unmatched = new Set(inWindow);
    for (const chunk of chunks(inWindow, KNOWN_BATCH)) {
      for await (const message of imap.fetch(
        uidSet(chunk),
        { uid: true, flags: true, envelope: true },
        { uid: true },
      )) {
        const id = message.envelope?.messageId?.replace(/^<|>$/g, "");
        if (!id) continue;
        const flags = message.flags ?? new Set<string>();
        const entries = onServer.get(id) ?? [];
        entries.push({ uid: message.uid, seen: flags.has("\\Seen"), flagged: flags.has("\\Flagged") });
        onServer.set(id, entries);
      }
    }
    const { rows } = await db.query<{ id: string; messageIdHeader: string | null; uid: number }>(
      `select id, message_id_header as "messageIdHeader", uid::float8 as uid from messages where folder_id = $1`,
      [folder.id],
    );
    const matched: { id: string; uid: number; seen: boolean; flagged: boolean }[] = [];
    const leftOver: VanishedRow[] = [];
    for (const row of rows) {
      const entry = row.messageIdHeader ? onServer.get(row.messageIdHeader)?.shift() : undefined;
      if (entry) {
        matched.push({ id: row.id, ...entry });
        unmatched.delete(entry.uid);
      } else {
        leftOver.push({ ...row, folderId: folder.id });
      }
    }
    await this.transaction(db, async () => {
      // Old UIDs out of the way first (negative), so new ones never collide with them.
      await db.query(`update messages set uid = -1 - uid where folder_id = $1 and uid >= 0`, [folder.id]);
      if (matched.length > 0) {
        await db.query(
          `update messages m set uid = v.uid, seen = v.seen, flagged = v.flagged, updated_at = now()
           from unnest($1::uuid[], $2::bigint[], $3::bool[], $4::bool[]) as v(id, uid, seen, flagged) where m.id = v.id`,
          [
            matched.map((m) => m.id),
            matched.map((m) => m.uid),
            matched.map((m) => m.seen),
            matched.map((m) => m.flagged),
          ],
        );
      }
    });
    for (const row of leftOver) this.setAside(run, { ...row, uid: row.uid >= 0 ? -1 - row.uid : row.uid });
    this.deps.log.info(
      { accountId: run.account.id, folder: folder.path, matched: matched.length },
      "UIDVALIDITY changed: folder resynced",
    );
    return { folder, toFetch: [...unmatched].sort((a, b) => a - b), complete: complete(inWindow) };
  }

  /** Phase 2 of a folder: fetches its new messages in batches, each stored in one transaction with the folder's progress. */
  private async fetchNew(run: SyncRun, imap: ImapFlow, plan: FolderPlan): Promise<void> {
    const { folder } = plan;
    if (plan.toFetch.length > 0) {
      const lock = await imap.getMailboxLock(folder.path, { readOnly: true });
      try {
        // One batch is stored in PostgreSQL while the next is fetched and parsed (stores stay in order).
        let storing: Promise<void> = Promise.resolve();
        try {
          for (const batch of chunks(plan.toFetch, FETCH_BATCH)) {
            const fetched: ParsedMessage[] = [];
            for await (const message of imap.fetch(uidSet(batch), FETCH_QUERY, { uid: true })) {
              fetched.push(await parseFetched(message));
            }
            if (String((imap.mailbox as MailboxObject).uidValidity) !== plan.complete.uidValidity) {
              throw new Error(
                `The folder ${folder.path} changed on the server during the sync; the next sync resyncs it`,
              );
            }
            fetched.sort((a, b) => a.uid - b.uid);
            await storing;
            storing = this.store(run, folder, fetched, batch.at(-1)!);
            storing.catch(() => {}); // awaited before the next batch is stored, or below
          }
        } finally {
          await storing.catch(() => {});
        }
        await storing;
      } finally {
        lock.release();
      }
    }
    await run.db.query(`update mail_folders set uid_validity = $2, last_uid = $3, highest_modseq = $4 where id = $1`, [
      folder.id,
      plan.complete.uidValidity,
      plan.complete.lastUid,
      plan.complete.highestModseq,
    ]);
  }

  /**
   * Stores one batch: messages set aside elsewhere (moved) take their new place; the others are
   * threaded and inserted (`on conflict do nothing`), then triaged.
   */
  private async store(run: SyncRun, folder: FolderRow, batch: ParsedMessage[], progress: number): Promise<void> {
    const { db, account } = run;
    const moved: { row: VanishedRow; message: ParsedMessage }[] = [];
    const fresh: ParsedMessage[] = [];
    for (const message of batch) {
      const row = message.messageIdHeader ? run.vanished.get(message.messageIdHeader)?.shift() : undefined;
      if (row) moved.push({ row, message });
      else fresh.push(message);
    }
    const inserted = await this.transaction(db, async () => {
      if (moved.length > 0) {
        const result = await db.query<{ id: string }>(
          `update messages m set folder_id = $1, uid = v.uid, seen = v.seen, flagged = v.flagged, updated_at = now()
           from unnest($2::uuid[], $3::bigint[], $4::bool[], $5::bool[]) as v(id, uid, seen, flagged)
           where m.id = v.id
             and not exists (select 1 from messages o where o.folder_id = $1 and o.uid = v.uid)
           returning m.id`,
          [
            folder.id,
            moved.map((m) => m.row.id),
            moved.map((m) => m.message.uid),
            moved.map((m) => m.message.seen),
            moved.map((m) => m.message.flagged),
          ],
        );
        run.report.moved += result.rows.length;
        // Already stored where it is now (moved by Mary itself): the old place is forgotten.
        const updated = new Set(result.rows.map((row) => row.id));
        for (const { row } of moved) if (!updated.has(row.id)) this.setAside(run, row);
      }
      const rows = fresh.length > 0 ? await this.insert(run, folder, fresh) : [];
      await db.query(`update mail_folders set last_uid = greatest(last_uid, $2) where id = $1`, [folder.id, progress]);
      return rows;
    });
    run.report.added += inserted.length;
    if (inserted.length === 0) return;
    await this.deps.events
      .publish(
        inserted.map((message) => ({
          type: "NEW_MESSAGE" as const,
          workspaceId: account.workspaceId,
          userId: account.userId,
          accountId: account.id,
          messageId: message.id,
        })),
      )
      .catch((error: unknown) => this.deps.log.warn({ err: error }, "could not publish new messages"));
    await this.applyCalendarReplies(run, batch, inserted);
    await this.applyTriage(run, inserted);
  }

  /** Invitation answers among the messages just stored; one that fails is logged and the mail kept. */
  private async applyCalendarReplies(run: SyncRun, batch: ParsedMessage[], inserted: Message[]): Promise<void> {
    if (!this.deps.calendarReply) return;
    const uids = new Set(inserted.map((message) => Number(message.uid)));
    for (const parsed of batch) {
      if (!uids.has(parsed.uid)) continue;
      for (const ics of parsed.calendarReplies) {
        await this.deps
          .calendarReply(run.account, ics, parsed.fromAddress?.email ?? null)
          .catch((error: unknown) =>
            this.deps.log.warn({ err: error, accountId: run.account.id }, "could not apply a calendar reply"),
          );
      }
    }
  }

  /** Threads and inserts new messages; returns those inserted (a retried batch's are already there). */
  private async insert(run: SyncRun, folder: FolderRow, batch: ParsedMessage[]): Promise<Message[]> {
    const { db, account } = run;
    const ids = [...new Set(batch.flatMap(idsOf))];
    const { rows: stored } =
      ids.length > 0
        ? await db.query<{ threadId: string; messageIdHeader: string | null; references: string[]; createdAt: Date }>(
            `select m.thread_id as "threadId", m.message_id_header as "messageIdHeader", m."references", t.created_at as "createdAt"
             from messages m join threads t on t.id = m.thread_id
             where m.account_id = $1 and (m.message_id_header = any($2::text[]) or m."references" && $2::text[])`,
            [account.id, ids],
          )
        : { rows: [] };
    const created = new Map(stored.map((row) => [row.threadId, row.createdAt.getTime()]));
    const groups = groupIntoThreads(batch, stored, (threadId) => created.get(threadId) ?? 0);
    const threadOf: string[] = [];
    const newThreads: string[] = [];
    const merged: { into: string; from: string[] }[] = [];
    for (const group of groups) {
      const [target, ...others] = group.threads;
      const threadId = target ?? randomUUID();
      if (!target) newThreads.push(threadId);
      if (others.length > 0) merged.push({ into: threadId, from: others });
      for (const member of group.members) threadOf[member] = threadId;
    }
    if (newThreads.length > 0) {
      await db.query(
        `insert into threads (id, workspace_id, user_id, account_id, subject, message_count, last_message_at, created_at)
         select id, $1, $2, $3, '', 0, now(), now() from unnest($4::uuid[]) as id`,
        [account.workspaceId, account.userId, account.id, newThreads],
      );
    }
    for (const { into, from } of merged) {
      await db.query(`update messages set thread_id = $1 where thread_id = any($2::uuid[])`, [into, from]);
      await db.query(`delete from threads where id = any($1::uuid[])`, [from]);
    }
    const now = new Date();
    const values: unknown[] = [];
    const tuples = batch.map((message, i) => {
      const row = [
        randomUUID(),
        account.workspaceId,
        account.userId,
        account.id,
        folder.id,
        message.uid,
        message.messageIdHeader,
        message.inReplyTo,
        message.references,
        threadOf[i],
        message.subject,
        message.fromAddress ? JSON.stringify(message.fromAddress) : null,
        JSON.stringify(message.toAddresses),
        JSON.stringify(message.ccAddresses),
        message.correspondents,
        message.sentAt,
        message.snippet,
        message.textBody,
        message.htmlBody,
        JSON.stringify(message.attachments),
        JSON.stringify(message.headers),
        message.seen,
        message.flagged,
        message.size,
        now,
        now,
      ];
      const start = values.length;
      values.push(...row);
      return `(${row.map((_, k) => `$${start + k + 1}`).join(", ")})`;
    });
    const { rows } = await db.query<{ id: string }>(
      `insert into messages (${MESSAGE_COLUMNS.map((c) => `"${c}"`).join(", ")}) values ${tuples.join(", ")}
       on conflict (folder_id, uid) do nothing returning id`,
      values,
    );
    await this.refreshThreads(db, threadOf);
    const insertedIds = new Set(rows.map((row) => row.id));
    return batch.flatMap((message, i) => {
      const id = values[i * MESSAGE_COLUMNS.length] as string;
      if (!insertedIds.has(id)) return [];
      return [
        Object.assign(new Message(), {
          ...message,
          id,
          workspaceId: account.workspaceId,
          userId: account.userId,
          accountId: account.id,
          folderId: folder.id,
          threadId: threadOf[i]!,
          createdAt: now,
          updatedAt: now,
        }),
      ];
    });
  }

  /** Recounts threads after their messages changed; threads left with none are deleted. */
  private async refreshThreads(db: pg.Client, threadIds: string[]): Promise<void> {
    const ids = [...new Set(threadIds)];
    if (ids.length === 0) return;
    await db.query(
      `update threads t set message_count = s.n, last_message_at = s.last, subject = s.subject
       from (select thread_id, count(*)::int as n, max(sent_at) as last,
               (array_agg(subject order by sent_at, cardinality("references"), id))[1] as subject
             from messages where thread_id = any($1::uuid[]) group by thread_id) s
       where t.id = s.thread_id`,
      [ids],
    );
    await db.query(
      `delete from threads t where t.id = any($1::uuid[]) and not exists (select 1 from messages m where m.thread_id = t.id)`,
      [ids],
    );
  }

  /** Phase 3: rows set aside that no folder had are forgotten (unless something moved them meanwhile). */
  private async dropVanished(run: SyncRun): Promise<void> {
    const rows = [...run.vanished.values()].flat();
    if (rows.length === 0) return;
    await this.transaction(run.db, async () => {
      const { rows: removed } = await run.db.query<{ thread_id: string }>(
        `delete from messages m using unnest($1::uuid[], $2::uuid[], $3::bigint[]) as v(id, folder_id, uid)
         where m.id = v.id and m.folder_id = v.folder_id and m.uid = v.uid returning m.thread_id`,
        [rows.map((r) => r.id), rows.map((r) => r.folderId), rows.map((r) => r.uid)],
      );
      run.report.removed += removed.length;
      await this.refreshThreads(
        run.db,
        removed.map((row) => row.thread_id),
      );
    });
    run.vanished.clear();
  }

  /** Triages messages and saves the verdicts (never over a user's correction); a failing triage leaves them for the next sync. */
  private async applyTriage(run: SyncRun, messages: Message[]): Promise<void> {
    const { account } = run;
    let verdicts: TriageVerdict[];
    try {
      verdicts = await this.deps.triage.triage(account, messages);
    } catch (error) {
      this.deps.log.warn({ err: error, accountId: account.id }, "triage failed; the next sync tries again");
      return;
    }
    const applied = messages.flatMap((message, i) => (verdicts[i] ? [{ message, verdict: verdicts[i] }] : []));
    if (applied.length === 0) return;
    const { rows } = await run.db.query<{ id: string }>(
      `update messages m set category = v.category, urgency = v.urgency, triage_reason = v.reason,
         triage_source = v.source, updated_at = now()
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) as v(id, category, urgency, reason, source)
       where m.id = v.id and m.triage_source is distinct from 'USER' returning m.id`,
      [
        applied.map((a) => a.message.id),
        applied.map((a) => a.verdict.category),
        applied.map((a) => a.verdict.urgency),
        applied.map((a) => a.verdict.reason.replaceAll("\0", "").slice(0, 300)),
        applied.map((a) => a.verdict.source),
      ],
    );
    run.report.triaged += rows.length;
    await this.deps.events
      .publish(
        rows.map((row) => ({
          type: "MESSAGE_TRIAGED" as const,
          workspaceId: account.workspaceId,
          userId: account.userId,
          accountId: account.id,
          messageId: row.id,
        })),
      )
      .catch((error: unknown) => this.deps.log.warn({ err: error }, "could not publish triage verdicts"));
  }

  /** Messages stored but never triaged (triage failed, or the process died between the two) get another try. */
  private async triagePending(run: SyncRun): Promise<void> {
    const em = this.deps.orm.em.fork();
    const pending = await em.find(
      Message,
      { accountId: run.account.id, category: null, triageSource: null },
      { orderBy: { sentAt: "desc", id: "desc" }, limit: TRIAGE_CATCH_UP, populate: ["textBody", "htmlBody"] },
    );
    for (const batch of chunks(pending, FETCH_BATCH)) await this.applyTriage(run, batch);
  }

  private async transaction<T>(db: pg.Client, work: () => Promise<T>): Promise<T> {
    await db.query("begin");
    try {
      const result = await work();
      await db.query("commit");
      return result;
    } catch (error) {
      await db.query("rollback").catch(() => {});
      throw error;
    }
  }
}
