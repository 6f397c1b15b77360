import type { ApolloGateway } from "@apollo/gateway";
import { operationFromDocument, type Schema } from "@apollo/federation-internals";
import type { QueryPlan, QueryPlanner } from "@apollo/query-planner";
import type { DocumentNode, ExecutionResult, GraphQLSchema, OperationDefinitionNode } from "graphql";
import type { ExecutionGate } from "./execution-gate.ts";
import { PlanExecutor, type SubgraphFetch } from "./plan-executor.ts";

type Loaded = Awaited<ReturnType<ApolloGateway["load"]>>;
type Executor = Loaded["executor"];

/**
 * What @apollo/gateway 2.14 keeps of its supergraph once loaded. They are private fields, read
 * here so that planning is done once, by its own planner, and no second copy of the schemas is
 * held; `load` fails loudly if a version ever renames them.
 */
interface LoadedGatewayParts {
  apiSchema: Schema;
  queryPlanner: QueryPlanner;
  supergraphSchema: GraphQLSchema;
}

/**
 * Apollo Server's gateway with Mary's plan executor: @apollo/gateway loads the supergraph and
 * plans, the plan is kept per parsed document (Apollo Server hands the same DocumentNode for the
 * same text), and PlanExecutor runs it. A plan it does not support goes to @apollo/gateway's own
 * executor unchanged.
 */
export class PlanGateway<Context> {
  private executor?: PlanExecutor<Context>;
  private parts?: LoadedGatewayParts;
  private readonly plans = new WeakMap<DocumentNode, Map<string, QueryPlan>>();
  /** What each plan's subgraphs answered the last time it ran, in characters of JSON: its weight at the gate. */
  private readonly answerBytes = new WeakMap<QueryPlan, number>();

  constructor(
    readonly inner: ApolloGateway,
    private readonly fetch: SubgraphFetch<Context>,
    /** Closes what `fetch` holds open (connection pools). */
    private readonly close: () => Promise<void>,
    /** Takes large operations a few at a time while the CPU is saturated (none: all at once). */
    private readonly gate?: ExecutionGate,
  ) {}

  async load(options?: Parameters<ApolloGateway["load"]>[0]): Promise<Loaded> {
    const loaded = await this.inner.load(options);
    const parts = this.inner as unknown as Partial<LoadedGatewayParts>;
    if (!parts.apiSchema || !parts.queryPlanner || !parts.supergraphSchema) {
      throw new Error("@apollo/gateway no longer exposes its planner and schemas; the plan executor needs updating");
    }
    this.parts = parts as LoadedGatewayParts;
    this.executor = new PlanExecutor<Context>({
      schema: loaded.schema,
      supergraphSchema: this.parts.supergraphSchema,
      fetch: this.fetch,
    });
    const fallback = loaded.executor;
    const execute: Executor = async (requestContext) => {
      const plan = this.planOf(requestContext.document, requestContext.operationName);
      if (!this.executor!.supports(plan, requestContext.document, requestContext.operation))
        return fallback(requestContext);
      return this.run(
        plan,
        requestContext.document,
        requestContext.operation,
        requestContext.request.variables ?? {},
        requestContext.context as Context,
      );
    };
    return { schema: loaded.schema, executor: execute };
  }

  /**
   * Runs an admitted operation as Apollo Server's call of the gateway's executor would (the same
   * plans, executor and gate), for a request that did not go through Apollo Server's pipeline.
   * Null when the plan needs @apollo/gateway's own executor, which needs that pipeline's request
   * context: such a request goes through Apollo Server instead.
   */
  executeAdmitted(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    operationName: string | null | undefined,
    variables: Record<string, unknown>,
    context: Context,
  ): Promise<ExecutionResult> | null {
    if (!this.executor) return null;
    const plan = this.planOf(document, operationName);
    if (!this.executor.supports(plan, document, operation)) return null;
    return this.run(plan, document, operation, variables, context);
  }

  private run(
    plan: QueryPlan,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    context: Context,
  ): Promise<ExecutionResult> {
    const executor = this.executor!;
    const gate = this.gate;
    if (!gate) return executor.execute(plan, document, operation, variables, context);
    // Weighed by what its subgraphs answered the last time (a plan not run yet weighs nothing).
    const measure = { answerBytes: 0 };
    return gate.run(this.answerBytes.get(plan) ?? 0, async () => {
      const result = await executor.execute(plan, document, operation, variables, context, measure);
      this.answerBytes.set(plan, measure.answerBytes);
      return result;
    });
  }

  private planOf(document: DocumentNode, operationName: string | null | undefined): QueryPlan {
    const name = operationName ?? "";
    let byName = this.plans.get(document);
    if (!byName) this.plans.set(document, (byName = new Map()));
    let plan = byName.get(name);
    if (!plan) {
      const { apiSchema, queryPlanner } = this.parts!;
      const operation = operationFromDocument(apiSchema, document, { operationName: name || undefined });
      plan = queryPlanner.buildQueryPlan(operation);
      byName.set(name, plan);
    }
    return plan;
  }

  onSchemaLoadOrUpdate(...args: Parameters<ApolloGateway["onSchemaLoadOrUpdate"]>) {
    return this.inner.onSchemaLoadOrUpdate(...args);
  }

  async stop(): Promise<void> {
    await this.inner.stop();
    await this.close();
  }
}
