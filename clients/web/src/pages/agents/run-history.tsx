import { Link } from "react-router";
import { getFragmentData, type FragmentType } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { Empty, ErrorNotice } from "../../components/status.tsx";
import { DateTime, RunStatusBadge } from "./labels.tsx";

export const RunHistoryRow_run = graphql(`
  fragment RunHistoryRow_run on AgentRun {
    id
    status
    input
    createdAt
    startedAt
    finishedAt
  }
`);

const preview = (text: string, length = 80) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > length ? `${line.slice(0, length - 1)}…` : line || "(no input)";
};

function RunHistoryRow(props: { agentId: string; run: FragmentType<typeof RunHistoryRow_run> }) {
  const run = getFragmentData(RunHistoryRow_run, props.run);
  return (
    <tr>
      <th scope="row">
        <Link to={`/agents/${props.agentId}/runs/${run.id}`}>{preview(run.input)}</Link>
      </th>
      <td>
        <RunStatusBadge status={run.status} />
      </td>
      <td>
        <DateTime value={run.startedAt ?? run.createdAt} />
      </td>
      <td>
        <DateTime value={run.finishedAt} />
      </td>
    </tr>
  );
}

/** The agent's runs, newest first, a page at a time. */
export function RunHistory({
  agentId,
  runs,
  hasNextPage,
  loadingMore,
  loadMoreError,
  onLoadMore,
}: {
  agentId: string;
  runs: readonly { id: string; run: FragmentType<typeof RunHistoryRow_run> }[];
  hasNextPage: boolean;
  loadingMore: boolean;
  loadMoreError: unknown;
  onLoadMore: () => void;
}) {
  if (runs.length === 0) {
    return (
      <Empty>
        <p>This agent has not run yet. Ask it something above with Start run; its runs are listed here.</p>
      </Empty>
    );
  }
  return (
    <>
      <table aria-label="Run history">
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {runs.map(({ id, run }) => (
            <RunHistoryRow key={id} agentId={agentId} run={run} />
          ))}
        </tbody>
      </table>
      <ErrorNotice error={loadMoreError} onRetry={onLoadMore} />
      {hasNextPage ? (
        <p>
          <button type="button" onClick={onLoadMore} disabled={loadingMore}>
            {loadingMore ? "Loading more…" : "Load more runs"}
          </button>
        </p>
      ) : null}
    </>
  );
}
