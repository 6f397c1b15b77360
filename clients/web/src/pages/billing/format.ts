import type { PlanName } from "../../__generated__/graphql.ts";

/** An amount of Money (integer minor units) in its currency, e.g. {2500, "USD"} → "$25.00". */
export function formatMoney({ amount, currency }: { amount: number; currency: string }): string {
  const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
  // The currency's own minor unit: 2 digits for USD and EUR, none for JPY.
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

const numberFormat = new Intl.NumberFormat();
export const formatCount = (value: number) => numberFormat.format(value);

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

export const planTitles: Record<PlanName, string> = { FREE: "Free", PRO: "Pro", ENTERPRISE: "Enterprise" };
