import { describe, expect, test } from "vitest";
import { groupIntoThreads, idsOf, type ThreadKeys } from "../src/services/threading.ts";

const msg = (id: string | null, ...references: string[]): ThreadKeys => ({ messageIdHeader: id, references });

describe("threading (pure)", () => {
  test("a message names its own id and the ids it refers to", () => {
    expect(idsOf(msg("c", "a", "b"))).toEqual(["c", "a", "b"]);
    expect(idsOf(msg(null, "a"))).toEqual(["a"]);
  });

  test("unrelated messages each get a new thread", () => {
    expect(groupIntoThreads([msg("a"), msg("b"), msg(null)], [])).toEqual([
      { members: [0], threads: [] },
      { members: [1], threads: [] },
      { members: [2], threads: [] },
    ]);
  });

  test("a reply in the same batch joins its parent, whichever comes first", () => {
    expect(groupIntoThreads([msg("reply", "root"), msg("other"), msg("root")], [])).toEqual([
      { members: [0, 2], threads: [] },
      { members: [1], threads: [] },
    ]);
  });

  test("a reply joins its stored parent's thread", () => {
    const groups = groupIntoThreads([msg("reply", "root")], [{ threadId: "T1", ...msg("root") }]);
    expect(groups).toEqual([{ members: [0], threads: ["T1"] }]);
  });

  test("a parent arriving after its reply joins the reply's thread", () => {
    const groups = groupIntoThreads([msg("root")], [{ threadId: "T1", ...msg("reply", "root") }]);
    expect(groups).toEqual([{ members: [0], threads: ["T1"] }]);
  });

  test("siblings whose parent was never seen meet through the parent's id", () => {
    const groups = groupIntoThreads([msg("b", "root")], [{ threadId: "T1", ...msg("a", "root") }]);
    expect(groups).toEqual([{ members: [0], threads: ["T1"] }]);
  });

  test("a message linking two stored threads merges them, into the best-ranked", () => {
    const rank = (id: string) => ({ T2: 0, T1: 1 })[id] ?? 9;
    const groups = groupIntoThreads(
      [msg("c", "a", "b")],
      [
        { threadId: "T1", ...msg("a") },
        { threadId: "T2", ...msg("b") },
      ],
      rank,
    );
    expect(groups).toEqual([{ members: [0], threads: ["T2", "T1"] }]);
  });

  test("two batch messages linked only by a stored message share its thread", () => {
    const groups = groupIntoThreads([msg("a"), msg("b")], [{ threadId: "T1", ...msg("x", "a", "b") }]);
    expect(groups).toEqual([{ members: [0, 1], threads: ["T1"] }]);
  });

  test("the same message twice (in two folders) is one thread", () => {
    expect(groupIntoThreads([msg("a"), msg("a")], [{ threadId: "T1", ...msg("a") }])).toEqual([
      { members: [0, 1], threads: ["T1"] },
    ]);
  });
});
