import { useCallback, useState } from "react";

/**
 * The state of a list's "Load more": whether a page is on its way and why the last one failed.
 * `track` runs one fetch of the next page (Apollo's fetchMore) and records both.
 */
export function useLoadMore() {
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const track = useCallback(async (fetchPage: Promise<unknown>) => {
    setLoadingMore(true);
    setMoreError(null);
    try {
      await fetchPage;
    } catch (caught) {
      setMoreError(caught);
    } finally {
      setLoadingMore(false);
    }
  }, []);
  return { loadingMore, moreError, track };
}

/** A connection with the next page's edges after the ones already shown. */
export function appendEdges<C extends { edges: readonly unknown[] }>(shown: C, next: C): C {
  return { ...next, edges: [...shown.edges, ...next.edges] };
}
