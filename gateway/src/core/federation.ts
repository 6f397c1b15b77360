import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { GraphQLError, Kind, parse, type EnumTypeDefinitionNode, type StringValueNode } from "graphql";
import type { Logger } from "@apollo/utils.logger";
import { ExecutionGate } from "./execution-gate.ts";
import { PlanGateway } from "./plan-gateway.ts";
import { notSentCode, SubgraphClient, transportError } from "./subgraph-client.ts";
import { SubscriptionEngine, type GatewayParts, type SubscriptionEngineOptions } from "./subscriptions.ts";

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/** The subgraphs a supergraph routes to, read from its `join__Graph` enum. */
export function subgraphsOf(supergraphSdl: string): SubgraphEndpoint[] {
  const graphEnum = parse(supergraphSdl).definitions.find(
    (definition): definition is EnumTypeDefinitionNode =>
      definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === "join__Graph",
  );
  return (graphEnum?.values ?? []).map((value) => {
    const directive = value.directives?.find((d) => d.name.value === "join__graph");
    const arg = (name: string) =>
      (directive?.arguments?.find((a) => a.name.value === name)?.value as StringValueNode | undefined)?.value ?? "";
    return { name: arg("name"), url: arg("url") };
  });
}

/** Headers for one request to the named subgraph. */
export type SubgraphHeaders<Context> = (context: Context, subgraphName: string) => Record<string, string>;

/** The headers of a subgraph's HTTP answer, as fetch gives them. */
export interface ResponseHeaders {
  get(name: string): string | null;
}

/** Sees the HTTP headers of the named subgraph's answer to a request of the operation. */
export type SubgraphResponseHook<Context> = (subgraphName: string, headers: ResponseHeaders, context: Context) => void;

export interface FederationOptions<Context> {
  supergraphSdl: string;
  /**
   * Who runs query plans, and completes subscription events: "plan" (default), Mary's
   * PlanExecutor, falling back to @apollo/gateway for what it does not support; "apollo",
   * @apollo/gateway's executor alone.
   */
  executor?: "plan" | "apollo";
  /** Replaces routing URLs of the supergraph, by subgraph name (other ports in tests, service names in Docker). */
  subgraphUrls?: Record<string, string>;
  /**
   * How much the operations (queries and mutations) the plan executor runs at once may weigh
   * while the event loop is saturated, in characters of their subgraphs' answers; the rest wait
   * their turn (see ExecutionGate). 0 or unset: no limit.
   */
  executionBudgetBytes?: number;
  /** Each subgraph fetch is abandoned after this long. */
  timeoutMs?: number;
  /** Largest request body a subgraph reads: a planned fetch over it fails before it is sent. */
  maxRequestBytes?: number;
  /** Headers added to every subgraph request (and subscription), computed from the operation's context. */
  subgraphHeaders?: SubgraphHeaders<Context>;
  /** Called with each subgraph answer's HTTP headers (not for subscription events), before its data is used. */
  onSubgraphResponse?: SubgraphResponseHook<Context>;
  /** The `connection_init` payload of the gateway's WebSocket connection to each subgraph. */
  subscriptionConnectionParams?: () => Record<string, string>;
  /** Where subscription execution reports trouble. */
  logger?: Logger;
  /** A subscription with more events than this waiting, whose client has taken none for `maxStallMs`, is ended. */
  maxQueuedEvents?: number;
  maxStallMs?: number;
  /** Which subscriptions may share one subscription to their subgraph (see SubscriptionEngineOptions). */
  subscriptionShareKey?: SubscriptionEngineOptions<Context>["shareKey"];
  /** Root Subscription fields that replay from the start, whose late joiners get the history first. */
  replayFromStart?: string[];
  /** Events all shared subscriptions together keep for late joiners. */
  maxRetainedEvents?: number;
  /** How long a shared subscription reuses an entity fetched for one of its events (0, the default: never, so never stale). */
  subscriptionEntityCacheTtlMs?: number;
}

/**
 * The federation core: plans and executes operations over any supergraph, subscriptions
 * included, knowing nothing of Mary's authentication, limits or quotas.
 */
export function createFederation<Context extends Record<string, any>>(options: FederationOptions<Context>) {
  const subgraphs = subgraphsOf(options.supergraphSdl).map((subgraph) => ({
    ...subgraph,
    url: options.subgraphUrls?.[subgraph.name] ?? subgraph.url,
  }));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const dataSources = Object.fromEntries(
    subgraphs.map(({ name, url }) => [
      name,
      new SubgraphDataSource<Context>({
        name,
        url,
        timeoutMs,
        maxRequestBytes: options.maxRequestBytes,
        subgraphHeaders: options.subgraphHeaders,
        onSubgraphResponse: options.onSubgraphResponse,
      }),
    ]),
  );
  const apolloGateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const dataSource = dataSources[name];
      if (!dataSource) throw new Error(`The supergraph has no subgraph named ${name}`);
      return dataSource;
    },
  });
  const clients = new Map(
    subgraphs.map(({ name, url }) => [
      name,
      new SubgraphClient<Context>({
        name,
        url,
        timeoutMs,
        maxRequestBytes: options.maxRequestBytes,
        headers: options.subgraphHeaders && ((context) => options.subgraphHeaders!(context, name)),
        onResponse:
          options.onSubgraphResponse && ((headers, context) => options.onSubgraphResponse!(name, headers, context)),
      }),
    ]),
  );
  const gateway =
    options.executor === "apollo"
      ? apolloGateway
      : new PlanGateway<Context>(
          apolloGateway,
          (serviceName, request, context) => {
            const client = clients.get(serviceName);
            if (!client) throw new Error(`The supergraph has no subgraph named ${serviceName}`);
            return client.fetch(request, context);
          },
          async () => {
            await Promise.all([...clients.values()].map((client) => client.close()));
          },
          options.executionBudgetBytes ? new ExecutionGate({ budget: options.executionBudgetBytes }) : undefined,
        );
  const subscriptions = new SubscriptionEngine<Context>({
    supergraphSdl: options.supergraphSdl,
    subgraphs,
    serviceMap: dataSources,
    subgraphFetch: async (serviceName, request, context) => {
      const client = clients.get(serviceName);
      if (!client) throw new Error(`The supergraph has no subgraph named ${serviceName}`);
      try {
        return await client.fetch(request, context);
      } catch (error) {
        // What the data sources say of an answer that is not JSON, rather than the parser's words.
        if (!(error instanceof SyntaxError)) throw error;
        throw new Error(`Expected JSON response body from the ${serviceName} service: ${error.message}`, {
          cause: error,
        });
      }
    },
    subgraphHeaders: options.subgraphHeaders,
    connectionParams: options.subscriptionConnectionParams,
    logger: options.logger,
    executor: options.executor,
    maxQueuedEvents: options.maxQueuedEvents,
    maxStallMs: options.maxStallMs,
    shareKey: options.subscriptionShareKey,
    replayFromStart: options.replayFromStart,
    maxRetainedEvents: options.maxRetainedEvents,
    entityCacheTtlMs: options.subscriptionEntityCacheTtlMs,
  });
  // Once @apollo/gateway has loaded the supergraph, subscriptions plan on its planner and schemas
  // rather than on a second copy of them.
  apolloGateway.onSchemaLoadOrUpdate(() => subscriptions.useGatewayParts(loadedParts(apolloGateway)));
  return { gateway, subgraphs, subscriptions };
}

/**
 * What @apollo/gateway 2.14 keeps of the supergraph once loaded: private fields (plan-gateway.ts
 * reads the same ones). A version that renames them throws here, which @apollo/gateway logs, and
 * subscriptions go on with a copy of their own.
 */
function loadedParts(gateway: ApolloGateway): GatewayParts {
  const parts = gateway as unknown as Partial<GatewayParts>;
  if (!parts.apiSchema || !parts.queryPlanner || !parts.supergraphSchema) {
    throw new Error(
      "@apollo/gateway no longer exposes its planner and schemas; the subscription engine needs updating",
    );
  }
  return { apiSchema: parts.apiSchema, queryPlanner: parts.queryPlanner, supergraphSchema: parts.supergraphSchema };
}

/** What RemoteGraphQLDataSource hands `didReceiveResponse`. */
type ReceivedResponse<Context extends Record<string, any>> = Parameters<
  NonNullable<RemoteGraphQLDataSource<Context>["didReceiveResponse"]>
>[0];

class SubgraphDataSource<Context extends Record<string, any>> extends RemoteGraphQLDataSource<Context> {
  private readonly subgraphHeaders?: SubgraphHeaders<Context>;
  private readonly onSubgraphResponse?: SubgraphResponseHook<Context>;
  private readonly name: string;

  constructor(config: {
    name: string;
    url: string;
    timeoutMs: number;
    maxRequestBytes?: number;
    subgraphHeaders?: SubgraphHeaders<Context>;
    onSubgraphResponse?: SubgraphResponseHook<Context>;
  }) {
    super({
      url: config.url,
      fetcher: ((input: string, init: RequestInit) => {
        const size = typeof init.body === "string" ? Buffer.byteLength(init.body) : 0;
        if (config.maxRequestBytes !== undefined && size > config.maxRequestBytes) {
          throw new GraphQLError(
            `The request to the ${config.name} service would be ${size} bytes, over its limit of ${config.maxRequestBytes}; send a smaller one`,
            { extensions: { code: "BAD_USER_INPUT" } },
          );
        }
        // A subgraph that hangs must not hold the client's request forever.
        return fetch(input, { ...init, signal: AbortSignal.timeout(config.timeoutMs) });
      }) as never,
    });
    this.name = config.name;
    this.subgraphHeaders = config.subgraphHeaders;
    this.onSubgraphResponse = config.onSubgraphResponse;
  }

  /**
   * A fetch that failed on the way (the subgraph is down, restarting, closed the connection or
   * passed the timeout) fails its fields with SERVICE_UNAVAILABLE, which says "retry", instead
   * of an INTERNAL that says nothing; the rest of the operation's data is still returned.
   * A mutation that may have reached the subgraph is OUTCOME_UNKNOWN instead: retrying it blindly
   * could do it twice.
   */
  override didEncounterError(
    error: Error,
    _fetchRequest: unknown,
    _fetchResponse?: unknown,
    _context?: Context,
    request?: { query?: string },
  ): void {
    const timedOut = error.name === "TimeoutError" || error.name === "AbortError";
    // undici's fetch fails with a TypeError ("fetch failed") whenever the connection does.
    const unreachable = error.name === "TypeError" && !(error instanceof GraphQLError);
    if (!timedOut && !unreachable) throw error;
    const notSent = unreachable && notSentCode((error.cause as { code?: unknown } | undefined)?.code);
    throw transportError(this.name, { timedOut, notSent }, request?.query, error);
  }

  /**
   * A subgraph refuses a request it cannot run with HTTP 400 and a GraphQL body (for example a
   * variable its scalar rejects, which the gateway's schema cannot check). Its first error is
   * passed on, message and code, instead of a bare "400: Bad Request"; other failures keep
   * Apollo's handling.
   */
  override async errorFromResponse(response: Response): Promise<GraphQLError> {
    if (response.status === 400) {
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | null;
      const first = body?.errors?.[0];
      if (typeof first?.message === "string" && typeof first.extensions?.code === "string") {
        return new GraphQLError(first.message, { extensions: { code: first.extensions.code } });
      }
    }
    return super.errorFromResponse(response as never);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>): void {
    if (!this.subgraphHeaders || !request.http) return;
    for (const [name, value] of Object.entries(this.subgraphHeaders(context as Context, this.name))) {
      request.http.headers.set(name, value);
    }
  }

  /**
   * A successful answer's headers go to `onSubgraphResponse`; the answer itself is passed on
   * unchanged, as RemoteGraphQLDataSource does without this hook (a failed one never gets here).
   */
  override didReceiveResponse({ response, context }: ReceivedResponse<Context>) {
    const headers = response.http?.headers;
    if (this.onSubgraphResponse && headers) this.onSubgraphResponse(this.name, headers, context);
    return response;
  }
}
