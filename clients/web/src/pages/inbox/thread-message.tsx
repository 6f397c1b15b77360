import { useId, useState } from "react";
import { Link } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { formatDateTime, formatMoney } from "../../components/format.ts";
import { stageLabel } from "../crm/crm-format.ts";
import { AttachmentList } from "./attachment-list.tsx";
import { CategoryChip } from "./category-chip.tsx";
import { personLabel, urgencyLabel } from "./inbox-format.ts";
import { RecategorizeMenu } from "./recategorize-menu.tsx";

export const ThreadMessage_message = graphql(`
  fragment ThreadMessage_message on Message {
    id
    subject
    sentAt
    seen
    category
    urgency
    triageReason
    textBody
    htmlBody
    folder {
      id
      role
      path
    }
    from {
      email
      name
      contact {
        id
        name
        deals(first: 5) {
          edges {
            node {
              id
              title
              stage
              amount {
                amount
                currency
              }
            }
          }
        }
      }
    }
    to {
      email
      name
      contact {
        id
        name
      }
    }
    cc {
      email
      name
      contact {
        id
        name
      }
    }
    ...AttachmentList_message
  }
`);

/**
 * What the sandboxed frame shows: the server's sanitized HTML, with links opening outside and
 * nothing loaded from the network (no tracking pixels); the frame runs no scripts at all.
 */
const frameDocument = (html: string) =>
  `<!doctype html><html><head><meta charset="utf-8">` +
  `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">` +
  `<base target="_blank"><style>body{font-family:system-ui,sans-serif;margin:0.5rem;color:#1d2330;overflow-wrap:anywhere}</style>` +
  `</head><body>${html}</body></html>`;

type Person = { email: string; name?: string | null; contact?: { id: string; name: string } | null };

/** A correspondent, linked to their CRM contact when the workspace has one. */
function PersonLink({ person }: { person: Person }) {
  if (!person.contact) return <span>{personLabel(person)}</span>;
  return (
    <span>
      <Link to={`/crm/contacts/${person.contact.id}`}>{person.contact.name}</Link> &lt;{person.email}&gt;
    </span>
  );
}

function People({ people }: { people: readonly Person[] }) {
  return (
    <>
      {people.map((person, index) => (
        <span key={person.email}>
          {index > 0 ? ", " : null}
          <PersonLink person={person} />
        </span>
      ))}
    </>
  );
}

/** One message of a thread: who, when, triage's verdict (with "Recategorize"), the body, files. */
export function ThreadMessage(props: { message: FragmentType<typeof ThreadMessage_message> }) {
  const message = getFragmentData(ThreadMessage_message, props.message);
  const headingId = useId();
  const [asText, setAsText] = useState(false);
  const deals = message.from?.contact?.deals.edges.map((edge) => edge.node) ?? [];
  const showHtml = Boolean(message.htmlBody) && !(asText && message.textBody);
  const subject = message.subject || "(no subject)";
  return (
    <article className="card inbox-message" aria-labelledby={headingId}>
      <header className="inbox-message-head">
        <h2 id={headingId}>{subject}</h2>
        <dl className="inbox-people">
          <dt>From</dt>
          <dd>{message.from ? <PersonLink person={message.from} /> : "Unknown sender"}</dd>
          {message.to.length ? (
            <>
              <dt>To</dt>
              <dd>
                <People people={message.to} />
              </dd>
            </>
          ) : null}
          {message.cc.length ? (
            <>
              <dt>Cc</dt>
              <dd>
                <People people={message.cc} />
              </dd>
            </>
          ) : null}
          <dt>Date</dt>
          <dd>
            <time dateTime={message.sentAt}>{formatDateTime(message.sentAt)}</time>
          </dd>
          {message.folder.role !== "INBOX" ? (
            <>
              <dt>Folder</dt>
              <dd>{message.folder.path}</dd>
            </>
          ) : null}
        </dl>
        {deals.length ? (
          <div className="inbox-deals">
            <h3>Deals with {message.from?.contact?.name}</h3>
            <ul>
              {deals.map((deal) => (
                <li key={deal.id}>
                  {deal.title}: {stageLabel(deal.stage)}, {formatMoney(deal.amount)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="inbox-triage">
          <CategoryChip category={message.category} />
          {message.urgency ? <span className="hint">{urgencyLabel(message.urgency)}</span> : null}
          <RecategorizeMenu messageId={message.id} category={message.category ?? null} />
          {message.triageReason ? <p className="hint inbox-reason">{message.triageReason}</p> : null}
        </div>
      </header>
      {showHtml ? (
        <iframe
          className="inbox-body-frame"
          title={`Message: ${subject}`}
          sandbox=""
          srcDoc={frameDocument(message.htmlBody ?? "")}
        />
      ) : message.textBody ? (
        <div className="inbox-body-text" tabIndex={0} role="region" aria-label={`Text of ${subject}`}>
          {message.textBody}
        </div>
      ) : (
        <p className="hint">This message has no text.</p>
      )}
      {message.htmlBody && message.textBody ? (
        <button type="button" className="inbox-body-toggle" onClick={() => setAsText(!asText)}>
          {asText ? "Show formatted" : "Show as plain text"}
        </button>
      ) : null}
      <AttachmentList message={message} />
    </article>
  );
}
