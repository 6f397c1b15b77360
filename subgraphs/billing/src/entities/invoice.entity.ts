import "reflect-metadata";
import { BigIntType, EntitySchema } from "@mikro-orm/postgresql";
import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "A bill Stripe issued for a subscription period." })
export class Invoice {
  @Field(() => ID, { description: "Stripe's id of the invoice (in_…)." })
  id!: string;

  workspaceId!: string;
  subscriptionId: string | null = null;

  @Field(() => String, { nullable: true, description: "The invoice number printed on it." })
  number: string | null = null;

  @Field(() => String, { description: "Stripe's status of the invoice: draft, open, paid, uncollectible or void." })
  status!: string;

  /** Minor units of `currency`; the resolver serves them as Money. */
  amountDue!: number;
  amountPaid!: number;
  currency!: string;

  @Field(() => String, { nullable: true, description: "Where the invoice can be viewed and paid online." })
  hostedInvoiceUrl: string | null = null;

  @Field(() => Date, { nullable: true, description: "Start of the period billed." })
  periodStart: Date | null = null;

  @Field(() => Date, { nullable: true, description: "End of the period billed." })
  periodEnd: Date | null = null;

  @Field(() => Date, { description: "When Stripe created the invoice." })
  createdAt!: Date;

  /** `created` of the newest Stripe event applied to this invoice. */
  lastEventAt!: Date;
}

export const InvoiceSchema = new EntitySchema<Invoice>({
  class: Invoice,
  tableName: "invoices",
  // Serves the keyset-paginated list of a workspace's invoices, newest first.
  indexes: [{ properties: ["workspaceId", "createdAt", "id"] }],
  properties: {
    id: { type: "string", length: 255, primary: true },
    workspaceId: { type: "uuid" },
    subscriptionId: { type: "string", length: 255, nullable: true },
    number: { type: "string", length: 255, nullable: true },
    status: { type: "string", length: 32 },
    amountDue: { type: new BigIntType("number") },
    amountPaid: { type: new BigIntType("number") },
    currency: { type: "string", length: 3 },
    hostedInvoiceUrl: { type: "text", nullable: true },
    periodStart: { type: "datetime", nullable: true },
    periodEnd: { type: "datetime", nullable: true },
    createdAt: { type: "datetime" },
    lastEventAt: { type: "datetime" },
  },
});
