import { readFileSync } from "node:fs";
import { buildSchema, isEnumType, isInputObjectType, isObjectType } from "graphql";
import { expect, test } from "vitest";
import { compose } from "../compose.ts";

test("the subgraphs compose, and schema/ holds exactly what composition produces", async () => {
  const files = await compose();
  expect([...files.keys()].map((path) => path.split("/").pop())).toEqual(
    expect.arrayContaining(["supergraph.graphql", "api.graphql", "users.graphql"]),
  );
  for (const [path, content] of files) {
    expect(readFileSync(path, "utf8"), `${path} is stale: run \`pnpm compose\``).toBe(content);
  }
});

test("every type, field and enum value of the public API schema has a description", async () => {
  const files = await compose();
  const api = [...files].find(([path]) => path.endsWith("api.graphql"))![1];
  const missing: string[] = [];
  for (const type of Object.values(buildSchema(api).getTypeMap())) {
    if (type.name.startsWith("__") || ["String", "Boolean", "ID", "Int", "Float"].includes(type.name)) continue;
    const isRoot = ["Query", "Mutation", "Subscription"].includes(type.name);
    if (!isRoot && !type.description) missing.push(type.name);
    if (isObjectType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (!field.description) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type))
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
  }
  expect(missing).toEqual([]);
});
