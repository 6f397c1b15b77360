import type { Reference, StoreObject } from "@apollo/client";
import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { graphql } from "../../__generated__/gql.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { AddMemberForm } from "./add-member-form.tsx";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { MemberRow } from "./member-row.tsx";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";

const PAGE_SIZE = 20;

const WorkspaceMembers = graphql(`
  query WorkspaceMembers($first: Int!, $after: String) {
    workspace {
      id
      members(first: $first, after: $after) {
        edges {
          cursor
          node {
            role
            user {
              id
            }
            ...MemberRow_membership
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

const WorkspaceRemoveMember = graphql(`
  mutation WorkspaceRemoveMember($workspaceId: ID!, $userId: ID!) {
    removeMember(workspaceId: $workspaceId, userId: $userId)
  }
`);

/** The workspace's members; owners and admins also add and remove them. */
export function MembersSection({ workspaceId, viewer }: { workspaceId: string; viewer: { id: string; role: string } }) {
  const { data, loading, error, refetch, fetchMore } = useQuery(WorkspaceMembers, {
    variables: { first: PAGE_SIZE },
    notifyOnNetworkStatusChange: true,
  });
  const [removeMember] = useMutation(WorkspaceRemoveMember);
  const [removing, setRemoving] = useState<{ id: string; name: string; email: string } | null>(null);
  const { loadingMore, moreError, track } = useLoadMore();
  const canManage = viewer.role === "OWNER" || viewer.role === "ADMIN";
  const members = data?.workspace.members;

  const loadMore = async () => {
    if (!members?.pageInfo.endCursor) return;
    await track(
      fetchMore({
        variables: { after: members.pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...previous,
          workspace: {
            ...previous.workspace,
            members: appendEdges(previous.workspace.members, fetchMoreResult.workspace.members),
          },
        }),
      }),
    );
  };

  const remove = async (userId: string) => {
    await removeMember({
      variables: { workspaceId, userId },
      // Takes the member out of every page of the list already loaded, so the table shows it at once.
      update(cache, { data: result }) {
        if (!result?.removeMember) return;
        cache.modify({
          id: cache.identify({ __typename: "Workspace", id: workspaceId }),
          fields: {
            members(existing, { readField }) {
              const connection = existing as { edges?: readonly StoreObject[] } | undefined;
              if (!connection?.edges) return existing;
              return {
                ...connection,
                edges: connection.edges.filter((edge) => {
                  const node = readField<StoreObject>("node", edge);
                  const user = node ? readField<Reference>("user", node) : undefined;
                  return !user || readField<string>("id", user) !== userId;
                }),
              };
            },
          },
        });
      },
    });
  };

  let body: React.ReactNode;
  if (!members && loading) body = <Loading label="Loading members…" />;
  else if (!members) body = <ErrorNotice error={error} onRetry={() => void refetch()} />;
  else if (members.edges.length === 0) {
    body = <Empty>No one is in this workspace yet. Add a member by the email of their Mary account.</Empty>;
  } else {
    body = (
      <>
        {error ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : null}
        <table aria-labelledby="members-heading">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Joined</th>
              {canManage ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.edges.map(({ node }) => {
              const isYou = node.user.id === viewer.id;
              // Owners may remove anyone but themselves; admins may not remove owners.
              const removable = canManage && !isYou && (viewer.role === "OWNER" || node.role !== "OWNER");
              return (
                <MemberRow
                  key={node.user.id}
                  membership={node}
                  isYou={isYou}
                  showActions={canManage}
                  {...(removable ? { onRemove: setRemoving } : {})}
                />
              );
            })}
          </tbody>
        </table>
        <ErrorNotice error={moreError} onRetry={() => void loadMore()} />
        {members.pageInfo.hasNextPage ? (
          <button type="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? "Loading…" : "Load more members"}
          </button>
        ) : null}
      </>
    );
  }

  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {canManage ? (
        <AddMemberForm workspaceId={workspaceId} viewerRole={viewer.role} onAdded={() => refetch()} />
      ) : (
        <p className="hint">Only owners and admins can add or remove members.</p>
      )}
      {body}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) setRemoving(null);
        }}
        title="Remove member?"
        description={
          removing
            ? `${removing.name} (${removing.email}) loses access to this workspace at once, and their API keys for it stop working.`
            : ""
        }
        confirmLabel="Remove member"
        onConfirm={() => (removing ? remove(removing.id) : Promise.resolve())}
      />
    </section>
  );
}
