import { setImmediate as nextTurn } from "node:timers/promises";
import {
  buildOperationContext,
  executeQueryPlan,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
  type ServiceMap,
} from "@apollo/gateway";
import type { Logger } from "@apollo/utils.logger";
import { operationFromDocument, Supergraph, type Schema } from "@apollo/federation-internals";
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from "@apollo/query-planner";
import {
  getOperationAST,
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from "graphql";
import { createClient, type Client, type Sink } from "graphql-ws";
import WebSocket from "ws";
import type { SubgraphEndpoint } from "./federation.ts";
import { PlanExecutor, type SubgraphFetch } from "./plan-executor.ts";

/** The stand-in service whose "fetch" hands over the event a subgraph pushed. */
const EVENT_SOURCE = "__subscription_event__";
const DEFAULT_MAX_QUEUED_EVENTS = 1_000;
const DEFAULT_MAX_STALL_MS = 1_000;
const DEFAULT_MAX_RETAINED_EVENTS = 200_000;
const DEFAULT_ENTITY_CACHE_TTL_MS = 0;
/** Entity batches of one fetch (subgraph, operation, variables) in flight at once: the next one takes what arrived meanwhile. */
const BATCHES_IN_FLIGHT = 1;
/** Callers one entity batch takes at most (the rest wait for the next). */
const MAX_BATCH_CALLS = 1_000;
/** Results one viewer takes in a row before it lets the event loop serve other work. */
const TAKEN_PER_TURN = 16;
/** Viewers handed one event before the fan-out lets the event loop serve other work. */
const FAN_OUT_CHUNK = 256;

export interface SubscriptionEngineOptions<Context> {
  supergraphSdl: string;
  /** Where each subgraph is (its HTTP URL; the WebSocket URL is the same with ws:). */
  subgraphs: SubgraphEndpoint[];
  /** The data sources that fetch the rest of each event's fields, by subgraph name. */
  serviceMap: ServiceMap;
  /**
   * How the plan executor's requests reach the subgraphs (the gateway's keep-alive pools); through
   * `serviceMap` when not given. @apollo/gateway's executor always uses `serviceMap`.
   */
  subgraphFetch?: SubgraphFetch<Context>;
  /** Headers for the operation, sent with the subscription in `extensions.headers`. */
  subgraphHeaders?: (context: Context, subgraphName: string) => Record<string, string>;
  /** The `connection_init` payload of the gateway's connection to each subgraph. */
  connectionParams?: () => Record<string, string>;
  /** Ping the subgraphs' sockets this often, so a dead connection is noticed. */
  keepAliveMs?: number;
  /** Where @apollo/gateway's executor reports trouble (console when not given). */
  logger?: Logger;
  /**
   * Who completes each event: "plan" (default), Mary's PlanExecutor (what the gateway's queries
   * run on), with entity fetches batched across events and across groups of one share key (see
   * `entityCacheTtlMs`), falling back to @apollo/gateway's executor for a plan it does not cover;
   * "apollo", @apollo/gateway's executeQueryPlan, each group's entity fetches coalesced per turn
   * of the event loop (how every event was completed before; the baseline of
   * bench/subscription-federated-events.ts).
   */
  executor?: "plan" | "apollo";
  /**
   * A viewer is ended when more than `maxQueuedEvents` (1,000) of its events wait while its
   * client has taken none for `maxStallMs` (1 s): a client that stopped reading.
   */
  maxQueuedEvents?: number;
  maxStallMs?: number;
  /**
   * Which viewers may share one subscription to the subgraph: those of the same operation and
   * variables whose contexts give the same key, which must therefore mean "every field of this
   * document resolves the same for both". Null (and the default, without this option) never
   * shares, as the context may be anything. With the plan executor and no entity cache, groups
   * of one key (whatever their operation) also send their entity fetches together, on the
   * first caller's context: the key must also mean that a subgraph request of the same text and
   * variables answers the same for both, which "every field resolves the same" implies when the
   * key is computed from who asks and from what the document selects (as Mary's is).
   */
  shareKey?: (context: Context, document: DocumentNode) => string | null;
  /**
   * Root Subscription fields that send every event from the start to each new subscription (a
   * run's output replayed, then live). A viewer joining a shared subscription of one of these
   * first gets what the group received so far, so it sees what its own subscription would have.
   */
  replayFromStart?: string[];
  /** Events all groups together keep for late joiners (200,000); past it a group takes no more joiners. */
  maxRetainedEvents?: number;
  /**
   * How long a group reuses an entity another subgraph returned for one of its events, so
   * consecutive events do not fetch unchanged entities again; what a viewer sees is at most this
   * stale. 0 (the default) reuses nothing from before an event: every event's entities are
   * fetched after it arrived, in batches (the events that arrived while the last batch was on
   * its way, those of every group of the same share key together), so a field of another
   * subgraph is never older than the event.
   */
  entityCacheTtlMs?: number;
}

/** What @apollo/gateway holds once it has loaded the supergraph, which the engine uses instead of its own. */
export interface GatewayParts {
  apiSchema: Schema;
  queryPlanner: QueryPlanner;
  supergraphSchema: GraphQLSchema;
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
 * owning subgraph, and a `rest` plan, executed for every event with the event as the primary
 * fetch's answer, so fields of any other subgraph resolve as in a query. Knows nothing of Mary.
 *
 * Client subscriptions ("viewers") of the same operation, variables and share key form one
 * group: one subscription to the subgraph and one resolution of each event, whose result every
 * viewer of the group receives, each at its own pace.
 *
 * Until `useGatewayParts` hands it those of the gateway's @apollo/gateway, the engine plans on a
 * supergraph of its own; after, it keeps only its client-facing `schema`.
 */
export class SubscriptionEngine<Context extends Record<string, any>> {
  /** The client-facing schema (what subscriptions are validated against). */
  readonly schema: GraphQLSchema;
  /** The engine's own supergraph, until the gateway's parts replace it. */
  private supergraph: Supergraph | undefined;
  private parts: GatewayParts | undefined;
  private readonly plans = new Map<string, QueryPlan>();
  private readonly clients = new Map<string, Client>();
  private readonly urls: Map<string, string>;
  /** Groups a new viewer with the same key joins (the newest one of a key, while it takes joiners). */
  private readonly joinable = new Map<string, SubscriptionGroup>();
  private readonly replayFields: ReadonlySet<string>;
  private readonly executorKind: "plan" | "apollo";
  private readonly entityCacheTtlMs: number;
  private readonly sendToSubgraph: SubgraphFetch<Context>;
  /** The entity batches the groups of one share key send together, with how many groups use them. */
  private readonly sharedBatches = new Map<string, { batches: EntityBatches<Context>; groups: number }>();
  private planExecutor: PlanExecutor<EventContext<Context>> | undefined;
  private upstreams = 0;
  private viewers = 0;
  private holding = 0;
  private retained = 0;

  constructor(private readonly options: SubscriptionEngineOptions<Context>) {
    this.supergraph = Supergraph.build(options.supergraphSdl);
    this.schema = this.supergraph.apiSchema().toGraphQLJSSchema();
    this.urls = new Map(options.subgraphs.map(({ name, url }) => [name, url]));
    this.replayFields = new Set(options.replayFromStart ?? []);
    this.executorKind = options.executor ?? "plan";
    this.entityCacheTtlMs = options.entityCacheTtlMs ?? DEFAULT_ENTITY_CACHE_TTL_MS;
    this.sendToSubgraph = options.subgraphFetch ?? dataSourceFetch(options.serviceMap);
  }

  /**
   * Plans on the gateway's own supergraph, API schema and query planner from now on, and lets
   * go of the engine's (one copy of them in the process, not two).
   */
  useGatewayParts(parts: GatewayParts): void {
    this.parts = parts;
    this.supergraph = undefined;
    this.plans.clear();
    this.planExecutor = undefined;
  }

  /** The gateway's parts, or the engine's own (made when first needed) until it has them. */
  private federation(): GatewayParts {
    if (!this.parts) {
      const supergraph = this.supergraph!;
      this.parts = {
        apiSchema: supergraph.apiSchema(),
        queryPlanner: new QueryPlanner(supergraph),
        supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
      };
    }
    return this.parts;
  }

  /** The query plan of a subscription (cached by its text and operation name). */
  plan(document: DocumentNode, operationName?: string | null): QueryPlan {
    const key = `${operationName ?? ""}\n${printed(document)}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const { apiSchema, queryPlanner } = this.federation();
      const operation = operationFromDocument(apiSchema, document, { operationName: operationName ?? undefined });
      plan = queryPlanner.buildQueryPlan(operation);
      if (this.plans.size >= 500) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(key, plan);
    }
    return plan;
  }

  /**
   * Subscribes to a validated subscription operation: every event the owning subgraph pushes
   * becomes one complete result. `return()` on the iterator ends this viewer, and the subgraph's
   * subscription with its last viewer.
   */
  subscribe(request: SubscribeRequest<Context>): AsyncIterableIterator<ExecutionResult> {
    const plan = this.plan(request.document, request.operationName);
    if (plan.node?.kind !== "Subscription") throw new Error("Not a subscription operation");
    const share = this.options.shareKey?.(request.context, request.document) ?? null;
    const key =
      share === null
        ? null
        : [request.operationName ?? "", printed(request.document), canonicalJson(request.variables ?? {}), share].join(
            "\n",
          );
    const group = (key !== null && this.joinable.get(key)) || this.startGroup(request, plan.node, key, share);
    const viewer = new Viewer(
      this.options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS,
      this.options.maxStallMs ?? DEFAULT_MAX_STALL_MS,
    );
    this.viewers++;
    this.holding++;
    viewer.onRelease = () => this.holding--;
    group.join(viewer, () => this.viewers--);
    return viewer;
  }

  /** Subscriptions to subgraphs held right now: one per group, until it ends or loses its last viewer. */
  get openSubgraphSubscriptions(): number {
    return this.upstreams;
  }

  /** Client subscriptions of groups right now (one that ended is not, even while its client reads what waited). */
  get openViewers(): number {
    return this.viewers;
  }

  /** Client subscriptions whose results the gateway still holds or awaits: not those taken to the end or cut off. */
  get holdingViewers(): number {
    return this.holding;
  }

  /** Closes the connections to the subgraphs. */
  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.dispose()));
    this.clients.clear();
  }

  private startGroup(
    request: SubscribeRequest<Context>,
    node: { primary: FetchNode; rest?: PlanNode },
    key: string | null,
    share: string | null,
  ): SubscriptionGroup {
    const { primary } = node;
    const client = this.client(primary.serviceName);
    const variables = request.variables ?? {};
    const replays = key !== null && this.replayFields.has(rootFieldOf(request.document, request.operationName));
    const maxRetained = this.options.maxRetainedEvents ?? DEFAULT_MAX_RETAINED_EVENTS;
    const resolver = this.eventResolver(request, node, share);
    // Every viewer of a group resolves the same, so the first one's context serves them all.
    const group: SubscriptionGroup = new SubscriptionGroup(primary.serviceName, replays, {
      resolve: resolver.resolve,
      retain: () => {
        if (this.retained >= maxRetained) return false;
        this.retained++;
        return true;
      },
      release: (count) => (this.retained -= count),
      unlist: () => {
        if (key !== null && this.joinable.get(key) === group) this.joinable.delete(key);
      },
      upstreamClosed: () => {
        this.upstreams--;
        resolver.done();
      },
    });
    this.upstreams++;
    if (key !== null) this.joinable.set(key, group);
    group.unsubscribe = client.subscribe(
      {
        query: primary.operation,
        operationName: primary.operationName ?? undefined,
        variables: Object.fromEntries((primary.variableUsages ?? []).map((name) => [name, variables[name]])),
        extensions: { headers: this.options.subgraphHeaders?.(request.context, primary.serviceName) ?? {} },
      },
      group,
    );
    return group;
  }

  /**
   * How one group completes its events, and what it lets go of when its subscription ends: the
   * plan executor with entity batches (its own, or those of its share key), or @apollo/gateway's
   * executor with the group's own coalesced data sources.
   */
  private eventResolver(
    request: SubscribeRequest<Context>,
    node: { primary: FetchNode; rest?: PlanNode },
    share: string | null,
  ): { resolve: (event: ExecutionResult) => Promise<ExecutionResult>; done: () => void } {
    const { primary, rest } = node;
    const eventFetch: FetchNode = { ...primary, serviceName: EVENT_SOURCE, operationKind: "query" as never };
    const plan: QueryPlan = {
      kind: "QueryPlan",
      node: rest ? { kind: "Sequence", nodes: [eventFetch, rest] } : eventFetch,
    };
    let apollo: ((event: ExecutionResult) => Promise<ExecutionResult>) | undefined;
    const apolloResolve = (event: ExecutionResult) => {
      apollo ??= this.apolloResolver(request, plan);
      return apollo(event);
    };
    const operation = getOperationAST(request.document, request.operationName);
    const executor = this.executorKind === "plan" && operation ? this.eventExecutor() : undefined;
    if (!executor || !operation || !executor.supports(plan, request.document, operation))
      return { resolve: apolloResolve, done: () => {} };

    const batches = this.entityBatches(share);
    const variables = request.variables ?? {};
    return {
      resolve: async (event) => {
        if (!event.data) return { errors: event.errors ?? [] };
        const eventContext: EventContext<Context> = { context: request.context, event, batches: batches.batches };
        const result = await executor.execute(plan, request.document, operation, variables, eventContext);
        const errors = [...(event.errors ?? []), ...(result.errors ?? [])];
        return errors.length ? { data: result.data, errors: errors as GraphQLError[] } : { data: result.data };
      },
      done: batches.release,
    };
  }

  /** The plan executor events are completed with: the event is the answer of its stand-in service, entities go through the batches. */
  private eventExecutor(): PlanExecutor<EventContext<Context>> {
    this.planExecutor ??= new PlanExecutor<EventContext<Context>>({
      schema: this.schema,
      supergraphSchema: this.federation().supergraphSchema,
      fetch: async (serviceName, request, { context, event, batches }) =>
        serviceName === EVENT_SOURCE
          ? { data: event.data as Record<string, unknown> }
          : batches.fetch(serviceName, request, context),
    });
    return this.planExecutor;
  }

  /**
   * A group's entity batches: with no entity cache and a share key, those of every group of the
   * key (so their events' entities go in one request); else its own (the cache is the group's).
   */
  private entityBatches(share: string | null): { batches: EntityBatches<Context>; release: () => void } {
    if (share === null || this.entityCacheTtlMs > 0) {
      return { batches: new EntityBatches(this.sendToSubgraph, this.entityCacheTtlMs), release: () => {} };
    }
    let entry = this.sharedBatches.get(share);
    if (!entry) {
      entry = { batches: new EntityBatches(this.sendToSubgraph, 0), groups: 0 };
      this.sharedBatches.set(share, entry);
    }
    entry.groups++;
    const shared = entry;
    let released = false;
    return {
      batches: shared.batches,
      release: () => {
        if (released) return;
        released = true;
        if (--shared.groups === 0 && this.sharedBatches.get(share) === shared) this.sharedBatches.delete(share);
      },
    };
  }

  /**
   * Completes events with @apollo/gateway's executeQueryPlan, the group's entity fetches
   * coalesced per turn and cached for `entityCacheTtlMs` (EntityBatcher).
   */
  private apolloResolver(
    request: SubscribeRequest<Context>,
    plan: QueryPlan,
  ): (event: ExecutionResult) => Promise<ExecutionResult> {
    const serviceMap = batchedEntityFetches(this.options.serviceMap, this.entityCacheTtlMs);
    const operationContext = buildOperationContext({
      schema: this.schema,
      operationDocument: request.document,
      operationName: request.operationName ?? undefined,
    });
    const { apiSchema, supergraphSchema } = this.federation();
    const requestContext = {
      request: {
        query: printed(request.document),
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
    return async (event) => {
      if (!event.data) return { errors: event.errors ?? [] };
      const eventSource: GraphQLDataSource = {
        process: async () => ({ data: event.data as Record<string, unknown> }),
      };
      const result = await executeQueryPlan(
        plan,
        { ...serviceMap, [EVENT_SOURCE]: eventSource },
        { ...requestContext, metrics: {} } as never,
        operationContext,
        supergraphSchema,
        apiSchema,
      );
      const errors = [...(event.errors ?? []), ...(result.errors ?? [])];
      return errors.length ? { data: result.data, errors: errors as GraphQLError[] } : { data: result.data };
    };
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

/** What the plan executor carries through one event's completion. */
interface EventContext<Context> {
  /** The group's (its first viewer's) context, for the subgraph requests. */
  context: Context;
  event: ExecutionResult;
  batches: EntityBatches<Context>;
}

/** A subgraph request through @apollo/gateway's data sources (the gateway's headers, limits, timeouts and error codes). */
function dataSourceFetch<Context>(serviceMap: ServiceMap): SubgraphFetch<Context> {
  return async (serviceName, request, context) => {
    const source = serviceMap[serviceName];
    if (!source) throw new Error(`The supergraph has no subgraph named ${serviceName}`);
    const response = await source.process({
      kind: "incoming operation",
      request: { query: request.query, operationName: request.operationName, variables: request.variables },
      incomingRequestContext: INCOMING_REQUEST,
      context,
    } as unknown as GraphQLDataSourceProcessOptions);
    return response.errors ? { data: response.data, errors: response.errors } : { data: response.data };
  };
}

/** What a data source reads of the operation that made a request (nothing to honour from the subgraph's cache headers). */
const INCOMING_REQUEST = Object.freeze({ overallCachePolicy: undefined });

const printedDocuments = new WeakMap<DocumentNode, string>();

/** The document's text, printed once per document (the gateway's admission hands the same one to every viewer of it). */
function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) printedDocuments.set(document, (text = print(document)));
  return text;
}

/** JSON with object keys sorted, so equal variables give equal text whatever order they came in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** The root field a subscription operation selects (a subscription has exactly one). */
function rootFieldOf(document: DocumentNode, operationName?: string | null): string {
  const selection = getOperationAST(document, operationName)?.selectionSet.selections[0];
  return selection?.kind === Kind.FIELD ? selection.name.value : "";
}

/** Calls `each` for every item, letting the event loop run between chunks of FAN_OUT_CHUNK. */
async function inChunks<T>(items: readonly T[], each: (item: T) => void): Promise<void> {
  for (let start = 0; start < items.length; start += FAN_OUT_CHUNK) {
    if (start > 0) await nextTurn();
    for (const item of items.slice(start, start + FAN_OUT_CHUNK)) each(item);
  }
}

/** What a group needs from the engine that made it. */
interface GroupHooks {
  /** Completes one event with the plan's `rest`. */
  resolve: (event: ExecutionResult) => Promise<ExecutionResult>;
  /** Takes a place for one more retained event among all groups; false when there is none. */
  retain: () => boolean;
  /** Gives back places taken with `retain`. */
  release: (count: number) => void;
  /** Takes the group out of the joinable ones: later viewers start a group of their own. */
  unlist: () => void;
  /** The subscription to the subgraph has ended (by the subgraph, or with the last viewer). */
  upstreamClosed: () => void;
}

/** An event being resolved, or the end of the subgraph's subscription, in the order they came. */
type Arrival =
  | { kind: "event"; result?: ExecutionResult; ready: boolean }
  | { kind: "end"; errors?: readonly GraphQLError[]; ready: true };

/**
 * One subscription to a subgraph and its viewers. Each event is resolved once, concurrently with
 * the events around it (so their entity fetches coalesce), and handed to every viewer strictly in
 * arrival order. For a replay-from-start field, the results so far are kept for late joiners.
 */
class SubscriptionGroup implements Sink<ExecutionResult> {
  /** Ends the subscription in the subgraph; set once subscribed. */
  unsubscribe: () => void = () => {};
  private readonly viewers = new Set<Viewer>();
  private readonly arrivals: Arrival[] = [];
  /** Every result so far, for late joiners; null when the field does not replay or the group stopped keeping them. */
  private history: ExecutionResult[] | null;
  private upstreamOpen = true;
  private delivering = false;

  constructor(
    private readonly subgraph: string,
    replays: boolean,
    private readonly hooks: GroupHooks,
  ) {
    this.history = replays ? [] : null;
  }

  /** Adds a viewer: it gets the results from now on, after the history when the field replays. */
  join(viewer: Viewer, onEnd: () => void): void {
    this.viewers.add(viewer);
    viewer.onEnd = () => {
      onEnd();
      this.leave(viewer);
    };
    if (this.history) viewer.startWith(this.history);
  }

  next(event: ExecutionResult): void {
    if (!this.upstreamOpen) return;
    const arrival: Arrival = { kind: "event", ready: false };
    this.arrivals.push(arrival);
    this.hooks
      .resolve(event)
      .catch((error: unknown) => ({
        errors: [new GraphQLError("The event could not be resolved", { originalError: error as Error })],
      }))
      .then((result) => {
        arrival.result = result;
        arrival.ready = true;
        void this.deliver();
      });
  }

  /** The subgraph refused the operation (GraphQL errors), or its socket closed (restart, crash). */
  error(error: unknown): void {
    this.closeUpstream(
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
    this.closeUpstream();
  }

  /** The subgraph ended: no one joins any more, and each viewer ends after the results before the end. */
  private closeUpstream(errors?: readonly GraphQLError[]): void {
    if (!this.upstreamOpen) return;
    this.upstreamOpen = false;
    this.hooks.unlist();
    this.dropHistory();
    this.hooks.upstreamClosed();
    this.arrivals.push({ kind: "end", errors, ready: true });
    void this.deliver();
  }

  private leave(viewer: Viewer): void {
    this.viewers.delete(viewer);
    if (this.viewers.size > 0) return;
    this.hooks.unlist();
    this.dropHistory();
    this.arrivals.length = 0;
    if (this.upstreamOpen) {
      this.upstreamOpen = false;
      this.unsubscribe();
      this.hooks.upstreamClosed();
    }
  }

  /** Hands out the resolved arrivals at the head of the line, one at a time. */
  private async deliver(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.arrivals[0]?.ready) {
        const arrival = this.arrivals.shift()!;
        if (arrival.kind === "end") {
          await inChunks([...this.viewers], (viewer) => viewer.finish(arrival.errors));
        } else {
          const result = arrival.result!;
          this.keep(result);
          // Viewers that join during the fan-out have it in their history (or joined after it).
          await inChunks([...this.viewers], (viewer) => viewer.push(result));
        }
      }
    } finally {
      this.delivering = false;
    }
  }

  private keep(result: ExecutionResult): void {
    if (!this.history) return;
    if (this.hooks.retain()) {
      this.history.push(result);
      return;
    }
    // Out of room: viewers already in have what they need; a later one starts a group of its own.
    this.dropHistory();
    this.hooks.unlist();
  }

  private dropHistory(): void {
    if (!this.history) return;
    this.hooks.release(this.history.length);
    this.history = null;
  }
}

/**
 * One client subscription's results, waiting until the client takes them. A group's
 * subscription is shared by many viewers, so a client that stops reading cannot slow it down;
 * instead, once more than `maxQueued` results wait and the client has taken none for
 * `maxStallMs`, this viewer alone is ended (RATE_LIMITED) rather than hold memory without
 * bound. A burst (a long run replayed) to a client that keeps reading is not cut off.
 */
class Viewer implements AsyncIterableIterator<ExecutionResult> {
  /** Called once, when the viewer ends however it ends; set by the group it joins. */
  onEnd: () => void = () => {};
  /** Called once, when the viewer holds nothing more: its client took the last result, left, or was cut off. */
  onRelease: () => void = () => {};
  private released = false;
  /** Results taken since this viewer last waited or yielded. */
  private takenInTurn = 0;
  /** The group's history when this viewer joined: the first `backlogEnd` of it are its to take first. */
  private backlog: readonly ExecutionResult[] = [];
  private backlogEnd = 0;
  private backlogNext = 0;
  private readonly queue: ExecutionResult[] = [];
  private end: { errors?: readonly GraphQLError[] } | null = null;
  private endReported = false;
  private wake: (() => void) | null = null;
  private lastTaken = Date.now();
  private stallCheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxQueued: number,
    private readonly maxStallMs: number,
  ) {}

  /** Results the group had before this viewer joined (shared, read up to today's length only). */
  startWith(history: readonly ExecutionResult[]): void {
    this.backlog = history;
    this.backlogEnd = history.length;
    this.watchQueue();
  }

  push(result: ExecutionResult): void {
    if (this.end) return;
    this.queue.push(result);
    this.wake?.();
    this.watchQueue();
  }

  /**
   * The group's subscription ended: what waits is still taken, then the error (if any), then
   * done. A client that does not take it is still cut off, so it cannot hold it forever.
   */
  finish(errors?: readonly GraphQLError[]): void {
    if (this.end) return;
    this.end = errors ? { errors } : {};
    this.onEnd();
    this.wake?.();
  }

  /** The next result; after the last, the subscription's error (if it ended with one), then done. */
  async next(): Promise<IteratorResult<ExecutionResult>> {
    this.lastTaken = Date.now();
    // A viewer with much waiting (a late joiner's history, a burst) would otherwise be sent it all
    // in one turn: a socket's writes complete at once, so each send's callback takes the next.
    if (++this.takenInTurn > TAKEN_PER_TURN) {
      this.takenInTurn = 0;
      await nextTurn();
    }
    for (;;) {
      if (this.backlogNext < this.backlogEnd) {
        const result = this.backlog[this.backlogNext++]!;
        if (this.backlogNext === this.backlogEnd) this.backlog = [];
        return { done: false, value: result };
      }
      const result = this.queue.shift();
      if (result) return { done: false, value: result };
      if (this.end) {
        if (!this.end.errors || this.endReported) {
          this.release();
          return { done: true, value: undefined };
        }
        this.endReported = true;
        return { done: false, value: { errors: this.end.errors } };
      }
      this.takenInTurn = 0;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /** The client ended the subscription. */
  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.letGo();
    this.release();
    clearTimeout(this.stallCheck);
    this.endReported = true;
    this.finish();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }

  private get waiting(): number {
    return this.backlogEnd - this.backlogNext + this.queue.length;
  }

  private watchQueue(): void {
    if (this.waiting > this.maxQueued) this.stallCheck ??= setTimeout(() => this.checkStall(), this.maxStallMs);
  }

  private checkStall(): void {
    this.stallCheck = undefined;
    if (this.waiting <= this.maxQueued) return;
    const waited = Date.now() - this.lastTaken;
    if (waited < this.maxStallMs) {
      this.stallCheck = setTimeout(() => this.checkStall(), this.maxStallMs - waited);
      return;
    }
    this.letGo();
    this.release();
    const error = new GraphQLError(
      `The client fell more than ${this.maxQueued} events behind and stopped reading; subscribe again ` +
        "(from the last cursor received, where the field takes one) to resume",
      { extensions: { code: "RATE_LIMITED" } },
    );
    // After the group's end, what waited is dropped all the same, and the client told why.
    if (this.end) this.end = { errors: [error] };
    else this.finish([error]);
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease();
  }

  /** Drops what waits, so a viewer that is ended holds no results. */
  private letGo(): void {
    this.backlog = [];
    this.backlogEnd = this.backlogNext = 0;
    this.queue.length = 0;
  }
}

type DataSourceResponse = Awaited<ReturnType<GraphQLDataSource["process"]>>;

/** One caller of an entity fetch waiting for the batch it joined. */
interface EntityCall {
  options: GraphQLDataSourceProcessOptions;
  representations: unknown[];
  /** The cache key of each representation. */
  keys: string[];
  resolve: (response: DataSourceResponse) => void;
  reject: (error: unknown) => void;
}

/** One group's data sources: every subgraph's entity fetches batched and cached (EntityBatcher). */
function batchedEntityFetches(serviceMap: ServiceMap, cacheTtlMs: number): ServiceMap {
  return Object.fromEntries(
    Object.entries(serviceMap).map(([name, source]) => [name, new EntityBatcher(source, cacheTtlMs)]),
  );
}

/**
 * A data source as one group sees it. Entity fetches (those whose variables carry
 * `representations`) of the same operation issued in the same turn of the event loop (the
 * events of a burst, resolved side by side) become one request for the distinct representations,
 * its answer split back by position; and each entity is reused for `ttlMs` from when it was
 * asked for (a caller waits for one being fetched rather than fetch it again). An answer with
 * errors is not cached or split: each caller's own request is sent alone, so the errors' paths
 * are right for it. Other fetches pass through.
 * One per group, never shared: groups differ in who asks, and what they may see.
 */
class EntityBatcher implements GraphQLDataSource {
  /** Entity JSON by key; one TTL for all, so insertion order is (about) expiry order. */
  private readonly cache = new Map<string, { json: string; expires: number }>();
  /** Keys being fetched, with what settles when their answer is in (cached or not). */
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly batches = new Map<string, EntityCall[]>();

  constructor(
    private readonly source: GraphQLDataSource,
    private readonly ttlMs: number,
  ) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<DataSourceResponse> {
    const { representations, ...others } = options.request.variables ?? {};
    if (!Array.isArray(representations)) return this.source.process(options);
    const batchKey = `${options.request.query}\n${JSON.stringify(others)}`;
    const keys = representations.map((representation) => `${batchKey}\n${JSON.stringify(representation)}`);
    for (;;) {
      const cached = keys.map((key) => this.cached(key));
      if (cached.every((json) => json !== undefined)) return entities(cached);
      if (this.ttlMs <= 0) break;
      const fetching = keys.filter((_key, i) => cached[i] === undefined).map((key) => this.inflight.get(key));
      if (fetching.some((settled) => settled === undefined)) break;
      await Promise.all(fetching);
    }
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(batchKey);
      if (!batch) {
        const calls: EntityCall[] = (batch = []);
        this.batches.set(batchKey, calls);
        setImmediate(() => {
          this.batches.delete(batchKey);
          void this.flush(calls);
        });
      }
      batch.push({ options, representations, keys, resolve, reject });
    });
  }

  private async flush(calls: EntityCall[]): Promise<void> {
    const sentAt = Date.now();
    const known = new Map<string, string>();
    const missing = new Map<string, unknown>();
    for (const call of calls) {
      call.keys.forEach((key, i) => {
        if (known.has(key) || missing.has(key)) return;
        const json = this.cached(key);
        if (json !== undefined) known.set(key, json);
        else missing.set(key, call.representations[i]);
      });
    }
    const first = calls[0]!;
    // A single caller needing all it asked for is sent as it is.
    const alone = calls.length === 1 && missing.size === first.keys.length;
    if (missing.size > 0) {
      const request = alone
        ? first.options
        : {
            ...first.options,
            request: {
              ...first.options.request,
              variables: { ...first.options.request.variables, representations: [...missing.values()] },
            },
          };
      const settled = Promise.withResolvers<void>();
      for (const key of missing.keys()) this.inflight.set(key, settled.promise);
      try {
        const response = await this.source.process(request);
        const fetched = response.data?._entities;
        if (response.errors || !Array.isArray(fetched) || fetched.length !== missing.size) {
          if (alone) return first.resolve(response);
          for (const call of calls) this.source.process(call.options).then(call.resolve, call.reject);
          return;
        }
        [...missing.keys()].forEach((key, i) => {
          const json = JSON.stringify(fetched[i] ?? null);
          known.set(key, json);
          this.remember(key, json, sentAt);
        });
        if (alone) return first.resolve(response);
      } catch (error) {
        for (const call of calls) call.reject(error);
        return;
      } finally {
        for (const key of missing.keys()) if (this.inflight.get(key) === settled.promise) this.inflight.delete(key);
        settled.resolve();
      }
    }
    for (const call of calls) call.resolve(entities(call.keys.map((key) => known.get(key))));
  }

  private cached(key: string): string | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expires > Date.now()) return entry.json;
    this.cache.delete(key);
    return undefined;
  }

  private remember(key: string, json: string, sentAt: number): void {
    if (this.ttlMs <= 0) return;
    this.cache.delete(key);
    this.cache.set(key, { json, expires: sentAt + this.ttlMs });
    const now = Date.now();
    for (const [oldKey, entry] of this.cache) {
      if (entry.expires > now) break;
      this.cache.delete(oldKey);
    }
  }
}

/** An `_entities` answer of fresh objects (the executor merges into what it is given). */
function entities(jsons: (string | undefined)[]): DataSourceResponse {
  return { data: { _entities: jsons.map((json) => (json === undefined ? null : JSON.parse(json))) } };
}

type SubgraphRequest = Parameters<SubgraphFetch<unknown>>[1];
type SubgraphAnswer = Awaited<ReturnType<SubgraphFetch<unknown>>>;
type SubgraphAnswerError = NonNullable<SubgraphAnswer["errors"]>[number];

/** One caller of an entity fetch, waiting for the batch it joined. */
interface PendingEntities<Context> {
  request: SubgraphRequest;
  context: Context;
  representations: unknown[];
  /** The key of each representation (the fetch's key and the representation's JSON). */
  keys: string[];
  resolve: (answer: SubgraphAnswer) => void;
  reject: (error: unknown) => void;
}

/** The callers of one fetch (subgraph, operation, other variables) waiting for their batch, and the batches on their way. */
interface EntityLine<Context> {
  serviceName: string;
  waiting: PendingEntities<Context>[];
  inFlight: number;
  scheduled: boolean;
}

/**
 * Entity fetches (requests whose variables carry `representations`) for the plan executor,
 * batched: the callers of the same fetch become one request for their distinct
 * representations, whose answer is split back by position, errors included (an error at
 * `_entities[i]` goes to each caller that sent that representation, at its own index). A batch
 * is sent on the turn after its first caller, and while BATCHES_IN_FLIGHT of a fetch are on their
 * way, later callers wait and go together in the next one; so the busier the gateway, the fewer
 * requests per event, and every caller's entities are fetched after it asked: never older than
 * the event that needed them.
 *
 * With `ttlMs` > 0, an entity is also reused for that long from when it was asked for (a caller
 * waits for one being fetched rather than fetch it again): at most that stale. An answer with
 * errors is not cached; one whose errors cannot be told apart by entity is not split, and each
 * caller's own request is sent alone. Other requests pass through.
 *
 * Shared only by callers that may see each other's answers (one group, or the groups of one
 * share key): the batch goes on its first caller's context.
 */
class EntityBatches<Context> {
  private readonly lines = new Map<string, EntityLine<Context>>();
  /** Entity JSON by key (with `ttlMs` > 0); one TTL for all, so insertion order is (about) expiry order. */
  private readonly cache = new Map<string, { json: string; expires: number }>();
  /** Keys being fetched (with `ttlMs` > 0), with what settles when their answer is in. */
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly send: SubgraphFetch<Context>,
    private readonly ttlMs: number,
  ) {}

  async fetch(serviceName: string, request: SubgraphRequest, context: Context): Promise<SubgraphAnswer> {
    const { representations, ...others } = request.variables;
    if (!Array.isArray(representations)) return this.send(serviceName, request, context);
    const lineKey = `${serviceName}\n${request.query}\n${JSON.stringify(others)}`;
    const keys = representations.map((representation) => `${lineKey}\n${JSON.stringify(representation)}`);
    while (this.ttlMs > 0) {
      const cached = keys.map((key) => this.cached(key));
      if (cached.every((json) => json !== undefined)) return entitiesAnswer(cached.map((json) => JSON.parse(json!)));
      const fetching = keys.filter((_key, i) => cached[i] === undefined).map((key) => this.inflight.get(key));
      if (fetching.some((settled) => settled === undefined)) break;
      await Promise.all(fetching);
    }
    return new Promise((resolve, reject) => {
      let line = this.lines.get(lineKey);
      if (!line) {
        line = { serviceName, waiting: [], inFlight: 0, scheduled: false };
        this.lines.set(lineKey, line);
      }
      line.waiting.push({ request, context, representations, keys, resolve, reject });
      this.schedule(lineKey, line);
    });
  }

  /** Sends the line's next batch on the next turn, unless one is already due or too many are on their way. */
  private schedule(lineKey: string, line: EntityLine<Context>): void {
    if (line.scheduled || line.inFlight >= BATCHES_IN_FLIGHT || line.waiting.length === 0) return;
    line.scheduled = true;
    setImmediate(() => {
      line.scheduled = false;
      void this.flush(lineKey, line);
    });
  }

  private async flush(lineKey: string, line: EntityLine<Context>): Promise<void> {
    if (line.inFlight >= BATCHES_IN_FLIGHT || line.waiting.length === 0) return;
    const calls = line.waiting.splice(0, MAX_BATCH_CALLS);
    line.inFlight++;
    try {
      await this.sendBatch(line.serviceName, calls);
    } finally {
      line.inFlight--;
      if (line.waiting.length > 0) this.schedule(lineKey, line);
      else if (line.inFlight === 0 && !line.scheduled && this.lines.get(lineKey) === line) this.lines.delete(lineKey);
    }
  }

  private async sendBatch(serviceName: string, calls: PendingEntities<Context>[]): Promise<void> {
    const sentAt = Date.now();
    /** Entities known before sending (cached), as JSON. */
    const known = new Map<string, string>();
    const missing = new Map<string, unknown>();
    for (const call of calls) {
      call.keys.forEach((key, i) => {
        if (known.has(key) || missing.has(key)) return;
        const json = this.ttlMs > 0 ? this.cached(key) : undefined;
        if (json !== undefined) known.set(key, json);
        else missing.set(key, call.representations[i]);
      });
    }
    const first = calls[0]!;
    // A single caller needing all it asked for is sent as it is.
    const alone = calls.length === 1 && missing.size === first.keys.length;
    let fetched = new Map<string, { entity: unknown; errors: SubgraphAnswerError[] }>();
    if (missing.size > 0) {
      const { json: _json, ...firstRequest } = first.request;
      const request = alone
        ? first.request
        : { ...firstRequest, variables: { ...first.request.variables, representations: [...missing.values()] } };
      const settled = this.ttlMs > 0 ? Promise.withResolvers<void>() : undefined;
      if (settled) for (const key of missing.keys()) this.inflight.set(key, settled.promise);
      try {
        const answer = await this.send(serviceName, request, first.context);
        const entities = answer.data?._entities;
        const split =
          Array.isArray(entities) && entities.length === missing.size ? byEntity(answer, [...missing.keys()]) : null;
        if (split && !answer.errors && this.ttlMs > 0) {
          for (const [key, { entity }] of split) this.remember(key, JSON.stringify(entity ?? null), sentAt);
        }
        if (alone) return first.resolve(answer);
        if (!split) {
          for (const call of calls) this.send(serviceName, call.request, call.context).then(call.resolve, call.reject);
          return;
        }
        fetched = split;
      } catch (error) {
        for (const call of calls) call.reject(error);
        return;
      } finally {
        if (settled) {
          for (const key of missing.keys()) if (this.inflight.get(key) === settled.promise) this.inflight.delete(key);
          settled.resolve();
        }
      }
    }
    // The executor merges into what it is given: an entity handed to more than one caller is copied.
    const handedOut = new Set<string>();
    const entityFor = (key: string): unknown => {
      const json = known.get(key);
      if (json !== undefined) return JSON.parse(json);
      const entity = fetched.get(key)?.entity ?? null;
      if (!handedOut.has(key)) {
        handedOut.add(key);
        return entity;
      }
      return entity === null ? null : structuredClone(entity);
    };
    for (const call of calls) {
      const errors: SubgraphAnswerError[] = [];
      call.keys.forEach((key, index) => {
        for (const error of fetched.get(key)?.errors ?? []) {
          errors.push({ ...error, path: ["_entities", index, ...(error.path ?? []).slice(2)] });
        }
      });
      call.resolve(entitiesAnswer(call.keys.map(entityFor), errors));
    }
  }

  private cached(key: string): string | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expires > Date.now()) return entry.json;
    this.cache.delete(key);
    return undefined;
  }

  private remember(key: string, json: string, sentAt: number): void {
    this.cache.delete(key);
    this.cache.set(key, { json, expires: sentAt + this.ttlMs });
    const now = Date.now();
    for (const [oldKey, entry] of this.cache) {
      if (entry.expires > now) break;
      this.cache.delete(oldKey);
    }
  }
}

/**
 * A batched `_entities` answer by representation key: each entity and the errors at its index.
 * Null when an error does not say which entity it is about (no `_entities[i]` path): such an
 * answer cannot be split.
 */
function byEntity(
  answer: SubgraphAnswer,
  keys: string[],
): Map<string, { entity: unknown; errors: SubgraphAnswerError[] }> | null {
  const entities = answer.data!._entities as unknown[];
  const split = new Map(keys.map((key, i) => [key, { entity: entities[i], errors: [] as SubgraphAnswerError[] }]));
  for (const error of answer.errors ?? []) {
    const index = error.path?.[0] === "_entities" ? error.path[1] : undefined;
    if (typeof index !== "number" || index < 0 || index >= keys.length) return null;
    split.get(keys[index]!)!.errors.push(error);
  }
  return split;
}

/** An `_entities` answer of these entities, with these errors. */
function entitiesAnswer(entities: unknown[], errors: SubgraphAnswerError[] = []): SubgraphAnswer {
  return errors.length > 0 ? { data: { _entities: entities }, errors } : { data: { _entities: entities } };
}
