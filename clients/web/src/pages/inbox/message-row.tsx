import { Link } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { formatDateTime } from "../../components/format.ts";
import { CategoryChip } from "./category-chip.tsx";

export const MessageRow_message = graphql(`
  fragment MessageRow_message on Message {
    id
    subject
    snippet
    sentAt
    seen
    flagged
    category
    from {
      email
      name
    }
    thread {
      id
      messageCount
    }
    attachments {
      part
    }
  }
`);

/** One message of the inbox list: unread ones in bold (and said so), a checkbox to select it. */
export function MessageRow(props: {
  message: FragmentType<typeof MessageRow_message>;
  selected: boolean;
  onSelect: (selected: boolean) => void;
}) {
  const message = getFragmentData(MessageRow_message, props.message);
  const subject = message.subject || "(no subject)";
  const sender = message.from ? (message.from.name ?? message.from.email) : "Unknown sender";
  return (
    <tr className={message.seen ? "inbox-row" : "inbox-row inbox-unread"} data-message-id={message.id}>
      <td className="inbox-select">
        <input
          type="checkbox"
          checked={props.selected}
          onChange={(event) => props.onSelect(event.target.checked)}
          aria-label={`Select “${subject}” from ${sender}`}
        />
      </td>
      <td className="inbox-from">
        {message.seen ? null : <span className="visually-hidden">Unread: </span>}
        {sender}
      </td>
      <th scope="row" className="inbox-subject">
        <Link to={`/inbox/threads/${message.thread.id}`}>{subject}</Link>
        {message.thread.messageCount > 1 ? (
          <span className="inbox-count" aria-label={`${message.thread.messageCount} messages`}>
            {message.thread.messageCount}
          </span>
        ) : null}
        {message.attachments.length ? <span className="inbox-attachment-mark"> · with attachments</span> : null}
        <span className="inbox-snippet">{message.snippet}</span>
      </th>
      <td>
        <CategoryChip category={message.category} />
      </td>
      <td className="inbox-date">
        <time dateTime={message.sentAt}>{formatDateTime(message.sentAt)}</time>
      </td>
    </tr>
  );
}
