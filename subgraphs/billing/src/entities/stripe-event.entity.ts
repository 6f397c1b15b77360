import { EntitySchema } from "@mikro-orm/postgresql";

/** Every Stripe event received, by id: the record that makes each one apply exactly once. */
export class StripeEvent {
  id!: string;
  type!: string;
  /** When Stripe created the event. */
  createdAt!: Date;
  receivedAt: Date = new Date();
  /** False when the event was acknowledged without effect (older than the state it would change, or unknown). */
  applied!: boolean;
}

export const StripeEventSchema = new EntitySchema<StripeEvent>({
  class: StripeEvent,
  tableName: "stripe_events",
  properties: {
    id: { type: "string", length: 255, primary: true },
    type: { type: "string", length: 100 },
    createdAt: { type: "datetime" },
    receivedAt: { type: "datetime", onCreate: () => new Date() },
    applied: { type: "boolean" },
  },
});
