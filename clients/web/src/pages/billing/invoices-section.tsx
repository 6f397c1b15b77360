import { useQuery } from "@apollo/client/react";
import { useEffect, useRef } from "react";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { formatDate, formatMoney } from "../../components/format.ts";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";

const PAGE_SIZE = 20;

export const InvoiceRow_invoice = graphql(`
  fragment InvoiceRow_invoice on Invoice {
    id
    number
    status
    hostedInvoiceUrl
    createdAt
    periodStart
    periodEnd
    amountDue {
      amount
      currency
    }
    amountPaid {
      amount
      currency
    }
  }
`);

const BillingInvoices = graphql(`
  query BillingInvoices($first: Int!, $after: String) {
    invoices(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          ...InvoiceRow_invoice
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function InvoiceRow(props: { invoice: FragmentType<typeof InvoiceRow_invoice> }) {
  const invoice = getFragmentData(InvoiceRow_invoice, props.invoice);
  const label = invoice.number ?? invoice.id;
  return (
    <tr>
      <th scope="row">{formatDate(invoice.createdAt)}</th>
      <td>{label}</td>
      <td>
        {invoice.periodStart && invoice.periodEnd
          ? `${formatDate(invoice.periodStart)} – ${formatDate(invoice.periodEnd)}`
          : "—"}
      </td>
      <td>{formatMoney(invoice.amountDue)}</td>
      <td>{formatMoney(invoice.amountPaid)}</td>
      <td>{capitalise(invoice.status)}</td>
      <td>
        {invoice.hostedInvoiceUrl ? (
          <a href={invoice.hostedInvoiceUrl} target="_blank" rel="noreferrer noopener">
            View invoice {label}
            <span className="visually-hidden"> (opens Stripe in a new tab)</span>
          </a>
        ) : null}
      </td>
    </tr>
  );
}

/**
 * The workspace's invoices from Stripe, newest first. They are asked for again when `refreshKey`
 * (the plan and subscription status) changes, as a payment Stripe confirms changes both.
 */
export function InvoicesSection({ refreshKey }: { refreshKey: string }) {
  const { data, loading, error, refetch, fetchMore } = useQuery(BillingInvoices, { variables: { first: PAGE_SIZE } });
  const shownFor = useRef(refreshKey);
  useEffect(() => {
    if (shownFor.current === refreshKey) return;
    shownFor.current = refreshKey;
    void refetch();
  }, [refreshKey, refetch]);
  const { loadingMore, moreError, track } = useLoadMore();
  const invoices = data?.invoices;

  const loadMore = async () => {
    if (!invoices?.pageInfo.endCursor) return;
    await track(
      fetchMore({
        variables: { after: invoices.pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...previous,
          invoices: appendEdges(previous.invoices, fetchMoreResult.invoices),
        }),
      }),
    );
  };

  let body: React.ReactNode;
  if (!invoices && loading) body = <Loading label="Loading invoices…" />;
  else if (!invoices) body = <ErrorNotice error={error} onRetry={() => void refetch()} />;
  else if (invoices.edges.length === 0) {
    body = (
      <Empty>No invoices yet. Stripe issues one at the start of each paid month; upgrade above to get started.</Empty>
    );
  } else {
    body = (
      <>
        {error ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : null}
        <table aria-labelledby="invoices-heading">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Number</th>
              <th scope="col">Period</th>
              <th scope="col">Amount</th>
              <th scope="col">Paid</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Link</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invoices.edges.map(({ node }) => (
              <InvoiceRow key={node.id} invoice={node} />
            ))}
          </tbody>
        </table>
        <ErrorNotice error={moreError} onRetry={() => void loadMore()} />
        {invoices.pageInfo.hasNextPage ? (
          <button type="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more invoices"}
          </button>
        ) : null}
      </>
    );
  }

  return (
    <section aria-labelledby="invoices-heading">
      <h2 id="invoices-heading">Invoices</h2>
      {body}
    </section>
  );
}
