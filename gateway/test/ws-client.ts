import { createClient, type Client } from "graphql-ws";
import { recordSubscription } from "@mary/kit/testing";
import WebSocket from "ws";

/** The gateway's WebSocket URL for its HTTP /graphql URL. */
export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, "ws");

/** A graphql-ws client as the web app makes one: credentials in connection_init. */
export function wsClient(httpUrl: string, credential: string | null, options: { keepAlive?: number } = {}): Client {
  return createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    keepAlive: options.keepAlive ?? 0,
    connectionParams: credential ? { authorization: `Bearer ${credential}` } : {},
    // The tests look at close codes themselves.
    onNonLazyError: () => {},
  });
}

/** Subscribes and records what arrives. */
export const subscribe = <T = any>(client: Client, query: string, variables: Record<string, unknown> = {}) =>
  recordSubscription<T>(client, { query, variables });
