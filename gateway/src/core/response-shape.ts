import {
  GraphQLError,
  getNamedType,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInt,
  GraphQLString,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

/**
 * The final response of an operation, cut from what the subgraphs answered: only the fields
 * asked for, in the order asked, with `__typename`, nulls where a subgraph gave none, and
 * GraphQL's null propagation for non-null fields. It follows @apollo/gateway's result shaping
 * (resultShaping.js) case for case, but the selection is compiled once per operation (and per
 * runtime type met) instead of walked with its fragments and directives on every request.
 */
export interface ShapedResponse {
  data: Record<string, unknown> | null;
  /** Nulls the subgraphs' answers forced where the schema says a value must be (no fetch error explains them). */
  errors: GraphQLError[];
}

/** How one field's value is completed. */
type ValueShape =
  | { kind: "leaf"; check: (value: unknown) => boolean }
  | { kind: "list"; of: ValueShape; nonNull: boolean; itemType: string }
  | { kind: "object"; selection: SelectionShape; type: GraphQLCompositeType };

interface FieldShape {
  key: string;
  /** `__typename`: answered from the object's runtime type. */
  typename: boolean;
  nonNull: boolean;
  value: ValueShape | null;
}

/**
 * A selection set on a (possibly abstract) type: its fields per concrete runtime type, each
 * list compiled the first time an object of that type is met.
 */
class SelectionShape {
  private readonly byType = new Map<string, FieldShape[] | null>();

  constructor(
    private readonly compiler: ShapeCompiler,
    readonly parentType: GraphQLCompositeType,
    private readonly selectionSets: readonly SelectionSetNode[],
  ) {}

  /** The fields to emit for an object whose runtime type is `typeName`; null if it cannot be one. */
  fieldsFor(typeName: string): FieldShape[] | null {
    let fields = this.byType.get(typeName);
    if (fields === undefined) {
      fields = this.compiler.collect(this.parentType, typeName, this.selectionSets);
      this.byType.set(typeName, fields);
    }
    return fields;
  }
}

const integer = /^-?(?:0|[1-9][0-9]*)$/;
/** The leaf checks of resultShaping's isValidLeafValue: built-in scalars by JSON type, enums by value. */
function leafCheck(type: GraphQLNamedType): (value: unknown) => boolean {
  if (isEnumType(type)) return (value) => typeof value === "string" && type.getValue(value) !== undefined;
  const finite = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
  switch (type) {
    case GraphQLBoolean:
      return (value) => typeof value === "boolean";
    case GraphQLInt:
      return (value) => finite(value) && integer.test(String(value));
    case GraphQLID:
      return (value) => typeof value === "string" || (finite(value) && integer.test(String(value)));
    case GraphQLFloat:
      return finite;
    case GraphQLString:
      return (value) => typeof value === "string";
    default:
      return () => true; // a custom scalar: the subgraph's serialization stands
  }
}

/** Compiles an operation's selections against the API schema, for one set of @skip/@include values. */
class ShapeCompiler {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly conditions: Record<string, boolean>,
  ) {}

  selection(parentType: GraphQLCompositeType, selectionSets: readonly SelectionSetNode[]): SelectionShape {
    return new SelectionShape(this, parentType, selectionSets);
  }

  private included(node: { directives?: readonly { name: { value: string }; arguments?: readonly any[] }[] }) {
    for (const directive of node.directives ?? []) {
      const name = directive.name.value;
      if (name !== "skip" && name !== "include") continue;
      const argument = directive.arguments?.find((arg: { name: { value: string } }) => arg.name.value === "if");
      const value = this.conditionValue(argument?.value);
      if (name === "skip" && value) return false;
      if (name === "include" && !value) return false;
    }
    return true;
  }

  private conditionValue(node: ValueNode | undefined): boolean {
    if (!node) return false;
    if (node.kind === Kind.BOOLEAN) return node.value;
    if (node.kind === Kind.VARIABLE) return this.conditions[node.name.value] === true;
    return false;
  }

  private applies(typeCondition: string | undefined, runtimeType: GraphQLObjectType): boolean {
    if (!typeCondition || typeCondition === runtimeType.name) return true;
    const condition = this.schema.getType(typeCondition);
    return !!condition && isAbstractType(condition) && this.schema.isSubType(condition, runtimeType);
  }

  /** The fields of `selectionSets` for an object of runtime type `typeName`, merged by response key. */
  collect(
    parentType: GraphQLCompositeType,
    typeName: string,
    selectionSets: readonly SelectionSetNode[],
  ): FieldShape[] | null {
    const runtimeType = this.schema.getType(typeName);
    if (!runtimeType || !isObjectType(runtimeType)) return null;
    if (isObjectType(parentType) ? parentType !== runtimeType : !this.schema.isSubType(parentType, runtimeType)) {
      return null;
    }
    const byKey = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    const walk = (selectionSet: SelectionSetNode) => {
      for (const selection of selectionSet.selections) {
        if (!this.included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const nodes = byKey.get(key);
          if (nodes) nodes.push(selection);
          else byKey.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (this.applies(selection.typeCondition?.name.value, runtimeType)) walk(selection.selectionSet);
        } else {
          const name = selection.name.value;
          const fragment = this.fragments[name];
          if (!fragment || visited.has(name)) continue;
          if (this.applies(fragment.typeCondition.name.value, runtimeType)) {
            visited.add(name);
            walk(fragment.selectionSet);
            visited.delete(name);
          }
        }
      }
    };
    for (const selectionSet of selectionSets) walk(selectionSet);

    const fields: FieldShape[] = [];
    const definitions = runtimeType.getFields();
    for (const [key, nodes] of byKey) {
      const name = nodes[0]!.name.value;
      if (name === "__typename") {
        fields.push({ key, typename: true, nonNull: true, value: null });
        continue;
      }
      const definition = definitions[name];
      if (!definition) continue; // validation let it through on another type of the fragment; not this one's
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      fields.push({
        key,
        typename: false,
        nonNull: isNonNullType(definition.type),
        value: this.valueShape(definition.type, subSelections),
      });
    }
    return fields;
  }

  private valueShape(type: GraphQLOutputType, selectionSets: SelectionSetNode[]): ValueShape {
    const nullable = isNonNullType(type) ? type.ofType : type;
    if (isListType(nullable)) {
      const item = nullable.ofType as GraphQLOutputType;
      const nullableItem = isNonNullType(item) ? item.ofType : item;
      return {
        kind: "list",
        of: this.valueShape(item, selectionSets),
        nonNull: isNonNullType(item),
        itemType: String(nullableItem),
      };
    }
    const named = getNamedType(nullable);
    if (isObjectType(named) || isAbstractType(named)) {
      return { kind: "object", selection: this.selection(named, selectionSets), type: named };
    }
    return { kind: "leaf", check: leafCheck(named) };
  }
}

/**
 * A null whose cause is already among the errors (a non-null value missing below it, an invalid
 * leaf): it nulls the nearest nullable parent without another error, as resultShaping's
 * `hasErrors` does.
 */
const ERRORED = Symbol("null, already reported");
type Completed = unknown | typeof ERRORED;

/**
 * One operation's compiled response shape. `conditions` are the values of the variables its
 * @skip/@include use: shapes are compiled per combination (nearly always one).
 */
export class ResponseShape {
  private readonly root: SelectionShape;

  constructor(
    schema: GraphQLSchema,
    rootType: GraphQLObjectType,
    selectionSet: SelectionSetNode,
    fragments: Record<string, FragmentDefinitionNode>,
    conditions: Record<string, boolean>,
  ) {
    this.root = new ShapeCompiler(schema, fragments, conditions).selection(rootType, [selectionSet]);
  }

  /** Cuts the response out of the merged subgraph data. */
  apply(data: Record<string, unknown>): ShapedResponse {
    const errors: GraphQLError[] = [];
    const shaped = shapeObject(data, this.root, this.root.parentType.name, [], errors);
    return { data: shaped === ERRORED ? null : (shaped as Record<string, unknown>), errors };
  }
}

const invalid = (message: string, path: (string | number)[]) =>
  new GraphQLError(message, { path: [...path], extensions: { code: "INVALID_GRAPHQL" } });

function shapeObject(
  input: Record<string, unknown>,
  selection: SelectionShape,
  typeName: string,
  path: (string | number)[],
  errors: GraphQLError[],
): Completed {
  const fields = selection.fieldsFor(typeName);
  if (!fields) {
    errors.push(invalid(`Invalid __typename found for object at ${describe(path, selection.parentType.name)}.`, path));
    return ERRORED;
  }
  const output: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.typename) {
      output[field.key] = typeName;
      continue;
    }
    path.push(field.key);
    const raw = input[field.key];
    let completed = complete(raw === undefined ? null : raw, field.value!, path, errors, typeName);
    if (completed === null && field.nonNull) {
      errors.push(invalid(`Cannot return null for non-nullable field ${typeName}.${field.key}.`, path));
      completed = ERRORED;
    }
    path.pop();
    if (completed === ERRORED) {
      if (field.nonNull) return ERRORED;
      completed = null;
    }
    output[field.key] = completed;
  }
  return output;
}

function describe(path: (string | number)[], typeName: string): string {
  const last = path[path.length - 1];
  return typeof last === "number" ? `array element of type ${typeName} at index ${last}` : `field ${typeName}.${last}`;
}

/** A value as the response holds it: shaped, null (the caller applies non-null), or ERRORED. */
function complete(
  value: unknown,
  shape: ValueShape,
  path: (string | number)[],
  errors: GraphQLError[],
  parentTypeName: string,
): Completed {
  if (value === null) return null;
  switch (shape.kind) {
    case "leaf":
      if (shape.check(value)) return value;
      errors.push(invalid(`Invalid value found for ${describe(path, parentTypeName)}.`, path));
      return ERRORED;
    case "list": {
      if (!Array.isArray(value)) return ERRORED;
      const items = new Array<unknown>(value.length);
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        let item = complete(value[index] ?? null, shape.of, path, errors, parentTypeName);
        if (item === null && shape.nonNull) {
          errors.push(invalid(`Cannot return null for non-nullable ${describe(path, shape.itemType)}.`, path));
          item = ERRORED;
        }
        path.pop();
        if (item === ERRORED) return ERRORED;
        items[index] = item;
      }
      return items;
    }
    case "object": {
      if (typeof value !== "object") return ERRORED;
      const object = value as Record<string, unknown>;
      const runtime = typeof object.__typename === "string" ? object.__typename : shape.type.name;
      return shapeObject(object, shape.selection, runtime, path, errors);
    }
  }
}
