import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "./logger.ts";

/** The error codes every Mary component uses in `extensions.code` (DESIGN.md). */
export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  NOT_FOUND: "NOT_FOUND",
  RATE_LIMITED: "RATE_LIMITED",
  QUOTA_EXCEEDED: "QUOTA_EXCEEDED",
  PLAN_LIMIT: "PLAN_LIMIT",
  /** A service behind the gateway did not answer (down, restarting, too slow): retry later. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  /**
   * A mutation whose service did not answer after it may have received it: it may or may not have
   * taken effect. Retry with the same idempotency key, or read the result first.
   */
  OUTCOME_UNKNOWN: "OUTCOME_UNKNOWN",
  INTERNAL: "INTERNAL",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const publicCodes = new Set<string>(Object.values(ErrorCode));

/** True when the code is one Mary sends to clients as it is. */
export function isPublicErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && publicCodes.has(code);
}

/** An error whose message and code are safe to show to the caller. */
export function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

export const unauthenticated = (message = "Authentication required") => appError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = "Not allowed") => appError(ErrorCode.FORBIDDEN, message);
export const badUserInput = (message: string, field?: string) =>
  appError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});
export const notFound = (what: string) => appError(ErrorCode.NOT_FOUND, `${what} not found`);
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  appError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });

/** Apollo's codes for requests refused before execution; their messages name only the client's own mistake. */
const REQUEST_ERROR_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  "BAD_REQUEST",
]);

/**
 * graphql-js suggests names close to a mistyped one ("Did you mean \"name\"?", "… the enum value
 * \"WON\"?"), which tells a stranger the schema's hidden parts; clients get the mistake alone.
 */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean [^?]*\?/g, "");
}

/**
 * Formats errors for clients: Mary's codes pass through (bad variable values are Apollo's
 * BAD_USER_INPUT too), request errors keep their code and message without internals, and
 * anything else becomes INTERNAL with no details. No message keeps a field suggestion.
 */
export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError & { extensions: { code: string } } {
  const code = formatted.extensions?.code;
  if (isPublicErrorCode(code)) {
    const { stacktrace: _stack, exception: _exception, serviceName: _service, ...rest } = formatted.extensions ?? {};
    return { ...formatted, message: withoutSuggestions(formatted.message), extensions: { ...rest, code } };
  }
  if (typeof code === "string" && REQUEST_ERROR_CODES.has(code)) {
    return { message: withoutSuggestions(formatted.message), locations: formatted.locations, extensions: { code } };
  }
  return { message: "Internal server error", path: formatted.path, extensions: { code: ErrorCode.INTERNAL } };
}

/** Connection failures of Node, PostgreSQL (SQLSTATE class 08 and 57P0x), MongoDB's driver and ioredis. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "57P01",
  "57P02",
  "57P03",
]);
const UNAVAILABLE_NAMES = new Set([
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoServerSelectionError",
  "MongoNotConnectedError",
  "MongoTopologyClosedError",
  "MaxRetriesPerRequestError",
]);
const UNAVAILABLE_MESSAGES =
  /^(Connection is closed|Connection terminated|connect ECONNREFUSED|Client has encountered a connection error)/;

/** What `anyCause` shows of each error in a chain. */
export interface ErrorFacts {
  code?: unknown;
  name?: unknown;
  message?: unknown;
}

/** True when the error, or one it wraps (`originalError`, `cause`, however deep), matches. */
export function anyCause(error: unknown, matches: (facts: ErrorFacts) => boolean): boolean {
  const seen = new Set<unknown>();
  let current = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    if (matches(current as ErrorFacts)) return true;
    current =
      (current as { originalError?: unknown; cause?: unknown }).originalError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * True when the error (or one it wraps) is a datastore or service that could not be reached:
 * nothing the caller did wrong, and worth a retry.
 */
export function isUnavailable(error: unknown): boolean {
  return anyCause(
    error,
    ({ code, name, message }) =>
      (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) ||
      (typeof name === "string" && UNAVAILABLE_NAMES.has(name)) ||
      (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)),
  );
}

/** The answer for a request that failed because a datastore or service is down: retry. */
export const serviceUnavailable = (message = "A service Mary depends on is unavailable right now; try again") =>
  appError(ErrorCode.SERVICE_UNAVAILABLE, message);

/**
 * The one way Mary's servers format an error for a client: masked (see maskError), and logged
 * with its cause when it became INTERNAL, since the client sees nothing of it. A datastore that
 * cannot be reached is SERVICE_UNAVAILABLE rather than INTERNAL: the caller may retry.
 */
export function clientErrorFormatter(log: Logger, what: string) {
  return (
    formatted: GraphQLFormattedError,
    error?: unknown,
  ): GraphQLFormattedError & { extensions: { code: string } } => {
    const masked = maskError(formatted);
    if (masked.extensions.code !== ErrorCode.INTERNAL) return masked;
    if (isUnavailable(error)) {
      log.warn({ err: error }, `${what}: a datastore is unavailable`);
      return {
        message: serviceUnavailable().message,
        path: formatted.path,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
      };
    }
    log.error({ err: error ?? formatted }, what);
    return masked;
  };
}
