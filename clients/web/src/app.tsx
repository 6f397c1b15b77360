import { lazy, Suspense } from "react";
import { BrowserRouter, matchPath, Navigate, Route, Routes, useLocation } from "react-router";
import { useSession } from "./api/session.ts";
import { Layout } from "./components/layout.tsx";
import { Loading } from "./components/status.tsx";

// One chunk per page, loaded when its route is first visited. The page the app opens on is
// fetched at once, beside the session's refresh (preloadPage), and a page whose chunk is already
// here renders without suspending: React would otherwise hold the Suspense fallback for its
// reveal throttle (300 ms) even though nothing is left to load.
type PageModule = { default: React.ComponentType };
function page(load: () => Promise<PageModule>) {
  let loaded: PageModule | undefined;
  const preload = () => load().then((module) => (loaded = module));
  // A thenable that calls back at once resolves React.lazy during its first render.
  const ready = (module: PageModule) => ({ then: (resolve: (module: PageModule) => void) => resolve(module) });
  const Component = lazy(() => (loaded ? (ready(loaded) as unknown as Promise<PageModule>) : preload()));
  return { Component, preload };
}

const calendarPage = page(() => import("./pages/calendar/calendar-page.tsx"));

const pages = {
  "/login": page(() => import("./pages/auth/log-in-page.tsx")),
  "/signup": page(() => import("./pages/auth/sign-up-page.tsx")),
  "/crm/contacts": page(() => import("./pages/crm/contacts-page.tsx")),
  "/crm/contacts/:contactId": page(() => import("./pages/crm/contact-page.tsx")),
  "/crm/companies": page(() => import("./pages/crm/companies-page.tsx")),
  "/crm/deals": page(() => import("./pages/crm/deals-page.tsx")),
  "/inbox": page(() => import("./pages/inbox/inbox-page.tsx")),
  "/inbox/threads/:threadId": page(() => import("./pages/inbox/thread-page.tsx")),
  "/agents": page(() => import("./pages/agents/agents-page.tsx")),
  "/agents/:agentId": page(() => import("./pages/agents/agent-page.tsx")),
  "/agents/:agentId/runs/:runId": page(() => import("./pages/agents/run-page.tsx")),
  "/social/accounts": page(() => import("./pages/social/accounts-page.tsx")),
  "/social/compose": page(() => import("./pages/social/compose-page.tsx")),
  "/social/posts/:postId/edit": page(() => import("./pages/social/compose-page.tsx")),
  "/social/queue": page(() => import("./pages/social/queue-page.tsx")),
  "/social/posts/:postId": page(() => import("./pages/social/post-page.tsx")),
  "/social/suggestions": page(() => import("./pages/social/suggestions-page.tsx")),
  "/calendar/week/:date?": calendarPage,
  "/calendar/day/:date?": calendarPage,
  "/tasks": page(() => import("./pages/tasks/tasks-page.tsx")),
  "/workspace": page(() => import("./pages/workspace/workspace-page.tsx")),
  "/billing": page(() => import("./pages/billing/billing-page.tsx")),
};
type PagePath = keyof typeof pages;

/** Starts loading the chunk of the page at `pathname` (the contacts page for "/"). */
export function preloadPage(pathname: string): void {
  const path = pathname === "/" ? "/crm/contacts" : pathname;
  const match = (Object.keys(pages) as PagePath[]).find((pattern) => matchPath(pattern, path));
  if (match) void pages[match].preload();
}

const LogInPage = pages["/login"].Component;
const SignUpPage = pages["/signup"].Component;
const ContactsPage = pages["/crm/contacts"].Component;
const ContactPage = pages["/crm/contacts/:contactId"].Component;
const CompaniesPage = pages["/crm/companies"].Component;
const DealsPage = pages["/crm/deals"].Component;
const InboxPage = pages["/inbox"].Component;
const ThreadPage = pages["/inbox/threads/:threadId"].Component;
const AgentsPage = pages["/agents"].Component;
const AgentPage = pages["/agents/:agentId"].Component;
const RunPage = pages["/agents/:agentId/runs/:runId"].Component;
const SocialAccountsPage = pages["/social/accounts"].Component;
const ComposePage = pages["/social/compose"].Component;
const EditPostPage = pages["/social/posts/:postId/edit"].Component;
const QueuePage = pages["/social/queue"].Component;
const PostPage = pages["/social/posts/:postId"].Component;
const SuggestionsPage = pages["/social/suggestions"].Component;
const CalendarPage = calendarPage.Component;
const TasksPage = pages["/tasks"].Component;
const WorkspacePage = pages["/workspace"].Component;
const BillingPage = pages["/billing"].Component;

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
            <Route path="inbox" element={<InboxPage />} />
            <Route path="inbox/threads/:threadId" element={<ThreadPage />} />
            <Route path="agents" element={<AgentsPage />} />
            <Route path="agents/:agentId" element={<AgentPage />} />
            <Route path="agents/:agentId/runs/:runId" element={<RunPage />} />
            <Route path="social" element={<Navigate to="/social/queue" replace />} />
            <Route path="social/accounts" element={<SocialAccountsPage />} />
            <Route path="social/compose" element={<ComposePage />} />
            <Route path="social/queue" element={<QueuePage />} />
            <Route path="social/suggestions" element={<SuggestionsPage />} />
            <Route path="social/posts/:postId" element={<PostPage />} />
            <Route path="social/posts/:postId/edit" element={<EditPostPage />} />
            <Route path="calendar" element={<Navigate to="/calendar/week" replace />} />
            <Route path="calendar/week/:date?" element={<CalendarPage />} />
            <Route path="calendar/day/:date?" element={<CalendarPage />} />
            <Route path="tasks" element={<TasksPage />} />
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
