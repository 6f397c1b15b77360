import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { describe, expect, it } from "vitest";
import { describeError, errorCode, fieldErrors } from "../src/api/errors.ts";
import { refreshDelay } from "../src/api/refresh-delay.ts";

const graphQLError = (code: string, message: string, extensions: Record<string, unknown> = {}) =>
  new CombinedGraphQLErrors({ errors: [{ message, extensions: { code, ...extensions } }] });

describe("the web app's error words", () => {
  it("says when to retry a rate-limited request", () => {
    const described = describeError(graphQLError("RATE_LIMITED", "Too many", { retryAfterSeconds: 12.2 }));
    expect(described).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 13 });
    expect(described.message).toContain("in 13 s");
  });

  it("keeps the plan's own message for PLAN_LIMIT and offers the upgrade", () => {
    const described = describeError(graphQLError("PLAN_LIMIT", "The FREE plan allows 100 contacts."));
    expect(described.message).toBe("The FREE plan allows 100 contacts. Upgrade to add more.");
    const said = "The FREE plan allows 1 agents; the workspace has 1. Upgrade the plan for more.";
    expect(describeError(graphQLError("PLAN_LIMIT", said)).message).toBe(said);
  });

  it("reads a refusal the gateway sent with an HTTP status and a GraphQL body", () => {
    const body = JSON.stringify({ errors: [{ message: "down", extensions: { code: "SERVICE_UNAVAILABLE" } }] });
    const error = new ServerError("503", { response: new Response(body, { status: 503 }), bodyText: body });
    expect(errorCode(error)).toBe("SERVICE_UNAVAILABLE");
  });

  it("calls anything without a GraphQL answer a network failure", () => {
    expect(describeError(new TypeError("Failed to fetch")).code).toBe("NETWORK");
  });

  it("puts BAD_USER_INPUT errors on the fields they name, the first per field", () => {
    const error = new CombinedGraphQLErrors({
      errors: [
        { message: "Email is taken", extensions: { code: "BAD_USER_INPUT", field: "email" } },
        { message: "Second", extensions: { code: "BAD_USER_INPUT", field: "email" } },
        { message: "No field", extensions: { code: "BAD_USER_INPUT" } },
        { message: "Not input", extensions: { code: "FORBIDDEN", field: "name" } },
      ],
    });
    expect(fieldErrors(error)).toEqual({ email: "Email is taken" });
  });
});

describe("refreshDelay", () => {
  it("refreshes a minute early for the usual 15-minute token", () => {
    expect(refreshDelay(15 * 60_000)).toBe(14 * 60_000);
  });
  it("refreshes at four fifths of a short lifetime, and never within a second", () => {
    expect(refreshDelay(10_000)).toBe(8_000);
    expect(refreshDelay(500)).toBe(1_000);
    expect(refreshDelay(-5_000)).toBe(1_000);
  });
});
