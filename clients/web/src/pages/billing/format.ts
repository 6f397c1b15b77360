import type { PlanName } from "../../__generated__/graphql.ts";

export const planTitles: Record<PlanName, string> = { FREE: "Free", PRO: "Pro", ENTERPRISE: "Enterprise" };
