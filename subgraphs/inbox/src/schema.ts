import { buildFederatedSchema } from "@mary/kit";
import { CalendarEventResolver, EventOccurrenceResolver } from "./resolvers/calendar-event.resolver.ts";
import { CalendarResolver } from "./resolvers/calendar.resolver.ts";
import { DraftResolver } from "./resolvers/draft.resolver.ts";
import { AttachmentResolver } from "./resolvers/attachment.resolver.ts";
import { ContactMessagesResolver, CorrespondentResolver } from "./resolvers/correspondent.resolver.ts";
import { EventResolver } from "./resolvers/event.resolver.ts";
import { MailAccountResolver } from "./resolvers/mail-account.resolver.ts";
import { AccountFoldersResolver } from "./resolvers/mail-folder.resolver.ts";
import { MessageResolver } from "./resolvers/message.resolver.ts";
import { ThreadResolver } from "./resolvers/thread.resolver.ts";
import { referenceResolvers } from "./resolvers/references.ts";
import { TaskResolver, taskReferenceResolvers, UserTasksResolver } from "./resolvers/task.resolver.ts";
import { TriageResolver } from "./resolvers/triage.resolver.ts";
import { CalDavResolver } from "./resolvers/caldav.resolver.ts";
import { UsageResolver } from "./resolvers/usage.resolver.ts";
import { Contact, Correspondent } from "./types/correspondent.type.ts";
import { User } from "./types/user.type.ts";
import { Usage } from "./types/workspace.type.ts";

/** The inbox subgraph schema; needs no connections, so composition can build it offline. */
export const buildInboxSchema = () =>
  buildFederatedSchema({
    resolvers: [
      MailAccountResolver,
      UsageResolver,
      TriageResolver,
      CalDavResolver,
      DraftResolver,
      MessageResolver,
      ThreadResolver,
      AttachmentResolver,
      AccountFoldersResolver,
      CorrespondentResolver,
      ContactMessagesResolver,
      EventResolver,
      CalendarResolver,
      CalendarEventResolver,
      EventOccurrenceResolver,
      TaskResolver,
      UserTasksResolver,
    ],
    orphanedTypes: [Usage, Correspondent, Contact, User],
    referenceResolvers: { ...referenceResolvers, ...taskReferenceResolvers },
  });
