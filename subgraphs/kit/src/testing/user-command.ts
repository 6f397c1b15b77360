import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root, where scripts/ lives. */
export const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));

/** The data folder of `scripts/services` (SERVICES_DATA_DIR, default `<repo>/.data`). */
export const servicesDataDir = () => resolve(process.env.SERVICES_DATA_DIR ?? resolve(repoRoot, ".data"));

/**
 * Runs a data service's user command (scripts/mail/user, scripts/radicale/user, or the command an
 * environment variable names instead, split on spaces) with `input` on its stdin; rejects with its
 * stderr when it fails.
 */
export function runUserCommand(command: string[], args: string[], env: NodeJS.ProcessEnv, input = ""): Promise<void> {
  const [program, ...prefix] = command;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program!, [...prefix, ...args], { env, stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => reject(new Error(`could not run ${program}`, { cause: error })));
    child.on("close", (code) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${[...command, ...args].join(" ")} failed (${code}): ${stderr.trim()}`));
    });
    // The command may exit without reading its input (an error, or `remove`).
    child.stdin.on("error", () => undefined).end(input);
  });
}
