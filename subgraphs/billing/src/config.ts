import { commonConfig, loadConfig, port } from "@mary/kit";
import { z } from "zod";

export const billingConfigShape = {
  ...commonConfig,
  BILLING_PORT: port(4006),
  BILLING_HOST: z.string().default("127.0.0.1"),
  BILLING_DATABASE_URL: z.string().url().default("postgres://mary:mary@127.0.0.1:5432/billing"),
  /** Stripe's API: stripe-mock on this machine, https://api.stripe.com in production. */
  STRIPE_API_BASE: z.string().url().default("http://127.0.0.1:12111"),
  STRIPE_SECRET_KEY: z
    .string()
    .startsWith("sk_", "must be a Stripe secret key (sk_…)")
    .default("sk_test_marylocaldevelopment"),
  /** Signing secret of the webhook endpoint (whsec_…), which every received event must be signed with. */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .startsWith("whsec_", "must be a Stripe webhook signing secret (whsec_…)")
    .default("whsec_mary_local_development"),
  /** Where Stripe Checkout sends the browser back to. */
  CHECKOUT_SUCCESS_URL: z.string().url().default("http://127.0.0.1:5173/billing?checkout=success"),
  CHECKOUT_CANCEL_URL: z.string().url().default("http://127.0.0.1:5173/billing?checkout=cancelled"),
};

export type BillingConfig = ReturnType<typeof loadBillingConfig>;
export const loadBillingConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(billingConfigShape, env);
