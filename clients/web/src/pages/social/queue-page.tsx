import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import { useEffect, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { PostState, SocialQueueEventsSubscription } from "../../__generated__/graphql.ts";
import type { Resume } from "../../api/resumable-ws-link.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { RescheduleDialog } from "./reschedule-dialog.tsx";
import { NETWORK_LABEL, POST_STATE_LABEL, snippet } from "./social-format.ts";
import { SocialNav } from "./social-nav.tsx";
import { browserTimeZone, formatInZone, formatLocal, timeZones } from "./social-time.ts";

export const QueueRow_post = graphql(`
  fragment QueueRow_post on Post {
    id
    text
    network
    state
    scheduledAt
    timeZone
    scheduledLocal
    publishedAt
    failureReason
    lastError
    updatedAt
    account {
      id
      handle
    }
  }
`);

const SocialQueueQuery = graphql(`
  query SocialQueue($filter: PostFilter, $after: String) {
    postEventsCursor
    posts(filter: $filter, first: 20, after: $after) {
      edges {
        cursor
        node {
          id
          ...QueueRow_post
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const UnschedulePost = graphql(`
  mutation QueueUnschedulePost($id: ID!) {
    unschedulePost(id: $id) {
      id
      state
      scheduledAt
      updatedAt
    }
  }
`);

const DeletePost = graphql(`
  mutation QueueDeletePost($id: ID!) {
    deletePost(id: $id)
  }
`);

/**
 * The workspace's post changes while the queue is open, after the cursor read with the list (so
 * none made while it loaded is missed): a row's state updates in place (normalized).
 */
const QueueEvents = graphql(`
  subscription SocialQueueEvents($after: String) {
    postStatusChanged(after: $after) {
      cursor
      postId
      state
      deleted
      post {
        id
        ...QueueRow_post
      }
    }
  }
`);

/** After a reconnect (a dropped socket, a token refresh), the events after the last one received. */
const resume: Resume = (data) => ({
  after: (data as unknown as SocialQueueEventsSubscription).postStatusChanged.cursor,
});

interface Tab {
  /** Its `?state=`: the first of its states. */
  states: readonly [PostState, ...PostState[]];
  label: string;
  /** Said when it has no post. */
  empty: string;
}

/** The queue's tabs: the first holds the posts on their way, scheduled or being published. */
const TABS: readonly Tab[] = [
  { states: ["SCHEDULED", "PUBLISHING"], label: "Queued", empty: "No post is scheduled or being published." },
  { states: ["DRAFT"], label: "Drafts", empty: "No drafts." },
  { states: ["FAILED"], label: "Failed", empty: "No failed posts." },
  { states: ["PUBLISHED"], label: "Published", empty: "No published posts." },
];
/** The tab of `?state=` (any of its states: an older link's PUBLISHING is the queued tab); the first by default. */
const tabOf = (value: string | null): Tab =>
  TABS.find((tab) => tab.states.some((state) => state === value)) ?? TABS[0]!;

type Row = { id: string; timeZone?: string | null; scheduledLocal?: string | null };

function QueueRow({
  post: masked,
  zone,
  onReschedule,
  onCancel,
  onDelete,
}: {
  post: FragmentType<typeof QueueRow_post>;
  zone: string;
  onReschedule: (post: Row) => void;
  onCancel: (post: { id: string }) => void;
  onDelete: (post: { id: string; text: string }) => void;
}) {
  const post = getFragmentData(QueueRow_post, masked);
  const short = snippet(post.text, 60);
  const when = post.publishedAt ?? post.scheduledAt;
  return (
    <tr>
      <th scope="row">
        <Link to={`/social/posts/${post.id}`}>{snippet(post.text) || "(no text)"}</Link>
        {post.state === "FAILED" && post.failureReason ? <div className="field-error">{post.failureReason}</div> : null}
      </th>
      <td>
        {post.account?.handle ?? "Disconnected account"}
        <div className="hint">{NETWORK_LABEL[post.network]}</div>
      </td>
      <td>
        <span className={`badge social-state-${post.state.toLowerCase()}`}>{POST_STATE_LABEL[post.state]}</span>
      </td>
      <td data-testid="post-time">
        {when ? (
          <>
            <time dateTime={when}>{formatInZone(when, zone)}</time>
            {post.scheduledLocal && post.timeZone && post.timeZone !== zone && post.state !== "PUBLISHED" ? (
              <div className="hint">
                {formatLocal(post.scheduledLocal)} in {post.timeZone}
              </div>
            ) : null}
          </>
        ) : (
          <span className="hint">Not scheduled</span>
        )}
      </td>
      <td>
        <div className="row">
          {post.state === "DRAFT" || post.state === "SCHEDULED" || post.state === "FAILED" ? (
            <>
              <Link className="button" to={`/social/posts/${post.id}/edit`} aria-label={`Edit “${short}”`}>
                Edit
              </Link>
              <button type="button" aria-label={`Reschedule “${short}”`} onClick={() => onReschedule(post)}>
                {post.state === "SCHEDULED" ? "Reschedule" : "Schedule"}
              </button>
            </>
          ) : null}
          {post.state === "SCHEDULED" ? (
            <button type="button" aria-label={`Cancel the schedule of “${short}”`} onClick={() => onCancel(post)}>
              Cancel
            </button>
          ) : null}
          {post.state !== "PUBLISHING" ? (
            <button type="button" className="danger" aria-label={`Delete “${short}”`} onClick={() => onDelete(post)}>
              Delete
            </button>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

/** The publishing queue: posts by state (scheduled first), times on the clocks of a chosen zone. */
export default function QueuePage() {
  const zoneId = useId();
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get("state"));
  const zone = params.get("zone") ?? browserTimeZone();
  // From the network (a cached list comes with a cached cursor): events are followed after it.
  const { data, loading, error, refetch, fetchMore } = useQuery(SocialQueueQuery, {
    variables: { filter: { states: [...tab.states] } },
    fetchPolicy: "cache-and-network",
  });
  const { loadingMore, moreError, track } = useLoadMore();
  const [rescheduling, setRescheduling] = useState<Row | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; text: string } | null>(null);
  const [notice, setNotice] = useState("");
  const [actionError, setActionError] = useState<unknown>(null);
  const [unschedule] = useMutation(UnschedulePost, { refetchQueries: ["SocialQueue"], awaitRefetchQueries: true });
  const [deletePost] = useMutation(DeletePost, { refetchQueries: ["SocialQueue"], awaitRefetchQueries: true });

  const hrefWith = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) next.set(key, value);
    return `/social/queue?${next.toString()}`;
  };

  const edges = data?.posts.edges ?? [];
  // Events are followed from the cursor read with the first list shown; the subscription goes on
  // across tabs (it is the workspace's), each later list being read after that cursor.
  const [eventsFrom, setEventsFrom] = useState<string | null>(null);
  const listCursor = !loading ? (data?.postEventsCursor ?? null) : null;
  useEffect(() => {
    if (eventsFrom === null && listCursor !== null) setEventsFrom(listCursor);
  }, [eventsFrom, listCursor]);
  // A post that joins or leaves this tab (due, published, failed, deleted) reloads the list.
  const events = useSubscription(QueueEvents, {
    variables: { after: eventsFrom },
    skip: eventsFrom === null,
    context: { resume },
    onData: ({ data: result }) => {
      const event = result.data?.postStatusChanged;
      if (!event) return;
      const shown = edges.some((edge) => edge.node.id === event.postId);
      if (event.deleted ? shown : shown !== tab.states.includes(event.state)) void refetch();
    },
  });
  return (
    <section>
      <SocialNav />
      <div className="crm-heading">
        <h1>Publishing queue</h1>
        <div className="row">
          <Link className="button primary" to="/social/compose">
            Compose
          </Link>
        </div>
      </div>
      <div className="toolbar">
        <nav aria-label="Post states" className="inbox-tabs">
          <ul>
            {TABS.map((candidate) => (
              <li key={candidate.label}>
                <Link
                  to={hrefWith({ state: candidate.states[0] })}
                  aria-current={candidate === tab ? "page" : undefined}
                >
                  {candidate.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="field">
          <label htmlFor={zoneId}>Show times in</label>
          <select
            id={zoneId}
            value={zone}
            onChange={(event) =>
              setParams(
                (previous) => {
                  const next = new URLSearchParams(previous);
                  next.set("zone", event.target.value);
                  return next;
                },
                { replace: true },
              )
            }
          >
            {timeZones().map((candidate) => (
              <option key={candidate} value={candidate}>
                {candidate}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className={notice ? "notice" : "visually-hidden"} role="status">
        {notice}
      </p>
      <ErrorNotice error={actionError} />
      {events.error ? <ErrorNotice error={events.error} onRetry={events.restart} /> : null}
      <RescheduleDialog
        post={rescheduling}
        onOpenChange={(open) => (open ? undefined : setRescheduling(null))}
        onDone={setNotice}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
        title="Delete this post?"
        description="A published post is deleted on its network too. This cannot be undone."
        confirmLabel="Delete"
        onConfirm={async () => {
          if (!deleting) return;
          await deletePost({ variables: { id: deleting.id } });
          setNotice(`Deleted “${snippet(deleting.text, 60)}”.`);
        }}
      />
      {error && !data ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Loading label="Loading the queue…" />
      ) : edges.length === 0 ? (
        <Empty>
          <p>
            {tab.empty} <Link to="/social/compose">Compose one</Link>.
          </p>
        </Empty>
      ) : (
        <table className="social-table">
          <caption className="visually-hidden">
            {tab.label} posts, times in {zone}
          </caption>
          <thead>
            <tr>
              <th scope="col">Post</th>
              <th scope="col">Account</th>
              <th scope="col">State</th>
              <th scope="col">When ({zone})</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {edges.map((edge) => (
              <QueueRow
                key={edge.node.id}
                post={edge.node}
                zone={zone}
                onReschedule={setRescheduling}
                onDelete={setDeleting}
                onCancel={async ({ id }) => {
                  setActionError(null);
                  try {
                    await unschedule({ variables: { id } });
                    setNotice("Taken out of the queue: it is a draft again.");
                  } catch (caught) {
                    setActionError(caught);
                  }
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      <ErrorNotice error={moreError} />
      {data?.posts.pageInfo.hasNextPage ? (
        <button
          type="button"
          disabled={loadingMore}
          onClick={() =>
            void track(
              fetchMore({
                variables: { after: data.posts.pageInfo.endCursor },
                updateQuery: (shown, { fetchMoreResult }) => ({
                  ...shown,
                  posts: appendEdges(shown.posts, fetchMoreResult.posts),
                }),
              }),
            )
          }
        >
          {loadingMore ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}
