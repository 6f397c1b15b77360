import "reflect-metadata";
import { ArgsType, Directive, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { badUserInput } from "./errors.ts";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./input-bounds.ts";

@Directive("@shareable")
@ObjectType({ description: "Where a page of a Relay connection sits in the whole list." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when more items follow this page; ask again with `after: endCursor`." })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "True when the page was asked for with `after`, so items precede it." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first item of the page; null when empty." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last item of the page; null when empty." })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many items to return, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return the items after this cursor (a page's endCursor)." })
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` for a node type, as the Relay
 * connection specification shapes them (`plural` names the items in descriptions). Call once
 * per node type, at module level.
 */
export function connectionType<T extends object>(
  node: ClassType<T>,
  name: string,
  description: string,
  plural = `${description}s`,
) {
  @ObjectType(`${name}Edge`, { description: `One ${description} in a page, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: "Opaque position of this item; pass it as `after` to continue." })
    cursor!: string;

    @Field(() => node, { description: `The ${description}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${plural}.` })
  class ConnectionType implements Connection<T> {
    @Field(() => [EdgeType], { description: "The items of this page, in order." })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: "Where this page sits in the whole list." })
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

/** A validated page request: `first` within bounds, `after` decoded to the sort key it points at. */
export interface PageRequest {
  first: number;
  after: CursorKey | null;
}

/** The sort key a cursor stands for: the ordering value and the id that breaks ties. */
export type CursorKey = [value: string | number, id: string];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    key = null;
  }
  if (
    !Array.isArray(key) ||
    key.length !== 2 ||
    !(typeof key[0] === "string" || typeof key[0] === "number") ||
    typeof key[1] !== "string"
  ) {
    throw badUserInput("`after` is not a cursor from this list", "after");
  }
  return key as CursorKey;
}

export function pageRequest(args: PageArgs): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}`, "first");
  }
  return { first, after: args.after == null ? null : decodeCursor(args.after) };
}

/**
 * Builds a connection from up to `first + 1` rows fetched after the request's cursor:
 * the extra row only tells that another page exists.
 */
export function toConnection<T>(rows: T[], request: PageRequest, keyOf: (row: T) => CursorKey): Connection<T> {
  const page = rows.slice(0, request.first);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > request.first,
      hasPreviousPage: request.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
