import type { ApolloServerPlugin } from "@apollo/server";
import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** What a connection returns when the client does not say `first` (the kit's DEFAULT_PAGE_SIZE). */
const DEFAULT_PAGE_SIZE = 20;

interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/**
 * An upper bound of the work an operation asks for: every field costs 1, and the selection
 * under a field with a `first` argument (a connection) counts once per item it may return.
 * So `members(first: 100) { … user { memberships { … members(first: 100) … } } }` costs about
 * 100 × 100 times its leaves, and is refused before any subgraph is called.
 */
export function operationCost({ schema, operation, fragments, variables }: CostInput): number {
  const root =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();

  const costOf = (set: SelectionSetNode, parent: GraphQLNamedType | null | undefined, seen: Set<string>): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field =
          parent && (isObjectType(parent) || isInterfaceType(parent))
            ? parent.getFields()[selection.name.value]
            : undefined;
        let items = 1;
        if (field?.args.some((arg) => arg.name === "first")) {
          const argument = selection.arguments?.find((arg) => arg.name.value === "first");
          const value = argument ? valueFromASTUntyped(argument.value, variables) : undefined;
          items = typeof value === "number" && value > 0 ? value : DEFAULT_PAGE_SIZE;
        }
        const below = selection.selectionSet
          ? costOf(selection.selectionSet, field ? getNamedType(field.type) : undefined, seen)
          : 0;
        cost += 1 + items * below;
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += costOf(selection.selectionSet, type, seen);
        continue;
      }
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) continue;
      cost += costOf(
        fragment.selectionSet,
        schema.getType(fragment.typeCondition.name.value),
        new Set([...seen, name]),
      );
    }
    return cost;
  };
  return costOf(operation.selectionSet, root, new Set());
}

/** Refuses operations whose cost (see operationCost) is over the limit, once variables are known. */
export function operationCostPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const fragments = new Map(
            document.definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const cost = operationCost({ schema, operation, fragments, variables: request.variables ?? {} });
          if (cost > maxCost) {
            throw new GraphQLError(`Operation cost ${cost} exceeds the limit of ${maxCost}; ask for smaller pages`, {
              extensions: { code: "GRAPHQL_VALIDATION_FAILED", cost, maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
