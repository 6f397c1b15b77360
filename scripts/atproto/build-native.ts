// Compiles better-sqlite3 (the PDS's database) for the Node.js that runs this script, from its
// source, with node-gyp pointed at that Node.js's own headers: no prebuilt binary and no header
// download, neither of which can be fetched here. Does nothing when the module already loads.
//
//   node scripts/atproto/build-native.ts        (scripts/services up runs it with the pinned Node)
//
// pnpm does not run better-sqlite3's install script (pnpm-workspace.yaml says why).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const moduleDir = dirname(require.resolve("better-sqlite3/package.json"));
const version = (require("better-sqlite3/package.json") as { version: string }).version;

function loads(): boolean {
  // In a child process: a binary built for another Node.js fails to load, and one that loads
  // stays loaded in this process.
  const probe = spawnSync(
    process.execPath,
    ["-e", `new (require(${JSON.stringify(moduleDir)}))(":memory:").prepare("select 1").get()`],
    { stdio: "ignore" },
  );
  return probe.status === 0;
}

/** The headers of the running Node.js: the npm `node` package's platform package has them. */
function nodeHeaders(): string {
  const candidates = [dirname(dirname(process.execPath))];
  try {
    candidates.push(dirname(require.resolve(`node-${process.platform}-${process.arch}/package.json`)));
  } catch {
    // not installed on this platform
  }
  for (const dir of candidates) {
    const header = join(dir, "include", "node", "node_version.h");
    if (!existsSync(header)) continue;
    const probe = spawnSync(
      process.execPath,
      [
        "-e",
        `const h = require("fs").readFileSync(${JSON.stringify(header)}, "utf8");
         const v = (n) => h.match(new RegExp("#define NODE_" + n + "_VERSION (\\\\d+)"))[1];
         process.stdout.write("v" + v("MAJOR") + "." + v("MINOR") + "." + v("PATCH"));`,
      ],
      { encoding: "utf8" },
    );
    if (probe.stdout === process.version) return dir;
  }
  throw new Error(
    `no headers of Node.js ${process.version} found (looked in ${candidates.join(", ")}); ` +
      `run this with the pinned Node.js (node_modules/.bin/node)`,
  );
}

if (loads()) {
  process.exit(0);
}
const nodedir = nodeHeaders();
const started = Date.now();
console.log(`atproto: compiling better-sqlite3 ${version} for Node.js ${process.version} (takes a few minutes)`);
const gyp = require.resolve("node-gyp/bin/node-gyp.js");
const build = spawnSync(
  process.execPath,
  [gyp, "rebuild", "--release", `--nodedir=${nodedir}`, "--jobs=max"],
  // node-gyp runs `node` for its helpers: the same Node.js first on PATH.
  {
    cwd: moduleDir,
    stdio: ["ignore", 2, 2], // its output goes with the errors, to the log scripts/services keeps
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` },
  },
);
if (build.status !== 0 || !loads()) {
  console.error(`atproto: compiling better-sqlite3 failed (node-gyp exited with ${build.status})`);
  process.exit(1);
}
console.log(`atproto: better-sqlite3 compiled in ${Math.round((Date.now() - started) / 1000)}s`);
