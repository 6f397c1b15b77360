import { createClient, type Client, type FormattedExecutionResult } from "graphql-ws";
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

export interface Subscription<T> {
  /** Every result received so far, in order. */
  results: FormattedExecutionResult<T, unknown>[];
  /** Resolves when the server completes the subscription; rejects on a socket or protocol error. */
  done: Promise<void>;
  /** Resolves once `count` results have arrived. */
  received: (count: number) => Promise<void>;
  /** Ends the subscription from the client's side. */
  unsubscribe: () => void;
}

/** Subscribes and records what arrives. */
export function subscribe<T = any>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription<T> {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let unsubscribe = () => {};
  const done = new Promise<void>((resolve, reject) => {
    unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          results.push(result);
          for (const waiter of waiters.filter((w) => results.length >= w.count)) waiter.resolve();
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(),
      },
    );
  });
  done.catch(() => {});
  return {
    results,
    done,
    unsubscribe: () => unsubscribe(),
    received: (count) =>
      results.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}
