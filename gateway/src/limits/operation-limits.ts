import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
}

/** How deeply fields nest, with fragments expanded (fragment cycles are already refused by graphql-js). */
function depthOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): number {
  let depth = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      depth = Math.max(depth, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, fragments, seen) : 0));
      continue;
    }
    const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
    const set = name
      ? fragments.get(name)?.selectionSet
      : (selection as { selectionSet: SelectionSetNode }).selectionSet;
    if (!set || (name && seen.has(name))) continue;
    depth = Math.max(depth, depthOf(set, fragments, name ? new Set([...seen, name]) : seen));
  }
  return depth;
}

/** Fields selected at the top of the operation, with fragments expanded. */
function rootFieldsOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      count += 1;
      continue;
    }
    const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
    const set = name
      ? fragments.get(name)?.selectionSet
      : (selection as { selectionSet: SelectionSetNode }).selectionSet;
    if (!set || (name && seen.has(name))) continue;
    count += rootFieldsOf(set, fragments, name ? new Set([...seen, name]) : seen);
  }
  return count;
}

/**
 * Refuses operations that are too deep, use too many aliases or ask for too
 * many root fields, before any subgraph is called.
 */
export function operationLimitsRule(limits: OperationLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d]),
    );
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
      },
      OperationDefinition: {
        leave(node) {
          const depth = depthOf(node.selectionSet, fragments);
          if (depth > limits.maxDepth) {
            context.reportError(
              new GraphQLError(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}`, { nodes: [node] }),
            );
          }
          const rootFields = rootFieldsOf(node.selectionSet, fragments);
          if (rootFields > limits.maxRootFields) {
            context.reportError(
              new GraphQLError(`Operation selects ${rootFields} root fields; the limit is ${limits.maxRootFields}`, {
                nodes: [node],
              }),
            );
          }
        },
      },
      Document: {
        leave() {
          if (aliases > limits.maxAliases) {
            context.reportError(
              new GraphQLError(`Operation uses ${aliases} aliases; the limit is ${limits.maxAliases}`),
            );
          }
        },
      },
    };
  };
}
