import { buildSchema, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, test } from "vitest";
import { measureOperation, operationLimitErrors } from "../src/limits/operation-limits.ts";

const schema = buildSchema(`
  type Query { me: User, users(first: Int): [User!]!, node: Node }
  interface Node { id: ID! }
  type User implements Node { id: ID!, name: String, friends(first: Int): [User!]! }
`);

const measure = (text: string, variables: Record<string, unknown> = {}) => {
  const document = parse(text);
  const operation = document.definitions.find((d) => d.kind === "OperationDefinition") as OperationDefinitionNode;
  return measureOperation(schema, document, operation, variables);
};

/** `count` fragments, each spreading the next twice. */
const fanOut = (count: number) =>
  `query { me { ...F0 } } ${Array.from({ length: count }, (_, i) =>
    i === count - 1 ? `fragment F${i} on User { id }` : `fragment F${i} on User { ...F${i + 1} ...F${i + 1} }`,
  ).join(" ")}`;

const limits = {
  maxTokens: 5_000,
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 20,
  maxCost: 10_000,
  input: { maxStringLength: 100, maxDepth: 8 },
};

describe("measureOperation", () => {
  test("counts fields, depth, aliases and root fields of a plain operation", () => {
    expect(measure(`{ me { id a: name } b: me { id } }`)).toEqual({ depth: 2, aliases: 2, rootFields: 2, cost: 5 });
  });

  test("a connection multiplies what lies under it by its page size, from a literal or a variable", () => {
    expect(measure(`{ users(first: 10) { id friends(first: 5) { id } } }`).cost).toBe(1 + 10 * (1 + 1 + 5 * 1));
    expect(measure(`query ($n: Int) { users(first: $n) { id } }`, { n: 50 }).cost).toBe(1 + 50);
    // Without a page size, the default page (20) is assumed.
    expect(measure(`{ users { id } }`).cost).toBe(1 + 20);
  });

  test("fragment spreads expand: exactly what the expanded operation would count", () => {
    const spread = measure(`{ me { ...U ...U } } fragment U on User { id a: name friends(first: 2) { id } }`);
    const inline = measure(`{ me { id a: name friends(first: 2) { id } id a: name friends(first: 2) { id } } }`);
    expect(spread).toEqual(inline);
    expect(measure(`{ node { ... on User { friends(first: 3) { id } } } }`).cost).toBe(1 + 1 + 3);
  });

  test("n fragments that each spread the next twice measure 2^n fields, computed once per fragment", () => {
    const measured = measure(fanOut(60));
    expect(measured.cost).toBe(1 + 2 ** 59);
    expect(measured.depth).toBe(2);
    // 2^300 is past any count; the measure still ends, and is refused.
    const huge = measure(fanOut(300));
    expect(huge.cost).toBeGreaterThan(1e90);
    expect(operationLimitErrors(huge, limits).map((error) => error.message)).toEqual([
      "Operation cost over 10^15 exceeds the limit of 10000; ask for smaller pages",
    ]);
  });

  test("aliases and root fields count once per spread; depth follows fragments", () => {
    const measured = measure(
      `query { ...R ...R } fragment R on Query { a: me { ...Deep } b: me { id } } fragment Deep on User { friends { friends { id } } }`,
    );
    expect(measured).toMatchObject({ aliases: 4, rootFields: 4, depth: 4 });
  });

  test("a fragment cycle (refused by validation before this runs) does not loop", () => {
    expect(measure(`{ me { ...A } } fragment A on User { id ...B } fragment B on User { name ...A }`).cost).toBe(3);
  });
});

describe("operationLimitErrors", () => {
  test("names each limit broken, with GRAPHQL_VALIDATION_FAILED and HTTP 400", () => {
    const errors = operationLimitErrors({ depth: 13, aliases: 31, rootFields: 21, cost: 10_001 }, limits);
    expect(errors.map((error) => error.message)).toEqual([
      "Query depth 13 exceeds the limit of 12",
      "Operation uses 31 aliases; the limit is 30",
      "Operation selects 21 root fields; the limit is 20",
      "Operation cost 10001 exceeds the limit of 10000; ask for smaller pages",
    ]);
    expect(errors.every((error) => error.extensions.code === "GRAPHQL_VALIDATION_FAILED")).toBe(true);
    expect(operationLimitErrors({ depth: 12, aliases: 30, rootFields: 20, cost: 10_000 }, limits)).toEqual([]);
  });
});
