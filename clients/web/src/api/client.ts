import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { getMainDefinition } from "@apollo/client/utilities";
import { createClient } from "graphql-ws";
import { ResumableWsLink } from "./resumable-ws-link.ts";

/** Where the app finds the gateway: its own origin, which passes /graphql on (vite.config.ts). */
const httpUrl = "/graphql";
const wsUrl = () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;

/** The access token the links send; the session (session.ts) keeps it current. Never stored. */
let accessToken: string | null = null;

/**
 * The WebSocket for subscriptions. `connectionParams` is read at every connect, so after a token
 * refresh `reconnectWebSocket` makes it authenticate again; graphql-ws then resubscribes each open
 * subscription (ResumableWsLink moves their `after` on, so nothing is repeated or lost).
 */
export const webSocket = createClient({
  url: wsUrl,
  lazy: true,
  lazyCloseTimeout: 3_000,
  connectionParams: () => (accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
  retryAttempts: Infinity,
  shouldRetry: () => true,
  // Quick first retry (a re-authentication), then backing off up to 10 s with jitter.
  retryWait: (retries) =>
    new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 150 * 2 ** retries) * (0.5 + Math.random()))),
});

export function setAccessToken(token: string | null, reconnect: boolean): void {
  const changed = token !== accessToken;
  accessToken = token;
  if (changed && reconnect) webSocket.terminate();
}

const authLink = new SetContextLink((prevContext) => ({
  headers: {
    ...prevContext.headers,
    // Asks the gateway to keep the refresh token in an httpOnly cookie instead of the response.
    "x-mary-session": "cookie",
    ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
  },
}));

const httpLink = new HttpLink({ uri: httpUrl, credentials: "same-origin" });

const isSubscription = ({ query }: ApolloLink.Operation) => {
  const definition = getMainDefinition(query);
  return definition.kind === "OperationDefinition" && definition.operation === "subscription";
};

export const apolloClient = new ApolloClient({
  link: ApolloLink.split(isSubscription, new ResumableWsLink(webSocket), authLink.concat(httpLink)),
  cache: new InMemoryCache({
    typePolicies: {
      // A plan is the same object wherever it appears (the catalogue, the workspace's plan).
      Plan: { keyFields: ["name"] },
    },
  }),
});
