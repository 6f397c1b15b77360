import { lazy, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { useSession } from "./api/session.ts";
import { Layout } from "./components/layout.tsx";
import { Loading } from "./components/status.tsx";

// One chunk per section, loaded when its route is first visited.
const LogInPage = lazy(() => import("./pages/auth/log-in-page.tsx"));
const SignUpPage = lazy(() => import("./pages/auth/sign-up-page.tsx"));
const ContactsPage = lazy(() => import("./pages/crm/contacts-page.tsx"));
const ContactPage = lazy(() => import("./pages/crm/contact-page.tsx"));
const CompaniesPage = lazy(() => import("./pages/crm/companies-page.tsx"));
const DealsPage = lazy(() => import("./pages/crm/deals-page.tsx"));
const AgentsPage = lazy(() => import("./pages/agents/agents-page.tsx"));
const AgentPage = lazy(() => import("./pages/agents/agent-page.tsx"));
const RunPage = lazy(() => import("./pages/agents/run-page.tsx"));
const WorkspacePage = lazy(() => import("./pages/workspace/workspace-page.tsx"));
const BillingPage = lazy(() => import("./pages/billing/billing-page.tsx"));

/** Pages that need a session send the visitor to log in, and back here afterwards. */
function RequireSession({ children }: { children: React.ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === "starting") return <Loading label="Signing in…" />;
  if (session.status === "signedOut") {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  return children;
}

export function App() {
  return (
    <BrowserRouter>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/login" element={<LogInPage />} />
          <Route path="/signup" element={<SignUpPage />} />
          <Route
            element={
              <RequireSession>
                <Layout />
              </RequireSession>
            }
          >
            <Route index element={<Navigate to="/crm/contacts" replace />} />
            <Route path="crm/contacts" element={<ContactsPage />} />
            <Route path="crm/contacts/:contactId" element={<ContactPage />} />
            <Route path="crm/companies" element={<CompaniesPage />} />
            <Route path="crm/deals" element={<DealsPage />} />
            <Route path="agents" element={<AgentsPage />} />
            <Route path="agents/:agentId" element={<AgentPage />} />
            <Route path="agents/:agentId/runs/:runId" element={<RunPage />} />
            <Route path="workspace" element={<WorkspacePage />} />
            <Route path="billing" element={<BillingPage />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>There is no page at this address.</p>
    </section>
  );
}
