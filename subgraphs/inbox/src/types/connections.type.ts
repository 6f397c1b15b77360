import { connectionType } from "@mary/kit";
import { Draft } from "../entities/draft.entity.ts";
import { MailAccount } from "../entities/mail-account.entity.ts";
import { Message } from "../entities/message.entity.ts";
import { Task } from "../entities/task.entity.ts";
import { Thread } from "../entities/thread.entity.ts";
import { TriageRule } from "../entities/triage-rule.entity.ts";

/** Each connection type is declared once, here, because several resolvers return it. */
export const MailAccountConnection = connectionType(MailAccount, "MailAccount", "mail account");
export const MessageConnection = connectionType(Message, "Message", "message");
export const ThreadConnection = connectionType(Thread, "Thread", "thread");
export const DraftConnection = connectionType(Draft, "Draft", "draft");
export const TriageRuleConnection = connectionType(TriageRule, "TriageRule", "triage rule");
export const TaskConnection = connectionType(Task, "Task", "task");
