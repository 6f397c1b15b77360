import DataLoader from "dataloader";

/**
 * A per-request loader that fetches many entities by id in one call and hands
 * each caller its own (or null), so a list of N references costs one query.
 */
export function createEntityLoader<T extends { id: string }>(
  fetchMany: (ids: readonly string[]) => Promise<T[]>,
): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const found = new Map((await fetchMany(ids)).map((item) => [item.id, item]));
    return ids.map((id) => found.get(id) ?? null);
  });
}
