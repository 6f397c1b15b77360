import type { AgentProvider, AgentRunStatus, AgentTool } from "../../__generated__/graphql.ts";

/** The providers an agent may use, in the order the form offers them. */
export const PROVIDERS: readonly { value: AgentProvider; label: string }[] = [
  { value: "LOCAL", label: "Local (built in, works offline)" },
  { value: "OPENAI", label: "OpenAI-compatible API" },
];

export const providerLabel = (provider: AgentProvider): string =>
  provider === "LOCAL" ? "Local" : provider === "OPENAI" ? "OpenAI" : provider;

/** The tools an agent may be given (the AgentTool enum), with what each lets it do. */
export const TOOLS: readonly { value: AgentTool; label: string; hint: string }[] = [
  { value: "SEARCH_CONTACTS", label: "Search contacts", hint: "Search the workspace's CRM contacts." },
  { value: "LOG_ACTIVITY", label: "Log activity", hint: "Log a call, email, meeting or note on a contact or deal." },
  { value: "WHOAMI", label: "Who am I", hint: "Tell who the run acts for: the user and the workspace." },
];

const STATUS_LABELS: Record<AgentRunStatus, string> = {
  QUEUED: "Queued",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

export const statusLabel = (status: AgentRunStatus): string => STATUS_LABELS[status] ?? status;

/** A run in one of these statuses will not change again. */
export const isFinished = (status: AgentRunStatus): boolean =>
  status === "SUCCEEDED" || status === "FAILED" || status === "CANCELLED";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** A DateTimeISO for people, in a <time> element machines can read too. */
export function DateTime({ value }: { value: string | null | undefined }) {
  if (!value) return <span>—</span>;
  return <time dateTime={value}>{dateTime.format(new Date(value))}</time>;
}

/** A run's status as a small badge (colour is never the only cue: the word is there). */
export function RunStatusBadge({ status }: { status: AgentRunStatus }) {
  return <span className={`run-status run-status-${status.toLowerCase()}`}>{statusLabel(status)}</span>;
}
