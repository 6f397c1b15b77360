import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { ApolloServer } from "@apollo/server";
import { appError, ErrorCode, maskError, type Logger, type Principal } from "@mary/kit";
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from "graphql";
import type { Context as SocketContext } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import type { Authenticator } from "./auth/authenticator.ts";
import type { GatewayConfig } from "./config.ts";
import type { SubscriptionEngine } from "./core/subscriptions.ts";
import type { ApiCallQuota } from "./limits/api-quota.ts";
import { operationCost } from "./limits/operation-cost.ts";
import { fragmentsOf, operationLimitsRule } from "./limits/operation-limits.ts";
import type { RateLimiter } from "./limits/rate-limit.ts";
import type { GatewayContext } from "./server.ts";

export interface WebSocketOptions {
  server: Server;
  apollo: ApolloServer<GatewayContext>;
  engine: SubscriptionEngine<GatewayContext>;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  apiCallQuota: ApiCallQuota;
  config: GatewayConfig;
  log: Logger;
}

/** What the gateway's WebSocket side holds right now: for /healthz and the leak tests. */
export interface WebSocketStats {
  sockets: number;
  subscriptions: number;
  /** Subscriptions to subgraphs: fewer than `subscriptions` while cut-off ones wait for a slow client to read. */
  subgraphSubscriptions: number;
}

const requestError = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/** Who a subscription cap counts against: the API key, or the user in the workspace. */
const principalKey = (principal: Principal) =>
  principal.kind === "apiKey"
    ? `key:${principal.apiKeyId}`
    : principal.kind === "user"
      ? `user:${principal.userId}:${principal.workspaceId}`
      : principal.kind;

/**
 * graphql-ws on /graphql, beside HTTP. The socket authenticates in `connection_init`
 * (`{ authorization: "Bearer …" }`, a JWT or an API key), refused with 4403; every operation
 * re-checks it (an expired or revoked credential stops new operations), then passes the same
 * limits as HTTP: tokens, depth, aliases, root fields, cost, rate limit and API quota.
 * Subscriptions run on the federation core's engine; queries and mutations on Apollo Server.
 * Each principal holds at most MAX_SUBSCRIPTIONS_PER_PRINCIPAL subscriptions at once.
 */
export function serveWebSockets(options: WebSocketOptions): {
  stats: () => WebSocketStats;
  close: () => Promise<void>;
} {
  const { config, log, engine } = options;
  const wss = new WebSocketServer({
    server: options.server,
    path: "/graphql",
    maxPayload: config.WS_MAX_PAYLOAD_BYTES,
  });
  const authorizations = new WeakMap<object, string>();
  const held = new Map<string, number>();
  let subscriptions = 0;
  const rules = [
    ...specifiedRules,
    operationLimitsRule({
      maxDepth: config.MAX_QUERY_DEPTH,
      maxAliases: config.MAX_ALIASES,
      maxRootFields: config.MAX_ROOT_FIELDS,
    }),
  ];

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

  const checkOperation = (
    document: DocumentNode,
    variables: Record<string, unknown>,
    operationName?: string | null,
  ) => {
    const errors = validate(engine.schema, document, rules);
    if (errors.length) return errors.map((error) => requestError(error.message, "GRAPHQL_VALIDATION_FAILED"));
    const operation = getOperationAST(document, operationName);
    if (!operation) return [requestError("The document has no operation of that name", "GRAPHQL_VALIDATION_FAILED")];
    const cost = operationCost({ schema: engine.schema, operation, fragments: fragmentsOf(document), variables });
    if (cost > config.MAX_QUERY_COST) {
      return [
        requestError(
          `Operation cost ${cost} exceeds the limit of ${config.MAX_QUERY_COST}; ask for smaller pages`,
          "GRAPHQL_VALIDATION_FAILED",
        ),
      ];
    }
    return operation;
  };

  const onSubscribe = async (
    ctx: SocketContext<Record<string, unknown>>,
    _id: string,
    payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    let principal: Principal;
    try {
      principal = await options.authenticator.authenticate(authorizations.get(ctx));
    } catch (error) {
      return [error instanceof GraphQLError ? error : appError(ErrorCode.UNAUTHENTICATED, "Authentication failed")];
    }
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: config.MAX_TOKENS });
    } catch (error) {
      return [requestError((error as Error).message, "GRAPHQL_PARSE_FAILED")];
    }
    const variables = payload.variables ?? {};
    const operation = checkOperation(document, variables, payload.operationName);
    if (Array.isArray(operation)) return operation;
    const address = (ctx.extra as { request?: { socket?: { remoteAddress?: string } } }).request?.socket?.remoteAddress;
    try {
      await options.rateLimiter.hit(principal, address ?? "unknown");
      await options.apiCallQuota.count(principal);
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    if (
      operation.operation === "subscription" &&
      (held.get(principalKey(principal)) ?? 0) >= config.MAX_SUBSCRIPTIONS_PER_PRINCIPAL
    ) {
      return [
        appError(
          ErrorCode.RATE_LIMITED,
          `At most ${config.MAX_SUBSCRIPTIONS_PER_PRINCIPAL} subscriptions may be open at once per user or API key; ` +
            "complete one first",
          { limit: config.MAX_SUBSCRIPTIONS_PER_PRINCIPAL },
        ),
      ];
    }
    const requestId = randomUUID();
    return {
      schema: engine.schema,
      document,
      variableValues: variables,
      operationName: payload.operationName ?? undefined,
      contextValue: { principal, requestId, log: log.child({ requestId }) } satisfies GatewayContext,
    };
  };

  const dispose = useServer<Record<string, unknown>>(
    {
      schema: engine.schema,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
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
        const release = hold(principalKey(context.principal));
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
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => masked(log, error)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => masked(log, error)),
    },
    wss,
    config.WS_KEEPALIVE_MS,
  );

  return {
    stats: () => ({
      sockets: wss.clients.size,
      subscriptions,
      subgraphSubscriptions: engine.openSubgraphSubscriptions,
    }),
    close: async () => {
      for (const client of wss.clients) client.close(1001, "Server shutting down");
      await dispose.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await engine.close();
    },
  };
}

function masked(log: Logger, error: GraphQLError) {
  const formatted = maskError(typeof error.toJSON === "function" ? error.toJSON() : error);
  if (formatted.extensions.code === ErrorCode.INTERNAL) log.error({ err: error }, "subscription failed");
  return formatted;
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
