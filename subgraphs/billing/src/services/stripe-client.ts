import Stripe from "stripe";
import type { BillingConfig } from "../config.ts";

/** The Stripe SDK pointed at STRIPE_API_BASE (stripe-mock locally, Stripe in production). */
export function createStripe(config: BillingConfig): Stripe {
  const base = new URL(config.STRIPE_API_BASE);
  const protocol = base.protocol === "http:" ? "http" : "https";
  return new Stripe(config.STRIPE_SECRET_KEY, {
    host: base.hostname,
    port: base.port ? Number(base.port) : protocol === "http" ? 80 : 443,
    protocol,
    maxNetworkRetries: 2,
    timeout: 10_000,
    appInfo: { name: "Mary billing" },
  });
}

export type { Stripe };
