import { useQuery } from "@apollo/client/react";
import { graphql } from "../../__generated__/gql.ts";
import { useSession } from "../../api/session.ts";
import { ErrorNotice, Loading } from "../../components/status.tsx";
import { ApiKeysSection } from "./api-keys-section.tsx";
import { CreateWorkspaceForm } from "./create-workspace-form.tsx";
import { formatDate } from "../../components/format.ts";
import { MembersSection } from "./members-section.tsx";

const WorkspacePageQuery = graphql(`
  query WorkspacePage {
    workspace {
      id
      name
      createdAt
    }
  }
`);

const roleNames: Record<string, string> = { OWNER: "an owner", ADMIN: "an admin", MEMBER: "a member" };

/** /workspace: the active workspace, its members and API keys, and making another workspace. */
export default function WorkspacePage() {
  const session = useSession();
  if (session.status !== "signedIn") return null;
  // A switch of workspace starts the page afresh (the store was cleared).
  return (
    <WorkspaceSettings
      key={session.workspace.id}
      viewer={{ id: session.user.id, role: session.role }}
      fallbackName={session.workspace.name}
    />
  );
}

function WorkspaceSettings({ viewer, fallbackName }: { viewer: { id: string; role: string }; fallbackName: string }) {
  const { data, loading, error, refetch } = useQuery(WorkspacePageQuery);
  if (!data && loading) return <Loading label="Loading the workspace…" />;
  if (!data) {
    return (
      <section>
        <h1>{fallbackName}</h1>
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      </section>
    );
  }
  const { workspace } = data;
  return (
    <div className="workspace-page">
      <header>
        <p className="eyebrow">Workspace</p>
        <h1>{workspace.name}</h1>
        <p className="hint">
          Created {formatDate(workspace.createdAt)}. You are {roleNames[viewer.role] ?? viewer.role} here.
        </p>
      </header>
      <MembersSection workspaceId={workspace.id} viewer={viewer} />
      <ApiKeysSection viewerRole={viewer.role} />
      <CreateWorkspaceForm />
    </div>
  );
}
