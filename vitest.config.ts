import { defineConfig } from "vitest/config";

// One vitest setup for the whole workspace. Tests talk to real servers
// (scripts/services up), so they run in forks with generous timeouts.
export default defineConfig({
  test: {
    include: ["**/test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ".data/**"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
