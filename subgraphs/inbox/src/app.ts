import {
  createLogger,
  createRedis,
  GatewayClient,
  openDatabase,
  pingDatabase,
  SecretBox,
  startSubgraphServer,
  type RunningServer,
} from "@mary/kit";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { allowsCalDavPlaintext, allowsPlaintext, type InboxConfig } from "./config.ts";
import { createLoaders, type InboxContext } from "./context.ts";
import { entities } from "./entities/index.ts";
import type { MailAccount } from "./entities/mail-account.entity.ts";
import { migrations } from "./migrations/index.ts";
import { buildInboxSchema } from "./schema.ts";
import { LocalProvider } from "./providers/local.provider.ts";
import { OpenAIProvider } from "./providers/openai.provider.ts";
import type { MailProvider } from "./providers/provider.ts";
import { CalendarInteropService } from "./services/calendar-interop.service.ts";
import { CalendarService } from "./services/calendar.service.ts";
import { feedRoute, FEED_PATH } from "./routes/calendar-feed.route.ts";
import { CalDavSyncQueue } from "./services/caldav-sync-queue.ts";
import { CalDavSyncService } from "./services/caldav-sync.service.ts";
import { CrmContacts } from "./services/crm-contacts.ts";
import { DraftService } from "./services/draft.service.ts";
import { EventService } from "./services/event.service.ts";
import { SchedulingService } from "./services/scheduling.service.ts";
import { MailAccountService } from "./services/mail-account.service.ts";
import { MessageService } from "./services/message.service.ts";
import { RulesService } from "./services/rules.service.ts";
import { SyncQueue } from "./services/sync-queue.ts";
import { InboxEvents } from "./services/inbox-events.ts";
import { SyncService, type MessageTriage } from "./services/sync.service.ts";
import { TaskDueNotifier } from "./services/task-due-queue.ts";
import { TaskService } from "./services/task.service.ts";
import { TriageService } from "./services/triage.service.ts";

export interface InboxApp extends RunningServer {
  orm: MikroORM;
  queue: SyncQueue;
  sync: SyncService;
  /** CalDAV calendars: connecting, and the two-way sync (`sync(calendarId)` runs one now). */
  caldav: CalDavSyncService;
  events: InboxEvents;
  /** Triage (rules, then CRM contacts with open deals, then the provider), which sync runs on new mail. */
  triage: TriageService;
  /** The due check of tasks (TASK_DUE, TASK_OVERDUE); its `check()` runs one now. */
  taskDue: TaskDueNotifier;
}

/** Connects to PostgreSQL and Redis, applies migrations, starts the sync worker and serves the inbox subgraph. */
export async function startInbox(
  config: InboxConfig,
  options: { onQuery?: (sql: string) => void; triage?: MessageTriage } = {},
): Promise<InboxApp> {
  const log = createLogger("inbox", config.LOG_LEVEL);
  const { orm } = await openDatabase({
    databaseUrl: config.INBOX_DATABASE_URL,
    entities,
    migrations,
    log,
    onQuery: options.onQuery,
  });
  const redis = createRedis(config.REDIS_URL, log);
  const secrets = new SecretBox(config.SECRET_KEYS);
  // Triage asks the graph (as the mailbox's owner) whether a sender is a contact with an open deal.
  const gateway = new GatewayClient(
    config.GATEWAY_URL,
    config.INTERNAL_SIGNING_SECRET,
    config.INBOX_GATEWAY_TIMEOUT_MS,
  );
  const provider: MailProvider = config.OPENAI_API_KEY
    ? new OpenAIProvider({
        apiKey: config.OPENAI_API_KEY,
        baseURL: config.OPENAI_BASE_URL,
        model: config.OPENAI_MODEL,
        timeoutMs: config.OPENAI_TIMEOUT_MS,
        log,
      })
    : new LocalProvider();
  const triage = new TriageService(() => orm.em.fork(), new CrmContacts(gateway, log), provider);
  const queue = new SyncQueue({
    redisUrl: config.REDIS_URL,
    name: config.SYNC_QUEUE_NAME,
    pollSeconds: config.SYNC_POLL_SECONDS,
    concurrency: config.SYNC_CONCURRENCY,
    lockMs: config.SYNC_LOCK_MS,
    log,
  });
  const accountSettings = {
    secrets,
    allowPlaintext: allowsPlaintext(config),
    connectTimeoutMs: config.MAIL_CONNECT_TIMEOUT_MS,
  };
  const events = new InboxEvents(redis);
  // Each CalDAV calendar syncs both ways on a job scheduler of its own (CALDAV_SYNC_SECONDS), shared by all processes.
  const caldav = new CalDavSyncService({
    orm,
    databaseUrl: config.INBOX_DATABASE_URL,
    secrets,
    timeoutMs: config.CALDAV_TIMEOUT_MS,
    allowPlaintext: allowsCalDavPlaintext(config),
    log,
  });
  const caldavQueue = new CalDavSyncQueue({
    redisUrl: config.REDIS_URL,
    name: config.CALDAV_SYNC_QUEUE_NAME,
    everySeconds: config.CALDAV_SYNC_SECONDS,
    log,
  });
  caldav.useScheduling(caldavQueue);
  caldavQueue.start((calendarId) => caldav.sync(calendarId));
  await caldav.scheduleAll();
  // Only loginOf is used, which needs no request's EntityManager.
  const logins = new MailAccountService(orm.em.fork(), accountSettings, queue);
  const login = (account: MailAccount) => logins.loginOf(account);
  /** The calendar's services on one EntityManager: a request's, or a background job's own. */
  const calendarServices = (em: EntityManager) => {
    const calendars = new CalendarService(em);
    const calendarEvents = new EventService(em, calendars);
    return {
      calendars,
      calendarEvents,
      calendarInterop: new CalendarInteropService(em, calendars),
      scheduling: new SchedulingService(em, calendars, calendarEvents, { gateway, login, log }),
    };
  };
  const sync = new SyncService({
    orm,
    databaseUrl: config.INBOX_DATABASE_URL,
    login: (account) => logins.loginOf(account),
    triage: options.triage ?? triage,
    events,
    log,
    // Answers to invitations (iCalendar REPLY) that arrive by mail update the attendees' RSVPs.
    calendarReply: (account, ics, from) => calendarServices(orm.em.fork()).scheduling.applyReply(account, ics, from),
  });
  const draftSettings = { sendLeaseMs: config.INBOX_SEND_LEASE_MS, sendWaitMs: config.INBOX_SEND_WAIT_MS, log };
  const messageSettings = {
    login: (account: MailAccount) => logins.loginOf(account),
    maxAttachmentBytes: config.INBOX_MAX_ATTACHMENT_BYTES,
  };
  // New mail is found by polling: each account's job scheduler runs a sync every SYNC_POLL_SECONDS.
  queue.start(async (accountId) => {
    const report = await sync.syncAccount(accountId);
    log.debug({ accountId, ...report }, "sync finished");
  });
  // Due and overdue tasks are found by a job scheduler every TASK_DUE_CHECK_SECONDS.
  const taskDue = new TaskDueNotifier({
    orm,
    events,
    redisUrl: config.REDIS_URL,
    queueName: config.TASK_DUE_QUEUE_NAME,
    checkSeconds: config.TASK_DUE_CHECK_SECONDS,
    soonMinutes: config.TASK_DUE_SOON_MINUTES,
    log,
  });
  await taskDue.start();

  const server = await startSubgraphServer<InboxContext>({
    name: "inbox",
    schema: await buildInboxSchema(),
    port: config.INBOX_PORT,
    host: config.INBOX_HOST,
    signingSecret: config.INTERNAL_SIGNING_SECRET,
    introspection: config.NODE_ENV !== "production",
    subscriptions: true,
    log,
    routes: { [FEED_PATH]: feedRoute(() => calendarServices(orm.em.fork())) },
    createContext: (base) => {
      const em = orm.em.fork();
      const messages = new MessageService(em, messageSettings);
      const calendar = calendarServices(em);
      return {
        ...base,
        em,
        caldav,
        accounts: new MailAccountService(em, accountSettings, queue),
        messages,
        events,
        rules: new RulesService(em, triage, events),
        drafts: new DraftService(em, logins, provider, draftSettings),
        tasks: new TaskService(em, provider),
        ...calendar,
        feedUrl: (token: string) => new URL(`/calendars/${token}.ics`, config.PUBLIC_GATEWAY_ORIGIN).toString(),
        loaders: createLoaders(em, base, messages, calendar.calendarEvents),
      };
    },
    checkReady: async () => {
      await pingDatabase(orm);
      await redis.ping();
    },
  });
  return {
    ...server,
    orm,
    queue,
    sync,
    caldav,
    events,
    triage,
    taskDue,
    close: async () => {
      await server.close();
      await caldavQueue.close();
      await queue.close();
      await taskDue.close();
      events.close();
      await orm.close();
      redis.disconnect();
    },
  };
}
