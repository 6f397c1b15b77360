import { describe, expect, test } from "vitest";
import {
  bruteForceSuggestions,
  CONTACT_BOOST,
  jaccard,
  suggestionReason,
  suggestionScore,
} from "../src/services/suggestion-scoring.ts";

const graphOf = (edges: [string, string][]) => {
  const graph = new Map<string, Set<string>>();
  for (const [from, to] of edges) graph.set(from, (graph.get(from) ?? new Set()).add(to));
  return graph;
};

describe("suggestion scoring", () => {
  test("Jaccard of the account's follows and the candidate's followers", () => {
    expect(jaccard(2, 4, 3)).toBeCloseTo(2 / 5);
    expect(jaccard(0, 0, 0)).toBe(0);
    expect(jaccard(3, 3, 3)).toBe(1);
  });

  test("a CRM contact's profile is boosted", () => {
    expect(suggestionScore(0.4, true)).toBeCloseTo(0.4 * CONTACT_BOOST);
    expect(suggestionScore(0.4, false)).toBe(0.4);
  });

  test("reasons name the common follows and the contact's company", () => {
    expect(suggestionReason(4, { linked: true, companyName: "Acme" })).toBe(
      "followed by 4 people you follow; a contact at Acme",
    );
    expect(suggestionReason(1, { linked: false })).toBe("followed by 1 person you follow");
    expect(suggestionReason(2, { linked: true, companyName: null })).toBe(
      "followed by 2 people you follow; a CRM contact",
    );
  });

  test("brute force: two hops away, not followed, not me; ranked by score", () => {
    const graph = graphOf([
      ["me", "a"],
      ["me", "b"],
      ["me", "c"],
      ["a", "x"],
      ["b", "x"],
      ["c", "x"],
      ["a", "y"],
      ["z", "y"],
      ["a", "b"], // b is already followed
      ["b", "me"], // me is never suggested
    ]);
    const ranked = bruteForceSuggestions(graph, "me");
    expect(ranked.map((s) => s.id)).toEqual(["x", "y"]);
    expect(ranked[0]).toMatchObject({ common: 3, score: 1 });
    expect(ranked[1]!.score).toBeCloseTo(1 / 4);
    const boosted = bruteForceSuggestions(graph, "me", new Set(["y"]));
    expect(boosted[1]!.score).toBeCloseTo(CONTACT_BOOST / 4);
  });
});
