import type { ActivityType, DealStage } from "../../__generated__/graphql.ts";
import { fractionDigits } from "../../components/format.ts";

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

/** "a@x.com, b@y.com" as a list, empty parts left out. */
export const splitList = (text: string): string[] =>
  text
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean);

export const PHONE_PATTERN = /^[0-9 +\-().]+$/;
