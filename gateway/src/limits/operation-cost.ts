import type { ApolloServerPlugin } from "@apollo/server";
import { DEFAULT_PAGE_SIZE } from "@mary/kit";
import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { fieldsOf, fragmentsOf } from "./operation-limits.ts";

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

  const costOf = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | null | undefined,
    seen?: ReadonlySet<string>,
  ): number => {
    let cost = 0;
    for (const { field: selection, typeCondition, seen: inner } of fieldsOf(set, fragments, seen)) {
      const type = typeCondition ? schema.getType(typeCondition) : parent;
      const field =
        type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[selection.name.value] : undefined;
      let items = 1;
      if (field?.args.some((arg) => arg.name === "first")) {
        const argument = selection.arguments?.find((arg) => arg.name.value === "first");
        const value = argument ? valueFromASTUntyped(argument.value, variables) : undefined;
        items = typeof value === "number" && value > 0 ? value : DEFAULT_PAGE_SIZE;
      }
      const below = selection.selectionSet
        ? costOf(selection.selectionSet, field ? getNamedType(field.type) : undefined, inner)
        : 0;
      cost += 1 + items * below;
    }
    return cost;
  };
  return costOf(operation.selectionSet, root);
}

/** Refuses operations whose cost (see operationCost) is over the limit, once variables are known. */
export function operationCostPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const fragments = fragmentsOf(document);
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
