import { readFileSync } from "node:fs";
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";

/** A small seeded PRNG (mulberry32): the same seed gives the same corpus on every machine. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof prng>;

/** A real operation of the public graph, with variables of the right types. */
export interface RealOperation {
  kind: "query" | "mutation" | "subscription";
  field: string;
  query: string;
  variables: Record<string, unknown>;
}

export function loadApiSchema(path = new URL("../../schema/api.graphql", import.meta.url)): GraphQLSchema {
  return buildSchema(readFileSync(path, "utf8"));
}

/** A version-4-shaped UUID from the seeded generator (never one that exists). */
const seededUuid = (random: Random) =>
  "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, () => random.int(16).toString(16));

const scalarValue = (name: string, random: Random): unknown => {
  switch (name) {
    case "String":
      return random.pick(["Acme", "alice@example.com", "hello world", "EUR", "users:read", ""]);
    case "ID":
      return random.chance(0.5) ? seededUuid(random) : random.pick(["1", "not-an-id", "run_1"]);
    case "Int":
      return random.pick([0, 1, 5, 20, 100]);
    case "Float":
      return 1.5;
    case "Boolean":
      return random.chance(0.5);
    case "SafeInt":
      return random.pick([0, 100, 12_345]);
    case "DateTimeISO":
      return "2026-12-01T10:00:00.000Z";
    case "LocalDate":
      return "2026-12-01";
    case "JSONObject":
      return { source: "fuzz", score: 3 };
    default:
      return "x";
  }
};

/** A value of the input type, well-formed (its content may still be refused by the service). */
export function valueOf(type: GraphQLInputType, random: Random, depth = 0): unknown {
  if (isNonNullType(type)) return valueOf(type.ofType, random, depth);
  if (isListType(type)) return Array.from({ length: random.int(3) }, () => valueOf(type.ofType, random, depth + 1));
  if (isEnumType(type)) return random.pick(type.getValues()).name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || (depth < 2 && random.chance(0.5))) {
        value[field.name] = valueOf(field.type, random, depth + 1);
      }
    }
    return value;
  }
  return scalarValue(type.name, random);
}

/** A selection of the type's fields: its leaves and, a few levels down, objects without required arguments. */
function selectionOf(type: GraphQLNamedType, depth: number): string {
  if (!isObjectType(type)) return "";
  const fields = Object.values(type.getFields()).filter(
    (field: GraphQLField<unknown, unknown>) => !field.args.some((arg) => isNonNullType(arg.type)),
  );
  const leaves = fields.filter((field) => !isObjectType(getNamedType(field.type))).slice(0, 5);
  const objects = depth < 3 ? fields.filter((field) => isObjectType(getNamedType(field.type))).slice(0, 2) : [];
  const parts = [
    ...leaves.map((field) => field.name),
    ...objects.map((field) => `${field.name} { ${selectionOf(getNamedType(field.type), depth + 1) || "__typename"} }`),
  ];
  return parts.length ? parts.join(" ") : "__typename";
}

/** One operation per root field of the schema (every subgraph's queries, mutations and subscriptions). */
export function realOperations(schema: GraphQLSchema, random: Random): RealOperation[] {
  const operations: RealOperation[] = [];
  for (const kind of ["query", "mutation", "subscription"] as const) {
    const root =
      kind === "query"
        ? schema.getQueryType()
        : kind === "mutation"
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    for (const field of Object.values(root?.getFields() ?? {})) {
      const definitions = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`);
      const args = field.args.map((arg) => `${arg.name}: $${arg.name}`);
      const selection = selectionOf(getNamedType(field.type), 1);
      const name = `Fuzz_${field.name}`;
      operations.push({
        kind,
        field: field.name,
        query:
          `${kind} ${name}${definitions.length ? `(${definitions.join(", ")})` : ""} { ` +
          `${field.name}${args.length ? `(${args.join(", ")})` : ""}${selection ? ` { ${selection} }` : ""} }`,
        variables: Object.fromEntries(field.args.map((arg) => [arg.name, valueOf(arg.type, random)])),
      });
    }
  }
  return operations;
}

/** A request as the fuzz suite sends it: over HTTP (any body, method and headers) or as a graphql-ws subscribe. */
export type FuzzCase =
  | {
      transport: "http";
      label: string;
      method: "GET" | "POST";
      /** Query string for GET. */
      search?: string;
      body?: string | Buffer;
      contentType?: string;
      /** Whether to send the test user's credential; otherwise a bad or no credential. */
      auth: "user" | "none" | "garbage";
      /** Whether the request, if refused, may still have written (never: the suite checks it wrote nothing). */
      mutation: boolean;
    }
  | {
      transport: "ws";
      label: string;
      payload: { query: string; variables?: unknown; operationName?: string };
      mutation: boolean;
    };

const JUNK = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ":",
  "$",
  "...",
  "@",
  '"',
  "\\",
  "#",
  "\u0000",
  "\ud800",
  "query",
  "fragment",
  "on",
  "!",
  "=",
  ",",
  "\n",
];

/** The operation's text cut, or changed a few characters at a time. */
function mutateText(text: string, random: Random): string {
  const choice = random.int(5);
  if (choice === 0) return text.slice(0, random.int(text.length));
  let result = text;
  for (let i = 0, n = 1 + random.int(4); i < n; i++) {
    const at = random.int(result.length + 1);
    const op = random.int(4);
    if (op === 0) result = result.slice(0, at) + random.pick(JUNK) + result.slice(at);
    else if (op === 1) result = result.slice(0, at) + result.slice(at + 1 + random.int(5));
    else if (op === 2) {
      const end = Math.min(result.length, at + 1 + random.int(20));
      result = result.slice(0, end) + result.slice(at, end) + result.slice(end);
    } else result = result.slice(0, at) + String.fromCharCode(random.int(0x80)) + result.slice(at + 1);
  }
  return result;
}

/** A variable value of the wrong shape or size. */
function hostileValue(random: Random): unknown {
  switch (random.int(12)) {
    case 0:
      return { not: "an id" };
    case 1:
      return [1, [2, [3]]];
    case 2:
      return 2 ** 53 + 1;
    case 3:
      return -1.5;
    case 4:
      return "x".repeat(100_001 + random.int(300_000));
    case 5:
      return "nul\u0000inside";
    case 6:
      return "lone \ud800 surrogate";
    case 7:
      return JSON.parse('{"constructor": {"prototype": {"polluted": true}}, "__proto__": {"polluted": true}}');
    case 8: {
      let nested: unknown = "leaf";
      for (let i = 0, n = 30 + random.int(2_000); i < n; i++) nested = random.chance(0.5) ? [nested] : { a: nested };
      return nested;
    }
    case 9:
      return null;
    case 10:
      return true;
    default:
      return "WONN";
  }
}

function withHostileVariables(operation: RealOperation, random: Random): Record<string, unknown> {
  const variables: Record<string, unknown> = structuredClone(operation.variables);
  const names = Object.keys(variables);
  if (!names.length) return { unexpected: hostileValue(random) };
  const name = random.pick(names);
  const value = variables[name];
  if (value && typeof value === "object" && !Array.isArray(value) && random.chance(0.5)) {
    const keys = Object.keys(value);
    const key =
      keys.length && random.chance(0.6) ? random.pick(keys) : random.pick(["nmae", "constructor", "__proto__", "x"]);
    (value as Record<string, unknown>)[key] = hostileValue(random);
  } else {
    variables[name] = hostileValue(random);
  }
  return variables;
}

const deepSelection = (levels: number) =>
  `{ me { ${"memberships { workspace { members { edges { node { user { ".repeat(levels)}id${" } } } } } }".repeat(levels)} } }`;

const fragmentFanOut = (count: number) =>
  `query { me { ...F0 } } ${Array.from({ length: count }, (_, i) =>
    i === count - 1 ? `fragment F${i} on User { id }` : `fragment F${i} on User { ...F${i + 1} ...F${i + 1} }`,
  ).join(" ")}`;

const fragmentCycle = (count: number) =>
  `query { me { ...C0 } } ${Array.from({ length: count }, (_, i) => `fragment C${i} on User { id ...C${(i + 1) % count} }`).join(" ")}`;

const manyAliases = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: __typename`).join(" ")} }`;

const deepListLiteral = (levels: number) =>
  `{ contacts(search: ${"[".repeat(levels)}"x"${"]".repeat(levels)}) { edges { node { id } } } }`;

/** Every hostile document shape the suite tries, as query text. */
function hostileDocument(
  operations: RealOperation[],
  random: Random,
): { query: string; variables?: unknown; mutation: boolean } {
  const operation = random.pick(operations);
  switch (random.int(9)) {
    case 0:
    case 1:
      return {
        query: mutateText(operation.query, random),
        variables: operation.variables,
        mutation: operation.kind === "mutation",
      };
    case 2:
      return {
        query: operation.query,
        variables: withHostileVariables(operation, random),
        mutation: operation.kind === "mutation",
      };
    case 3:
      return { query: deepSelection(2 + random.int(60)), mutation: false };
    case 4:
      return { query: manyAliases(31 + random.int(3_000)), mutation: false };
    case 5:
      return {
        query: random.chance(0.5) ? fragmentFanOut(10 + random.int(60)) : fragmentCycle(2 + random.int(30)),
        mutation: false,
      };
    case 6:
      return { query: deepListLiteral(10 + random.int(2_000)), mutation: false };
    case 7:
      return {
        query: `{ contacts(search: "${random.pick(["\\u0000", "\\ud800", "x".repeat(100_001)])}") { edges { node { id } } } }`,
        mutation: false,
      };
    default:
      return {
        query: operation.query,
        variables: random.chance(0.5) ? [operation.variables] : "not an object",
        mutation: operation.kind === "mutation",
      };
  }
}

/** The seeded corpus: `httpCount` HTTP requests and `wsCount` graphql-ws operations. */
export function fuzzCorpus(schema: GraphQLSchema, seed: number, httpCount: number, wsCount: number): FuzzCase[] {
  const random = prng(seed);
  const operations = realOperations(schema, random);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < httpCount; i++) {
    const auth = random.chance(0.8) ? "user" : random.pick(["none", "garbage"] as const);
    const kind = random.int(20);
    if (kind < 13) {
      const document = hostileDocument(operations, random);
      cases.push({
        transport: "http",
        label: `document #${i}`,
        method: "POST",
        body: JSON.stringify({ query: document.query, variables: document.variables }),
        auth,
        mutation: document.mutation,
      });
    } else if (kind === 13) {
      const operation = random.pick(operations);
      cases.push({
        transport: "http",
        label: `batch #${i}`,
        method: "POST",
        body: JSON.stringify([{ query: operation.query, variables: operation.variables }, { query: "{ __typename }" }]),
        auth,
        mutation: operation.kind === "mutation",
      });
    } else if (kind === 14) {
      const bytes = Buffer.from(Array.from({ length: 1 + random.int(200) }, () => random.int(256)));
      cases.push({ transport: "http", label: `bytes #${i}`, method: "POST", body: bytes, auth, mutation: false });
    } else if (kind === 15) {
      // Valid JSON around invalid UTF-8.
      const body = Buffer.concat([
        Buffer.from('{"query":"{ contacts(search: \\"'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('\\") { edges { node { id } } } }"}'),
      ]);
      cases.push({ transport: "http", label: `invalid UTF-8 #${i}`, method: "POST", body, auth, mutation: false });
    } else if (kind === 16) {
      const operation = random.pick(operations.filter((op) => op.kind === "mutation"));
      cases.push({
        transport: "http",
        label: `GET mutation #${i}`,
        method: "GET",
        search: `?query=${encodeURIComponent(operation.query)}&variables=${encodeURIComponent(JSON.stringify(operation.variables))}`,
        auth,
        mutation: true,
      });
    } else if (kind === 17) {
      cases.push({
        transport: "http",
        label: `oversize #${i}`,
        method: "POST",
        body: JSON.stringify({
          query: "{ __typename }",
          variables: { pad: "x".repeat(1_000_001 + random.int(500_000)) },
        }),
        auth,
        mutation: false,
      });
    } else if (kind === 18) {
      const operation = random.pick(operations);
      cases.push({
        transport: "http",
        label: `form post #${i}`,
        method: "POST",
        body: `query=${encodeURIComponent(operation.query)}`,
        contentType: random.pick(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]),
        auth,
        mutation: operation.kind === "mutation",
      });
    } else {
      cases.push({
        transport: "http",
        label: `non-JSON #${i}`,
        method: "POST",
        body: random.pick([
          "{",
          "null",
          "[]",
          '{"query": 42}',
          '{"query": "{ __typename }", "variables": 7}',
          "query { me { id } }",
          "",
        ]),
        auth,
        mutation: false,
      });
    }
  }
  for (let i = 0; i < wsCount; i++) {
    const document = hostileDocument(operations, random);
    cases.push({
      transport: "ws",
      label: `ws document #${i}`,
      payload: { query: document.query, variables: document.variables as Record<string, unknown> },
      mutation: document.mutation,
    });
  }
  return cases;
}
