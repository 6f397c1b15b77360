import { buildFederatedSchema } from "@mary/kit";
import { MailAccountResolver } from "./resolvers/mail-account.resolver.ts";
import { referenceResolvers } from "./resolvers/references.ts";
import { UsageResolver } from "./resolvers/usage.resolver.ts";
import { Contact, Correspondent } from "./types/correspondent.type.ts";
import { User } from "./types/user.type.ts";
import { Usage } from "./types/workspace.type.ts";

/** The inbox subgraph schema; needs no connections, so composition can build it offline. */
export const buildInboxSchema = () =>
  buildFederatedSchema({
    resolvers: [MailAccountResolver, UsageResolver],
    orphanedTypes: [Usage, Correspondent, Contact, User],
    referenceResolvers,
  });
