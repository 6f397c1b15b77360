import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
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

/** The fragments of a document, by name. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

export interface SelectedField {
  field: FieldNode;
  /** The type condition of the fragment the field sits in, if any. */
  typeCondition?: string;
  /** Fragments expanded on the way to this field: pass it on when descending into the field. */
  seen: ReadonlySet<string>;
}

/**
 * The fields a selection set selects, with inline fragments and fragment spreads expanded.
 * Fragment cycles are refused by graphql-js validation, but this runs beside it, so `seen`
 * keeps a cycle (even one through nested fields) from looping.
 */
export function* fieldsOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: ReadonlySet<string> = new Set(),
  typeCondition?: string,
): Generator<SelectedField> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      yield { field: selection, typeCondition, seen };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      yield* fieldsOf(selection.selectionSet, fragments, seen, selection.typeCondition?.name.value ?? typeCondition);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      yield* fieldsOf(
        fragment.selectionSet,
        fragments,
        new Set([...seen, fragment.name.value]),
        fragment.typeCondition.name.value,
      );
    }
  }
}

/** How deeply fields nest, with fragments expanded. */
function depthOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen?: ReadonlySet<string>,
): number {
  let depth = 0;
  for (const { field, seen: inner } of fieldsOf(selectionSet, fragments, seen)) {
    depth = Math.max(depth, 1 + (field.selectionSet ? depthOf(field.selectionSet, fragments, inner) : 0));
  }
  return depth;
}

/**
 * Refuses operations that are too deep, use too many aliases or ask for too
 * many root fields, before any subgraph is called.
 */
export function operationLimitsRule(limits: OperationLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = fragmentsOf(context.getDocument());
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
          const rootFields = [...fieldsOf(node.selectionSet, fragments)].length;
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
