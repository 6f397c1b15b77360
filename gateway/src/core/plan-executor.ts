import { type FetchNode, type PlanNode, type QueryPlan, type QueryPlanSelectionNode } from "@apollo/query-planner";
import {
  GraphQLError,
  isAbstractType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { ResponseShape } from "./response-shape.ts";

/** A GraphQL request to a subgraph. */
export interface SubgraphRequest {
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
  /**
   * The request as JSON, when whoever made it has it already (the plan executor builds it from
   * pieces serialized once): a client sends it instead of serializing the request again. Whoever
   * derives a request from another drops it.
   */
  json?: string;
}

/** One request to a subgraph, and its GraphQL answer (or a thrown GraphQLError: not reached, timed out). */
export type SubgraphFetch<Context> = (
  serviceName: string,
  request: SubgraphRequest,
  context: Context,
) => Promise<SubgraphAnswer>;

/** A subgraph's GraphQL answer. */
export interface SubgraphAnswer {
  data?: Record<string, any> | null;
  errors?: readonly SubgraphError[];
  /** Its size as received, in characters of JSON, when the fetch knows it. */
  bytes?: number;
}

export interface SubgraphError {
  message?: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface PlanExecutorOptions<Context> {
  /** The API schema the operations are validated against (enums, types for the response). */
  schema: GraphQLSchema;
  /** The supergraph, for type conditions in `requires` (types the API schema may not show). */
  supergraphSchema: GraphQLSchema;
  fetch: SubgraphFetch<Context>;
}

/** What executing a plan gives: the response, or `undefined` when the plan needs @apollo/gateway's executor. */
export interface ExecutedPlan {
  data?: Record<string, unknown> | null;
  errors?: GraphQLError[];
  extensions?: Record<string, unknown>;
}

/** One execution of a plan: what every node of it reads and adds to. */
interface Execution<Context> {
  root: Record<string, unknown>;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  context: Context;
  errors: GraphQLError[];
  /** What the subgraphs answered so far, in characters of JSON. */
  answerBytes: number;
}

interface Cursor {
  path: (string | number)[];
  data: unknown;
}

/**
 * Executes query plans from @apollo/query-planner: Fetch, Flatten, Sequence, Parallel and
 * Condition nodes, with entity representations and response shapes compiled once per operation
 * and reused. It covers what the common plans use; a plan with anything else (@defer, rewrites
 * for @interfaceObject or @context, introspection) is left to @apollo/gateway's executor
 * (`supports` says which), so correctness never depends on what this one has not learnt.
 */
export class PlanExecutor<Context> {
  private readonly requiresCache = new WeakMap<FetchNode, Representation>();
  private readonly requestHeads = new WeakMap<FetchNode, string>();
  private readonly supportCache = new WeakMap<QueryPlan, boolean>();
  private readonly shapeCache = new WeakMap<OperationDefinitionNode, Map<string, ResponseShape>>();

  constructor(private readonly options: PlanExecutorOptions<Context>) {}

  /** True when this executor can run the plan of this operation. */
  supports(plan: QueryPlan, document: DocumentNode, operation: OperationDefinitionNode): boolean {
    let supported = this.supportCache.get(plan);
    if (supported === undefined) {
      supported =
        !usesIntrospection(operation.selectionSet, fragmentsOf(document)) &&
        (!plan.node || planSupported(plan.node as PlanNode));
      this.supportCache.set(plan, supported);
    }
    return supported;
  }

  async execute(
    plan: QueryPlan,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    context: Context,
    /** Adds what the subgraphs answered, in characters of JSON, to `answerBytes`. */
    measure?: { answerBytes: number },
  ): Promise<ExecutedPlan> {
    const errors: GraphQLError[] = [];
    const data: Record<string, unknown> = {};
    const run: Execution<Context> = { root: data, operation, variables, context, errors, answerBytes: 0 };
    if (plan.node) await this.executeNode(plan.node as PlanNode, { path: [], data }, run);
    if (measure) measure.answerBytes += run.answerBytes;
    const shaped = this.shapeOf(document, operation, variables).apply(data);
    // A null the schema forbids is a field error (the spec), reported in `errors` when no fetch
    // failed; @apollo/gateway hides it in `extensions.valueCompletion`. After a failed fetch the
    // nulls are its consequence, and its own error says so.
    if (errors.length > 0) return { data: shaped.data, errors };
    if (shaped.errors.length > 0) return { data: shaped.data, errors: shaped.errors };
    return { data: shaped.data };
  }

  private shapeOf(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
    const conditionVariables = conditionVariablesOf(document, operation);
    const conditions: Record<string, boolean> = {};
    let key = "";
    for (const name of conditionVariables) {
      const value = variables[name] ?? defaultOf(operation, name);
      conditions[name] = value === true;
      key += value === true ? "1" : "0";
    }
    let shapes = this.shapeCache.get(operation);
    if (!shapes) this.shapeCache.set(operation, (shapes = new Map()));
    let shape = shapes.get(key);
    if (!shape) {
      const rootType =
        operation.operation === "mutation"
          ? this.options.schema.getMutationType()
          : operation.operation === "subscription"
            ? this.options.schema.getSubscriptionType()
            : this.options.schema.getQueryType();
      if (!rootType) throw new Error(`The schema has no ${operation.operation} type`);
      shape = new ResponseShape(
        this.options.schema,
        rootType,
        operation.selectionSet,
        fragmentsOf(document),
        conditions,
      );
      shapes.set(key, shape);
    }
    return shape;
  }

  private async executeNode(node: PlanNode, cursor: Cursor, run: Execution<Context>): Promise<void> {
    switch (node.kind) {
      case "Sequence":
        for (const child of node.nodes) await this.executeNode(child, cursor, run);
        return;
      case "Parallel":
        await Promise.all(node.nodes.map((child) => this.executeNode(child, cursor, run)));
        return;
      case "Flatten": {
        const data = flattenAt(cursor.data, node.path, 0);
        if (data === undefined || data === null) return;
        const moved = { path: [...cursor.path, ...node.path], data };
        return this.executeNode(node.node, moved, run);
      }
      case "Condition": {
        const value = run.variables[node.condition] ?? defaultOf(run.operation, node.condition);
        const branch = value === true ? node.ifClause : node.elseClause;
        if (branch) await this.executeNode(branch, cursor, run);
        return;
      }
      case "Fetch":
        try {
          await this.executeFetch(node, cursor, run);
        } catch (error) {
          run.errors.push(error instanceof GraphQLError ? error : new GraphQLError(String((error as Error).message)));
        }
        return;
      default:
        throw new Error(`Unsupported query plan node ${(node as { kind: string }).kind}`);
    }
  }

  private async executeFetch(fetch: FetchNode, cursor: Cursor, run: Execution<Context>): Promise<void> {
    const { variables, context, errors } = run;
    const entities = Array.isArray(cursor.data)
      ? (cursor.data as unknown[]).filter((entity) => entity !== null && entity !== undefined)
      : [cursor.data];
    if (entities.length === 0) return;
    const fetchVariables: Record<string, unknown> = {};
    for (const name of fetch.variableUsages ?? []) {
      if (variables[name] !== undefined) fetchVariables[name] = variables[name];
    }
    const head = this.requestHeadOf(fetch);

    if (!fetch.requires) {
      const json = `${head}${JSON.stringify(fetchVariables)}}`;
      const request = { query: fetch.operation, operationName: fetch.operationName, variables: fetchVariables, json };
      const answer = await this.options.fetch(fetch.serviceName, request, context);
      run.answerBytes += answer.bytes ?? 0;
      if (answer.errors) for (const error of answer.errors) errors.push(...downstream(error, fetch, cursor));
      if (answer.data) for (const entity of entities) deepMerge(entity as Record<string, unknown>, answer.data);
      return;
    }

    // Each distinct representation is sent once (entities met at many places of the response,
    // the same product under every review, are one entity to the subgraph), and its answer merged
    // into every entity that stands for it.
    const representation = this.representationOf(fetch);
    const representations: Record<string, unknown>[] = [];
    const representationJsons: string[] = [];
    const indexByJson = new Map<string, number>();
    const targets: Record<string, unknown>[] = [];
    /** For each target: which representation it sent, and its place among the entities (for errors' paths). */
    const sent: number[] = [];
    const positions: number[] = [];
    (entities as Record<string, unknown>[]).forEach((entity, position) => {
      const value = representation(entity);
      if (!value || !value.__typename) return;
      const json = JSON.stringify(value);
      let index = indexByJson.get(json);
      if (index === undefined) {
        index = representations.length;
        indexByJson.set(json, index);
        representations.push(value);
        representationJsons.push(json);
      }
      targets.push(entity);
      sent.push(index);
      positions.push(position);
    });
    if (representations.length === 0) return;
    if ("representations" in fetchVariables) throw new Error(`Variables cannot contain key "representations"`);
    const others = JSON.stringify(fetchVariables);
    const json = `${head}${others.length > 2 ? `${others.slice(0, -1)},` : "{"}"representations":[${representationJsons.join(",")}]}}`;
    fetchVariables.representations = representations;
    const request = { query: fetch.operation, operationName: fetch.operationName, variables: fetchVariables, json };
    const answer = await this.options.fetch(fetch.serviceName, request, context);
    run.answerBytes += answer.bytes ?? 0;
    if (answer.errors) {
      // The entities' response paths, found once for all of this answer's errors; an error of a
      // representation is reported at every entity that sent it.
      let paths: (string | number)[][] | undefined;
      let targetsBySent: number[][] | undefined;
      const entityPaths = (index: number) => {
        paths ??= hydratedPaths(cursor.path, run.root);
        targetsBySent ??= groupBy(sent, representations.length);
        return (targetsBySent[index] ?? []).map((target) => paths![positions[target]!] ?? []);
      };
      for (const error of answer.errors) errors.push(...downstream(error, fetch, cursor, entityPaths));
    }
    if (!answer.data) return;
    const received = answer.data._entities;
    if (!Array.isArray(received)) throw new Error(`Expected "data._entities" in response to be an array`);
    if (received.length !== representations.length) {
      throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
    }
    for (let index = 0; index < targets.length; index++) {
      const entity = received[sent[index]!] as Record<string, unknown> | null;
      const target = targets[index]!;
      if (entity && !entity.__typename) entity.__typename = target.__typename;
      deepMerge(target, entity);
    }
  }

  /** `{"query":…,"operationName":…,"variables":` of a fetch's requests, serialized once. */
  private requestHeadOf(fetch: FetchNode): string {
    let head = this.requestHeads.get(fetch);
    if (head === undefined) {
      const name = fetch.operationName === undefined ? "" : `"operationName":${JSON.stringify(fetch.operationName)},`;
      head = `{"query":${JSON.stringify(fetch.operation)},${name}"variables":`;
      this.requestHeads.set(fetch, head);
    }
    return head;
  }

  /** The function that cuts an entity's representation (its `requires` selection), compiled once per fetch. */
  private representationOf(fetch: FetchNode): Representation {
    let representation = this.requiresCache.get(fetch);
    if (!representation) {
      representation = compileSelection(fetch.requires!, this.options.supergraphSchema);
      this.requiresCache.set(fetch, representation);
    }
    return representation;
  }
}

type Representation = (source: Record<string, unknown> | null) => Record<string, unknown> | null;

/** `requires` as a function: executeQueryPlan's executeSelectionSet, with type conditions resolved once. */
function compileSelection(selections: readonly QueryPlanSelectionNode[], schema: GraphQLSchema): Representation {
  const parts = selections.map((selection) => {
    if (selection.kind === "Field") {
      const key = selection.alias ?? selection.name;
      const sub = selection.selections ? compileSelection(selection.selections, schema) : null;
      return { field: true as const, key, sub };
    }
    // executeQueryPlan's isObjectOfType: the type itself, or any object type of an abstract one.
    const condition = selection.typeCondition;
    const conditionType = condition ? schema.getType(condition) : undefined;
    const matches = new Set<string>(condition ? [condition] : []);
    if (conditionType && isAbstractType(conditionType)) {
      for (const type of schema.getPossibleTypes(conditionType)) matches.add(type.name);
    }
    return { field: false as const, condition, matches, sub: compileSelection(selection.selections, schema) };
  });
  const select = (source: Record<string, unknown> | null): Record<string, unknown> | null => {
    if (source === null) return null;
    const result: Record<string, unknown> = {};
    for (const part of parts) {
      if (part.field) {
        const value = source[part.key];
        if (value === undefined) return null;
        if (Array.isArray(value)) {
          result[part.key] = part.sub ? value.map((item) => part.sub!(item as Record<string, unknown>)) : value;
        } else if (part.sub) {
          result[part.key] = part.sub(value as Record<string, unknown> | null);
        } else {
          result[part.key] = value;
        }
      } else {
        if (!part.condition || typeof source.__typename !== "string" || !part.matches.has(source.__typename)) continue;
        deepMerge(result, part.sub(source));
      }
    }
    return result;
  };
  return select;
}

/** The values at a plan path: '@' flattens a list, a name descends. */
function flattenAt(value: unknown, path: readonly (string | number)[], from: number): unknown {
  if (from === path.length || value === undefined || value === null) return value;
  const step = path[from];
  if (step === "@") {
    const flat: unknown[] = [];
    for (const item of value as unknown[]) {
      const inner = flattenAt(item, path, from + 1);
      if (Array.isArray(inner)) flat.push(...inner);
      else flat.push(inner);
    }
    return flat;
  }
  if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${String(step)}`);
  return flattenAt((value as Record<string, unknown>)[step as string], path, from + 1);
}

/** @apollo/gateway's deepMerge: objects by key, lists of the same length item by item. */
export function deepMerge(target: Record<string, any>, source: Record<string, any> | null | undefined): void {
  if (source === undefined || source === null) return;
  for (const key in source) {
    const value = source[key];
    if (value === undefined) continue;
    const existing = target[key];
    if (existing && typeof value === "object" && value !== null && !Array.isArray(value)) {
      deepMerge(existing, value);
    } else if (Array.isArray(value) && Array.isArray(existing) && value.length === existing.length) {
      for (let index = 0; index < value.length; index++) {
        const item = value[index];
        const current = existing[index];
        if (isObject(current) && isObject(item)) deepMerge(current, item);
        else existing[index] = item;
      }
    } else {
      target[key] = value;
    }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A subgraph's error as the client sees it (executeQueryPlan's downstreamServiceError): its path
 * moved from the subgraph's answer to the response (`_entities[i]` becomes the place of each
 * entity that sent the i-th representation), and `serviceName` added.
 */
function downstream(
  error: SubgraphError,
  fetch: FetchNode,
  cursor: Cursor,
  /** The response paths of the entities the i-th representation sent stands for. */
  entityPaths?: (index: number) => (string | number)[][],
): GraphQLError[] {
  const message = error.message || `Error while fetching subquery from service "${fetch.serviceName}"`;
  const extensions: Record<string, unknown> = { ...error.extensions, serviceName: fetch.serviceName };
  if (!extensions.code) extensions.code = "DOWNSTREAM_SERVICE_ERROR";
  if (!error.path) return [new GraphQLError(message, { extensions })];
  if (fetch.requires && entityPaths && typeof error.path[1] === "number") {
    // `_entities[i]` is the i-th representation sent, which is not the i-th entity at the path:
    // some had none (a type condition), and entities with the same one sent it once.
    // @apollo/gateway confuses the first two.
    const below = error.path.slice(2);
    const paths = entityPaths(error.path[1]);
    if (paths.length === 0) return [new GraphQLError(message, { path: below, extensions })];
    return paths.map((hydrated) => new GraphQLError(message, { path: [...hydrated, ...below], extensions }));
  }
  return [new GraphQLError(message, { path: [...cursor.path, ...error.path], extensions })];
}

/** For each of `count` groups, the indexes of `members` that name it. */
function groupBy(members: readonly number[], count: number): number[][] {
  const groups = Array.from({ length: count }, () => [] as number[]);
  members.forEach((group, index) => groups[group]?.push(index));
  return groups;
}

/** The response paths of the entities a plan path reaches, in the order flattenAt gives them. */
function hydratedPaths(path: readonly (string | number)[], data: unknown): (string | number)[][] {
  const result: (string | number)[][] = [];
  const walk = (parent: (string | number)[], from: number, value: unknown) => {
    if (value === null || value === undefined) return;
    if (from === path.length) {
      result.push([...parent]);
      return;
    }
    const step = path[from];
    if (step === "@" || Array.isArray(value)) {
      (value as unknown[]).forEach((item, index) => walk([...parent, index], step === "@" ? from + 1 : from, item));
      return;
    }
    const record = value as Record<string, unknown>;
    if (Object.hasOwn(record, step as string)) walk([...parent, step as string], from + 1, record[step as string]);
  };
  walk([], 0, data);
  return result;
}

function planSupported(node: PlanNode): boolean {
  switch (node.kind) {
    case "Sequence":
    case "Parallel":
      return node.nodes.every(planSupported);
    case "Flatten":
      return planSupported(node.node);
    case "Condition":
      return (!node.ifClause || planSupported(node.ifClause)) && (!node.elseClause || planSupported(node.elseClause));
    case "Fetch":
      return !node.inputRewrites?.length && !node.outputRewrites?.length && !node.contextRewrites?.length;
    default:
      return false;
  }
}

/** Introspection fields are answered by @apollo/gateway from its schema, not by any subgraph. */
/** Whether the root selection asks `__schema` or `__type`, directly or through fragments (spread once each). */
function usesIntrospection(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  spread = new Set<string>(),
): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === "__schema" || selection.name.value === "__type";
    if (selection.kind === Kind.INLINE_FRAGMENT) return usesIntrospection(selection.selectionSet, fragments, spread);
    const fragment = fragments[selection.name.value];
    if (!fragment || spread.has(fragment.name.value)) return false;
    spread.add(fragment.name.value);
    return usesIntrospection(fragment.selectionSet, fragments, spread);
  });
}

const fragmentsByDocument = new WeakMap<DocumentNode, Record<string, FragmentDefinitionNode>>();
function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  let fragments = fragmentsByDocument.get(document);
  if (!fragments) {
    fragments = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    fragmentsByDocument.set(document, fragments);
  }
  return fragments;
}

/** The variables an operation's @skip/@include read, in it or its fragments (sorted: they key its shapes). */
const conditionVariablesCache = new WeakMap<OperationDefinitionNode, string[]>();
function conditionVariablesOf(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  let names = conditionVariablesCache.get(operation);
  if (!names) {
    const found = new Set<string>();
    const visit = (selectionSet: SelectionSetNode | undefined) => {
      for (const selection of selectionSet?.selections ?? []) {
        for (const directive of selection.directives ?? []) {
          if (directive.name.value !== "skip" && directive.name.value !== "include") continue;
          for (const argument of directive.arguments ?? []) {
            if (argument.value.kind === Kind.VARIABLE) found.add(argument.value.name.value);
          }
        }
        if (selection.kind !== Kind.FRAGMENT_SPREAD) visit(selection.selectionSet);
      }
    };
    visit(operation.selectionSet);
    for (const fragment of Object.values(fragmentsOf(document))) visit(fragment.selectionSet);
    names = [...found].sort();
    conditionVariablesCache.set(operation, names);
  }
  return names;
}

function defaultOf(operation: OperationDefinitionNode, name: string): unknown {
  const definition = operation.variableDefinitions?.find((variable) => variable.variable.name.value === name);
  const value = definition?.defaultValue;
  return value?.kind === Kind.BOOLEAN ? value.value : undefined;
}
