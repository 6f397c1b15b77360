import { useQuery } from "@apollo/client/react";
import { Suspense } from "react";
import { NavLink, Outlet, useNavigate } from "react-router";
import { graphql } from "../__generated__/gql.ts";
import { logOut, switchWorkspace, useSession } from "../api/session.ts";
import { Loading } from "./status.tsx";

const MyWorkspaces = graphql(`
  query MyWorkspaces {
    me {
      id
      memberships {
        role
        workspace {
          id
          name
        }
      }
    }
  }
`);

/** The workspace switcher: every workspace the user belongs to, the current one selected. */
function WorkspaceSwitcher({ current }: { current: string }) {
  const { data } = useQuery(MyWorkspaces);
  const navigate = useNavigate();
  const memberships = data?.me.memberships ?? [];
  if (memberships.length < 2) return null;
  return (
    <label className="switcher">
      <span>Workspace</span>
      <select
        value={current}
        onChange={async (event) => {
          await switchWorkspace(event.target.value);
          navigate("/crm/contacts");
        }}
      >
        {memberships.map(({ workspace }) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
          </option>
        ))}
      </select>
    </label>
  );
}

const sections = [
  { to: "/inbox", label: "Inbox" },
  { to: "/calendar", label: "Calendar" },
  { to: "/tasks", label: "Tasks" },
  { to: "/crm/contacts", label: "Contacts" },
  { to: "/crm/companies", label: "Companies" },
  { to: "/crm/deals", label: "Deals" },
  { to: "/social", label: "Social" },
  { to: "/agents", label: "Agents" },
  { to: "/workspace", label: "Workspace" },
  { to: "/billing", label: "Billing" },
];

/** The signed-in frame: navigation, the workspace, the user, and the page. */
export function Layout() {
  const session = useSession();
  const navigate = useNavigate();
  if (session.status !== "signedIn") return null;
  return (
    <div className="shell">
      <header className="topbar">
        <a className="skip" href="#main">
          Skip to content
        </a>
        <strong className="brand">Mary</strong>
        <span className="workspace-name" data-testid="workspace-name">
          {session.workspace.name}
        </span>
        <WorkspaceSwitcher current={session.workspace.id} />
        <span className="spacer" />
        <span className="user">{session.user.name}</span>
        <button
          type="button"
          onClick={async () => {
            await logOut();
            navigate("/login");
          }}
        >
          Log out
        </button>
      </header>
      <nav aria-label="Sections" className="sidebar">
        <ul>
          {sections.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content">
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
