import { parse } from "graphql";
import { describe, expect, test } from "vitest";
import { ErrorCode, isUnavailable, withoutSuggestions } from "../src/errors.ts";
import { inputValueProblem, stringProblem } from "../src/input-bounds.ts";
import { boundedJSONObject } from "../src/json-scalar.ts";

const bounds = { maxStringLength: 10, maxDepth: 3 };

describe("input bounds", () => {
  test("strings: length, NUL and lone surrogates", () => {
    expect(stringProblem("fine", 10)).toBeNull();
    expect(stringProblem("x".repeat(11), 10)).toBe("is longer than 10 characters");
    expect(stringProblem("a\u0000b", 10)).toMatch(/NUL/);
    expect(stringProblem("a\ud800b", 10)).toMatch(/not valid Unicode/);
    expect(stringProblem("emoji 😀", 10)).toBeNull();
  });

  test("values: depth of objects and lists, strings and keys anywhere inside, with a path", () => {
    expect(inputValueProblem({ a: [{ b: "ok" }] }, bounds)).toBeNull();
    expect(inputValueProblem({ a: [{ b: { c: 1 } }] }, bounds)).toBe("value.a.0.b is nested more than 3 levels deep");
    expect(inputValueProblem({ a: ["x".repeat(11)] }, bounds, "variables")).toBe(
      "variables.a.0 is longer than 10 characters",
    );
    expect(inputValueProblem({ ["k\u0000"]: 1 }, bounds)).toMatch(/^a key of value contains a NUL/);
    expect(inputValueProblem(42, bounds)).toBeNull();
  });

  test("a value nested 100,000 deep is measured without running out of stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inputValueProblem(deep, bounds)).toMatch(/nested more than 3 levels deep/);
  });
});

describe("boundedJSONObject", () => {
  const scalar = boundedJSONObject({ maxDepth: 2, maxBytes: 20 });
  const codeOf = (run: () => unknown) => {
    try {
      run();
      return null;
    } catch (error) {
      return (error as { extensions?: { code?: string } }).extensions?.code;
    }
  };

  test("keeps JSONObject's name and accepts objects within its bounds, from variables and literals", () => {
    expect(scalar.name).toBe("JSONObject");
    expect(scalar.parseValue({ a: { b: 1 } })).toEqual({ a: { b: 1 } });
    const literal = parse(`{ f(v: { a: { b: 1 } }) }`);
    const value = (literal.definitions[0] as any).selectionSet.selections[0].arguments[0].value;
    expect(scalar.parseLiteral(value, {})).toEqual({ a: { b: 1 } });
  });

  test("refuses deeper or larger objects with BAD_USER_INPUT", () => {
    expect(codeOf(() => scalar.parseValue({ a: { b: { c: 1 } } }))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => scalar.parseValue({ a: "x".repeat(30) }))).toBe(ErrorCode.BAD_USER_INPUT);
    expect(codeOf(() => scalar.parseValue([1]))).not.toBeNull();
  });
});

describe("withoutSuggestions", () => {
  test("drops graphql-js's suggestions and keeps the mistake", () => {
    expect(withoutSuggestions('Cannot query field "nmae" on type "User". Did you mean "name"?')).toBe(
      'Cannot query field "nmae" on type "User".',
    );
    expect(
      withoutSuggestions(
        'Value "WONN" does not exist in "DealStage" enum. Did you mean the enum value "WON" or "LOST"?',
      ),
    ).toBe('Value "WONN" does not exist in "DealStage" enum.');
  });
});

describe("isUnavailable", () => {
  test("connection failures of Node, PostgreSQL, MongoDB and ioredis, also when wrapped", () => {
    expect(
      isUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })),
    ).toBe(true);
    expect(
      isUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })),
    ).toBe(true);
    expect(isUnavailable(Object.assign(new Error("x"), { name: "MongoServerSelectionError" }))).toBe(true);
    expect(
      isUnavailable(new Error("resolver failed", { cause: Object.assign(new Error("y"), { code: "08006" }) })),
    ).toBe(true);
    expect(isUnavailable({ message: "wrapped", originalError: new Error("Connection is closed.") })).toBe(true);
  });

  test("anything else is not", () => {
    expect(isUnavailable(new Error("Cannot read properties of undefined"))).toBe(false);
    expect(isUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isUnavailable(null)).toBe(false);
  });
});
