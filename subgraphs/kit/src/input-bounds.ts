/** Page sizes every list in the graph accepts. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * Bounds on argument values that hold for every field of the graph, checked by the gateway
 * before any subgraph sees a request (README: "Limits").
 */
export interface InputBounds {
  /** Longest string, in UTF-16 code units (JavaScript's `length`). */
  maxStringLength: number;
  /** Deepest nesting of objects and lists in one value (input objects, lists, JSON scalars). */
  maxDepth: number;
}

export const DEFAULT_INPUT_BOUNDS: InputBounds = { maxStringLength: 100_000, maxDepth: 32 };

/**
 * Why a string cannot be stored or compared as text, or null when it can. PostgreSQL's text
 * refuses U+0000, and a lone surrogate half is not Unicode at all.
 */
export function stringProblem(value: string, maxLength: number): string | null {
  if (value.length > maxLength) return `is longer than ${maxLength} characters`;
  if (value.includes("\u0000")) return "contains a NUL character (U+0000)";
  if (!value.isWellFormed()) return "is not valid Unicode (a lone surrogate)";
  return null;
}

/**
 * The first way a value breaks the bounds, as "<path> <problem>", or null. Walks with its own
 * stack, so a value nested 100,000 deep is measured without running out of call stack, in time
 * linear in its size.
 */
export function inputValueProblem(value: unknown, bounds: InputBounds, name = "value"): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: name, depth: 0 }];
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item.value === "string") {
      const problem = stringProblem(item.value, bounds.maxStringLength);
      if (problem) return `${item.path} ${problem}`;
    } else if (typeof item.value === "object" && item.value !== null) {
      const depth = item.depth + 1;
      if (depth > bounds.maxDepth) return `${item.path} is nested more than ${bounds.maxDepth} levels deep`;
      const entries = Array.isArray(item.value)
        ? item.value.map((entry, index) => [`${index}`, entry] as const)
        : Object.entries(item.value);
      for (const [key, entry] of entries) {
        const keyProblem = stringProblem(key, bounds.maxStringLength);
        if (keyProblem) return `a key of ${item.path} ${keyProblem}`;
        stack.push({ value: entry, path: `${item.path}.${key}`, depth });
      }
    }
  }
  return null;
}
