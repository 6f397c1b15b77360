import { buildOperationContext, executeQueryPlan, type GraphQLDataSource, type ServiceMap } from "@apollo/gateway";
import type { Logger } from "@apollo/utils.logger";
import { operationFromDocument, Supergraph, type Schema } from "@apollo/federation-internals";
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from "@apollo/query-planner";
import { GraphQLError, print, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { createClient, type Client, type Sink } from "graphql-ws";
import WebSocket from "ws";
import type { SubgraphEndpoint } from "./federation.ts";

/** The stand-in service whose "fetch" hands over the event a subgraph pushed. */
const EVENT_SOURCE = "__subscription_event__";
const DEFAULT_MAX_QUEUED_EVENTS = 1_000;
const DEFAULT_MAX_STALL_MS = 1_000;

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
  /**
   * A subscription is ended when more than `maxQueuedEvents` (1,000) of its events wait while its
   * client has taken none for `maxStallMs` (1 s): a client that stopped reading.
   */
  maxQueuedEvents?: number;
  maxStallMs?: number;
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
  private open = 0;

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
    const subgraph = primary.serviceName;
    const client = this.client(subgraph);
    this.open++;
    const events = new EventQueue(
      subgraph,
      this.options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS,
      this.options.maxStallMs ?? DEFAULT_MAX_STALL_MS,
      () => this.open--,
    );
    events.unsubscribe = client.subscribe(
      {
        query: primary.operation,
        operationName: primary.operationName ?? undefined,
        variables: Object.fromEntries((primary.variableUsages ?? []).map((name) => [name, variables[name]])),
        extensions: { headers: this.options.subgraphHeaders?.(request.context) ?? {} },
      },
      events,
    );
    const resolveEvent = (event: ExecutionResult) => this.resolveEvent(request, primary, rest, event);
    return {
      async next(): Promise<IteratorResult<ExecutionResult>> {
        const step = await events.take();
        if (step.done) return step;
        return { done: false, value: await resolveEvent(step.value) };
      },
      async return() {
        events.cancel();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Subscriptions to subgraphs held right now (one per client subscription until it ends or is cut off). */
  get openSubgraphSubscriptions(): number {
    return this.open;
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

/**
 * One subscription's events from its subgraph, waiting until the client takes them. The
 * connection to the subgraph is shared by many subscriptions, so a client that stops reading
 * cannot slow it down; instead, once more than `maxQueued` events wait and the client has taken
 * none for `maxStallMs`, the subscription is ended (RATE_LIMITED) rather than hold memory
 * without bound. A burst (a long run replayed) to a client that keeps reading is not cut off.
 */
class EventQueue implements Sink<ExecutionResult> {
  /** Ends the subscription in the subgraph; set once subscribed. */
  unsubscribe: () => void = () => {};
  private readonly queue: ExecutionResult[] = [];
  private end: { errors?: readonly GraphQLError[] } | null = null;
  private endReported = false;
  private wake: (() => void) | null = null;
  private lastTaken = Date.now();
  private stallCheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly subgraph: string,
    private readonly maxQueued: number,
    private readonly maxStallMs: number,
    private readonly onEnd: () => void,
  ) {}

  next(event: ExecutionResult): void {
    if (this.end) return;
    this.queue.push(event);
    this.wake?.();
    if (this.queue.length > this.maxQueued) this.stallCheck ??= setTimeout(() => this.checkStall(), this.maxStallMs);
  }

  /** The subgraph refused the operation (GraphQL errors), or its socket closed (restart, crash). */
  error(error: unknown): void {
    this.finish(
      Array.isArray(error)
        ? error.map((e: GraphQLError) => new GraphQLError(e.message, { extensions: e.extensions }))
        : [
            new GraphQLError(`The connection to the ${this.subgraph} service was lost; subscribe again to resume`, {
              extensions: { code: "INTERNAL" },
            }),
          ],
    );
  }

  complete(): void {
    this.finish();
  }

  /** The next event; after the last, the subscription's error (if it ended with one), then done. */
  async take(): Promise<IteratorResult<ExecutionResult>> {
    this.lastTaken = Date.now();
    for (;;) {
      const event = this.queue.shift();
      if (event) return { done: false, value: event };
      if (this.end) {
        if (!this.end.errors || this.endReported) return { done: true, value: undefined };
        this.endReported = true;
        return { done: false, value: { errors: this.end.errors } };
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /** The client ended the subscription. */
  cancel(): void {
    this.unsubscribe();
    this.queue.length = 0;
    this.endReported = true;
    this.finish();
  }

  private checkStall(): void {
    this.stallCheck = undefined;
    if (this.end || this.queue.length <= this.maxQueued) return;
    const waited = Date.now() - this.lastTaken;
    if (waited < this.maxStallMs) {
      this.stallCheck = setTimeout(() => this.checkStall(), this.maxStallMs - waited);
      return;
    }
    this.unsubscribe();
    this.queue.length = 0;
    this.finish([
      new GraphQLError(
        `The client fell more than ${this.maxQueued} events behind and stopped reading; subscribe again ` +
          "(from the last cursor received, where the field takes one) to resume",
        { extensions: { code: "RATE_LIMITED" } },
      ),
    ]);
  }

  private finish(errors?: readonly GraphQLError[]): void {
    if (this.end) return;
    this.end = errors ? { errors } : {};
    clearTimeout(this.stallCheck);
    this.onEnd();
    this.wake?.();
  }
}
