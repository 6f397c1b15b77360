import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { PostPageStatusSubscription } from "../../__generated__/graphql.ts";
import { errorCode } from "../../api/errors.ts";
import type { Resume } from "../../api/resumable-ws-link.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { formatDateTime } from "../../components/format.ts";
import { ErrorNotice, Loading } from "../../components/status.tsx";
import { MetricsChart } from "./metrics-chart.tsx";
import { NETWORK_LABEL, POST_STATE_LABEL } from "./social-format.ts";
import { SocialNav } from "./social-nav.tsx";
import { formatInZone, formatLocal } from "./social-time.ts";

/** What the page shows of a post; each status event carries it too, so the page updates in place. */
export const PostPage_post = graphql(`
  fragment PostPage_post on Post {
    id
    text
    network
    state
    scheduledAt
    timeZone
    scheduledLocal
    publishedAt
    remoteId
    url
    failureReason
    lastError
    attempts
    createdAt
    updatedAt
    account {
      id
      handle
      state
    }
    author {
      id
      name
    }
    metrics {
      at
      likes
      reposts
      replies
    }
  }
`);

const PostPageQuery = graphql(`
  query PostPage($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    postEventsCursor
    post(id: $id) {
      id
      ...PostPage_post
      metricsHistory(from: $from, to: $to) {
        ...MetricsChart_metrics
      }
    }
  }
`);

const PostPageStatus = graphql(`
  subscription PostPageStatus($postId: ID!, $after: String) {
    postStatusChanged(postId: $postId, after: $after) {
      cursor
      postId
      state
      attempts
      reason
      deleted
      at
      post {
        id
        ...PostPage_post
      }
    }
  }
`);

const PublishNow = graphql(`
  mutation PostPagePublish($id: ID!) {
    publishPost(id: $id) {
      id
      ...PostPage_post
    }
  }
`);

const DeletePost = graphql(`
  mutation PostPageDelete($id: ID!) {
    deletePost(id: $id)
  }
`);

/** After a reconnect, the events after the last one received. */
const resume: Resume = (data) => ({ after: (data as unknown as PostPageStatusSubscription).postStatusChanged.cursor });

/** The engagement history shown: the post's first 30 days (polling stops after 7). */
const HISTORY_DAYS = 30;

export default function PostPage() {
  const { postId = "" } = useParams();
  const navigate = useNavigate();
  const range = useMemo(() => {
    const to = new Date(Date.now() + 24 * 3600_000);
    return { from: new Date(to.getTime() - (HISTORY_DAYS + 1) * 24 * 3600_000).toISOString(), to: to.toISOString() };
  }, []);
  // From the network (a cached post comes with a cached cursor): its events are followed after it.
  const { data, loading, error, refetch } = useQuery(PostPageQuery, {
    variables: { id: postId, ...range },
    fetchPolicy: "cache-and-network",
  });
  const [announcement, setAnnouncement] = useState("");
  const [deleted, setDeleted] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [publish, publishing] = useMutation(PublishNow);
  const [deletePost] = useMutation(DeletePost);
  const seen = useRef(new Set<string>());

  // The post's events after the cursor read with it: whatever changes once it is read arrives as
  // an event, so the page needs no polling while the post is on its way.
  const [eventsFrom, setEventsFrom] = useState<{ postId: string; cursor: string } | null>(null);
  const readCursor = !loading ? (data?.postEventsCursor ?? null) : null;
  useEffect(() => {
    if (readCursor !== null && eventsFrom?.postId !== postId) setEventsFrom({ postId, cursor: readCursor });
  }, [eventsFrom, postId, readCursor]);
  const following = eventsFrom?.postId === postId;

  const events = useSubscription(PostPageStatus, {
    variables: { postId, after: following ? eventsFrom.cursor : null },
    skip: !following,
    context: { resume },
    onData: ({ data: result }) => {
      const event = result.data?.postStatusChanged;
      if (!event || seen.current.has(event.cursor)) return;
      seen.current.add(event.cursor);
      if (event.deleted) {
        setDeleted(true);
        setAnnouncement("The post was deleted.");
        return;
      }
      const words = POST_STATE_LABEL[event.state];
      setAnnouncement(
        event.state === "FAILED"
          ? `Failed${event.reason ? `: ${event.reason}` : ""}`
          : event.state === "PUBLISHING" && event.reason
            ? `Publishing (attempt ${event.attempts}; the last one failed: ${event.reason})`
            : `${words}.`,
      );
      // Its metrics history starts once it is published.
      if (event.state === "PUBLISHED") void refetch();
    },
  });

  const heading = <SocialNav />;
  if (deleted) {
    return (
      <section>
        {heading}
        <h1>Post deleted</h1>
        <p role="status">This post was deleted.</p>
        <p>
          <Link to="/social/queue">Back to the queue</Link>
        </p>
      </section>
    );
  }
  if (errorCode(error) === "NOT_FOUND") {
    return (
      <section>
        {heading}
        <h1>Post not found</h1>
        <p>There is no post at this address in this workspace: it may have been deleted.</p>
        <p>
          <Link to="/social/queue">Back to the queue</Link>
        </p>
      </section>
    );
  }
  if (error && !data) {
    return (
      <section>
        {heading}
        <h1>Post</h1>
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      </section>
    );
  }
  if (!data) return <Loading label="Loading the post…" />;
  // Read through the page's own fragment: the query and every event fill the same cache entry.
  const post = getFragmentData(PostPage_post, data.post);
  const editable = post.state === "DRAFT" || post.state === "SCHEDULED" || post.state === "FAILED";

  return (
    <section>
      {heading}
      <p className="crm-breadcrumb">
        <Link to="/social/queue">Queue</Link>
      </p>
      <div className="crm-heading">
        <h1>Post on {NETWORK_LABEL[post.network]}</h1>
        <div className="row">
          {editable ? (
            <>
              <Link className="button" to={`/social/posts/${post.id}/edit`}>
                Edit
              </Link>
              <button
                type="button"
                className="primary"
                disabled={publishing.loading}
                onClick={async () => {
                  setActionError(null);
                  try {
                    await publish({ variables: { id: post.id } });
                  } catch (caught) {
                    setActionError(caught);
                  }
                }}
              >
                {publishing.loading ? "Publishing…" : "Publish now"}
              </button>
            </>
          ) : null}
          {post.state !== "PUBLISHING" ? (
            <button type="button" className="danger" onClick={() => setDeleting(true)}>
              Delete
            </button>
          ) : null}
        </div>
      </div>
      <ErrorNotice error={actionError} />
      {events.error ? <ErrorNotice error={events.error} onRetry={events.restart} /> : null}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <div className="card social-post">
        <p className="social-preview-text">{post.text}</p>
        <dl className="crm-details">
          <dt>Status</dt>
          <dd>
            <span className={`badge social-state-${post.state.toLowerCase()}`} data-testid="post-state">
              {POST_STATE_LABEL[post.state]}
            </span>
            {post.state === "PUBLISHING" && post.lastError ? (
              <div className="hint">
                Attempt {post.attempts} failed: {post.lastError}. Mary tries again.
              </div>
            ) : null}
            {post.state === "FAILED" ? (
              <div className="field-error" data-testid="failure-reason">
                {post.failureReason ?? "The network refused the post."}
              </div>
            ) : null}
          </dd>
          <dt>Account</dt>
          <dd>{post.account ? post.account.handle : "Disconnected"}</dd>
          {post.scheduledAt ? (
            <>
              <dt>{post.state === "PUBLISHED" ? "Was due" : "Due"}</dt>
              <dd>
                {post.scheduledLocal && post.timeZone ? (
                  <>
                    {formatLocal(post.scheduledLocal)} in {post.timeZone}
                  </>
                ) : (
                  formatDateTime(post.scheduledAt)
                )}
              </dd>
            </>
          ) : null}
          {post.publishedAt ? (
            <>
              <dt>Published</dt>
              <dd>
                {post.timeZone ? formatInZone(post.publishedAt, post.timeZone) : formatDateTime(post.publishedAt)}
              </dd>
            </>
          ) : null}
          {post.url ? (
            <>
              <dt>On the network</dt>
              <dd>
                <a href={post.url} target="_blank" rel="noreferrer">
                  See it on {NETWORK_LABEL[post.network]}
                </a>
              </dd>
            </>
          ) : post.remoteId ? (
            <>
              <dt>Network id</dt>
              <dd>
                <code>{post.remoteId}</code>
              </dd>
            </>
          ) : null}
          <dt>Written by</dt>
          <dd>
            {post.author.name}, {formatDateTime(post.createdAt)}
          </dd>
        </dl>
      </div>
      {post.state === "PUBLISHED" ? (
        <section aria-labelledby="social-engagement-heading">
          <h2 id="social-engagement-heading">Engagement</h2>
          <MetricsChart samples={data.post.metricsHistory} />
        </section>
      ) : null}
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title="Delete this post?"
        description={
          post.state === "PUBLISHED"
            ? `It is deleted on ${NETWORK_LABEL[post.network]} too. This cannot be undone.`
            : "This cannot be undone."
        }
        confirmLabel="Delete"
        onConfirm={async () => {
          await deletePost({ variables: { id: post.id } });
          navigate("/social/queue");
        }}
      />
    </section>
  );
}
