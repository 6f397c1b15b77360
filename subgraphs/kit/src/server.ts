import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { ApolloServer, type BaseContext } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import { clientErrorFormatter, ErrorCode } from "./errors.ts";
import {
  closeServer,
  handleGraphQLRequest,
  HttpError,
  listen,
  sendGraphQLError,
  sendHttpError,
  sendJson,
  SUBGRAPH_MAX_BODY_BYTES,
  type RunningServer,
} from "./http.ts";
import type { Logger } from "./logger.ts";
import { PRINCIPAL_HEADER, REQUEST_ID_HEADER, verifyPrincipal, type Principal } from "./principal.ts";
import { serveSubgraphSubscriptions } from "./subscriptions.ts";

/**
 * The HTTP exchange an operation came in on: the gateway's request headers, and headers for the
 * answer (set while resolvers run, before the answer is written).
 */
export interface SubgraphHttp {
  /** A request header, by name in any case; several values are joined with ", ". */
  header(name: string): string | undefined;
  setHeader(name: string, value: string): void;
}

/** What every subgraph resolver receives, before the subgraph adds its own parts. */
export interface BaseSubgraphContext extends BaseContext {
  principal: Principal;
  requestId: string;
  log: Logger;
  /** The HTTP request and response; absent for operations over WebSocket. */
  http?: SubgraphHttp;
}

/** A SubgraphHttp backed by a node:http request and its response. */
function httpOf(req: IncomingMessage, res: ServerResponse): SubgraphHttp {
  return {
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    setHeader: (name, value) => {
      if (res.headersSent) throw new Error(`The answer's headers were already sent; ${name} came too late`);
      res.setHeader(name, value);
    },
  };
}

/** A plain HTTP endpoint of a subgraph beside /graphql, reached only with the gateway's signed header. */
export type SubgraphRoute = (req: IncomingMessage, res: ServerResponse, base: BaseSubgraphContext) => Promise<void>;

export interface SubgraphServerOptions<C extends BaseSubgraphContext> {
  name: string;
  schema: GraphQLSchema;
  port: number;
  host?: string;
  signingSecret: string;
  log: Logger;
  /** Adds the subgraph's own per-request parts (an ORM fork, loaders, services). */
  createContext: (base: BaseSubgraphContext) => C | Promise<C>;
  /** Throws when a dependency (database, Redis) is not reachable. */
  checkReady?: () => Promise<void>;
  introspection?: boolean;
  /** Extra endpoints by path (for example billing's Stripe webhook, which the gateway forwards). */
  routes?: Record<string, SubgraphRoute>;
  /** Serve the schema's subscriptions over graphql-ws on /graphql, for the gateway. */
  subscriptions?: boolean;
}

/**
 * Serves a subgraph: POST/GET /graphql and its extra routes (only with a valid
 * signed principal header from the gateway), GET /healthz (the process is up)
 * and GET /readyz (its datastores answer).
 */
export async function startSubgraphServer<C extends BaseSubgraphContext>(
  options: SubgraphServerOptions<C>,
): Promise<RunningServer> {
  const { log } = options;
  const apollo = new ApolloServer<C>({
    schema: options.schema,
    introspection: options.introspection ?? true,
    includeStacktraceInErrorResponses: false,
    // Mary does not report traces to Apollo's cloud; computing them per request would be waste.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    formatError: clientErrorFormatter(log, "resolver failed"),
  });
  await apollo.start();

  const server = createServer(async (req, res) => {
    const requestId = (req.headers[REQUEST_ID_HEADER] as string | undefined) ?? randomUUID();
    const reqLog = log.child({ requestId });
    const started = performance.now();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.on("finish", () =>
      reqLog.debug(
        { method: req.method, url: req.url, status: res.statusCode, ms: performance.now() - started },
        "request",
      ),
    );
    try {
      const path = new URL(req.url ?? "/", "http://localhost").pathname;
      if (path === "/healthz") return sendJson(res, 200, { status: "ok", service: options.name });
      if (path === "/readyz") {
        try {
          await options.checkReady?.();
          return sendJson(res, 200, { status: "ready", service: options.name });
        } catch (error) {
          reqLog.warn({ err: error }, "not ready");
          return sendJson(res, 503, { status: "unavailable", service: options.name });
        }
      }
      const route = options.routes?.[path];
      if (path !== "/graphql" && !route) return sendJson(res, 404, { error: "not found" });
      const principal = verifyPrincipal(req.headers[PRINCIPAL_HEADER] as string | undefined, options.signingSecret);
      if (!principal) {
        return sendGraphQLError(res, 401, "Requests must come through the Mary gateway", ErrorCode.UNAUTHENTICATED);
      }
      if (route) return await route(req, res, { principal, requestId, log: reqLog });
      await handleGraphQLRequest(
        apollo,
        req,
        res,
        async () => options.createContext({ principal, requestId, log: reqLog, http: httpOf(req, res) }),
        SUBGRAPH_MAX_BODY_BYTES,
      );
    } catch (error) {
      if (error instanceof HttpError) return sendHttpError(req, res, error);
      reqLog.error({ err: error }, "request failed");
      if (!res.headersSent) sendGraphQLError(res, 500, "Internal server error", ErrorCode.INTERNAL);
      else res.end();
    }
  });
  const subscriptions = options.subscriptions
    ? serveSubgraphSubscriptions(server, "/graphql", {
        schema: options.schema,
        signingSecret: options.signingSecret,
        log,
        createContext: options.createContext,
      })
    : null;
  const host = options.host ?? "127.0.0.1";
  const port = await listen(server, options.port, host);
  log.info({ port }, `${options.name} subgraph listening`);
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    close: async () => {
      await subscriptions?.close();
      await closeServer(server);
      await apollo.stop();
    },
  };
}
