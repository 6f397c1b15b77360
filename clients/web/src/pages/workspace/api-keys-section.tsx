import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { graphql } from "../../__generated__/gql.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { ApiKeyRow } from "./api-key-row.tsx";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { CreateApiKeyForm } from "./create-api-key-form.tsx";
import { CreatedKeyDialog } from "./created-key-dialog.tsx";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";

const PAGE_SIZE = 20;

const WorkspaceApiKeys = graphql(`
  query WorkspaceApiKeys($first: Int!, $after: String) {
    apiKeys(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          ...ApiKeyRow_apiKey
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const WorkspaceRevokeApiKey = graphql(`
  mutation WorkspaceRevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

/** The workspace's API keys (a member sees their own): create one, see its secret once, revoke. */
export function ApiKeysSection({ viewerRole }: { viewerRole: string }) {
  const { data, loading, error, refetch, fetchMore } = useQuery(WorkspaceApiKeys, {
    variables: { first: PAGE_SIZE },
  });
  // The revoked key comes back with its id, so the cache updates its row by itself.
  const [revokeApiKey] = useMutation(WorkspaceRevokeApiKey);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [revoking, setRevoking] = useState<{ id: string; name: string } | null>(null);
  const { loadingMore, moreError, track } = useLoadMore();
  const keys = data?.apiKeys;

  const loadMore = async () => {
    if (!keys?.pageInfo.endCursor) return;
    await track(
      fetchMore({
        variables: { after: keys.pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...previous,
          apiKeys: appendEdges(previous.apiKeys, fetchMoreResult.apiKeys),
        }),
      }),
    );
  };

  let body: React.ReactNode;
  if (!keys && loading) body = <Loading label="Loading API keys…" />;
  else if (!keys) body = <ErrorNotice error={error} onRetry={() => void refetch()} />;
  else if (keys.edges.length === 0) {
    body = <Empty>No API keys yet. Create one above to call Mary's API from your own code.</Empty>;
  } else {
    body = (
      <>
        {error ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : null}
        <table aria-label="API keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.edges.map(({ node }) => (
              <ApiKeyRow key={node.id} apiKey={node} onRevoke={setRevoking} />
            ))}
          </tbody>
        </table>
        <ErrorNotice error={moreError} onRetry={() => void loadMore()} />
        {keys.pageInfo.hasNextPage ? (
          <button type="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more API keys"}
          </button>
        ) : null}
      </>
    );
  }

  return (
    <section aria-labelledby="api-keys-heading">
      <h2 id="api-keys-heading">API keys</h2>
      <p className="hint">
        Keys let your own code call Mary's API for this workspace, with the scopes you give them. Send one as{" "}
        <code>Authorization: Bearer mary_…</code>.{viewerRole === "MEMBER" ? " You see the keys you created." : null}
      </p>
      <CreateApiKeyForm viewerRole={viewerRole} refetchKeys={() => refetch()} onCreated={setCreated} />
      {body}
      <CreatedKeyDialog created={created} onClose={() => setCreated(null)} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) setRevoking(null);
        }}
        title="Revoke API key?"
        description={revoking ? `Requests with “${revoking.name}” are refused from now on. This cannot be undone.` : ""}
        confirmLabel="Revoke key"
        onConfirm={() => (revoking ? revokeApiKey({ variables: { id: revoking.id } }) : Promise.resolve())}
      />
    </section>
  );
}
