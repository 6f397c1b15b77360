import "reflect-metadata";
import { EntitySchema } from "@mikro-orm/postgresql";
import { PLAN_NAMES, type PlanName } from "@mary/kit";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";

export const SUBSCRIPTION_STATUSES = [
  "INCOMPLETE",
  "TRIALING",
  "ACTIVE",
  "PAST_DUE",
  "UNPAID",
  "PAUSED",
  "CANCELED",
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export const SubscriptionStatusEnum = Object.fromEntries(SUBSCRIPTION_STATUSES.map((s) => [s, s])) as {
  [S in SubscriptionStatus]: S;
};
registerEnumType(SubscriptionStatusEnum, {
  name: "SubscriptionStatus",
  description: "Where a paid subscription stands, as Stripe reports it.",
  valuesConfig: {
    INCOMPLETE: { description: "Checkout finished but the first payment has not succeeded yet." },
    TRIALING: { description: "In a free trial; the plan's limits apply." },
    ACTIVE: { description: "Paid up; the plan's limits apply." },
    PAST_DUE: { description: "A payment failed and Stripe is retrying; the plan's limits still apply meanwhile." },
    UNPAID: { description: "Retries ran out; the workspace is back on FREE's limits until it pays." },
    PAUSED: { description: "Paused; the workspace is on FREE's limits." },
    CANCELED: { description: "Ended; the workspace is on FREE." },
  },
});

export const PlanNameEnum = Object.fromEntries(PLAN_NAMES.map((name) => [name, name])) as {
  [P in PlanName]: P;
};
registerEnumType(PlanNameEnum, {
  name: "PlanName",
  description: "The plans a workspace can be on.",
  valuesConfig: {
    FREE: { description: "The default: no subscription, small limits." },
    PRO: { description: "$25 a month." },
    ENTERPRISE: { description: "$100 a month, mostly unlimited." },
  },
});

/** Statuses under which the subscription's plan applies; any other falls back to FREE. */
export const PLAN_GRANTING_STATUSES: readonly SubscriptionStatus[] = ["TRIALING", "ACTIVE", "PAST_DUE"];

@ObjectType("BillingSubscription", { description: "A workspace's paid subscription to a plan, kept in Stripe." })
export class Subscription {
  @Field(() => ID, { description: "Stripe's id of the subscription (sub_…)." })
  id!: string;

  workspaceId!: string;

  @Field(() => PlanNameEnum, { description: "The plan subscribed to." })
  plan!: PlanName;

  @Field(() => SubscriptionStatusEnum, { description: "Where the subscription stands." })
  status!: SubscriptionStatus;

  @Field(() => Boolean, { description: "True when it has been cancelled and ends at the end of the period." })
  cancelAtPeriodEnd: boolean = false;

  @Field(() => Date, { nullable: true, description: "When the current billing period ends." })
  currentPeriodEnd: Date | null = null;

  /** `created` of the newest Stripe event applied, so an older event arriving late changes nothing. */
  lastEventAt!: Date;

  @Field(() => Date, { description: "When Mary first learned of the subscription." })
  createdAt: Date = new Date();
}

export const SubscriptionSchema = new EntitySchema<Subscription>({
  class: Subscription,
  tableName: "subscriptions",
  indexes: [{ properties: ["workspaceId", "createdAt"] }],
  properties: {
    id: { type: "string", length: 255, primary: true },
    workspaceId: { type: "uuid" },
    plan: { type: "string", length: 16 },
    status: { type: "string", length: 16 },
    cancelAtPeriodEnd: { type: "boolean", default: false },
    currentPeriodEnd: { type: "datetime", nullable: true },
    lastEventAt: { type: "datetime" },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
