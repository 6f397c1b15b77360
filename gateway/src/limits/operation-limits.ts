import { DEFAULT_PAGE_SIZE } from "@mary/kit/core";
import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { OperationLimits } from "../config.ts";

/** What an operation asks for once its fragments are expanded. */
export interface OperationMeasure {
  /** How deeply fields nest. */
  depth: number;
  /** Aliased fields, each counted as often as its fragment is spread. */
  aliases: number;
  /** Fields selected at the root. */
  rootFields: number;
  /**
   * An upper bound of the work asked for: every field costs 1, and the selection under a field
   * with a `first` argument (a connection) counts once per item it may return. So
   * `members(first: 100) { … user { memberships { … members(first: 100) … } } }` costs about
   * 100 × 100 times its leaves.
   */
  cost: number;
}

const NOTHING: OperationMeasure = { depth: 0, aliases: 0, rootFields: 0, cost: 0 };

/**
 * Measures an operation in time linear in the document's size: a fragment's fields sit on its
 * type condition whatever spreads it, so each fragment is measured once and its measure reused
 * at every spread. (Expanding spreads instead costs 2^n for n fragments that each spread the
 * next twice: a 1 KB document could hold the gateway for hours.) Run after validation, which
 * refuses fragment cycles; a cycle met anyway counts as nothing rather than looping.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, OperationMeasure>();
  const measuring = new Set<string>();

  const measureFragment = (name: string): OperationMeasure => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(name)) return NOTHING;
    measuring.add(name);
    const measure = measureSet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
    measuring.delete(name);
    measured.set(name, measure);
    return measure;
  };

  const pageSize = (selection: FieldNode) => {
    const argument = selection.arguments?.find((arg) => arg.name.value === "first");
    const value = argument ? valueFromASTUntyped(argument.value, variables) : undefined;
    return typeof value === "number" && value > 0 ? value : DEFAULT_PAGE_SIZE;
  };

  function measureSet(set: SelectionSetNode, parent: GraphQLNamedType | null | undefined): OperationMeasure {
    const total = { depth: 0, aliases: 0, rootFields: 0, cost: 0 };
    const add = (part: OperationMeasure) => {
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.rootFields += part.rootFields;
      total.cost += part.cost;
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field =
          parent && (isObjectType(parent) || isInterfaceType(parent))
            ? parent.getFields()[selection.name.value]
            : undefined;
        const below = selection.selectionSet
          ? measureSet(selection.selectionSet, field ? getNamedType(field.type) : undefined)
          : NOTHING;
        const items = field?.args.some((arg) => arg.name === "first") ? pageSize(selection) : 1;
        add({
          depth: 1 + below.depth,
          aliases: (selection.alias ? 1 : 0) + below.aliases,
          rootFields: 1,
          cost: 1 + items * below.cost,
        });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        add(measureSet(selection.selectionSet, type));
      } else {
        add(measureFragment(selection.name.value));
      }
    }
    return total;
  }

  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return measureSet(operation.selectionSet, root);
}

const refused = (message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, {
    extensions: { ...extensions, code: "GRAPHQL_VALIDATION_FAILED", http: { status: 400 } },
  });

/** The limits an operation breaks, before any subgraph is called: depth, aliases, root fields and cost. */
export function operationLimitErrors(measure: OperationMeasure, limits: OperationLimits): GraphQLError[] {
  const errors: GraphQLError[] = [];
  if (measure.depth > limits.maxDepth) {
    errors.push(refused(`Query depth ${measure.depth} exceeds the limit of ${limits.maxDepth}`));
  }
  if (measure.aliases > limits.maxAliases) {
    errors.push(refused(`Operation uses ${measure.aliases} aliases; the limit is ${limits.maxAliases}`));
  }
  if (measure.rootFields > limits.maxRootFields) {
    errors.push(refused(`Operation selects ${measure.rootFields} root fields; the limit is ${limits.maxRootFields}`));
  }
  if (measure.cost > limits.maxCost) {
    const cost = Number.isFinite(measure.cost) && measure.cost < 1e15 ? String(measure.cost) : "over 10^15";
    errors.push(
      refused(`Operation cost ${cost} exceeds the limit of ${limits.maxCost}; ask for smaller pages`, {
        maxCost: limits.maxCost,
      }),
    );
  }
  return errors;
}
