import {
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from "graphql";
import { describe, expect, test } from "vitest";
import type { AuthenticatedPrincipal } from "@mary/kit";
import type { SocialContext } from "../src/context.ts";
import { cursorFirst } from "../src/resolvers/post-event.resolver.ts";

/**
 * In one query, `posts` and `post` read the graph only after postEventsCursor is read: a post is
 * changed in the graph before its event is appended, so a cursor read after the list could stand
 * after a change the list does not show, and a subscription after it would never bring it.
 */

const caller = { workspaceId: "w" } as AuthenticatedPrincipal;

/** The resolve info of the top-level field `field` of the document's operation. */
function infoOf(source: string, nested = false): GraphQLResolveInfo {
  const document = parse(source);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const path = nested ? { prev: { prev: undefined, key: "events" }, key: "post" } : { prev: undefined, key: "posts" };
  return { operation, fragments, path } as unknown as GraphQLResolveInfo;
}

/** A context whose cursor read waits until `release` is called; `reads` counts the reads. */
function contextWithSlowCursor() {
  let release: (cursor: string) => void = () => {};
  const state = { reads: 0 };
  const ctx = {
    postEvents: {
      latestCursor: () => {
        state.reads++;
        return new Promise<string>((resolve) => (release = resolve));
      },
    },
  } as unknown as SocialContext;
  return { ctx, state, release: (cursor: string) => release(cursor) };
}

const settledWithin = async (promise: Promise<unknown>, ms = 50) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

describe("postEventsCursor is read before the posts of the same query", () => {
  test.each([
    ["beside the list", "{ postEventsCursor posts { edges { cursor } } }"],
    ["after it", "{ posts { edges { cursor } } postEventsCursor }"],
    ["in a fragment", "query { ...Q posts { edges { cursor } } } fragment Q on Query { postEventsCursor }"],
    ["in an inline fragment", "query { ... on Query { postEventsCursor } post(id: 1) { id } }"],
  ])("%s: the list waits for the cursor, read once", async (_name, source) => {
    const { ctx, state, release } = contextWithSlowCursor();
    const listing = cursorFirst(ctx, caller, infoOf(source));
    expect(await settledWithin(listing)).toBe(false);
    // The cursor's own resolver shares the read started for the list.
    expect(ctx.postEventsCursor).toBeDefined();
    release("c");
    expect(await settledWithin(listing)).toBe(true);
    await expect(ctx.postEventsCursor).resolves.toBe("c");
    expect(state.reads).toBe(1);
  });

  test("without the cursor in the query, or below the top level, nothing waits and nothing is read", async () => {
    for (const info of [
      infoOf("{ posts { edges { cursor } } }"),
      infoOf("{ postEventsCursor posts { edges { cursor } } }", true),
      infoOf("subscription { postStatusChanged { cursor } }"),
    ]) {
      const { ctx, state } = contextWithSlowCursor();
      expect(await settledWithin(cursorFirst(ctx, caller, info))).toBe(true);
      expect(state.reads).toBe(0);
    }
  });
});
