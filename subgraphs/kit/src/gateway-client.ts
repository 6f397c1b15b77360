import { PRINCIPAL_HEADER, signPrincipal, type AuthenticatedPrincipal } from "./principal.ts";

/**
 * Why a call through the gateway failed: `unreachable` (no answer, or none in time), `refused`
 * (the graph answered with an error, whose `code` and `extensions` are kept) or `http` (an
 * answer that is not GraphQL data).
 */
export type GatewayFailure = "unreachable" | "refused" | "http";

/** A call through the gateway that did not return data. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly failure: GatewayFailure,
    /** The graph error's `extensions.code`, when the graph refused. */
    readonly code: string | null = null,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

/**
 * Calls the public graph through the gateway as a principal, signed like the gateway's own
 * header, so a subgraph acting for someone can do exactly what they can: the same scopes, limits
 * and tenant checks, never another subgraph's database directly. Failures are GatewayErrors.
 */
export class GatewayClient {
  constructor(
    private readonly url: string,
    private readonly signingSecret: string,
    private readonly timeoutMs: number,
  ) {}

  async request<T>(principal: AuthenticatedPrincipal, query: string, variables: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [PRINCIPAL_HEADER]: signPrincipal(principal, this.signingSecret),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new GatewayError("The Mary gateway could not be reached", "unreachable");
    }
    const body = (await response.json().catch(() => null)) as {
      data?: T;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    } | null;
    const error = body?.errors?.[0];
    if (error) {
      const code = typeof error.extensions?.code === "string" ? error.extensions.code : null;
      throw new GatewayError(`${code ?? "ERROR"}: ${error.message}`, "refused", code, error.extensions ?? {});
    }
    if (!response.ok || !body?.data)
      throw new GatewayError(`The Mary gateway answered HTTP ${response.status}`, "http");
    return body.data;
  }
}
