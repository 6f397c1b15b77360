import { CalendarSchema } from "./calendar.entity.ts";
import { CalendarEventSchema } from "./calendar-event.entity.ts";
import { CalendarSyncConflictSchema } from "./calendar-sync-conflict.entity.ts";
import { DraftSchema } from "./draft.entity.ts";
import { MailAccountSchema } from "./mail-account.entity.ts";
import { MailFolderSchema } from "./mail-folder.entity.ts";
import { MessageSchema } from "./message.entity.ts";
import { TaskDependencySchema } from "./task-dependency.entity.ts";
import { TaskSchema } from "./task.entity.ts";
import { ThreadSchema } from "./thread.entity.ts";
import { TriageRuleSchema } from "./triage-rule.entity.ts";
import { WorkingHoursSchema } from "./working-hours.entity.ts";

export const entities = [
  MailAccountSchema,
  MailFolderSchema,
  ThreadSchema,
  MessageSchema,
  DraftSchema,
  TriageRuleSchema,
  CalendarSchema,
  CalendarEventSchema,
  WorkingHoursSchema,
  CalendarSyncConflictSchema,
  TaskSchema,
  TaskDependencySchema,
];
