import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type ServiceMap } from "@apollo/gateway";
import type { Logger } from "@apollo/utils.logger";
import { operationFromDocument, Supergraph, type Schema } from "@apollo/federation-internals";
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from "@apollo/query-planner";
import { GraphQLError, print, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import type { SubgraphEndpoint } from "./federation.ts";

/** The stand-in service whose "fetch" hands over the event a subgraph pushed. */
const EVENT_SOURCE = "__subscription_event__";

export interface SubscriptionEngineOptions<Context> {
  supergraphSdl: string;
  /** Where each subgraph is (its HTTP URL; the WebSocket URL is the same with ws:). */
  subgraphs: SubgraphEndpoint[];
  /** The data sources that fetch the rest of each event's fields, by subgraph name. */
  serviceMap: ServiceMap;
  /** Headers for the operation, sent with the subscription in `extensions.headers`. */
  subgraphHeaders?: (context: Context) => Record<string, string>;
  /** The `connection_init` payload of the gateway's connection to each subgraph. */
  connectionParams?: () => Record<string, string>;
  /** Ping the subgraphs' sockets this often, so a dead connection is noticed. */
  keepAliveMs?: number;
  /** Where @apollo/gateway's executor reports trouble (console when not given). */
  logger?: Logger;
}

export interface SubscribeRequest<Context> {
  document: DocumentNode;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  context: Context;
}

/**
 * Subscriptions over a supergraph, on @apollo/gateway's own query planner: the plan's
 * `Subscription` node has a `primary` fetch, which becomes a graphql-ws subscription to the
 * owning subgraph, and a `rest` plan, executed for every event by @apollo/gateway's executor
 * with the event as the primary fetch's answer, so fields of any other subgraph resolve as in
 * a query. Knows nothing of Mary.
 */
export class SubscriptionEngine<Context extends Record<string, any>> {
  /** The client-facing schema (what subscriptions are validated against). */
  readonly schema: GraphQLSchema;
  private readonly apiSchema: Schema;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  private readonly plans = new Map<string, QueryPlan>();
  private readonly clients = new Map<string, Client>();
  private readonly urls: Map<string, string>;

  constructor(private readonly options: SubscriptionEngineOptions<Context>) {
    const supergraph = Supergraph.build(options.supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
    this.urls = new Map(options.subgraphs.map(({ name, url }) => [name, url]));
  }

  /** The query plan of a subscription (cached by its text and operation name). */
  plan(document: DocumentNode, operationName?: string | null): QueryPlan {
    const key = `${operationName ?? ""}\n${print(document)}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const operation = operationFromDocument(this.apiSchema, document, { operationName: operationName ?? undefined });
      plan = this.planner.buildQueryPlan(operation);
      if (this.plans.size >= 500) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, plan);
    }
    return plan;
  }

  /**
   * Subscribes to a validated subscription operation: every event the owning subgraph pushes
   * becomes one complete result. `return()` on the iterator ends the subgraph's subscription.
   */
  subscribe(request: SubscribeRequest<Context>): AsyncIterableIterator<ExecutionResult> {
    const plan = this.plan(request.document, request.operationName);
    if (plan.node?.kind !== "Subscription") throw new Error("Not a subscription operation");
    const { primary, rest } = plan.node;
    const variables = request.variables ?? {};
    const events = this.client(primary.serviceName).iterate({
      query: primary.operation,
      operationName: primary.operationName ?? undefined,
      variables: Object.fromEntries((primary.variableUsages ?? []).map((name) => [name, variables[name]])),
      extensions: { headers: this.options.subgraphHeaders?.(request.context) ?? {} },
    });
    const resolveEvent = (event: ExecutionResult) => this.resolveEvent(request, primary, rest, event);
    const subgraph = primary.serviceName;
    return {
      async next() {
        let step: IteratorResult<ExecutionResult>;
        try {
          step = (await events.next()) as IteratorResult<ExecutionResult>;
        } catch {
          // The subgraph closed the socket (restart, crash): end with an error the client can act on.
          await events.return?.();
          return {
            done: false,
            value: {
              errors: [
                new GraphQLError(`The connection to the ${subgraph} service was lost; subscribe again to resume`, {
                  extensions: { code: "INTERNAL" },
                }),
              ],
            },
          };
        }
        if (step.done) return step;
        return { done: false, value: await resolveEvent(step.value) };
      },
      async return() {
        await events.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Closes the connections to the subgraphs. */
  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.dispose()));
    this.clients.clear();
  }

  /** One event: the primary fetch's data, completed by the plan's `rest`, shaped like the operation. */
  private async resolveEvent(
    request: SubscribeRequest<Context>,
    primary: FetchNode,
    rest: PlanNode | undefined,
    event: ExecutionResult,
  ): Promise<ExecutionResult> {
    if (!event.data) return { errors: event.errors ?? [] };
    const eventFetch: FetchNode = { ...primary, serviceName: EVENT_SOURCE, operationKind: "query" as never };
    const plan: QueryPlan = {
      kind: "QueryPlan",
      node: rest ? { kind: "Sequence", nodes: [eventFetch, rest] } : eventFetch,
    };
    const eventSource: GraphQLDataSource = {
      process: async () => ({ data: event.data as Record<string, unknown> }),
    };
    const operationContext = buildOperationContext({
      schema: this.schema,
      operationDocument: request.document,
      operationName: request.operationName ?? undefined,
    });
    const requestContext = {
      request: {
        query: print(request.document),
        variables: request.variables ?? {},
        operationName: request.operationName,
      },
      document: request.document,
      context: request.context,
      logger: this.options.logger ?? console,
      metrics: {},
      cache: undefined,
      overallCachePolicy: undefined,
    };
    const result = await executeQueryPlan(
      plan,
      { ...this.options.serviceMap, [EVENT_SOURCE]: eventSource },
      requestContext as never,
      operationContext,
      this.supergraphSchema,
      this.apiSchema,
    );
    const errors = [...(event.errors ?? []), ...(result.errors ?? [])];
    return errors.length ? { data: result.data, errors: errors as GraphQLError[] } : { data: result.data };
  }

  private client(name: string): Client {
    let client = this.clients.get(name);
    if (!client) {
      const url = this.urls.get(name);
      if (!url) throw new Error(`The supergraph has no subgraph named ${name}`);
      client = createClient({
        url: url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        lazy: true,
        // A dropped connection ends its subscriptions with an error (clients resume with a cursor)
        // rather than replaying them with headers signed minutes ago.
        retryAttempts: 0,
        keepAlive: this.options.keepAliveMs ?? 10_000,
        connectionParams: () => this.options.connectionParams?.() ?? {},
      });
      this.clients.set(name, client);
    }
    return client;
  }
}
