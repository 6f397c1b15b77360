import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

// graphql 16 ships CJS ("main") and ESM ("module") without an exports map. Node loads the CJS
// build for our dependencies (Apollo, type-graphql), so our own code must get it too under
// vitest, or two graphql realms meet at runtime ("Cannot use GraphQLObjectType from another realm").
const graphqlEntry = createRequire(new URL("./subgraphs/kit/package.json", import.meta.url)).resolve("graphql");

// One vitest setup for the whole workspace. Tests talk to real servers
// (scripts/services up), so they run in forks with generous timeouts.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ["**/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ".data/**"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a real server or browser does next; its default of one second
    // failed on a loaded 2-core machine (a page one query slower). It still fails when the state never comes.
    expect: { poll: { timeout: 10_000 } },
  },
});
