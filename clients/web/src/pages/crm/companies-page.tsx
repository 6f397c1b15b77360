import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { Dialog } from "../../components/dialog.tsx";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { formatCount } from "../../components/format.ts";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";

const CompanyRow_company = graphql(`
  fragment CompanyRow_company on Company {
    id
    name
    domain
    industry
    size
  }
`);

const CompaniesPageQuery = graphql(`
  query CompaniesPage($after: String) {
    companies(first: 20, after: $after) {
      edges {
        cursor
        node {
          id
          ...CompanyRow_company
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const CreateCompany = graphql(`
  mutation CompaniesPageCreate($input: CreateCompanyInput!) {
    createCompany(input: $input) {
      id
      name
    }
  }
`);

function CompanyRow(props: { company: FragmentType<typeof CompanyRow_company> }) {
  const company = getFragmentData(CompanyRow_company, props.company);
  return (
    <tr>
      <th scope="row">{company.name}</th>
      <td>
        {company.domain ? (
          <a href={`https://${company.domain}`} rel="noreferrer" target="_blank">
            {company.domain}
          </a>
        ) : null}
      </td>
      <td>{company.industry}</td>
      <td>{company.size != null ? formatCount(company.size) : null}</td>
      <td>
        {/* The schema has no count of a company's contacts, and listing them would ask once per company. */}
        <Link to={`/crm/contacts?company=${company.id}`}>
          People<span className="visually-hidden"> at {company.name}</span>
        </Link>
      </td>
    </tr>
  );
}

// Named like CreateCompanyInput's fields, so the server's errors land on them.
interface CompanyFormValues {
  name: string;
  domain: string;
  industry: string;
  size: string;
}
const FIELDS = ["name", "domain", "industry", "size"] as const;

function NewCompanyForm({ onCancel, onSaved }: { onCancel: () => void; onSaved: (name: string) => void }) {
  const [createCompany] = useMutation(CreateCompany, { refetchQueries: ["CompaniesPage"] });
  const [error, setError] = useState<unknown>(null);
  const form = useForm<CompanyFormValues>({ defaultValues: { name: "", domain: "", industry: "", size: "" } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { data } = await createCompany({
        variables: {
          input: {
            name: values.name.trim(),
            ...(values.domain.trim() ? { domain: values.domain.trim() } : {}),
            ...(values.industry.trim() ? { industry: values.industry.trim() } : {}),
            ...(values.size.trim() ? { size: Number(values.size) } : {}),
          },
        },
      });
      if (data) onSaved(data.createCompany.name);
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, FIELDS)) setError(caught);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Field label="Name" error={errors.name}>
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            {...form.register("name", {
              validate: (value) => value.trim().length > 0 || "Enter the company's name",
              maxLength: { value: 200, message: "Use at most 200 characters" },
            })}
          />
        )}
      </Field>
      <Field label="Domain" error={errors.domain} hint="Its website, such as acme.com.">
        {(props) => <input {...props} autoComplete="off" inputMode="url" {...form.register("domain")} />}
      </Field>
      <Field label="Industry" error={errors.industry}>
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            {...form.register("industry", { maxLength: { value: 100, message: "Use at most 100 characters" } })}
          />
        )}
      </Field>
      <Field label="Headcount" error={errors.size}>
        {(props) => (
          <input
            {...props}
            inputMode="numeric"
            autoComplete="off"
            {...form.register("size", {
              validate: (value) =>
                !value.trim() ||
                (/^\d+$/.test(value.trim()) && Number(value) >= 1 && Number.isSafeInteger(Number(value))) ||
                "Enter a whole number, 1 or more",
            })}
          />
        )}
      </Field>
      <ErrorNotice error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export default function CompaniesPage() {
  const { data, error, refetch, fetchMore } = useQuery(CompaniesPageQuery);
  const [creating, setCreating] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const { loadingMore, moreError, track } = useLoadMore();

  const loadMore = async () => {
    const after = data?.companies.pageInfo.endCursor;
    if (!after) return;
    await track(
      fetchMore({
        variables: { after },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...previous,
          companies: appendEdges(previous.companies, fetchMoreResult.companies),
        }),
      }),
    );
  };

  const edges = data?.companies.edges ?? [];
  return (
    <section>
      <h1>Companies</h1>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New company
        </button>
      </div>
      <Dialog open={creating} onOpenChange={setCreating} title="New company">
        <NewCompanyForm
          onCancel={() => setCreating(false)}
          onSaved={(name) => {
            setCreating(false);
            setAdded(name);
          }}
        />
      </Dialog>
      {added ? (
        <p className="notice" role="status">
          Added {added}.
        </p>
      ) : null}
      {error ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Loading label="Loading companies…" />
      ) : edges.length === 0 ? (
        <Empty>
          <p>No companies yet. Add the organisations you sell to with “New company”, then link contacts to them.</p>
        </Empty>
      ) : (
        <>
          <table>
            <caption className="visually-hidden">Companies, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Domain</th>
                <th scope="col">Industry</th>
                <th scope="col">Headcount</th>
                <th scope="col">Contacts</th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node }) => (
                <CompanyRow key={node.id} company={node} />
              ))}
            </tbody>
          </table>
          <ErrorNotice error={moreError} onRetry={() => void loadMore()} />
          {data.companies.pageInfo.hasNextPage ? (
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
