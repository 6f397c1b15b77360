import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { ApolloServer } from "@apollo/server";
import { anyCause, appError, clientErrorFormatter, ErrorCode, type Logger } from "@mary/kit/core";
import type { ExecutionArgs, ExecutionResult, FormattedExecutionResult, GraphQLError } from "graphql";
import type { Context as SocketContext } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Admission } from "./admission.ts";
import type { Authenticator } from "./auth/authenticator.ts";
import type { WebSocketSettings } from "./config.ts";
import type { GatewayContext, GatewayPrincipal } from "./context.ts";
import type { SubscriptionEngine } from "./core/subscriptions.ts";
import { OPERATIONS_PER_TURN, TurnPacer } from "./turn-pacer.ts";

export interface WebSocketOptions {
  server: Server;
  apollo: ApolloServer<GatewayContext>;
  engine: SubscriptionEngine<GatewayContext>;
  /** The same admission path HTTP requests take. */
  admission: Admission;
  /** Checks the socket's credential once, at connection_init. */
  authenticator: Authenticator;
  /**
   * Whether a socket may connect without a credential (a foreign supergraph's, whose subgraphs
   * decide what anonymous callers get); Mary's sockets must authenticate.
   */
  anonymousSockets: boolean;
  settings: WebSocketSettings;
  log: Logger;
}

/** What the gateway's WebSocket side holds right now: for /healthz and the leak tests. */
export interface WebSocketStats {
  sockets: number;
  subscriptions: number;
  /**
   * Subscriptions to subgraphs: one per group of subscriptions that share one (same operation,
   * variables and share key), so fewer than `subscriptions`.
   */
  subgraphSubscriptions: number;
  /** Subscriptions whose events the gateway still holds or awaits: not those read to the end or cut off. */
  viewers: number;
}

/**
 * How writing to a socket fails once its client has gone away (closed the tab, lost the
 * network): the write hit the closed connection, or was still waiting when it closed (ECANCELED).
 */
const SOCKET_CLOSED_CODES = new Set(["EPIPE", "ECONNRESET", "ECANCELED", "ERR_STREAM_DESTROYED"]);

/** True when the error (or one it wraps) is the client's socket having closed: a normal end, not a failure. */
function isSocketClosed(error: unknown): boolean {
  return anyCause(
    error,
    ({ code, message }) =>
      (typeof code === "string" && SOCKET_CLOSED_CODES.has(code)) ||
      (typeof message === "string" && message.startsWith("WebSocket is not open")),
  );
}

/** Who a subscription cap counts against: the API key, the user in the workspace, the token's subject, or else the client's address. */
function principalKey(principal: GatewayPrincipal, address: string): string {
  switch (principal.kind) {
    case "apiKey":
      return `key:${principal.apiKeyId}`;
    case "user":
      return `user:${principal.userId}:${principal.workspaceId}`;
    case "token":
      return principal.subject ? `token:${principal.subject}` : `address:${address}`;
    case "anonymous":
      return `address:${address}`;
    default:
      return principal.kind;
  }
}

/**
 * graphql-ws on /graphql, beside HTTP. The socket authenticates in `connection_init`
 * (`{ authorization: "Bearer …" }`, a JWT or an API key), refused with 4403 (a foreign
 * supergraph's socket may also come without one, as an anonymous caller); every operation
 * then takes the gateway's one admission path (admission.ts), as an HTTP request does: the
 * credential again (an expired or revoked one stops new operations), rate limit and quota,
 * parsing, validation, variables, limits and cost.
 * Subscriptions run on the federation core's engine; queries and mutations on Apollo Server.
 * Each principal (an anonymous one: each client address) holds at most
 * MAX_SUBSCRIPTIONS_PER_PRINCIPAL subscriptions at once.
 */
export function serveWebSockets(options: WebSocketOptions): {
  stats: () => WebSocketStats;
  close: () => Promise<void>;
} {
  const { settings, log, engine, admission } = options;
  const wss = new WebSocketServer({
    server: options.server,
    path: "/graphql",
    maxPayload: settings.maxPayloadBytes,
  });
  const authorizations = new WeakMap<object, string>();
  /** Whom each operation's subscription counts against, by its context. */
  const capKeys = new WeakMap<GatewayContext, string>();
  const held = new Map<string, number>();
  let subscriptions = 0;
  const format = clientErrorFormatter(log, "subscription failed");
  const pacer = new TurnPacer(OPERATIONS_PER_TURN);
  /**
   * A result with errors as clients get it, made once for all the viewers of a shared
   * subscription, so its errors are formatted (and an internal one logged) once, not per viewer.
   */
  const formattedResults = new WeakMap<ExecutionResult, FormattedExecutionResult>();
  const formatAll = (errors: readonly GraphQLError[]) =>
    errors.map((error) => format(typeof error.toJSON === "function" ? error.toJSON() : error, error));

  const hold = (key: string): (() => void) => {
    subscriptions++;
    held.set(key, (held.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      subscriptions--;
      const count = (held.get(key) ?? 1) - 1;
      if (count > 0) held.set(key, count);
      else held.delete(key);
    };
  };

  const onSubscribe = async (
    ctx: SocketContext<Record<string, unknown>>,
    _id: string,
    payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    const address =
      (ctx.extra as { request?: { socket?: { remoteAddress?: string } } }).request?.socket?.remoteAddress ?? "unknown";
    await pacer.pass();
    const result = await admission.admit(payload, { authorization: authorizations.get(ctx) }, address, "ws");
    if (!("caller" in result)) return result;
    const { caller, admitted } = result;
    const capKey = principalKey(caller.principal, address);
    if (
      admitted.operation.operation === "subscription" &&
      (held.get(capKey) ?? 0) >= settings.maxSubscriptionsPerPrincipal
    ) {
      return [
        appError(
          ErrorCode.RATE_LIMITED,
          `At most ${settings.maxSubscriptionsPerPrincipal} subscriptions may be open at once per user or API key; ` +
            "complete one first",
          { limit: settings.maxSubscriptionsPerPrincipal },
        ),
      ];
    }
    const requestId = randomUUID();
    const contextValue: GatewayContext = { principal: caller.principal, requestId, log: log.child({ requestId }) };
    capKeys.set(contextValue, capKey);
    return {
      schema: engine.schema,
      document: admitted.document,
      variableValues: payload.variables ?? {},
      operationName: payload.operationName ?? undefined,
      contextValue,
    };
  };

  const dispose = useServer<Record<string, unknown>>(
    {
      schema: engine.schema,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        if (authorization === undefined && options.anonymousSockets) return true;
        if (typeof authorization !== "string") return false;
        try {
          const principal = await options.authenticator.authenticate(authorization);
          if (principal.kind === "anonymous") return false;
        } catch {
          return false;
        }
        authorizations.set(ctx, authorization);
        return true;
      },
      onSubscribe,
      subscribe: (args) => {
        const context = args.contextValue as GatewayContext;
        const release = hold(capKeys.get(context) ?? context.principal.kind);
        try {
          return tracked(
            engine.subscribe({
              document: args.document,
              variables: args.variableValues as Record<string, unknown>,
              operationName: args.operationName,
              context,
            }),
            release,
          );
        } catch (error) {
          release();
          throw error;
        }
      },
      execute: async (args) => {
        const response = await options.apollo.executeOperation(
          {
            query: args.document,
            variables: args.variableValues as Record<string, unknown>,
            operationName: args.operationName ?? undefined,
          },
          { contextValue: args.contextValue as GatewayContext },
        );
        if (response.body.kind !== "single") throw new Error("Incremental delivery is not supported over WebSocket");
        return response.body.singleResult as ExecutionResult;
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return undefined;
        let formatted = formattedResults.get(result);
        if (!formatted) {
          formatted = { ...result, errors: formatAll(result.errors) };
          formattedResults.set(result, formatted);
        }
        return formatted;
      },
      onError: (_ctx, _id, _payload, errors) => {
        // graphql-ws reports a failed write (the client went away mid-stream) as the operation's
        // error; nobody will read it, and it is no fault of the gateway's.
        if (errors.some(isSocketClosed)) {
          log.debug({ err: errors[0] }, "a subscription's client went away");
          return errors.map(() => ({ message: "The connection closed", extensions: { code: ErrorCode.INTERNAL } }));
        }
        return formatAll(errors);
      },
    },
    wss,
    settings.keepAliveMs,
  );
  // A malformed frame (invalid UTF-8, a frame over maxPayload) makes ws emit "error" and close
  // the socket with the protocol's code (1007, 1009) itself. graphql-ws would print that to the
  // console as an internal error; it is the client's mistake, logged as such.
  wss.on("connection", (socket) => {
    socket.removeAllListeners("error");
    socket.on("error", (error) => log.warn({ err: error }, "a WebSocket client sent a malformed frame"));
  });

  return {
    stats: () => ({
      sockets: wss.clients.size,
      subscriptions,
      subgraphSubscriptions: engine.openSubgraphSubscriptions,
      viewers: engine.holdingViewers,
    }),
    close: async () => {
      for (const client of wss.clients) client.close(1001, "Server shutting down");
      await dispose.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await engine.close();
    },
  };
}

/** Calls `release` once when the iterator ends, however it ends. */
function tracked<T>(iterator: AsyncIterableIterator<T>, release: () => void): AsyncIterableIterator<T> {
  return {
    async next() {
      try {
        const step = await iterator.next();
        if (step.done) release();
        return step;
      } catch (error) {
        release();
        throw error;
      }
    },
    async return() {
      release();
      return (await iterator.return?.()) ?? { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
