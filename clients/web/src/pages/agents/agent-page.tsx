import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { graphql } from "../../__generated__/gql.ts";
import { errorCode } from "../../api/errors.ts";
import { Dialog } from "../../components/dialog.tsx";
import { ErrorNotice, Loading } from "../../components/status.tsx";
import { AgentForm } from "./agent-form.tsx";
import { RunHistory } from "./run-history.tsx";
import { StartRunForm } from "./start-run-form.tsx";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";

const RUNS_PAGE_SIZE = 10;

const AgentPageAgent = graphql(`
  query AgentPageAgent($id: ID!, $runsFirst: Int, $runsAfter: String) {
    agent(id: $id) {
      id
      name
      ...AgentForm_agent
      runs(first: $runsFirst, after: $runsAfter) {
        edges {
          cursor
          node {
            id
            ...RunHistoryRow_run
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

const AgentPageDelete = graphql(`
  mutation AgentPageDelete($id: ID!) {
    deleteAgent(id: $id)
  }
`);

/** Deletes the agent after the person confirms it; its runs stay as history. */
function DeleteAgent({ agentId, name }: { agentId: string; name: string }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [deleteAgent, { loading }] = useMutation(AgentPageDelete);
  const confirm = async () => {
    setError(null);
    try {
      await deleteAgent({
        variables: { id: agentId },
        update: (cache) => {
          cache.evict({ id: cache.identify({ __typename: "Agent", id: agentId }) });
          cache.evict({ id: "ROOT_QUERY", fieldName: "agents" });
          cache.gc();
        },
      });
      setOpen(false);
      navigate("/agents", { replace: true });
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <>
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        Delete agent
      </button>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) setError(null);
        }}
        title={`Delete ${name}?`}
        description="The agent is removed for everyone in the workspace. Its runs stay in the history."
      >
        <ErrorNotice error={error} />
        <div className="row">
          <button type="button" className="danger" onClick={confirm} disabled={loading}>
            {loading ? "Deleting…" : "Delete"}
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </>
  );
}

function ExistingAgent({ agentId }: { agentId: string }) {
  const { data, error, loading, refetch, fetchMore } = useQuery(AgentPageAgent, {
    variables: { id: agentId, runsFirst: RUNS_PAGE_SIZE },
    fetchPolicy: "cache-and-network",
  });
  const { loadingMore, moreError, track } = useLoadMore();
  const agent = data?.agent;

  if (!agent) {
    if (error && errorCode(error) === "NOT_FOUND") {
      return (
        <section>
          <h1>Agent not found</h1>
          <p>There is no agent with this address in your workspace. It may have been deleted.</p>
          <Link to="/agents">All agents</Link>
        </section>
      );
    }
    if (error) {
      return (
        <section>
          <h1>Agent</h1>
          <ErrorNotice error={error} onRetry={() => void refetch()} />
        </section>
      );
    }
    return loading ? <Loading /> : null;
  }

  const loadMore = async () => {
    const after = agent.runs.pageInfo.endCursor;
    if (!after) return;
    await track(
      fetchMore({
        variables: { runsAfter: after },
        updateQuery: (previous, { fetchMoreResult }) => ({
          agent: {
            ...previous.agent,
            runs: appendEdges(previous.agent.runs, fetchMoreResult.agent.runs),
          },
        }),
      }),
    );
  };

  return (
    <section>
      <p className="agents-breadcrumbs">
        <Link to="/agents">All agents</Link>
      </p>
      <div className="toolbar agents-head">
        <h1>{agent.name}</h1>
        <span className="spacer" />
        <DeleteAgent agentId={agent.id} name={agent.name} />
      </div>
      {/* A refetch that failed while the page shows what it had. */}
      <ErrorNotice error={error} onRetry={() => void refetch()} />
      <h2>Start a run</h2>
      <StartRunForm agentId={agent.id} />
      <h2>Run history</h2>
      <RunHistory
        agentId={agent.id}
        runs={agent.runs.edges.map((edge) => ({ id: edge.node.id, run: edge.node }))}
        hasNextPage={agent.runs.pageInfo.hasNextPage}
        loadingMore={loadingMore}
        loadMoreError={moreError}
        onLoadMore={loadMore}
      />
      <h2>Settings</h2>
      <AgentForm key={agent.id} agent={agent} />
    </section>
  );
}

export default function AgentPage() {
  const { agentId = "new" } = useParams();
  if (agentId === "new") {
    return (
      <section>
        <p className="agents-breadcrumbs">
          <Link to="/agents">All agents</Link>
        </p>
        <h1>New agent</h1>
        <AgentForm key="new" />
      </section>
    );
  }
  return <ExistingAgent key={agentId} agentId={agentId} />;
}
