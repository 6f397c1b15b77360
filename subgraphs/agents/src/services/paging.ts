import { toConnection, type Connection, type PageRequest } from "@mary/kit";

/**
 * Keyset paging over MongoDB documents sorted newest first by (createdAt, _id): the filter for
 * the documents after the page's cursor (`timePage` has checked the cursor's date and id).
 */
export function timeKeysetFilter(page: PageRequest): Record<string, unknown> {
  if (!page.after) return {};
  const [value, id] = page.after;
  const createdAt = new Date(value);
  return { $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }] };
}

/** A connection from up to `first + 1` documents fetched with `timeKeysetFilter`. */
export async function toTimeConnection<T extends { _id: string; createdAt: Date }>(
  rows: Promise<T[]>,
  page: PageRequest,
): Promise<Connection<T>> {
  return toConnection(await rows, page, (row) => [row.createdAt.toISOString(), row._id]);
}
