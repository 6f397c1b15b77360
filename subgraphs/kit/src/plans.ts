import { callerOf } from "./access.ts";
import { appError, ErrorCode } from "./errors.ts";
import type { Principal } from "./principal.ts";

/** The plans a workspace can be on, cheapest first. */
export const PLAN_NAMES = ["FREE", "PRO", "ENTERPRISE"] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

/** What a plan allows; `null` means unlimited. */
export interface PlanLimits {
  agents: number | null;
  apiCallsPerMonth: number | null;
  contacts: number | null;
  socialAccounts: number | null;
  storageGb: number | null;
}

export interface PlanDefinition {
  name: PlanName;
  /** Price per month in US cents (integer minor units). */
  monthlyPriceCents: number;
  currency: "usd";
  limits: PlanLimits;
}

/**
 * Mary's one plan table. Billing serves it through the graph (`plans`); the gateway
 * and the other subgraphs read the caller's plan from the principal and its limits here.
 */
export const PLANS: Readonly<Record<PlanName, PlanDefinition>> = Object.freeze({
  FREE: {
    name: "FREE",
    monthlyPriceCents: 0,
    currency: "usd",
    limits: { agents: 1, apiCallsPerMonth: 1_000, contacts: 100, socialAccounts: 1, storageGb: 1 },
  },
  PRO: {
    name: "PRO",
    monthlyPriceCents: 2_500,
    currency: "usd",
    limits: { agents: 5, apiCallsPerMonth: 50_000, contacts: 5_000, socialAccounts: 10, storageGb: 50 },
  },
  ENTERPRISE: {
    name: "ENTERPRISE",
    monthlyPriceCents: 10_000,
    currency: "usd",
    limits: { agents: null, apiCallsPerMonth: null, contacts: null, socialAccounts: null, storageGb: 500 },
  },
});

export function isPlanName(value: unknown): value is PlanName {
  return typeof value === "string" && (PLAN_NAMES as readonly string[]).includes(value);
}

/** The limits of a plan; anything that is not a known plan gets FREE's. */
export function planLimits(plan: string): PlanLimits {
  return PLANS[isPlanName(plan) ? plan : "FREE"].limits;
}

/**
 * Refuses with PLAN_LIMIT when adding `adding` items to the `current` ones would pass what the
 * caller's plan allows. Call it inside the transaction (and lock) that writes the items.
 */
export function requireWithinPlan(
  principal: Principal,
  resource: Exclude<keyof PlanLimits, "storageGb">,
  current: number,
  adding = 1,
): void {
  const plan = callerOf(principal)?.plan ?? "FREE";
  const limit = planLimits(plan)[resource];
  if (limit !== null && current + adding > limit) {
    throw appError(
      ErrorCode.PLAN_LIMIT,
      `The ${plan} plan allows ${limit} ${resource}; the workspace has ${current}. Upgrade the plan for more.`,
      { plan, resource, limit, current },
    );
  }
}
