import { useSyncExternalStore } from "react";
import { getFragmentData } from "../__generated__/fragment-masking.ts";
import { graphql } from "../__generated__/gql.ts";
import type { SessionFieldsFragment } from "../__generated__/graphql.ts";
import { apolloClient, setAccessToken } from "./client.ts";
import { errorCode } from "./errors.ts";
import { refreshDelay } from "./refresh-delay.ts";

// The session's fields, read here and nowhere else: the refresh token is not among them, the
// gateway keeps it in an httpOnly cookie (x-mary-session: cookie, set by client.ts).
const SessionFields = graphql(`
  fragment SessionFields on AuthPayload {
    accessToken
    expiresAt
    role
    user {
      id
      name
      email
    }
    workspace {
      id
      name
    }
  }
`);

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      ...SessionFields
    }
  }
`);

const LogIn = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      ...SessionFields
    }
  }
`);

const RefreshSession = graphql(`
  mutation RefreshSession {
    refreshSession {
      ...SessionFields
    }
  }
`);

const SwitchWorkspace = graphql(`
  mutation SwitchWorkspace($workspaceId: ID!) {
    switchWorkspace(workspaceId: $workspaceId) {
      ...SessionFields
    }
  }
`);

const LogOut = graphql(`
  mutation LogOut {
    logOut
  }
`);

export type SessionState =
  | { status: "starting" }
  | { status: "signedOut" }
  | {
      status: "signedIn";
      user: { id: string; name: string; email: string };
      workspace: { id: string; name: string };
      role: string;
      expiresAt: number;
    };

let state: SessionState = { status: "starting" };
const listeners = new Set<() => void>();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | undefined;

function publish(next: SessionState) {
  state = next;
  for (const listener of listeners) listener();
}

function scheduleRefresh(expiresAt: number) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshSession(), refreshDelay(expiresAt - Date.now()));
}

function signedIn(payload: SessionFieldsFragment, reconnect: boolean) {
  const expiresAt = Date.parse(payload.expiresAt);
  setAccessToken(payload.accessToken, reconnect);
  scheduleRefresh(expiresAt);
  publish({ status: "signedIn", user: payload.user, workspace: payload.workspace, role: payload.role, expiresAt });
}

function signedOut() {
  clearTimeout(refreshTimer);
  setAccessToken(null, true);
  publish({ status: "signedOut" });
}

/**
 * Trades the refresh cookie for a new access token. Concurrent callers share one request: each
 * refresh token works once, and a second use would end the session.
 */
export function refreshSession(): Promise<boolean> {
  refreshing ??= apolloClient
    .mutate({ mutation: RefreshSession })
    .then(({ data }) => {
      if (!data) throw new Error("no session");
      signedIn(getFragmentData(SessionFields, data.refreshSession), true);
      return true;
    })
    .catch((error: unknown) => {
      // Only an answer that says the cookie is no good signs out; a network failure retries soon.
      if (errorCode(error) === "UNAUTHENTICATED") signedOut();
      else if (state.status === "starting") publish({ status: "signedOut" });
      else refreshTimer = setTimeout(() => void refreshSession(), 5_000);
      return false;
    })
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

export async function signUp(input: { email: string; password: string; name: string; workspaceName: string }) {
  const { data } = await apolloClient.mutate({ mutation: SignUp, variables: { input } });
  await apolloClient.clearStore();
  if (data) signedIn(getFragmentData(SessionFields, data.signUp), true);
}

export async function logIn(input: { email: string; password: string }) {
  const { data } = await apolloClient.mutate({ mutation: LogIn, variables: { input } });
  await apolloClient.clearStore();
  if (data) signedIn(getFragmentData(SessionFields, data.logIn), true);
}

export async function switchWorkspace(workspaceId: string) {
  const { data } = await apolloClient.mutate({ mutation: SwitchWorkspace, variables: { workspaceId } });
  // Everything cached belongs to the workspace just left.
  await apolloClient.clearStore();
  if (data) signedIn(getFragmentData(SessionFields, data.switchWorkspace), true);
}

export async function logOut() {
  try {
    await apolloClient.mutate({ mutation: LogOut });
  } finally {
    signedOut();
    await apolloClient.clearStore();
  }
}

/** Starts the session from the refresh cookie, if the browser has one. */
export function startSession(): Promise<boolean> {
  return refreshSession();
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}
