import type { EntityManager } from "@mikro-orm/postgresql";
import { callerOf, createEntityLoader, isUuid, type BaseSubgraphContext } from "@mary/kit";
import type DataLoader from "dataloader";
import { Calendar } from "./entities/calendar.entity.ts";
import type { CalendarEvent } from "./entities/calendar-event.entity.ts";
import { Draft } from "./entities/draft.entity.ts";
import { MailAccount } from "./entities/mail-account.entity.ts";
import { MailFolder } from "./entities/mail-folder.entity.ts";
import { Message } from "./entities/message.entity.ts";
import type { Task } from "./entities/task.entity.ts";
import { Thread } from "./entities/thread.entity.ts";
import type { InboxEvents } from "./services/inbox-events.ts";
import type { CalDavSyncService } from "./services/caldav-sync.service.ts";
import type { MessageService } from "./services/message.service.ts";
import type { CalendarInteropService } from "./services/calendar-interop.service.ts";
import { visibleCalendarsWhere, type CalendarService } from "./services/calendar.service.ts";
import type { DraftService } from "./services/draft.service.ts";
import type { EventService } from "./services/event.service.ts";
import type { SchedulingService } from "./services/scheduling.service.ts";
import type { MailAccountService } from "./services/mail-account.service.ts";
import type { RulesService } from "./services/rules.service.ts";
import { taskLoaders, type TaskService } from "./services/task.service.ts";
import { findManyOwned } from "./services/ownership.ts";

export interface InboxContext extends BaseSubgraphContext {
  em: EntityManager;
  accounts: MailAccountService;
  messages: MessageService;
  events: InboxEvents;
  rules: RulesService;
  /** CalDAV calendars: connecting them and syncing them (one for the process, not per request). */
  caldav: CalDavSyncService;
  drafts: DraftService;
  /** The workspace's tasks (shared by its members, unlike mail). */
  tasks: TaskService;
  calendars: CalendarService;
  calendarEvents: EventService;
  calendarInterop: CalendarInteropService;
  scheduling: SchedulingService;
  /** The public URL of a calendar's ICS feed with this token (served by the gateway). */
  feedUrl: (token: string) => string;
  loaders: InboxLoaders;
}

/** Per-request loaders: the caller's own rows by id, null for missing ones and for anyone else's. */
export interface InboxLoaders {
  account: DataLoader<string, MailAccount | null>;
  draft: DataLoader<string, Draft | null>;
  message: DataLoader<string, Message | null>;
  thread: DataLoader<string, Thread | null>;
  /** Folders by id, of the caller's own accounts only. */
  folder: DataLoader<string, MailFolder | null>;
  /** Messages' text and HTML bodies, which lists do not read. */
  body: DataLoader<string, { id: string; textBody: string | null; htmlBody: string | null } | null>;
  /** Tasks by id in the caller's workspace (any member's); null for missing ones and other workspaces'. */
  task: DataLoader<string, Task | null>;
  /** Each task's blockers (Task.blockedBy) and the tasks it blocks (Task.blocking): one query per list. */
  blockedBy: DataLoader<string, Task[]>;
  blocking: DataLoader<string, Task[]>;
  /** Calendars the caller may see (their own and shared ones). */
  calendar: DataLoader<string, Calendar | null>;
  /** Events the caller may see (in their calendars, or ones they attend). */
  event: DataLoader<string, CalendarEvent | null>;
}

export function createLoaders(
  em: EntityManager,
  base: BaseSubgraphContext,
  messages: MessageService,
  calendarEvents: EventService,
): InboxLoaders {
  const caller = callerOf(base.principal);
  return {
    account: createEntityLoader((ids) => findManyOwned(em, MailAccount, caller, ids)),
    draft: createEntityLoader((ids) => findManyOwned(em, Draft, caller, ids)),
    message: createEntityLoader((ids) => findManyOwned(em, Message, caller, ids)),
    thread: createEntityLoader((ids) => findManyOwned(em, Thread, caller, ids)),
    folder: createEntityLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      if (!caller || valid.length === 0) return [];
      const folders = await em.find(MailFolder, { id: { $in: valid }, workspaceId: caller.workspaceId });
      const owned = await findManyOwned(em, MailAccount, caller, [...new Set(folders.map((f) => f.accountId))]);
      const accounts = new Set(owned.map((a) => a.id));
      return folders.filter((folder) => accounts.has(folder.accountId));
    }),
    body: createEntityLoader((ids) => messages.bodies(caller, ids)),
    ...taskLoaders(em, caller?.workspaceId ?? null),
    calendar: createEntityLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      if (!caller || valid.length === 0) return [];
      return em.find(Calendar, { $and: [{ id: { $in: valid } }, visibleCalendarsWhere(caller)] });
    }),
    event: createEntityLoader((ids) => (caller ? calendarEvents.findMany(caller, ids) : Promise.resolve([]))),
  };
}
