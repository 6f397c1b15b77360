// The bench's child processes: started pinned to a core (`taskset -c`), each in a process group
// of its own so that stopping one stops whatever it started; all of them killed when the bench
// exits, however it exits. And what /proc says about a process and its descendants.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface Child {
  name: string;
  pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  /** Resolves with the first line it writes to stdout. */
  firstLine: Promise<string>;
  exited: Promise<number | null>;
  process: ChildProcess;
}

const running = new Set<Child>();

/** Kills every child's process group that is still there (synchronously: also from `exit`). */
export function killAll(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const child of running) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}
process.once("exit", () => killAll());
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Starts `command` (node and its arguments) on `core`, or anywhere when `core` is undefined;
 * with `stdin`, its standard input is a pipe (`child.process.stdin`), else nothing.
 */
export function startChild(
  name: string,
  core: string | undefined,
  command: string[],
  options: { cwd: string; env: Record<string, string | undefined>; stdin?: boolean },
): Child {
  const [file, ...args] = core === undefined ? command : ["taskset", "-c", core, ...command];
  const child = spawn(file!, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: [options.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let output = "";
  let resolveLine: (line: string) => void;
  let rejectLine: (error: Error) => void;
  const firstLine = new Promise<string>((resolve, reject) => ((resolveLine = resolve), (rejectLine = reject)));
  firstLine.catch(() => {});
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk;
    stdout += chunk;
    const end = stdout.indexOf("\n");
    if (end >= 0) resolveLine(stdout.slice(0, end));
  });
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code, signal) => {
      running.delete(entry);
      rejectLine(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output}`));
      resolve(code);
    }),
  );
  if (child.pid === undefined) throw new Error(`${name} could not be started`);
  const entry: Child = { name, pid: child.pid, output: () => output, firstLine, exited, process: child };
  running.add(entry);
  return entry;
}

/** Waits for the first line on stdout, or fails when the child exits or `timeoutMs` passes. */
export async function readyLine(child: Child, timeoutMs = 60_000): Promise<string> {
  const timeout = sleep(timeoutMs).then(() => {
    throw new Error(`${child.name} was not ready after ${timeoutMs} ms:\n${child.output()}`);
  });
  return Promise.race([child.firstLine, timeout]);
}

/** Polls `url` until it answers 200, or fails when the child exits or `timeoutMs` passes. */
export async function readyUrl(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!running.has(child)) throw new Error(`${child.name} exited before it was ready:\n${child.output()}`);
    if (Date.now() > deadline) throw new Error(`${child.name} was not ready after ${timeoutMs} ms:\n${child.output()}`);
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
}

/** SIGTERM to the child's group, then SIGKILL if it has not exited within `graceMs`. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<void> {
  if (!running.has(child)) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const exited = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (exited) {
    // Whatever it started in its group goes too.
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // the group is empty
    }
    return;
  }
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
  await child.exited;
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The process and its descendants, from /proc/<pid>/task/<tid>/children. */
export function processTree(pid: number): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${pids[i]}/task`)) {
        const children = readFileSync(`/proc/${pids[i]}/task/${tid}/children`, "utf8").trim();
        if (children) pids.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // it exited meanwhile
    }
  }
  return pids;
}

/** Resident memory of the process and its descendants, in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  let total = 0;
  for (const one of processTree(pid)) {
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${one}/status`, "utf8"));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // it exited meanwhile
    }
  }
  return total;
}

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU time (user + system) of the process and its live descendants, in ms. */
export function cpuMs(pid: number): number {
  let ticks = 0;
  for (const one of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${one}/stat`, "utf8");
      // Fields after the command (which may hold spaces), from field 3 on: utime is 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // it exited meanwhile
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** Busy time of each core so far (everything but idle and iowait), in ms, from /proc/stat. */
export function coreBusyMs(): number[] {
  const busy: number[] = [];
  for (const line of readFileSync("/proc/stat", "utf8").split("\n")) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, , , irq, softirq, steal] = match[2]!.trim().split(/\s+/).map(Number);
    busy[Number(match[1])] = ((user! + nice! + system! + irq! + softirq! + steal!) * 1000) / CLOCK_TICKS;
  }
  return busy;
}
