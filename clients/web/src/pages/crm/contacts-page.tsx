import { skipToken, useQuery } from "@apollo/client/react";
import { useEffect, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { ContactFormDialog } from "./contact-form-dialog.tsx";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";

const ContactRow_contact = graphql(`
  fragment ContactRow_contact on Contact {
    id
    name
    emails
    phones
    title
    company {
      id
      name
    }
  }
`);

const ContactsPageQuery = graphql(`
  query ContactsPage($search: String, $companyId: ID, $after: String) {
    contacts(search: $search, filter: { companyId: $companyId }, first: 20, after: $after) {
      edges {
        cursor
        node {
          id
          ...ContactRow_contact
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    workspace {
      id
      plan {
        name
        limits {
          contacts
        }
      }
      usage {
        contacts
      }
    }
  }
`);

const ContactsPageCompany = graphql(`
  query ContactsPageCompany($id: ID!) {
    company(id: $id) {
      id
      name
    }
  }
`);

/** How long typing may pause before the search runs. */
const SEARCH_DELAY_MS = 250;

function ContactRow(props: { contact: FragmentType<typeof ContactRow_contact> }) {
  const contact = getFragmentData(ContactRow_contact, props.contact);
  return (
    <tr>
      <th scope="row">
        <Link to={`/crm/contacts/${contact.id}`}>{contact.name}</Link>
      </th>
      <td>{contact.emails.join(", ")}</td>
      <td>{contact.phones.join(", ")}</td>
      <td>{contact.title}</td>
      <td>{contact.company?.name}</td>
    </tr>
  );
}

export default function ContactsPage() {
  const searchId = useId();
  const [params, setParams] = useSearchParams();
  const search = (params.get("q") ?? "").trim();
  const companyId = params.get("company");
  const [text, setText] = useState(params.get("q") ?? "");
  const [creating, setCreating] = useState(false);
  const [added, setAdded] = useState<{ id: string; name: string } | null>(null);
  const { loadingMore, moreError, track } = useLoadMore();

  // The search is in the address (?q=), written once typing pauses, so it survives a reload.
  useEffect(() => {
    if (text.trim() === search) return;
    const timer = setTimeout(() => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (text.trim()) next.set("q", text);
          else next.delete("q");
          return next;
        },
        { replace: true },
      );
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, search, setParams]);

  const variables = { search: search || null, companyId };
  const { data, previousData, loading, error, refetch, fetchMore } = useQuery(ContactsPageQuery, {
    variables,
    notifyOnNetworkStatusChange: false,
  });
  const company = useQuery(ContactsPageCompany, companyId ? { variables: { id: companyId } } : skipToken);
  // While a new search runs, the last results stay on screen.
  const shown = data ?? previousData;

  const loadMore = async () => {
    const after = shown?.contacts.pageInfo.endCursor;
    if (!after) return;
    await track(
      fetchMore({
        variables: { ...variables, after },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...previous,
          contacts: appendEdges(previous.contacts, fetchMoreResult.contacts),
        }),
      }),
    );
  };

  const limit = shown?.workspace.plan.limits.contacts;
  const edges = shown?.contacts.edges ?? [];
  return (
    <section>
      <h1>Contacts</h1>
      {company.data?.company ? (
        <p>
          People at <strong>{company.data.company.name}</strong>.{" "}
          <Link to={search ? `/crm/contacts?q=${encodeURIComponent(search)}` : "/crm/contacts"}>Show all contacts</Link>
        </p>
      ) : null}
      <div className="toolbar">
        <div className="field">
          <label htmlFor={searchId}>Search contacts</label>
          <input
            id={searchId}
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="Name, email or company"
            autoComplete="off"
          />
        </div>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New contact
        </button>
        {shown && limit != null ? (
          <p className="hint crm-usage">
            {shown.workspace.usage.contacts} of {limit} contacts on the {shown.workspace.plan.name.toLowerCase()} plan
          </p>
        ) : null}
      </div>
      <ContactFormDialog open={creating} onOpenChange={setCreating} onSaved={setAdded} />
      {added ? (
        <p className="notice" role="status">
          Added <Link to={`/crm/contacts/${added.id}`}>{added.name}</Link>.
        </p>
      ) : null}
      {loading && shown ? <Loading label="Searching…" /> : null}
      {error ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : !shown ? (
        <Loading label="Loading contacts…" />
      ) : edges.length === 0 ? (
        <Empty>
          {search ? (
            <p>
              No contacts match “{search}”. Check the spelling, or search by another part of the name, email or company.
            </p>
          ) : (
            <p>No contacts yet. Add the people you work with using “New contact”.</p>
          )}
        </Empty>
      ) : (
        <>
          <table>
            <caption className="visually-hidden">
              {search ? `Contacts matching “${search}”` : "Contacts, newest first"}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Phone</th>
                <th scope="col">Job title</th>
                <th scope="col">Company</th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node }) => (
                <ContactRow key={node.id} contact={node} />
              ))}
            </tbody>
          </table>
          <ErrorNotice error={moreError} onRetry={() => void loadMore()} />
          {shown.contacts.pageInfo.hasNextPage ? (
            <p>
              <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? "Loading…" : "Load more"}
              </button>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
