import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { categoryLabel } from "./inbox-format.ts";
import { InboxListNode_message, InboxMessagesList, type InboxView, placeMessage, viewVariables } from "./inbox-list.ts";
import { MessageRow } from "./message-row.tsx";

const MarkMessages = graphql(`
  mutation InboxPageMark($ids: [ID!]!, $seen: Boolean!) {
    markMessages(ids: $ids, seen: $seen) {
      id
      seen
    }
  }
`);

const ArchiveMessages = graphql(`
  mutation InboxPageArchive($ids: [ID!]!) {
    archiveMessages(ids: $ids) {
      id
      ...InboxListNode_message
    }
  }
`);

/**
 * One view of the inbox (an account's folder, a category tab, perhaps a search), paged with
 * "Load more", with the selected messages marked read or unread or archived. Mount it with a key
 * per view: the selection is that view's.
 */
export function MessageList({ view, folderName }: { view: InboxView; folderName: string }) {
  const client = useApolloClient();
  const variables = viewVariables(view);
  const { data, error, refetch, fetchMore } = useQuery(InboxMessagesList, {
    variables,
    // Fresh each time the view is shown; after that, what the events and mutations write in.
    fetchPolicy: "cache-and-network",
    nextFetchPolicy: "cache-first",
  });
  const { loadingMore, moreError, track } = useLoadMore();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [mark, marking] = useMutation(MarkMessages);
  const [archive, archiving] = useMutation(ArchiveMessages);
  const busy = marking.loading || archiving.loading;

  if (error && !data) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  if (!data) return <Loading label="Loading mail…" />;
  const edges = data.messages.edges;
  const ids = edges.map((edge) => edge.node.id);
  const chosen = ids.filter((id) => selected.has(id));

  const loadMore = async () => {
    const after = data.messages.pageInfo.endCursor;
    if (!after) return;
    await track(
      fetchMore({
        variables: { ...variables, after },
        updateQuery: (previous, { fetchMoreResult }) => {
          const shown = new Set(previous.messages.edges.map((edge) => edge.node.id));
          const next = {
            ...fetchMoreResult.messages,
            edges: fetchMoreResult.messages.edges.filter((edge) => !shown.has(edge.node.id)),
          };
          return { ...previous, messages: appendEdges(previous.messages, next) };
        },
      }),
    );
  };

  const act = async (action: "read" | "unread" | "archive") => {
    setDone(null);
    setActionError(null);
    const count = chosen.length;
    const what = count === 1 ? "1 message" : `${count} messages`;
    try {
      if (action === "archive") {
        const result = await archive({ variables: { ids: chosen } });
        for (const message of result.data?.archiveMessages ?? []) placeMessage(client.cache, message, [view]);
        setDone(`Archived ${what}.`);
      } else {
        await mark({ variables: { ids: chosen, seen: action === "read" } });
        setDone(`Marked ${what} ${action}.`);
      }
      setSelected(new Set());
    } catch (caught) {
      setActionError(caught);
    }
  };

  const place = view.category ? `${categoryLabel(view.category)} in ${folderName}` : folderName;
  if (edges.length === 0) {
    return (
      <>
        {done ? (
          <p className="notice" role="status">
            {done}
          </p>
        ) : null}
        <Empty>
          {view.search ? (
            <p>
              No mail in {place} matches “{view.search}”. Try other words, or an address.
            </p>
          ) : (
            <p>No mail in {place}. New mail shows up here as it arrives.</p>
          )}
        </Empty>
      </>
    );
  }

  const allSelected = chosen.length === ids.length;
  return (
    <>
      <div className="toolbar inbox-actions" role="group" aria-label="Selected messages">
        <label className="inbox-select-all">
          <input
            type="checkbox"
            checked={allSelected}
            onChange={(event) => setSelected(new Set(event.target.checked ? ids : []))}
          />{" "}
          Select all
        </label>
        <span className="hint" aria-live="polite">
          {chosen.length ? `${chosen.length} selected` : "Select messages to act on them"}
        </span>
        <button type="button" disabled={!chosen.length || busy} onClick={() => void act("read")}>
          Mark read
        </button>
        <button type="button" disabled={!chosen.length || busy} onClick={() => void act("unread")}>
          Mark unread
        </button>
        <button type="button" disabled={!chosen.length || busy} onClick={() => void act("archive")}>
          {archiving.loading ? "Archiving…" : "Archive"}
        </button>
      </div>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <ErrorNotice error={actionError} />
      <table className="inbox-list">
        <caption className="visually-hidden">
          {view.search ? `Mail in ${place} matching “${view.search}”, best first` : `Mail in ${place}, newest first`}
        </caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Selected</span>
            </th>
            <th scope="col">From</th>
            <th scope="col">Subject</th>
            <th scope="col">Category</th>
            <th scope="col">Date</th>
          </tr>
        </thead>
        <tbody>
          {edges.map(({ node }) => (
            <MessageRow
              key={node.id}
              message={getFragmentData(InboxListNode_message, node)}
              selected={selected.has(node.id)}
              onSelect={(on) =>
                setSelected((previous) => {
                  const next = new Set(previous);
                  if (on) next.add(node.id);
                  else next.delete(node.id);
                  return next;
                })
              }
            />
          ))}
        </tbody>
      </table>
      <ErrorNotice error={moreError} onRetry={() => void loadMore()} />
      {data.messages.pageInfo.hasNextPage ? (
        <p>
          <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more"}
          </button>
        </p>
      ) : null}
    </>
  );
}
