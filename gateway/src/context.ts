import type { Logger, Principal } from "@mary/kit";

/** What every operation carries through the gateway: who asks, and how to log and trace it. */
export interface GatewayContext {
  principal: Principal;
  requestId: string;
  log: Logger;
}
