import { BillingAccountSchema } from "./billing-account.entity.ts";
import { InvoiceSchema } from "./invoice.entity.ts";
import { StripeEventSchema } from "./stripe-event.entity.ts";
import { SubscriptionSchema } from "./subscription.entity.ts";

export const entities = [BillingAccountSchema, SubscriptionSchema, InvoiceSchema, StripeEventSchema];
