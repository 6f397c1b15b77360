import { PRINCIPAL_HEADER, signPrincipal, type AuthenticatedPrincipal } from "@mary/kit";

/** A tool's failure, told to the model (and the run's subscribers) as its TOOL_RESULT error. */
export class ToolError extends Error {}

/**
 * Calls the public graph through the gateway as the run's principal (signed like the gateway's
 * own header), so a tool can do exactly what the person or API key that started the run can:
 * the same scopes, limits and tenant checks, never another subgraph's database directly.
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
      throw new ToolError("The Mary gateway could not be reached");
    }
    const body = (await response.json().catch(() => null)) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string } }[];
    } | null;
    const error = body?.errors?.[0];
    if (error) throw new ToolError(`${error.extensions?.code ?? "ERROR"}: ${error.message}`);
    if (!response.ok || !body?.data) throw new ToolError(`The Mary gateway answered HTTP ${response.status}`);
    return body.data;
  }
}
