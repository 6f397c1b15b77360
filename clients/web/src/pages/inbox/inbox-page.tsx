import { useQuery } from "@apollo/client/react";
import { useEffect, useId, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { graphql } from "../../__generated__/gql.ts";
import type { InboxAccountsQuery, MailSyncState } from "../../__generated__/graphql.ts";
import { formatDateTime } from "../../components/format.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { ConnectAccountDialog } from "./connect-account-dialog.tsx";
import { useInboxEvents } from "./inbox-events.ts";
import { CATEGORIES, folderLabel, isCategory } from "./inbox-format.ts";
import type { InboxView } from "./inbox-list.ts";
import { MessageList } from "./message-list.tsx";

const InboxAccounts = graphql(`
  query InboxAccounts {
    inboxEventsCursor
    mailAccounts(first: 100) {
      edges {
        node {
          id
          address
          displayName
          syncState
          syncError
          lastSyncedAt
          folders {
            id
            path
            role
          }
        }
      }
    }
  }
`);

type Account = InboxAccountsQuery["mailAccounts"]["edges"][number]["node"];

/** How long typing may pause before the search runs. */
const SEARCH_DELAY_MS = 300;
/** How often the accounts are read again while one waits for its first sync (events also tell). */
const FIRST_SYNC_POLL_MS = 1_500;

function SyncLine({ account }: { account: Account }) {
  const words: Record<MailSyncState, string> = {
    PENDING: "Waiting for the first sync…",
    SYNCING: "Syncing…",
    IDLE: account.lastSyncedAt ? `Up to date as of ${formatDateTime(account.lastSyncedAt)}.` : "Up to date.",
    ERROR: `The last sync failed${account.syncError ? `: ${account.syncError}` : ""}. Mary tries again shortly.`,
  };
  return (
    <p className={account.syncState === "ERROR" ? "hint field-error" : "hint"} data-testid="sync-state">
      {words[account.syncState]}
    </p>
  );
}

export default function InboxPage() {
  const searchId = useId();
  const accountId = useId();
  const [params, setParams] = useSearchParams();
  const search = (params.get("q") ?? "").trim();
  const [text, setText] = useState(params.get("q") ?? "");
  const [connecting, setConnecting] = useState(false);
  const [connected, setConnected] = useState<string | null>(null);
  const accounts = useQuery(InboxAccounts);
  const views = useRef<InboxView[]>([]);
  // Events are followed from the cursor read with the accounts, before any list: whatever
  // happens while the lists load arrives as events (placing a message twice changes nothing).
  const [eventsFrom, setEventsFrom] = useState<string | null>(null);
  const firstCursor = accounts.data?.inboxEventsCursor ?? null;
  useEffect(() => {
    if (eventsFrom === null && firstCursor !== null) setEventsFrom(firstCursor);
  }, [eventsFrom, firstCursor]);
  const events = useInboxEvents(() => views.current, eventsFrom);

  // The search is in the address (?q=), written once typing pauses, so it survives a reload.
  useEffect(() => {
    if (text.trim() === search) return;
    const timer = setTimeout(() => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (text.trim()) next.set("q", text.trim());
          else next.delete("q");
          return next;
        },
        { replace: true },
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, search, setParams]);

  const list = accounts.data?.mailAccounts.edges.map((edge) => edge.node) ?? [];
  const account = list.find((candidate) => candidate.id === params.get("account")) ?? list[0];
  const folder =
    account?.folders.find((candidate) => candidate.id === params.get("folder")) ??
    account?.folders.find((candidate) => candidate.role === "INBOX") ??
    account?.folders[0];
  const categoryParam = params.get("category");
  const category = isCategory(categoryParam) ? categoryParam : null;
  const view: InboxView | null =
    account && folder ? { accountId: account.id, folderId: folder.id, category, search: search || null } : null;
  views.current = view ? [view] : [];

  // Until an account's first sync has found its folders, look again now and then.
  const waiting = Boolean(account && account.folders.length === 0);
  const { startPolling, stopPolling } = accounts;
  useEffect(() => {
    if (!waiting) return;
    startPolling(FIRST_SYNC_POLL_MS);
    return () => stopPolling();
  }, [waiting, startPolling, stopPolling]);

  /** The address of this page with some of its choices changed (the others kept). */
  const hrefWith = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const query = next.toString();
    return query ? `/inbox?${query}` : "/inbox";
  };

  const heading = (
    <div className="crm-heading">
      <h1>Inbox</h1>
      <div className="row">
        <button type="button" className={list.length ? "" : "primary"} onClick={() => setConnecting(true)}>
          Connect a mail account
        </button>
      </div>
    </div>
  );
  const dialog = (
    <ConnectAccountDialog
      open={connecting}
      onOpenChange={setConnecting}
      onConnected={(added) => {
        setConnected(added.address);
        setParams({ account: added.id });
      }}
    />
  );

  if (accounts.error && !accounts.data) {
    return (
      <section>
        {heading}
        {dialog}
        <ErrorNotice error={accounts.error} onRetry={() => void accounts.refetch()} />
      </section>
    );
  }
  if (!accounts.data) return <Loading label="Loading your mail accounts…" />;

  return (
    <section className="inbox-page">
      {heading}
      {dialog}
      {connected ? (
        <p className="notice" role="status">
          Connected {connected}. Mary is reading its mail; it shows up here as it is synced.
        </p>
      ) : null}
      <p className={events.announcement ? "notice" : "visually-hidden"} role="status" aria-live="polite">
        {events.announcement}
      </p>
      {events.error ? <ErrorNotice error={events.error} onRetry={events.restart} /> : null}
      {!account ? (
        <Empty>
          <p>
            No mail account yet. Connect one with “Connect a mail account”: Mary reads its mail over IMAP, sorts it by
            what needs you, and sends your replies over SMTP.
          </p>
        </Empty>
      ) : (
        <>
          <div className="toolbar">
            {list.length > 1 ? (
              <div className="field">
                <label htmlFor={accountId}>Mail account</label>
                <select
                  id={accountId}
                  value={account.id}
                  onChange={(event) => setParams({ account: event.target.value })}
                >
                  {list.map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {candidate.address}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <p className="inbox-account">
                <span className="visually-hidden">Mail account: </span>
                <strong>{account.address}</strong>
              </p>
            )}
            <div className="field">
              <label htmlFor={searchId}>Search mail</label>
              <input
                id={searchId}
                type="search"
                value={text}
                onChange={(event) => setText(event.target.value)}
                placeholder="Words, “a phrase” or an address"
                autoComplete="off"
              />
            </div>
            <SyncLine account={account} />
          </div>
          {!folder || !view ? (
            <Loading label="Mary is reading this account's folders for the first time…" />
          ) : (
            <div className="inbox-layout">
              <nav aria-label="Folders" className="inbox-folders">
                <ul>
                  {account.folders.map((candidate) => (
                    <li key={candidate.id}>
                      <Link
                        to={hrefWith({ account: account.id, folder: candidate.id })}
                        aria-current={candidate.id === folder.id ? "page" : undefined}
                      >
                        {folderLabel(candidate)}
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
              <div className="inbox-main">
                <nav aria-label="Categories" className="inbox-tabs">
                  <ul>
                    {[{ category: null, label: "All" }, ...CATEGORIES].map((entry) => (
                      <li key={entry.label}>
                        <Link
                          to={hrefWith({ category: entry.category })}
                          aria-current={entry.category === category ? "page" : undefined}
                        >
                          {entry.label}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </nav>
                <MessageList key={JSON.stringify(view)} view={view} folderName={folderLabel(folder)} />
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
