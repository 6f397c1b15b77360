import { GraphQLError, GraphQLScalarType, type ValueNode } from "graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { ErrorCode } from "./errors.ts";
import { inputValueProblem } from "./input-bounds.ts";

export interface JSONBounds {
  /** Deepest nesting of objects and arrays, the outer object being level 1. */
  maxDepth: number;
  /** Largest size as JSON text, in UTF-8 bytes. */
  maxBytes: number;
}

/**
 * graphql-scalars' JSONObject with a depth and size bound: unbounded JSON is a way to make a
 * service recurse until its stack runs out or hold megabytes per value. Same name and wire
 * format, so composition and clients see the scalar they know.
 */
export function boundedJSONObject(bounds: JSONBounds): GraphQLScalarType {
  const check = (value: Record<string, unknown>) => {
    const problem = inputValueProblem(value, { maxDepth: bounds.maxDepth, maxStringLength: bounds.maxBytes }, "JSON");
    if (problem) throw new GraphQLError(problem, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
    if (Buffer.byteLength(JSON.stringify(value)) > bounds.maxBytes) {
      throw new GraphQLError(`JSON is larger than ${bounds.maxBytes} bytes`, {
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      });
    }
    return value;
  };
  const base = GraphQLJSONObject.toConfig();
  return new GraphQLScalarType({
    ...base,
    description: `A JSON object (ECMA-404), nested at most ${bounds.maxDepth} levels deep and at most ${bounds.maxBytes} bytes as JSON text.`,
    parseValue: (value: unknown) => check(base.parseValue!(value) as Record<string, unknown>),
    parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) =>
      check(base.parseLiteral!(ast, variables) as Record<string, unknown>),
  });
}

/** The JSONObject scalar of Mary's subgraphs: 16 levels, 64 KB. Fields add tighter rules of their own. */
export const JSONObjectScalar = boundedJSONObject({ maxDepth: 16, maxBytes: 64 * 1024 });
