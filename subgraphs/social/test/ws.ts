import type { Principal } from "@mary/kit";
import { signedHeaders } from "@mary/kit/testing";

/**
 * A subscription straight to the subgraph over graphql-transport-ws, as the gateway opens it (its
 * own principal in connection_init, the caller's in the operation's extensions), with Node's own
 * WebSocket: social has no graphql-ws client among its dependencies.
 */
export interface LiveSubscription<T = any> {
  /** The `data` of every result so far, in order. */
  results: T[];
  /** Errors the server sent for the operation. */
  errors: unknown[];
  /** Resolves once `count` results have arrived (rejects after `timeoutMs`). */
  received: (count: number, timeoutMs?: number) => Promise<void>;
  close: () => void;
}

export async function subscribe<T = any>(
  graphqlUrl: string,
  caller: Principal,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<LiveSubscription<T>> {
  const socket = new WebSocket(graphqlUrl.replace(/^http/, "ws"), "graphql-transport-ws");
  const results: T[] = [];
  const errors: unknown[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let acked: () => void = () => {};
  let failed: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    acked = resolve;
    failed = reject;
  });
  socket.addEventListener("open", () =>
    socket.send(
      JSON.stringify({ type: "connection_init", payload: signedHeaders({ kind: "service", service: "gateway" }) }),
    ),
  );
  socket.addEventListener("close", (event) => failed(new Error(`closed ${event.code} ${event.reason}`)));
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { type: string; payload?: any };
    if (message.type === "connection_ack") {
      socket.send(
        JSON.stringify({
          id: "1",
          type: "subscribe",
          payload: { query, variables, extensions: { headers: signedHeaders(caller) } },
        }),
      );
      acked();
    } else if (message.type === "next") {
      if (message.payload.errors) errors.push(...message.payload.errors);
      if (message.payload.data) results.push(message.payload.data as T);
      for (const waiter of waiters.filter((w) => results.length >= w.count)) waiter.resolve();
    } else if (message.type === "error") {
      errors.push(...(message.payload as unknown[]));
    } else if (message.type === "ping") {
      socket.send(JSON.stringify({ type: "pong" }));
    }
  });
  await ready;
  return {
    results,
    errors,
    received: (count, timeoutMs = 10_000) =>
      results.length >= count
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`${results.length} of ${count} results; errors: ${JSON.stringify(errors)}`)),
              timeoutMs,
            );
            waiters.push({
              count,
              resolve: () => {
                clearTimeout(timer);
                resolve();
              },
            });
          }),
    close: () => socket.close(),
  };
}
