import type { ActivityType, DealStage } from "../../__generated__/graphql.ts";

/** The pipeline's stages in order, with the words the board shows for them. */
export const DEAL_STAGES: readonly { stage: DealStage; label: string }[] = [
  { stage: "LEAD", label: "Lead" },
  { stage: "QUALIFIED", label: "Qualified" },
  { stage: "PROPOSAL", label: "Proposal" },
  { stage: "NEGOTIATION", label: "Negotiation" },
  { stage: "WON", label: "Won" },
  { stage: "LOST", label: "Lost" },
];

export const stageLabel = (stage: DealStage): string =>
  DEAL_STAGES.find((entry) => entry.stage === stage)?.label ?? stage;

export const ACTIVITY_TYPES: readonly { type: ActivityType; label: string }[] = [
  { type: "NOTE", label: "Note" },
  { type: "CALL", label: "Call" },
  { type: "EMAIL", label: "Email" },
  { type: "MEETING", label: "Meeting" },
  { type: "TASK", label: "Task" },
];

export const activityLabel = (type: ActivityType): string =>
  ACTIVITY_TYPES.find((entry) => entry.type === type)?.label ?? type;

/** Currencies the new-deal form offers, most used first. */
export const CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "SEK", "INR", "BRL"] as const;

/** How many minor units digits a currency has: 2 for USD (cents), 0 for JPY. */
export function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units as the reader's locale writes it: 150000 USD is "$1,500.00". */
export function formatMoney(money: { amount: number; currency: string }): string {
  const major = money.amount / 10 ** fractionDigits(money.currency);
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: money.currency }).format(major);
  } catch {
    return `${major} ${money.currency}`;
  }
}

/** "1500", "1,500.5" or "1500.50" in a currency, as integer minor units; null when it is not an amount. */
export function parseAmount(text: string, currency: string): number | null {
  const digits = fractionDigits(currency);
  const value = text.trim().replace(/,/g, "");
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  if (!pattern.test(value)) return null;
  const [whole = "0", fraction = ""] = value.split(".");
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

/** A LocalDate (YYYY-MM-DD), the same day wherever the reader is. */
export const formatLocalDate = (date: string): string => dateOnly.format(new Date(`${date}T00:00:00Z`));

/** "a@x.com, b@y.com" as a list, empty parts left out. */
export const splitList = (text: string): string[] =>
  text
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean);

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;
export const PHONE_PATTERN = /^[0-9 +\-().]+$/;
