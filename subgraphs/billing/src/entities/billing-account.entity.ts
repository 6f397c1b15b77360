import { EntitySchema } from "@mikro-orm/postgresql";

/** A workspace's link to its Stripe customer, made once, on its first checkout. */
export class BillingAccount {
  workspaceId!: string;
  stripeCustomerId: string | null = null;
  createdAt: Date = new Date();
}

export const BillingAccountSchema = new EntitySchema<BillingAccount>({
  class: BillingAccount,
  tableName: "billing_accounts",
  properties: {
    workspaceId: { type: "uuid", primary: true },
    stripeCustomerId: { type: "string", length: 255, nullable: true, unique: true },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
