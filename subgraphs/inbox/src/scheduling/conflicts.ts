// Conflicts between two sets of intervals (a user's events against another's, or against their own).
import type { Interval } from "./types.ts";

/**
 * Every pair (x of `a`, y of `b`) whose intervals overlap. Intervals are half-open, so touching
 * ones (one ends when the other starts) do not conflict, and empty ones (end <= start) conflict with
 * nothing. Passing one list twice gives each overlapping pair both ways and each item with itself.
 * Sorts both lists and sweeps: O((n + m) log(n + m) + pairs). Pairs come ordered by the later of
 * the two starts.
 */
export function overlapping<T extends Interval, U extends Interval>(a: T[], b: U[]): [T, U][] {
  const starts = [
    ...a.map((item) => ({ side: "a" as const, item })),
    ...b.map((item) => ({ side: "b" as const, item })),
  ]
    .filter(({ item }) => item.start < item.end)
    .sort((x, y) => x.item.start.getTime() - y.item.start.getTime());
  const openA: T[] = [];
  const openB: U[] = [];
  const pairs: [T, U][] = [];
  for (const entry of starts) {
    const at = entry.item.start.getTime();
    if (entry.side === "a") {
      for (const other of stillOpen(openB, at)) pairs.push([entry.item, other]);
      openA.push(entry.item);
    } else {
      for (const other of stillOpen(openA, at)) pairs.push([other, entry.item]);
      openB.push(entry.item);
    }
  }
  return pairs;
}

/** Drops from `open` (in place) the intervals ended by `at`; returns those that remain. */
function stillOpen<V extends Interval>(open: V[], at: number): V[] {
  let kept = 0;
  for (const item of open) {
    if (item.end.getTime() > at) open[kept++] = item;
  }
  open.length = kept;
  return open;
}
