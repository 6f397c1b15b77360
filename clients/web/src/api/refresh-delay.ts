/**
 * How long to wait before refreshing an access token that is valid for `lifetimeMs` more: a
 * minute before it expires, or at four fifths of a short lifetime, and never sooner than 1 s.
 */
export function refreshDelay(lifetimeMs: number): number {
  return Math.max(1_000, lifetimeMs > 300_000 ? lifetimeMs - 60_000 : lifetimeMs * 0.8);
}
