import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { errorCode } from "../../api/errors.ts";
import { Dialog } from "../../components/dialog.tsx";
import { ErrorNotice, Loading } from "../../components/status.tsx";
import { ContactFormDialog } from "./contact-form-dialog.tsx";
import { ContactPageQuery } from "./contact-page-query.ts";
import { ContactTimeline, LogActivityForm } from "./contact-timeline.tsx";
import { formatDateTime } from "../../components/format.ts";
import { ContactMessages } from "../inbox/contact-messages.tsx";
import { ContactSocialProfiles } from "../social/contact-social-profiles.tsx";

const ContactPageDetails_contact = graphql(`
  fragment ContactPageDetails_contact on Contact {
    id
    name
    emails
    phones
    title
    tags
    createdAt
    updatedAt
    company {
      id
      name
      domain
    }
    owner {
      id
      name
    }
  }
`);

const DeleteContact = graphql(`
  mutation ContactPageDelete($id: ID!) {
    deleteContact(id: $id)
  }
`);

function ContactDetails(props: { contact: FragmentType<typeof ContactPageDetails_contact> }) {
  const contact = getFragmentData(ContactPageDetails_contact, props.contact);
  return (
    <dl className="card crm-details">
      <dt>Email</dt>
      <dd>
        {contact.emails.length
          ? contact.emails.map((email) => (
              <a key={email} href={`mailto:${email}`} className="crm-item">
                {email}
              </a>
            ))
          : "None"}
      </dd>
      <dt>Phone</dt>
      <dd>
        {contact.phones.length
          ? contact.phones.map((phone) => (
              <a key={phone} href={`tel:${phone.replace(/[^0-9+]/g, "")}`} className="crm-item">
                {phone}
              </a>
            ))
          : "None"}
      </dd>
      <dt>Job title</dt>
      <dd>{contact.title ?? "None"}</dd>
      <dt>Company</dt>
      <dd>
        {contact.company ? (
          <Link to={`/crm/contacts?company=${contact.company.id}`}>{contact.company.name}</Link>
        ) : (
          "None"
        )}
      </dd>
      <dt>Owner</dt>
      <dd>{contact.owner?.name ?? "Nobody"}</dd>
      {contact.tags.length ? (
        <>
          <dt>Tags</dt>
          <dd>{contact.tags.join(", ")}</dd>
        </>
      ) : null}
      <dt>Added</dt>
      <dd>
        <time dateTime={contact.createdAt}>{formatDateTime(contact.createdAt)}</time>
      </dd>
    </dl>
  );
}

/** Asks before deleting, then leaves for the contact list. */
function DeleteContactDialog({
  open,
  onOpenChange,
  contact,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contact: { id: string; name: string };
}) {
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [deleteContact, { loading }] = useMutation(DeleteContact, {
    update(cache, { data }) {
      if (!data) return;
      cache.evict({ id: cache.identify({ __typename: "Contact", id: data.deleteContact }) });
      // Every cached list of contacts may hold it: they are fetched again when next shown.
      cache.evict({ id: "ROOT_QUERY", fieldName: "contacts" });
      cache.gc();
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setError(null);
        onOpenChange(next);
      }}
      title={`Delete ${contact.name}?`}
      description="This deletes the contact and the activities logged only on it. Their deals stay, without a contact."
    >
      <ErrorNotice error={error} />
      <div className="row">
        <button
          type="button"
          className="danger"
          disabled={loading}
          onClick={async () => {
            setError(null);
            try {
              await deleteContact({ variables: { id: contact.id } });
              navigate("/crm/contacts", { replace: true });
            } catch (caught) {
              setError(caught);
            }
          }}
        >
          {loading ? "Deleting…" : "Delete contact"}
        </button>
        <button type="button" onClick={() => onOpenChange(false)}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

export default function ContactPage() {
  const { contactId = "" } = useParams();
  const { data, error, refetch, fetchMore } = useQuery(ContactPageQuery, { variables: { id: contactId } });
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [saved, setSaved] = useState(false);

  if (errorCode(error) === "NOT_FOUND" || (data && !data.contact)) {
    return (
      <section>
        <h1>Contact not found</h1>
        <p>
          There is no contact at this address in this workspace: it may have been deleted, or it belongs to another
          workspace.
        </p>
        <p>
          <Link to="/crm/contacts">Back to contacts</Link>
        </p>
      </section>
    );
  }
  if (error) {
    return (
      <section>
        <h1>Contact</h1>
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      </section>
    );
  }
  if (!data?.contact) return <Loading label="Loading the contact…" />;
  const contact = data.contact;
  const { timeline } = contact;

  const loadMoreActivities = async () => {
    await fetchMore({
      variables: { after: timeline.pageInfo.endCursor },
      updateQuery: (previous, { fetchMoreResult }) => {
        if (!previous.contact || !fetchMoreResult.contact) return previous;
        const seen = new Set(previous.contact.timeline.edges.map((edge) => edge.node.id));
        return {
          ...previous,
          contact: {
            ...previous.contact,
            timeline: {
              ...fetchMoreResult.contact.timeline,
              edges: [
                ...previous.contact.timeline.edges,
                ...fetchMoreResult.contact.timeline.edges.filter((edge) => !seen.has(edge.node.id)),
              ],
            },
          },
        };
      },
    });
  };

  return (
    <section>
      <p className="crm-breadcrumb">
        <Link to="/crm/contacts">Contacts</Link>
      </p>
      <div className="crm-heading">
        <h1>{contact.name}</h1>
        <div className="row">
          <button type="button" onClick={() => setEditing(true)}>
            Edit contact
          </button>
          <button type="button" className="danger" onClick={() => setDeleting(true)}>
            Delete contact
          </button>
        </div>
      </div>
      {saved ? (
        <p className="notice" role="status">
          Saved.
        </p>
      ) : null}
      <ContactDetails contact={contact} />
      <ContactFormDialog
        open={editing}
        onOpenChange={(open) => {
          setEditing(open);
          if (open) setSaved(false);
        }}
        contact={contact}
        onSaved={() => setSaved(true)}
      />
      <DeleteContactDialog open={deleting} onOpenChange={setDeleting} contact={contact} />
      <div className="crm-two-columns">
        <div>
          <h2>Timeline</h2>
          <ContactTimeline
            activities={timeline.edges}
            hasNextPage={timeline.pageInfo.hasNextPage}
            onLoadMore={loadMoreActivities}
          />
        </div>
        <LogActivityForm contactId={contact.id} />
      </div>
      <ContactMessages contactId={contact.id} />
      <ContactSocialProfiles contactId={contact.id} />
    </section>
  );
}
