import { useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { getFragmentData, type FragmentType } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { DateTime, providerLabel, RunStatusBadge } from "./labels.tsx";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";

const PAGE_SIZE = 20;

const AgentsTableRow_agent = graphql(`
  fragment AgentsTableRow_agent on Agent {
    id
    name
    provider
    model
    runs(first: 1) {
      edges {
        node {
          id
          status
          createdAt
        }
      }
    }
  }
`);

const AgentsPageAgents = graphql(`
  query AgentsPageAgents($first: Int, $after: String) {
    agents(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          ...AgentsTableRow_agent
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

function AgentsTableRow(props: { agent: FragmentType<typeof AgentsTableRow_agent> }) {
  const agent = getFragmentData(AgentsTableRow_agent, props.agent);
  const lastRun = agent.runs.edges[0]?.node;
  return (
    <tr>
      <th scope="row">
        <Link to={`/agents/${agent.id}`}>{agent.name}</Link>
      </th>
      <td>{providerLabel(agent.provider)}</td>
      <td>{agent.model}</td>
      <td>
        {lastRun ? (
          <Link to={`/agents/${agent.id}/runs/${lastRun.id}`}>
            <RunStatusBadge status={lastRun.status} /> <DateTime value={lastRun.createdAt} />
          </Link>
        ) : (
          <span className="agents-muted">Never run</span>
        )}
      </td>
    </tr>
  );
}

export default function AgentsPage() {
  const { data, error, loading, refetch, fetchMore } = useQuery(AgentsPageAgents, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: "cache-and-network",
  });
  const { loadingMore, moreError, track } = useLoadMore();
  const connection = data?.agents;

  const loadMore = async () => {
    if (!connection?.pageInfo.endCursor) return;
    await track(
      fetchMore({
        variables: { after: connection.pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          agents: appendEdges(previous.agents, fetchMoreResult.agents),
        }),
      }),
    );
  };

  return (
    <section>
      <div className="toolbar agents-head">
        <h1>Agents</h1>
        <span className="spacer" />
        <Link className="button primary" to="/agents/new">
          New agent
        </Link>
      </div>
      {connection ? (
        connection.edges.length === 0 ? (
          <Empty>
            <p>No agents yet. An agent answers questions with a model, its instructions and the tools you give it.</p>
            <Link to="/agents/new">Create your first agent</Link>
          </Empty>
        ) : (
          <>
            <table aria-label="Agents">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Provider</th>
                  <th scope="col">Model</th>
                  <th scope="col">Last run</th>
                </tr>
              </thead>
              <tbody>
                {connection.edges.map((edge) => (
                  <AgentsTableRow key={edge.node.id} agent={edge.node} />
                ))}
              </tbody>
            </table>
            <ErrorNotice error={moreError} onRetry={loadMore} />
            {connection.pageInfo.hasNextPage ? (
              <p>
                <button type="button" onClick={loadMore} disabled={loadingMore}>
                  {loadingMore ? "Loading more…" : "Load more"}
                </button>
              </p>
            ) : null}
          </>
        )
      ) : error ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : loading ? (
        <Loading />
      ) : null}
    </section>
  );
}
