/**
 * Writes schema/<subgraph>.graphql from each subgraph's code, composes them
 * with @apollo/composition into schema/supergraph.graphql, and writes the
 * client-facing API schema to schema/api.graphql.
 *
 *   pnpm compose          regenerate the files
 *   pnpm compose --check  fail if composition fails or a file is stale
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { composeServices } from "@apollo/composition";
import { printSubgraphSchema } from "@apollo/subgraph";
import { parse, printSchema, type GraphQLSchema } from "graphql";
import { parse as parseYaml } from "yaml";

const root = resolve(import.meta.dirname, "..");

interface SupergraphConfig {
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

/** Where each subgraph exports the function that builds its schema. */
async function buildSubgraph(name: string): Promise<GraphQLSchema> {
  const module = (await import(pathToFileURL(resolve(root, "subgraphs", name, "src/schema.ts")).href)) as Record<
    string,
    unknown
  >;
  const builder = Object.entries(module).find(([key]) => /^build\w+Schema$/.test(key))?.[1] as
    (() => Promise<GraphQLSchema>) | undefined;
  if (!builder) throw new Error(`subgraphs/${name}/src/schema.ts exports no build…Schema function`);
  return builder();
}

export async function compose(): Promise<Map<string, string>> {
  const config = parseYaml(readFileSync(resolve(root, "supergraph.yaml"), "utf8")) as SupergraphConfig;
  const files = new Map<string, string>();
  const services = [];
  for (const [name, subgraph] of Object.entries(config.subgraphs)) {
    const sdl = printSubgraphSchema(await buildSubgraph(name)) + "\n";
    files.set(resolve(root, subgraph.schema.file), sdl);
    services.push({ name, url: subgraph.routing_url, typeDefs: parse(sdl) });
  }
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `  ${error.message}`).join("\n")}`);
  }
  files.set(resolve(root, "schema/supergraph.graphql"), result.supergraphSdl + "\n");
  files.set(resolve(root, "schema/api.graphql"), printSchema(result.schema.toAPISchema().toGraphQLJSSchema()) + "\n");
  return files;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const check = process.argv.includes("--check");
  const files = await compose();
  const stale = [...files].filter(([path, content]) => !existsSync(path) || readFileSync(path, "utf8") !== content);
  if (check) {
    if (stale.length) {
      console.error(`schema/ is stale; run \`pnpm compose\`:\n${stale.map(([path]) => `  ${path}`).join("\n")}`);
      process.exit(1);
    }
    console.log("compose: composition succeeds and schema/ is up to date");
  } else {
    for (const [path, content] of stale) writeFileSync(path, content);
    console.log(`compose: wrote ${stale.length} file(s)`);
  }
}
