import type { TaskPriority, TaskStatus } from "../../__generated__/graphql.ts";
import { formatLocalDate } from "../../components/format.ts";

export const TASK_STATUSES: readonly { status: TaskStatus; label: string }[] = [
  { status: "TODO", label: "To do" },
  { status: "IN_PROGRESS", label: "In progress" },
  { status: "DONE", label: "Done" },
];
export const STATUS_LABEL: Record<TaskStatus, string> = { TODO: "To do", IN_PROGRESS: "In progress", DONE: "Done" };

export const TASK_PRIORITIES: readonly { priority: TaskPriority; label: string }[] = [
  { priority: "LOW", label: "Low" },
  { priority: "MEDIUM", label: "Medium" },
  { priority: "HIGH", label: "High" },
  { priority: "URGENT", label: "Urgent" },
];
export const PRIORITY_LABEL: Record<TaskPriority, string> = {
  LOW: "Low",
  MEDIUM: "Medium",
  HIGH: "High",
  URGENT: "Urgent",
};

export const isTaskStatus = (value: string | null): value is TaskStatus =>
  TASK_STATUSES.some((entry) => entry.status === value);

/**
 * A task's due as its zone's clocks have it: "Mar 30, 2026 (Europe/Berlin)" for a whole day, the
 * local time from `dueLocal` (2026-03-30T14:00:00+02:00) for a due time.
 */
export function formatDue(task: { dueDate?: string | null; dueLocal?: string | null; dueTimeZone: string }): string {
  if (task.dueDate) return `${formatLocalDate(task.dueDate)} (${task.dueTimeZone})`;
  if (!task.dueLocal) return "";
  const date = task.dueLocal.slice(0, 10);
  const time = task.dueLocal.slice(11, 16);
  return `${formatLocalDate(date)}, ${time} (${task.dueTimeZone})`;
}
