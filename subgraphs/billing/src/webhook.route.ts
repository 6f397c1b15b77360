import { readBody, sendJson, type SubgraphRoute } from "@mary/kit";
import type { WebhookService, StripeEventLike } from "./services/webhook.service.ts";
import type { Stripe } from "./services/stripe-client.ts";

/**
 * POST /webhooks/stripe, forwarded by the gateway with Stripe's raw body. The signature and its
 * timestamp (at most 300 s old) are checked by the SDK on the exact bytes Stripe signed; anything
 * that fails is refused with 400 and changes nothing.
 */
export function stripeWebhookRoute(stripe: Stripe, signingSecret: string, webhooks: WebhookService): SubgraphRoute {
  return async (req, res, { principal, log }) => {
    if (req.method !== "POST") return sendJson(res, 405, { error: "Use POST" }, { allow: "POST" });
    if (principal.kind !== "service" || principal.service !== "gateway") {
      return sendJson(res, 403, { error: "Stripe webhooks arrive through the gateway" });
    }
    const body = await readBody(req);
    const signature = req.headers["stripe-signature"];
    let event: StripeEventLike;
    try {
      event = stripe.webhooks.constructEvent(body, typeof signature === "string" ? signature : "", signingSecret);
    } catch (error) {
      log.warn({ err: error }, "refused a Stripe webhook");
      return sendJson(res, 400, { error: "The Stripe signature is missing, invalid or too old" });
    }
    const outcome = await webhooks.handle(event);
    sendJson(res, 200, { received: true, duplicate: outcome.duplicate });
  };
}
