import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { ExecutionGate } from "../src/core/execution-gate.ts";

/** Work the test finishes by hand, recording when it started. */
function controlledWork(log: string[]) {
  const finishers = new Map<string, () => void>();
  const work = (name: string) => () => {
    log.push(name);
    return new Promise<string>((resolve) => finishers.set(name, () => resolve(name)));
  };
  const finish = async (name: string) => {
    finishers.get(name)!();
    await sleep(0);
  };
  return { work, finish };
}

/** A gate whose event loop is always saturated (no time to spare), unless the test says otherwise. */
const busyGate = (budget: number, utilization = () => 1) => new ExecutionGate({ budget, checkMs: 1, utilization });

describe("ExecutionGate", () => {
  it("runs operations together up to the budget while the loop is busy, the rest first come first served", async () => {
    const log: string[] = [];
    const { work, finish } = controlledWork(log);
    const gate = busyGate(100);
    const results = ["a", "b", "c", "d", "e"].map((name) => gate.run(40, work(name)));
    await sleep(20);
    expect(log).toEqual(["a", "b"]);
    expect(gate.stats()).toEqual({ running: 2, waiting: 3, weight: 80 });

    await finish("b");
    expect(log).toEqual(["a", "b", "c"]);
    await finish("a");
    await finish("c");
    expect(log).toEqual(["a", "b", "c", "d", "e"]);
    await finish("d");
    await finish("e");
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d", "e"]);
    expect(gate.stats()).toEqual({ running: 0, waiting: 0, weight: 0 });
  });

  it("a small operation passes beside a large one; one over the budget runs alone; none overtakes a waiting one", async () => {
    const log: string[] = [];
    const { work, finish } = controlledWork(log);
    const gate = busyGate(100);
    const large = gate.run(90, work("large"));
    const small = gate.run(5, work("small"));
    const huge = gate.run(500, work("huge")); // over the budget: it waits to run alone
    const tiny = gate.run(1, work("tiny")); // would fit, but behind a waiting one: waits too
    await sleep(10);
    expect(log).toEqual(["large", "small"]);
    await finish("large");
    expect(log).toEqual(["large", "small"]);
    await finish("small");
    expect(log).toEqual(["large", "small", "huge"]);
    await finish("huge");
    expect(log).toEqual(["large", "small", "huge", "tiny"]);
    await finish("tiny");
    expect(await Promise.all([large, small, huge, tiny])).toEqual(["large", "small", "huge", "tiny"]);
  });

  it("starts another budget's worth each time the loop had time to spare (a slow subgraph holds nobody back)", async () => {
    const log: string[] = [];
    const { work, finish } = controlledWork(log);
    let busy = 1;
    const gate = new ExecutionGate({ budget: 2, checkMs: 5, spareBelow: 0.9, utilization: () => busy });
    const names = ["a", "b", "c", "d", "e", "f", "g"];
    const results = names.map((name) => gate.run(1, work(name)));
    await sleep(30);
    expect(log).toHaveLength(2);

    busy = 0.2; // a and b wait on a subgraph: the loop idles
    await sleep(8);
    expect(log.length).toBeGreaterThanOrEqual(4);
    await sleep(40);
    expect(log).toEqual(names);
    expect(gate.stats()).toMatchObject({ running: 7, waiting: 0 });
    for (const name of names) await finish(name);
    expect(await Promise.all(results)).toEqual(names);
    expect(gate.stats()).toEqual({ running: 0, waiting: 0, weight: 0 });
  });

  it("a failed operation gives its place to the next", async () => {
    const gate = busyGate(1);
    const failing = gate.run(1, async () => {
      await sleep(5);
      throw new Error("subgraph down");
    });
    const next = gate.run(1, async () => "ran");
    await expect(failing).rejects.toThrow("subgraph down");
    expect(await next).toBe("ran");
    expect(gate.stats()).toEqual({ running: 0, waiting: 0, weight: 0 });
  });

  it("refuses a budget of 0", () => {
    expect(() => new ExecutionGate({ budget: 0 })).toThrow("more than 0");
  });
});
