import { describe, expect, test } from "vitest";
import { overlapping } from "../src/scheduling/conflicts.ts";
import type { Interval } from "../src/scheduling/types.ts";

interface Named extends Interval {
  name: string;
}

const HOUR = 3_600_000;
const item = (name: string, startHour: number, endHour: number): Named => ({
  name,
  start: new Date(Date.UTC(2026, 2, 23) + startHour * HOUR),
  end: new Date(Date.UTC(2026, 2, 23) + endHour * HOUR),
});
const names = (pairs: [Named, Named][]) => pairs.map(([a, b]) => `${a.name}-${b.name}`).sort();

/** A small deterministic pseudo-random generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("overlapping", () => {
  test("touching intervals do not conflict; overlapping and containing ones do", () => {
    const mine = [item("a", 9, 10), item("b", 12, 14), item("c", 16, 17)];
    const theirs = [item("x", 10, 11), item("y", 13, 13.5), item("z", 11, 12), item("w", 13.75, 18)];
    expect(names(overlapping(mine, theirs))).toEqual(["b-w", "b-y", "c-w"]);
  });

  test("equal starts conflict, empty intervals conflict with nothing, the objects are returned", () => {
    const a = [item("a", 9, 10), item("empty", 9.5, 9.5)];
    const b = [item("x", 9, 9.5), item("also-empty", 9.25, 9.25)];
    const pairs = overlapping(a, b);
    expect(names(pairs)).toEqual(["a-x"]);
    expect(pairs[0]![0]).toBe(a[0]);
    expect(pairs[0]![1]).toBe(b[0]);
  });

  test("one list against itself: each overlapping pair both ways, and each item with itself", () => {
    const list = [item("a", 9, 11), item("b", 10, 12), item("c", 12, 13)];
    expect(names(overlapping(list, list))).toEqual(["a-a", "a-b", "b-a", "b-b", "c-c"]);
  });

  test("empty lists", () => {
    expect(overlapping([], [item("a", 1, 2)])).toEqual([]);
    expect(overlapping([item("a", 1, 2)], [])).toEqual([]);
  });

  test.each([1, 2, 3, 4, 5])("many random intervals equal an O(n·m) check (seed %i)", (seed) => {
    const next = random(seed);
    // Whole quarter hours over a few days, so touching and equal ends happen often.
    const make = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const start = Math.floor(next() * 300) / 4;
        const length = Math.floor(next() * (next() < 0.1 ? 80 : 12)) / 4;
        return item(`${prefix}${i}`, start, start + length);
      });
    const a = make("a", 400);
    const b = make("b", 300);
    const expected: string[] = [];
    for (const x of a) {
      for (const y of b) {
        const empty = x.start >= x.end || y.start >= y.end;
        if (!empty && x.start < y.end && y.start < x.end) expected.push(`${x.name}-${y.name}`);
      }
    }
    expect(expected.length).toBeGreaterThan(100);
    expect(names(overlapping(a, b))).toEqual(expected.sort());
  });
});
