import { useMutation, useQuery } from "@apollo/client/react";
import { useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { getFragmentData, type FragmentType } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { AgentRunStatus } from "../../__generated__/graphql.ts";
import { errorCode } from "../../api/errors.ts";
import { ErrorNotice, Loading } from "../../components/status.tsx";
import { DateTime, isFinished, RunStatusBadge } from "./labels.tsx";
import { RunOutput } from "./run-output.tsx";

const RunSummary_run = graphql(`
  fragment RunSummary_run on AgentRun {
    id
    input
    createdAt
    startedAt
    finishedAt
    tokensUsed
    error
    startedBy {
      id
      name
    }
  }
`);

const RunPageRun = graphql(`
  query RunPageRun($id: ID!) {
    agentRun(id: $id) {
      id
      status
      output
      agent {
        id
        name
      }
      ...RunSummary_run
    }
  }
`);

const RunPageCancel = graphql(`
  mutation RunPageCancel($id: ID!) {
    cancelAgentRun(id: $id) {
      id
      status
      output
      ...RunSummary_run
    }
  }
`);

/** Inputs longer than this show their start, and the rest on request. */
const LONG_INPUT = 280;

/** What the run was asked, who asked, when, and what it cost. */
function RunSummary(props: { run: FragmentType<typeof RunSummary_run> }) {
  const run = getFragmentData(RunSummary_run, props.run);
  const [expanded, setExpanded] = useState(false);
  const long = run.input.length > LONG_INPUT;
  return (
    <dl className="run-summary card">
      <dt>Asked</dt>
      <dd className="run-input">
        {long && !expanded ? `${run.input.slice(0, LONG_INPUT)}…` : run.input}
        {long ? (
          <>
            {" "}
            <button type="button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
              {expanded ? "Show less" : "Show all"}
            </button>
          </>
        ) : null}
      </dd>
      <dt>Started by</dt>
      <dd>{run.startedBy.name}</dd>
      <dt>Asked at</dt>
      <dd>
        <DateTime value={run.createdAt} />
      </dd>
      <dt>Started</dt>
      <dd>{run.startedAt ? <DateTime value={run.startedAt} /> : "Not yet"}</dd>
      <dt>Finished</dt>
      <dd>{run.finishedAt ? <DateTime value={run.finishedAt} /> : "Not yet"}</dd>
      <dt>Tokens used</dt>
      <dd>{run.tokensUsed}</dd>
      {run.error ? (
        <>
          <dt>Why it failed</dt>
          <dd className="field-error">{run.error}</dd>
        </>
      ) : null}
    </dl>
  );
}

function CancelRun({ runId }: { runId: string }) {
  const [cancel, { loading, error }] = useMutation(RunPageCancel);
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={loading}
        onClick={() => void cancel({ variables: { id: runId } }).catch(() => {})}
      >
        {loading ? "Cancelling…" : "Cancel run"}
      </button>
      <ErrorNotice error={error} />
    </>
  );
}

/** One run's page; its state (the streamed output among it) is that run's alone. */
function RunView({ agentId, runId }: { agentId: string; runId: string }) {
  const { data, error, loading, refetch } = useQuery(RunPageRun, { variables: { id: runId } });
  const seenStatuses = useRef(new Set<AgentRunStatus>());
  const run = data?.agentRun;

  if (!run) {
    if (error && errorCode(error) === "NOT_FOUND") {
      return (
        <section>
          <h1>Run not found</h1>
          <p>There is no run with this address in your workspace.</p>
          <Link to="/agents">All agents</Link>
        </section>
      );
    }
    if (error) {
      return (
        <section>
          <h1>Run</h1>
          <ErrorNotice error={error} onRetry={() => void refetch()} />
        </section>
      );
    }
    return loading ? <Loading /> : null;
  }

  const agentLink = run.agent ? `/agents/${run.agent.id}` : agentId ? `/agents/${agentId}` : "/agents";
  // A status the stream announced that the query has not read yet: read the run again (its
  // start, end, tokens and error change with its status).
  const onStatus = (status: AgentRunStatus) => {
    if (status !== run.status && !seenStatuses.current.has(status)) {
      seenStatuses.current.add(status);
      void refetch();
    }
  };

  return (
    <section>
      <p className="agents-breadcrumbs">
        <Link to="/agents">All agents</Link>
        {run.agent ? (
          <>
            {" / "}
            <Link to={agentLink}>{run.agent.name}</Link>
          </>
        ) : null}
      </p>
      <h1>Run of {run.agent ? run.agent.name : "a deleted agent"}</h1>
      <RunOutput
        key={run.id}
        runId={run.id}
        fallbackOutput={run.output}
        onStatus={onStatus}
        onEnd={() => void refetch()}
      >
        {(streamStatus) => {
          // A finished run stays finished; until then the stream's news is the freshest.
          const status = isFinished(run.status) ? run.status : (streamStatus ?? run.status);
          return (
            <div className="toolbar run-head">
              <p className="run-status-line" role="status" aria-live="polite">
                Status: <RunStatusBadge status={status} />
              </p>
              {isFinished(status) ? null : <CancelRun runId={run.id} />}
            </div>
          );
        }}
      </RunOutput>
      <h2>Details</h2>
      <RunSummary run={run} />
    </section>
  );
}

export default function RunPage() {
  const { agentId = "", runId = "" } = useParams();
  return <RunView key={runId} agentId={agentId} runId={runId} />;
}
