import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { ExecutionGate } from "../src/core/execution-gate.ts";

/** Work the test finishes by hand, recording when it started. */
function controlledWork(log: string[]) {
  const finishers = new Map<string, () => void>();
  const work = (name: string) => () => {
    log.push(`start ${name}`);
    return new Promise<string>((resolve) => finishers.set(name, () => resolve(name)));
  };
  const finish = async (name: string) => {
    finishers.get(name)!();
    await sleep(0);
  };
  return { work, finish };
}

describe("ExecutionGate", () => {
  it("runs at most `limit` at once while the loop is busy, the rest first come first served", async () => {
    const log: string[] = [];
    const { work, finish } = controlledWork(log);
    const gate = new ExecutionGate({ limit: 2, checkMs: 1, utilization: () => 1 });
    const results = ["a", "b", "c", "d", "e"].map((name) => gate.run(work(name)));
    await sleep(20);
    expect(log).toEqual(["start a", "start b"]);
    expect(gate.stats()).toEqual({ running: 2, waiting: 3 });

    await finish("b");
    expect(log).toEqual(["start a", "start b", "start c"]);
    await finish("a");
    await finish("c");
    expect(log).toEqual(["start a", "start b", "start c", "start d", "start e"]);
    await finish("d");
    await finish("e");
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d", "e"]);
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it("starts `limit` more waiting ones each time the loop had time to spare (a slow subgraph holds nobody back)", async () => {
    const log: string[] = [];
    const { work, finish } = controlledWork(log);
    let busy = 1;
    const gate = new ExecutionGate({ limit: 2, checkMs: 5, spareBelow: 0.9, utilization: () => busy });
    const names = ["a", "b", "c", "d", "e", "f", "g"];
    const results = names.map((name) => gate.run(work(name)));
    await sleep(30);
    expect(log).toHaveLength(2);

    busy = 0.2; // a and b wait on a subgraph: the loop idles
    await sleep(8);
    expect(log.length).toBeGreaterThanOrEqual(4);
    await sleep(30);
    expect(log).toEqual(names.map((name) => `start ${name}`));
    expect(gate.stats()).toEqual({ running: 7, waiting: 0 });
    for (const name of names) await finish(name);
    expect(await Promise.all(results)).toEqual(names);
  });

  it("a failed operation gives its place to the next", async () => {
    const gate = new ExecutionGate({ limit: 1, checkMs: 1, utilization: () => 1 });
    const failing = gate.run(async () => {
      await sleep(5);
      throw new Error("subgraph down");
    });
    const next = gate.run(async () => "ran");
    await expect(failing).rejects.toThrow("subgraph down");
    expect(await next).toBe("ran");
    expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it("refuses a limit below 1", () => {
    expect(() => new ExecutionGate({ limit: 0 })).toThrow("1 or more");
  });
});
