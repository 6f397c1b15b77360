import { GatewayError, type AuthenticatedPrincipal, type GatewayClient } from "@mary/kit";

/** A tool's failure, told to the model (and the run's subscribers) as its TOOL_RESULT error. */
export class ToolError extends Error {}

/**
 * The public graph as tools reach it: the kit's gateway client acting as the run's principal,
 * whose refusals and unreachable moments become ToolErrors the model is told, not crashes.
 */
export class ToolGateway {
  constructor(private readonly client: GatewayClient) {}

  async request<T>(principal: AuthenticatedPrincipal, query: string, variables: Record<string, unknown>): Promise<T> {
    try {
      return await this.client.request<T>(principal, query, variables);
    } catch (error) {
      if (error instanceof GatewayError) throw new ToolError(error.message);
      throw error;
    }
  }
}
