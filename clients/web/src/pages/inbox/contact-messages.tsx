import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { graphql } from "../../__generated__/gql.ts";
import { formatDateTime } from "../../components/format.ts";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { personLabel } from "./inbox-format.ts";

/**
 * A contact's mail, newest first. Its own query rather than part of the contact page's, so the
 * contact shows even when the inbox is not answering.
 */
const ContactMessagesQuery = graphql(`
  query ContactMessages($id: ID!, $after: String) {
    contact(id: $id) {
      id
      messages(first: 10, after: $after) {
        edges {
          cursor
          node {
            id
            subject
            snippet
            sentAt
            seen
            from {
              email
              name
            }
            thread {
              id
            }
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

/** The mail exchanged with a contact, each linking to its conversation. */
export function ContactMessages({ contactId }: { contactId: string }) {
  const { data, error, refetch, fetchMore } = useQuery(ContactMessagesQuery, { variables: { id: contactId } });
  const { loadingMore, moreError, track } = useLoadMore();
  const heading = <h2 id="contact-mail-heading">Email</h2>;
  if (error && !data) {
    return (
      <section aria-labelledby="contact-mail-heading">
        {heading}
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      </section>
    );
  }
  if (!data?.contact) {
    return (
      <section aria-labelledby="contact-mail-heading">
        {heading}
        <Loading label="Loading the contact's email…" />
      </section>
    );
  }
  const { messages } = data.contact;
  const loadMore = async () => {
    const after = messages.pageInfo.endCursor;
    if (!after) return;
    await track(
      fetchMore({
        variables: { id: contactId, after },
        updateQuery: (previous, { fetchMoreResult }) =>
          previous.contact && fetchMoreResult.contact
            ? {
                ...previous,
                contact: {
                  ...previous.contact,
                  messages: appendEdges(previous.contact.messages, fetchMoreResult.contact.messages),
                },
              }
            : previous,
      }),
    );
  };
  return (
    <section aria-labelledby="contact-mail-heading" className="inbox-contact-mail">
      {heading}
      {messages.edges.length === 0 ? (
        <Empty>
          <p>No email with this contact in your connected mail accounts.</p>
        </Empty>
      ) : (
        <ul className="crm-timeline" aria-label="Email with this contact, newest first">
          {messages.edges.map(({ node }) => (
            <li key={node.id} className={node.seen ? "crm-activity" : "crm-activity inbox-unread"}>
              <p className="crm-activity-meta">
                <time dateTime={node.sentAt}>{formatDateTime(node.sentAt)}</time>
                {node.from ? ` · ${personLabel(node.from)}` : null}
                {node.seen ? null : " · unread"}
              </p>
              <h3>
                <Link to={`/inbox/threads/${node.thread.id}`}>{node.subject || "(no subject)"}</Link>
              </h3>
              <p className="crm-activity-body">{node.snippet}</p>
            </li>
          ))}
        </ul>
      )}
      <ErrorNotice error={moreError} onRetry={() => void loadMore()} />
      {messages.pageInfo.hasNextPage ? (
        <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? "Loading…" : "Load more email"}
        </button>
      ) : null}
    </section>
  );
}
