import { NetworkError } from "./provider.ts";

/** How long to wait when a 429 or 503 says nothing: a minute. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/**
 * Retry-After as milliseconds from `now`: delay-seconds or an HTTP date; null when absent or
 * unreadable. AT Protocol servers send `ratelimit-reset` (epoch seconds) instead, also read here.
 */
export function retryAfterMs(headers: { get(name: string): string | null }, now: number = Date.now()): number | null {
  const value = headers.get("retry-after")?.trim();
  if (value) {
    if (/^\d+$/.test(value)) return Number(value) * 1000;
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headers.get("ratelimit-reset")?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return null;
}

/**
 * A network's HTTP answer that is not a success, as the publishing queue acts on it:
 * 401/403 → `auth` (the account must be connected again); 408, 429, 5xx → `retryable` (429 and
 * 503 with their Retry-After); anything else 4xx (422 and 400 above all) → `refused`, with the
 * server's own reason.
 */
export function classifyStatus(status: number, reason: string, retryAfter: number | null): NetworkError {
  const message = `HTTP ${status}${reason ? `: ${reason}` : ""}`;
  if (status === 401 || status === 403) return new NetworkError(message, "auth");
  if (status === 429 || status === 503) {
    return new NetworkError(message, "retryable", retryAfter ?? DEFAULT_RETRY_AFTER_MS);
  }
  if (status === 408 || status >= 500) return new NetworkError(message, "retryable", retryAfter);
  return new NetworkError(message, "refused");
}

/** Error codes that mean the request never reached the server, so it cannot have had an effect. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL",
]);

/** The first `code` along an error's chain of causes (undici puts the socket's under `cause`). */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A call that got no answer: `retryable` when the request cannot have reached the server
 * (refused connection, unknown host) or when it changes nothing (`write: false`); `unknown` when
 * a write may have been done and its answer lost (a reset, a timeout after sending).
 */
export function classifyNoAnswer(error: unknown, write: boolean): NetworkError {
  const code = errorCode(error);
  const detail = code ?? (error instanceof Error ? error.name : "error");
  if (!write || (code && NOT_SENT.has(code))) {
    return new NetworkError(`The network could not be reached (${detail})`, "retryable");
  }
  return new NetworkError(
    `The network's answer was lost (${detail}): the write may or may not have happened`,
    "unknown",
  );
}
