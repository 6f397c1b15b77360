// Two-way sync of a CalDAV calendar: the server's changes come in by sync token and ETag, Mary's go
// out with If-Match / If-None-Match, and an event changed on both sides since they last agreed
// keeps the newer change on both sides, with a CalendarSyncConflict row saying which.
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import pg from "pg";
import {
  badUserInput,
  optionalText,
  requiredText,
  type AuthenticatedPrincipal,
  type Logger,
  type SecretBox,
} from "@mary/kit";
import { Calendar } from "../entities/calendar.entity.ts";
import { CalendarEvent } from "../entities/calendar-event.entity.ts";
import { CalendarSyncConflict, type ConflictSide } from "../entities/calendar-sync-conflict.entity.ts";
import { exportSingle, parseCalendar } from "../scheduling/icalendar.ts";
import type { ICalEvent } from "../scheduling/types.ts";
import {
  CalDavAuthError,
  CalDavCalendar,
  CalDavConflictError,
  CalDavError,
  CalDavNotFoundError,
  type CalDavObject,
} from "./caldav-client.ts";
import { fingerprint, loadByUid, toICalEvent, writeICalEvent } from "./calendar-ical.ts";
import { withSessionLock } from "./session-lock.ts";
import { checkTimeZone } from "../scheduling/time-zones.ts";

/** What the sync service needs of the queue: to start and stop a calendar's scheduled syncs. */
export interface CalDavScheduling {
  schedule(calendarId: string): Promise<void>;
  unschedule(calendarId: string): Promise<void>;
}

export interface CalDavSyncSettings {
  orm: MikroORM;
  /** The inbox database: each sync holds the calendar's advisory lock on a connection of its own. */
  databaseUrl: string;
  /** Seals and opens the calendars' CalDAV passwords (bound to the calendar's id). */
  secrets: SecretBox;
  /** Each request's limit, in connect checks and in syncs. */
  timeoutMs: number;
  /** Whether plain http:// servers may be connected. */
  allowPlaintext: boolean;
  log: Logger;
}

/** What one sync did. */
export interface CalDavSyncReport {
  /** Why nothing was done: another sync of the calendar holds its lock, or it is gone (or not a CalDAV one). */
  skipped?: "locked" | "missing";
  /** Server objects written into Mary (new or changed there). */
  pulled: number;
  /** Events written to the server (new or changed in Mary). */
  pushed: number;
  /** Deletions carried over, either way. */
  deleted: number;
  /** Events changed on both sides, settled by keeping the newer change (each also a CalendarSyncConflict row). */
  conflicts: number;
}

/** connectCalDavCalendar's fields. */
export interface ConnectCalDavFields {
  url: string;
  username: string;
  password: string;
  name?: string | null;
  displayName?: string | null;
  timeZone?: string | null;
}

/** The syncError of a calendar whose login the server refused. */
export const AUTH_REFUSED = "the CalDAV server refused the login";
/** How often a write that keeps losing races (412 again after a re-read) is settled again within one sync. */
const SETTLE_ATTEMPTS = 3;

/** A UID's rows in Mary: the series (or single event) and its changed occurrences. */
interface Group {
  series: CalendarEvent;
  overrides: CalendarEvent[];
}

/** The server's side of a UID: its object, read. */
interface ServerSide {
  object: CalDavObject;
  event: ICalEvent;
  /** Its LAST-MODIFIED; null when it has none. */
  modifiedAt: Date | null;
}

interface SyncRun {
  calendar: Calendar;
  remote: CalDavCalendar;
  report: CalDavSyncReport;
  db: pg.Client;
  /** When the sync started. */
  now: Date;
}

const rowsOf = (group: Group) => [group.series, ...group.overrides];

/**
 * What Mary did to a UID since it last agreed with the server: changed (any row updated after its
 * syncedAt, or never synced) or deleted (a tombstone), and when.
 */
function maryChange(group: Group): { changed: boolean; deleted: boolean; at: Date } {
  const rows = rowsOf(group);
  if (group.series.deletedAt) return { changed: true, deleted: true, at: group.series.deletedAt };
  const changed = rows.some((row) => row.syncedAt === null || row.updatedAt.getTime() > row.syncedAt.getTime());
  return { changed, deleted: false, at: lastUpdate(group) };
}

const lastUpdate = (group: Group) => new Date(Math.max(...rowsOf(group).map((row) => row.updatedAt.getTime())));

/** A UID's rows as one iCalendar event, its LAST-MODIFIED the latest change of any of them. */
const icalOf = (group: Group): ICalEvent => ({
  ...toICalEvent(group.series, group.overrides),
  updatedAt: lastUpdate(group),
});

/** Whether the object's master VEVENT carries LAST-MODIFIED (the parser falls back to DTSTAMP without it). */
function hasLastModified(ics: string, uid: string): boolean {
  const unfolded = ics.replace(/\r?\n[ \t]/g, "");
  for (const block of unfolded.split(/^BEGIN:VEVENT\s*$/im).slice(1)) {
    const body = block.split(/^END:VEVENT\s*$/im)[0] ?? "";
    if (/^RECURRENCE-ID[;:]/im.test(body)) continue;
    const blockUid = /^UID(?:;[^:]*)?:(.*)$/im.exec(body)?.[1]?.trim();
    if (blockUid === uid) return /^LAST-MODIFIED[;:]/im.test(body);
  }
  return /^LAST-MODIFIED[;:]/im.test(unfolded);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * CalDAV calendars: connected after a successful login (the password sealed), and synced both
 * ways by UID and ETag.
 *
 * A sync pulls the server's changes since the calendar's sync token (RFC 6578; else by comparing
 * ETags), then pushes Mary's: events made in Mary (no remoteHref) are created with If-None-Match,
 * events changed in Mary since they last agreed with the server (updatedAt > syncedAt) are written
 * with If-Match their ETag, and deletions (tombstones, deletedAt) are deleted with If-Match.
 *
 * When both sides changed an event since it last agreed, the newer change is kept on both sides:
 * Mary's updatedAt against the server object's LAST-MODIFIED (an object without LAST-MODIFIED
 * counts as newer: a client that does not stamp its changes cannot be ordered, and the server is
 * where it changed last), and a CalendarSyncConflict row records the outcome. A deletion is a
 * change too: Mary's (deletedAt) is ordered like an edit; a deletion on the server carries no time
 * at all, so an event deleted on the server but edited in Mary keeps Mary's edit and is created
 * on the server again (recorded as kept MARY, with the time the sync noticed the deletion). When
 * both sides hold the same content, nothing is recorded.
 *
 * Each sync holds a PostgreSQL advisory lock on the calendar (on a connection of its own, freed by
 * PostgreSQL if the process dies), so two processes never sync one calendar at once. The rows'
 * sync columns (remoteHref, remoteEtag, syncedAt) are written with plain UPDATEs that leave
 * updatedAt alone, syncedAt set to the updatedAt the write was made from: a change made in Mary
 * while a write was on its way stays newer than syncedAt and goes out next time.
 */
export class CalDavSyncService {
  private scheduling: CalDavScheduling | null = null;

  constructor(private readonly settings: CalDavSyncSettings) {}

  /** The queue that runs the calendars' scheduled syncs (set once both exist). */
  useScheduling(scheduling: CalDavScheduling): void {
    this.scheduling = scheduling;
  }

  /** Stops a deleted calendar's scheduled syncs. */
  async forget(calendarId: string): Promise<void> {
    await this.scheduling?.unschedule(calendarId);
  }

  /**
   * Logs in to the CalDAV server and finds the calendar before saving anything (a refused login is
   * BAD_USER_INPUT on `password`; a URL that is not a calendar, or a server that cannot be reached,
   * on `url`), then saves it as the caller's PERSONAL calendar, schedules its syncs and runs the
   * first one, so its events are there when this returns.
   */
  async connect(caller: AuthenticatedPrincipal, input: ConnectCalDavFields): Promise<Calendar> {
    const url = this.checkUrl(input.url);
    const username = requiredText(input.username, "username", 320);
    const password = input.password ?? "";
    if (password === "") throw badUserInput("password must not be empty", "password");
    if (password.length > 4096) throw badUserInput("password must be at most 4096 characters", "password");
    const name = optionalText(input.name, "name", 200);
    const displayName = optionalText(input.displayName, "displayName", 200);
    const timeZone = checkTimeZone(input.timeZone ?? "UTC", "timeZone");

    let remote: CalDavCalendar;
    try {
      remote = await CalDavCalendar.connect({
        url,
        username,
        password,
        timeoutMs: this.settings.timeoutMs,
        displayName: displayName ?? undefined,
      });
    } catch (error) {
      if (error instanceof CalDavAuthError)
        throw badUserInput("The CalDAV server refused the user name or password", "password");
      if (error instanceof CalDavNotFoundError)
        throw badUserInput(`No CalDAV calendar found there: ${error.message}`, "url");
      if (error instanceof CalDavError)
        throw badUserInput(`The CalDAV server could not be used: ${error.message}`, "url");
      this.settings.log.warn({ err: error, url }, "CalDAV connect failed");
      throw badUserInput(`This URL does not answer as a CalDAV server: ${messageOf(error)}`, "url");
    }

    const em = this.settings.orm.em.fork();
    const existing = await em.count(Calendar, {
      workspaceId: caller.workspaceId,
      ownerId: caller.userId,
      source: "CALDAV",
      caldavUrl: remote.url,
      caldavUsername: username,
    });
    if (existing) throw badUserInput("This CalDAV calendar is connected already", "url");
    const calendar = Object.assign(new Calendar(), {
      workspaceId: caller.workspaceId,
      ownerId: caller.userId,
      name: name ?? (remote.displayName?.trim().slice(0, 200) || "CalDAV calendar"),
      timeZone,
      kind: "PERSONAL" as const,
      source: "CALDAV" as const,
      caldavUrl: remote.url,
      caldavUsername: username,
    });
    calendar.caldavSecret = this.settings.secrets.seal(password, calendar.id);
    await em.persist(calendar).flush();
    // Without Redis the calendar still syncs now and on syncCalendar; scheduleAll at the next start schedules it.
    await this.scheduling
      ?.schedule(calendar.id)
      .catch((error: unknown) =>
        this.settings.log.warn({ err: error, calendarId: calendar.id }, "CalDAV sync not scheduled"),
      );
    return this.syncAndReload(calendar.id);
  }

  /** Syncs a CalDAV calendar now (after any sync already running) and returns it with its lastSyncedAt and syncError. */
  async syncNow(calendar: Calendar): Promise<Calendar> {
    if (calendar.source !== "CALDAV") throw badUserInput("Only a CalDAV calendar can be synced", "id");
    return this.syncAndReload(calendar.id);
  }

  /** Schedules the syncs of every CalDAV calendar (at start: schedulers lost with Redis' data come back). */
  async scheduleAll(): Promise<void> {
    if (!this.scheduling) return;
    const calendars = await this.settings.orm.em.fork().find(Calendar, { source: "CALDAV" }, { fields: ["id"] });
    for (const calendar of calendars) await this.scheduling.schedule(calendar.id);
  }

  private async syncAndReload(calendarId: string): Promise<Calendar> {
    try {
      await this.sync(calendarId, { waitMs: Math.max(30_000, 4 * this.settings.timeoutMs) });
    } catch (error) {
      // Saved as the calendar's syncError, which the caller gets back.
      this.settings.log.warn({ err: error, calendarId }, "CalDAV sync failed");
    }
    return this.settings.orm.em.fork().findOneOrFail(Calendar, { id: calendarId });
  }

  /**
   * Syncs the calendar both ways; skipped ("locked") when another sync of it runs, unless it ends
   * within `waitMs`. A failure is saved as the calendar's syncError (a refused login as
   * AUTH_REFUSED) and thrown, for the queue's retries.
   */
  async sync(calendarId: string, options: { waitMs?: number } = {}): Promise<CalDavSyncReport> {
    const report: CalDavSyncReport = { pulled: 0, pushed: 0, deleted: 0, conflicts: 0 };
    const key = `inbox-caldav-sync:${calendarId}`;
    const done = await withSessionLock<CalDavSyncReport>(
      this.settings.databaseUrl,
      "inbox-caldav-sync",
      key,
      async (db) => {
        const calendar = await this.settings.orm.em.fork().findOne(Calendar, { id: calendarId });
        if (!calendar || calendar.source !== "CALDAV" || !calendar.caldavUrl || !calendar.caldavSecret)
          return { ...report, skipped: "missing" };
        try {
          const remote = await CalDavCalendar.connect({
            url: calendar.caldavUrl,
            username: calendar.caldavUsername ?? "",
            password: this.settings.secrets.open(calendar.caldavSecret, calendar.id),
            timeoutMs: this.settings.timeoutMs,
          });
          const run: SyncRun = { calendar, remote, report, db, now: new Date() };
          const token = await this.pull(run);
          await this.push(run);
          await db.query(
            `update calendars set caldav_sync_token = $2, last_synced_at = now(), sync_error = null where id = $1`,
            [calendar.id, token],
          );
          return report;
        } catch (error) {
          const reason =
            error instanceof CalDavAuthError ? AUTH_REFUSED : messageOf(error).slice(0, 500) || "CalDAV sync failed";
          await db.query(`update calendars set sync_error = $2 where id = $1`, [calendar.id, reason]).catch(() => {});
          throw error;
        }
      },
      options.waitMs ?? 0,
    );
    return done ?? { ...report, skipped: "locked" };
  }

  // -------------------------------------------------------------------------------------------
  // Pull

  /** Takes in the server's changes since the last sync; returns the token to save when the sync succeeds. */
  private async pull(run: SyncRun): Promise<string> {
    const known = new Map<string, string>();
    const rows = await run.db.query<{ remote_href: string; remote_etag: string | null }>(
      `select remote_href, remote_etag from calendar_events
       where calendar_id = $1 and recurring_event_id is null and remote_href is not null`,
      [run.calendar.id],
    );
    for (const row of rows.rows) known.set(row.remote_href, row.remote_etag ?? "");
    const changes = await run.remote.changes(run.calendar.caldavSyncToken, known);
    for (const object of changes.changed) await this.pullObject(run, object);
    const removed = new Set(changes.removed);
    if (changes.full) {
      const present = new Set(changes.changed.map((object) => object.href));
      for (const href of known.keys()) if (!present.has(href)) removed.add(href);
    }
    for (const href of removed) await this.pullRemoval(run, href);
    return changes.syncToken;
  }

  private read(run: SyncRun, object: CalDavObject): ServerSide | null {
    try {
      const parsed = parseCalendar(object.ics, { defaultTimeZone: run.calendar.timeZone, now: run.now });
      const event = parsed.events[0];
      if (!event) return null;
      if (parsed.events.length > 1 || parsed.errors.length)
        this.settings.log.warn(
          { calendarId: run.calendar.id, href: object.href, errors: parsed.errors },
          "CalDAV object read in part",
        );
      return { object, event, modifiedAt: hasLastModified(object.ics, event.uid) ? event.updatedAt : null };
    } catch (error) {
      // One unreadable object does not stop the calendar's sync; it is read again when it changes.
      this.settings.log.warn(
        { err: error, calendarId: run.calendar.id, href: object.href },
        "CalDAV object unreadable",
      );
      return null;
    }
  }

  private async pullObject(run: SyncRun, object: CalDavObject): Promise<void> {
    const server = this.read(run, object);
    if (!server) return;
    const uid = server.event.uid;
    const settled = await this.settings.orm.em.fork().transactional(async (em) => {
      const group = await this.lockGroup(em, run.calendar.id, uid);
      // What Mary wrote or last read: nothing new.
      if (group && group.series.remoteHref === object.href && group.series.remoteEtag === object.etag) return true;
      if (!group || !maryChange(group).changed) {
        await this.writeFromServer(em, run, server, group);
        run.report.pulled += 1;
        return true;
      }
      return false;
    });
    // Changed on both sides.
    if (!settled) await this.settle(run, uid, server);
  }

  private async pullRemoval(run: SyncRun, href: string): Promise<void> {
    const uids = await run.db.query<{ uid: string }>(
      `select uid from calendar_events where calendar_id = $1 and recurring_event_id is null and remote_href = $2`,
      [run.calendar.id, href],
    );
    for (const { uid } of uids.rows) {
      const settled = await this.settings.orm.em.fork().transactional(async (em) => {
        const group = await this.lockGroup(em, run.calendar.id, uid);
        if (!group || group.series.remoteHref !== href) return true;
        const mary = maryChange(group);
        if (!mary.changed || mary.deleted) {
          // Unchanged in Mary, or deleted on both sides: gone from Mary too.
          await this.removeRows(em, group);
          run.report.deleted += 1;
          return true;
        }
        return false;
      });
      if (!settled) await this.settle(run, uid, null);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Push

  /** Sends Mary's changes since the last sync: new events, changed ones, deletions. */
  private async push(run: SyncRun): Promise<void> {
    const pending = await run.db.query<{ uid: string }>(
      `select distinct uid from calendar_events
       where calendar_id = $1
         and (remote_href is null or synced_at is null or updated_at > synced_at or deleted_at is not null)`,
      [run.calendar.id],
    );
    for (const { uid } of pending.rows) {
      const group = await this.loadGroup(this.settings.orm.em.fork(), run.calendar.id, uid);
      if (!group) continue;
      const { series } = group;
      if (!maryChange(group).changed) continue;
      try {
        if (series.deletedAt) {
          if (series.remoteHref) await run.remote.delete(series.remoteHref, series.remoteEtag ?? "*");
          await this.settings.orm.em.fork().transactional((em) => this.removeRows(em, group));
          run.report.deleted += 1;
        } else {
          await this.write(run, group, series.remoteHref ? series.remoteEtag : null, series.remoteHref);
          run.report.pushed += 1;
        }
      } catch (error) {
        if (!(error instanceof CalDavConflictError)) throw error;
        // The server's object changed since Mary last read it (or another has this UID): read it, and settle.
        await this.settle(run, uid, await this.fetch(run, uid, series.remoteHref));
      }
    }
  }

  /** Writes the UID's rows to the server (created when `ifMatch` is null), then records that they agree. */
  private async write(run: SyncRun, group: Group, ifMatch: string | null, href: string | null): Promise<void> {
    const event = icalOf(group);
    const written = await run.remote.put(event.uid, exportSingle(event), ifMatch, href ? { href } : {});
    await this.markSynced(
      run.db,
      rowsOf(group).map((row) => row.id),
      written,
      event.updatedAt,
    );
  }

  /**
   * The rows' sync columns after a write: remoteHref and remoteEtag, and syncedAt = updatedAt for
   * rows still as they were written (a row changed meanwhile stays changed). updatedAt is left alone.
   */
  private async markSynced(
    db: pg.Client,
    ids: string[],
    remote: { href: string; etag: string },
    writtenFrom: Date,
  ): Promise<void> {
    await db.query(
      `update calendar_events set remote_href = $2, remote_etag = $3,
         synced_at = case when updated_at <= $4 then updated_at else synced_at end
       where id = any($1::uuid[])`,
      [ids, remote.href, remote.etag, writtenFrom],
    );
  }

  /** The server's current object of a UID: at `href`, else any object with that UID; null when there is none. */
  private async fetch(run: SyncRun, uid: string, href: string | null): Promise<ServerSide | null> {
    const objects = await run.remote.list();
    const atHref = href ? objects.find((object) => object.href === href) : undefined;
    const candidates = atHref ? [atHref] : objects;
    for (const object of candidates) {
      const server = this.read(run, object);
      if (server?.event.uid === uid) return server;
    }
    return null;
  }

  // -------------------------------------------------------------------------------------------
  // Conflicts

  /**
   * A UID changed in Mary and on the server (`server` null: deleted there) since they last agreed:
   * the newer change is kept on both sides and recorded. A write that loses another race is settled
   * again with what the server has then.
   */
  private async settle(run: SyncRun, uid: string, server: ServerSide | null, attempt = 1): Promise<void> {
    try {
      await this.settleOnce(run, uid, server);
    } catch (error) {
      if (!(error instanceof CalDavConflictError) || attempt >= SETTLE_ATTEMPTS) throw error;
      const group = await this.loadGroup(this.settings.orm.em.fork(), run.calendar.id, uid);
      const href = server?.object.href ?? group?.series.remoteHref ?? null;
      await this.settle(run, uid, await this.fetch(run, uid, href), attempt + 1);
    }
  }

  private async settleOnce(run: SyncRun, uid: string, server: ServerSide | null): Promise<void> {
    const group = await this.loadGroup(this.settings.orm.em.fork(), run.calendar.id, uid);
    if (!group) {
      // Nothing left in Mary (deleted by someone meanwhile): the server's object is all there is.
      if (server) {
        await this.settings.orm.em.fork().transactional((em) => this.writeFromServer(em, run, server, undefined));
        run.report.pulled += 1;
      }
      return;
    }
    const mary = maryChange(group);
    if (!server) {
      if (mary.deleted) {
        await this.settings.orm.em.fork().transactional((em) => this.removeRows(em, group));
        run.report.deleted += 1;
        return;
      }
      // Deleted on the server, edited in Mary: the edit is kept, and the event made on the server again.
      await this.write(run, group, null, group.series.remoteHref);
      run.report.pushed += 1;
      await this.record(run, group, "MARY", mary.at, run.now);
      return;
    }
    if (!mary.deleted && fingerprint(icalOf(group)) === fingerprint(server.event)) {
      // Both sides made the same change: they agree.
      await this.markSynced(
        run.db,
        rowsOf(group).map((row) => row.id),
        server.object,
        mary.at,
      );
      return;
    }
    // Without LAST-MODIFIED the server's change cannot be dated: it counts as the newer one.
    const serverTime = server.modifiedAt ?? run.now;
    if (server.modifiedAt === null || serverTime.getTime() > mary.at.getTime()) {
      await this.settings.orm.em.fork().transactional(async (em) => {
        const current = await this.lockGroup(em, run.calendar.id, uid);
        const series = await this.writeFromServer(em, run, server, current);
        await this.record(run, { series, overrides: [] }, "SERVER", mary.at, serverTime, em);
      });
      run.report.pulled += 1;
    } else if (mary.deleted) {
      await run.remote.delete(server.object.href, server.object.etag);
      await this.settings.orm.em.fork().transactional((em) => this.removeRows(em, group));
      run.report.deleted += 1;
      await this.record(run, group, "MARY", mary.at, serverTime);
    } else {
      await this.write(run, group, server.object.etag, server.object.href);
      run.report.pushed += 1;
      await this.record(run, group, "MARY", mary.at, serverTime);
    }
  }

  private async record(
    run: SyncRun,
    group: Group,
    kept: ConflictSide,
    maryUpdatedAt: Date,
    serverUpdatedAt: Date,
    em: EntityManager = this.settings.orm.em.fork(),
  ): Promise<void> {
    const { series } = group;
    const conflict = Object.assign(new CalendarSyncConflict(), {
      workspaceId: run.calendar.workspaceId,
      calendarId: run.calendar.id,
      eventId: kept === "MARY" && series.deletedAt ? null : series.id,
      uid: series.uid,
      title: series.title,
      kept,
      maryUpdatedAt,
      serverUpdatedAt,
    });
    await em.persist(conflict).flush();
    run.report.conflicts += 1;
    this.settings.log.info(
      { calendarId: run.calendar.id, uid: series.uid, kept, maryUpdatedAt, serverUpdatedAt },
      "CalDAV sync conflict settled",
    );
  }

  // -------------------------------------------------------------------------------------------
  // Rows

  /** The UID's rows, locked for the transaction (a request editing them waits for it). */
  private async lockGroup(em: EntityManager, calendarId: string, uid: string): Promise<Group | undefined> {
    await em.execute(`select id from calendar_events where calendar_id = ? and uid = ? for update`, [calendarId, uid]);
    return this.loadGroup(em, calendarId, uid);
  }

  private async loadGroup(em: EntityManager, calendarId: string, uid: string): Promise<Group | undefined> {
    return (await loadByUid(em, calendarId, [uid])).get(uid);
  }

  /** The server's object into Mary's rows, which then agree with it. */
  private async writeFromServer(
    em: EntityManager,
    run: SyncRun,
    server: ServerSide,
    group: Group | undefined,
  ): Promise<CalendarEvent> {
    const { calendar } = run;
    const createdBy = calendar.ownerId ?? calendar.id;
    const series = await writeICalEvent(em, calendar, server.event, group, createdBy);
    await em.flush();
    // After the flush, whose updatedAt (onUpdate) is what syncedAt matches.
    await em.execute(
      `update calendar_events set remote_href = ?, remote_etag = ?, synced_at = updated_at
       where calendar_id = ? and uid = ?`,
      [server.object.href, server.object.etag, calendar.id, series.uid],
    );
    return series;
  }

  private async removeRows(em: EntityManager, group: Group): Promise<void> {
    const ids = rowsOf(group).map((row) => row.id);
    await em.nativeDelete(CalendarEvent, { $or: [{ id: { $in: ids } }, { recurringEventId: group.series.id }] });
  }

  // -------------------------------------------------------------------------------------------

  /** An http(s) URL without credentials in it; plain http only where allowed. */
  private checkUrl(value: string): string {
    const text = (value ?? "").trim();
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw badUserInput("url must be an http:// or https:// URL", "url");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw badUserInput("url must be an http:// or https:// URL", "url");
    if (url.protocol === "http:" && !this.settings.allowPlaintext)
      throw badUserInput("Unencrypted CalDAV connections are not allowed on this server; use https://", "url");
    if (url.username || url.password)
      throw badUserInput("Give the user name and password as their own fields, not in url", "url");
    if (text.length > 2000) throw badUserInput("url must be at most 2000 characters", "url");
    url.hash = "";
    return url.href;
  }
}
