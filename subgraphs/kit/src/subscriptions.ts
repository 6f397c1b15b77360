import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { appError, clientErrorFormatter, ErrorCode } from "./errors.ts";
import type { Logger } from "./logger.ts";
import { PRINCIPAL_HEADER, REQUEST_ID_HEADER, verifyPrincipal, type Principal } from "./principal.ts";
import type { BaseSubgraphContext } from "./server.ts";

/**
 * How the gateway reaches a subgraph's subscriptions: one graphql-ws connection per subgraph,
 * opened with the gateway's own signed principal in `connection_init`, each operation carrying
 * the caller's signed principal in `extensions.headers` (the headers an HTTP fetch would have).
 */
export interface SubgraphSubscriptionOptions<C extends BaseSubgraphContext> {
  schema: GraphQLSchema;
  signingSecret: string;
  log: Logger;
  createContext: (base: BaseSubgraphContext) => C | Promise<C>;
}

type OperationHeaders = Record<string, unknown> | undefined;

const headersOf = (extensions: Record<string, unknown> | null | undefined): OperationHeaders =>
  extensions?.headers && typeof extensions.headers === "object"
    ? (extensions.headers as Record<string, unknown>)
    : undefined;

/** Serves graphql-ws on `path` of the HTTP server; returns a function that closes every socket. */
export function serveSubgraphSubscriptions<C extends BaseSubgraphContext>(
  server: Server,
  path: string,
  options: SubgraphSubscriptionOptions<C>,
): { close: () => Promise<void>; sockets: () => number } {
  const { log, signingSecret } = options;
  const wss = new WebSocketServer({ server, path });
  const principalOf = (headers: OperationHeaders): Principal | null => {
    const header = headers?.[PRINCIPAL_HEADER];
    return typeof header === "string" ? verifyPrincipal(header, signingSecret) : null;
  };
  const format = clientErrorFormatter(log, "subscription failed");
  const dispose = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      // Only Mary's gateway may connect.
      onConnect: (ctx) => {
        const principal = principalOf(ctx.connectionParams);
        return principal?.kind === "service" && principal.service === "gateway";
      },
      onSubscribe: (_ctx, _id, payload) => {
        if (!principalOf(headersOf(payload.extensions))) {
          return [appError(ErrorCode.UNAUTHENTICATED, "Operations must come through the Mary gateway")];
        }
      },
      context: async (_ctx, _id, payload) => {
        const headers = headersOf(payload.extensions);
        const requestId = typeof headers?.[REQUEST_ID_HEADER] === "string" ? headers[REQUEST_ID_HEADER] : randomUUID();
        return options.createContext({
          principal: principalOf(headers)!,
          requestId,
          log: log.child({ requestId }),
        });
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((error) => format(error.toJSON(), error)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => format(error.toJSON(), error)),
    },
    wss,
  );
  return {
    sockets: () => wss.clients.size,
    close: async () => {
      for (const client of wss.clients) client.close(1001, "Server shutting down");
      await dispose.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
