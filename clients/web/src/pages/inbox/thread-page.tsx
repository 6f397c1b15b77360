import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { graphql } from "../../__generated__/gql.ts";
import { errorCode } from "../../api/errors.ts";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { DraftReply } from "./draft-reply.tsx";
import { placeMessage } from "./inbox-list.ts";
import { ThreadMessage } from "./thread-message.tsx";

const ThreadPageQuery = graphql(`
  query ThreadPage($id: ID!, $after: String) {
    thread(id: $id) {
      id
      subject
      messageCount
      lastMessageAt
      messages(first: 50, after: $after) {
        edges {
          cursor
          node {
            id
            seen
            folder {
              id
              role
            }
            ...ThreadMessage_message
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

const MarkThread = graphql(`
  mutation ThreadPageMark($ids: [ID!]!, $seen: Boolean!) {
    markMessages(ids: $ids, seen: $seen) {
      id
      seen
    }
  }
`);

const ArchiveThread = graphql(`
  mutation ThreadPageArchive($ids: [ID!]!) {
    archiveMessages(ids: $ids) {
      id
      folder {
        id
        role
        path
      }
      ...InboxListNode_message
    }
  }
`);

/** A conversation, oldest message first; opening it marks it read. */
function ThreadView({ threadId }: { threadId: string }) {
  const client = useApolloClient();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const { data, error, refetch, fetchMore } = useQuery(ThreadPageQuery, { variables: { id: threadId } });
  const [mark, marking] = useMutation(MarkThread);
  const [archive, archiving] = useMutation(ArchiveThread);
  const { loadingMore, moreError, track } = useLoadMore();
  const [actionError, setActionError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const markedRead = useRef(false);

  const edges = data?.thread.messages.edges ?? [];
  const unseen = edges.filter((edge) => !edge.node.seen).map((edge) => edge.node.id);
  // Read once it is opened (once per visit: "Mark unread" is not undone by this).
  useEffect(() => {
    if (markedRead.current || !data || unseen.length === 0) return;
    markedRead.current = true;
    void mark({ variables: { ids: unseen, seen: true } }).catch(setActionError);
  }, [data, unseen, mark]);

  if (errorCode(error) === "NOT_FOUND") {
    return (
      <section>
        <h1>Conversation not found</h1>
        <p>There is no conversation at this address among your mail: it may have been removed from the server.</p>
        <p>
          <Link to="/inbox">Back to the inbox</Link>
        </p>
      </section>
    );
  }
  if (error && !data) {
    return (
      <section>
        <h1>Conversation</h1>
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      </section>
    );
  }
  if (!data) return <Loading label="Loading the conversation…" />;
  const thread = data.thread;
  const inInbox = edges.filter((edge) => edge.node.folder.role === "INBOX").map((edge) => edge.node.id);
  // The reply goes to the latest message someone else sent (not a copy in Sent), else the latest.
  const replyTo =
    [...edges].reverse().find((edge) => edge.node.folder.role !== "SENT")?.node.id ?? edges.at(-1)?.node.id;

  const loadMore = async () => {
    const after = thread.messages.pageInfo.endCursor;
    if (!after) return;
    await track(
      fetchMore({
        variables: { id: threadId, after },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...previous,
          thread: {
            ...previous.thread,
            messages: appendEdges(previous.thread.messages, fetchMoreResult.thread.messages),
          },
        }),
      }),
    );
  };

  const archiveAll = async () => {
    setActionError(null);
    setDone(null);
    try {
      const result = await archive({ variables: { ids: inInbox } });
      for (const message of result.data?.archiveMessages ?? []) placeMessage(client.cache, message);
      setDone("Archived.");
    } catch (caught) {
      setActionError(caught);
    }
  };

  const markUnread = async () => {
    const last = edges.at(-1)?.node.id;
    if (!last) return;
    setActionError(null);
    try {
      await mark({ variables: { ids: [last], seen: false } });
      navigate("/inbox");
    } catch (caught) {
      setActionError(caught);
    }
  };

  return (
    <section className="inbox-thread">
      <p className="crm-breadcrumb">
        <Link to="/inbox">Inbox</Link>
      </p>
      <div className="crm-heading">
        <h1>{thread.subject || "(no subject)"}</h1>
        <div className="row">
          <button type="button" disabled={archiving.loading || inInbox.length === 0} onClick={() => void archiveAll()}>
            {archiving.loading ? "Archiving…" : "Archive"}
          </button>
          <button type="button" disabled={marking.loading || edges.length === 0} onClick={() => void markUnread()}>
            Mark unread
          </button>
        </div>
      </div>
      <p className="hint">
        {thread.messageCount === 1 ? "1 message" : `${thread.messageCount} messages`}, oldest first.
      </p>
      {done ? (
        <p className="notice" role="status">
          {done} <Link to="/inbox">Back to the inbox</Link>
        </p>
      ) : null}
      <ErrorNotice error={actionError} />
      {edges.length === 0 ? (
        <Empty>
          <p>This conversation has no messages left on the server.</p>
        </Empty>
      ) : (
        <ol className="inbox-thread-messages" aria-label="Messages, oldest first">
          {edges.map(({ node }) => (
            <li key={node.id}>
              <ThreadMessage message={node} />
            </li>
          ))}
        </ol>
      )}
      <ErrorNotice error={moreError} onRetry={() => void loadMore()} />
      {thread.messages.pageInfo.hasNextPage ? (
        <p>
          <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load later messages"}
          </button>
        </p>
      ) : null}
      {replyTo ? (
        <DraftReply
          messageId={replyTo}
          threadMessageIds={edges.map((edge) => edge.node.id)}
          draftId={params.get("draft")}
          onDraft={(draftId) =>
            setParams(
              (previous) => {
                const next = new URLSearchParams(previous);
                if (draftId) next.set("draft", draftId);
                else next.delete("draft");
                return next;
              },
              { replace: true },
            )
          }
        />
      ) : null}
    </section>
  );
}

export default function ThreadPage() {
  const { threadId = "" } = useParams();
  return <ThreadView key={threadId} threadId={threadId} />;
}
