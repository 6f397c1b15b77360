// Where a V8 CPU profile (`node --cpu-prof`) spent its time: self time aggregated by function
// (name + file + line) and by module (npm package, node's internals, or the repository's file),
// as shares of the time the process was not idle.
//
//   pnpm exec tsx bench/gateway-throughput/profile-summary.ts <file.cpuprofile> [top]
// The throughput bench calls summarizeProfile itself with the windows of the profiled gateway's
// measured rounds, so start-up and the other gateway's rounds (idle here) are left out.
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A span of the monotonic clock in microseconds (V8's profile clock, as `process.hrtime`). */
export interface Window {
  fromUs: number;
  toUs: number;
}

export interface ProfileEntry {
  name: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  /** Sampled time in the windows, idle included, and the part that was not idle. */
  totalMs: number;
  busyMs: number;
  functions: ProfileEntry[];
  modules: ProfileEntry[];
}

const REPO_ROOT = resolve(import.meta.dirname, "../..");
const SPECIAL = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** An npm package's name, `node:…` for node's own code, or the file relative to the repository. */
function moduleOf({ url, functionName }: CallFrame): string {
  if (!url) return SPECIAL.has(functionName) ? functionName : "(native)";
  // node's own modules; its bundled dependencies (undici, behind fetch) by name.
  if (url.startsWith("node:internal/deps/")) return url.split("/").slice(0, 3).join("/");
  if (url.startsWith("node:")) return url.split("/").slice(0, 2).join("/");
  const path = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  const inModules = path.lastIndexOf("/node_modules/");
  if (inModules >= 0) {
    const [first, second] = path.slice(inModules + "/node_modules/".length).split("/");
    return first?.startsWith("@") ? `${first}/${second}` : (first ?? path);
  }
  return path.startsWith("/") ? relative(REPO_ROOT, path) : path;
}

function shortFile(url: string): string {
  if (!url) return "";
  const path = url.startsWith("file://") ? decodeURIComponent(new URL(url).pathname) : url;
  const inModules = path.lastIndexOf("/node_modules/");
  if (inModules >= 0) return path.slice(inModules + "/node_modules/".length);
  return path.startsWith("/") ? relative(REPO_ROOT, path) : path;
}

const functionOf = (frame: CallFrame) =>
  frame.url
    ? `${frame.functionName || "(anonymous)"}  ${shortFile(frame.url)}:${frame.lineNumber + 1}`
    : frame.functionName || "(anonymous)";

/** Self time by function and by module, over the samples inside `windows` (all of them when none). */
export function summarizeProfile(file: string, options: { windows?: Window[]; top?: number } = {}): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const spanUs = profile.timeDeltas[i + 1] ?? 0;
    if (options.windows && !options.windows.some((w) => at >= w.fromUs && at < w.toUs)) continue;
    const frame = frames.get(profile.samples[i]!)!;
    totalUs += spanUs;
    if (frame.functionName === "(idle)" && !frame.url) {
      idleUs += spanUs;
      continue;
    }
    const fn = functionOf(frame);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + spanUs);
    const module = moduleOf(frame);
    byModule.set(module, (byModule.get(module) ?? 0) + spanUs);
  }
  const busyUs = totalUs - idleUs;
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top ?? 15)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyUs ? us / busyUs : 0 }));
  return { totalMs: totalUs / 1000, busyMs: busyUs / 1000, functions: top(byFunction), modules: top(byModule) };
}

/** The summary as lines of text. */
export function formatSummary(title: string, summary: ProfileSummary): string {
  const lines = [
    `${title}: ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s sampled (shares are of busy time)`,
    "  self time by function:",
    ...summary.functions.map(
      (entry, i) =>
        `  ${String(i + 1).padStart(3)}. ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}`,
    ),
    "  self time by module:",
    ...summary.modules.map(
      (entry, i) =>
        `  ${String(i + 1).padStart(3)}. ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.selfMs.toFixed(0).padStart(7)} ms  ${entry.name}`,
    ),
  ];
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write("usage: profile-summary.ts <file.cpuprofile> [top]\n");
    process.exit(2);
  }
  console.log(formatSummary(file, summarizeProfile(file, { top: top ? Number(top) : 15 })));
}
