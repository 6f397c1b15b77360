import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import type { GraphQLFormattedError } from "graphql";

/** The codes Mary's API answers with (README, "Errors"). */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "QUOTA_EXCEEDED"
  | "PLAN_LIMIT"
  | "SERVICE_UNAVAILABLE"
  | "OUTCOME_UNKNOWN"
  | "INTERNAL";

/** The GraphQL errors of a failed operation, or none when it failed another way (network, HTTP). */
export function graphQLErrors(error: unknown): readonly GraphQLFormattedError[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors;
  // The gateway answers some refusals (rate limits, unavailable services) with an HTTP status
  // and a GraphQL body.
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: GraphQLFormattedError[] };
      return body.errors ?? [];
    } catch {
      return [];
    }
  }
  return [];
}

export function errorCode(error: unknown): ErrorCode | undefined {
  return graphQLErrors(error)[0]?.extensions?.code as ErrorCode | undefined;
}

/** BAD_USER_INPUT errors that name an input field, by that field: forms show them beside it. */
export function fieldErrors(error: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const e of graphQLErrors(error)) {
    const field = e.extensions?.field;
    if (e.extensions?.code === "BAD_USER_INPUT" && typeof field === "string") fields[field] ??= e.message;
  }
  return fields;
}

export interface DescribedError {
  code: ErrorCode | "NETWORK";
  /** What happened and what to do, in words for a person. */
  message: string;
  /** Seconds until a retry may work (RATE_LIMITED, SERVICE_UNAVAILABLE). */
  retryAfterSeconds?: number;
}

/** Turns an operation's error into words a person understands. */
export function describeError(error: unknown): DescribedError {
  const first = graphQLErrors(error)[0];
  const code = first?.extensions?.code as ErrorCode | undefined;
  const retryAfter = Number(first?.extensions?.retryAfterSeconds);
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : undefined;
  switch (code) {
    case "UNAUTHENTICATED":
      return { code, message: "Your session has ended. Please log in again." };
    case "FORBIDDEN":
      return { code, message: "Your role in this workspace does not allow this. Ask an owner or admin." };
    case "NOT_FOUND":
      return { code, message: "This does not exist, or it belongs to another workspace." };
    case "RATE_LIMITED":
      return {
        code,
        retryAfterSeconds,
        message: `Too many requests for now. Try again ${retryAfterSeconds ? `in ${retryAfterSeconds} s` : "shortly"}.`,
      };
    case "QUOTA_EXCEEDED":
      return { code, message: "This workspace has used its API calls for this month. Upgrade for more." };
    case "PLAN_LIMIT": {
      // The plan's own words name the limit; they usually say to upgrade already.
      const said = first?.message ?? "Your plan's limit is reached.";
      return { code, message: /upgrade/i.test(said) ? said : `${said} Upgrade to add more.` };
    }
    case "SERVICE_UNAVAILABLE":
      return {
        code,
        retryAfterSeconds,
        message: "Part of Mary is not answering right now. Nothing was lost; try again in a moment.",
      };
    case "OUTCOME_UNKNOWN":
      return { code, message: "We could not confirm that this was saved. Reload to check before trying again." };
    case "BAD_USER_INPUT":
      return { code, message: first?.message ?? "Some of what you entered is not valid." };
    case "INTERNAL":
      return { code, message: "Something went wrong on our side. Please try again." };
    default:
      return first
        ? { code: "INTERNAL", message: first.message }
        : { code: "NETWORK", message: "Mary could not be reached. Check your connection and try again." };
  }
}
