import { buildFederatedSchema } from "@mary/kit";
import { PostEventResolver } from "./resolvers/post-event.resolver.ts";
import { PostResolver } from "./resolvers/post.resolver.ts";
import { ConnectResolver } from "./resolvers/connect.resolver.ts";
import { referenceResolvers } from "./resolvers/references.ts";
import { SocialAccountResolver } from "./resolvers/social-account.resolver.ts";
import {
  ContactSocialResolver,
  SocialAccountGraphResolver,
  SocialProfileResolver,
  SocialSuggestionResolver,
} from "./resolvers/social-graph.resolver.ts";
import { UsageResolver } from "./resolvers/usage.resolver.ts";
import { Contact } from "./types/contact.type.ts";
import { User } from "./types/user.type.ts";
import { Usage } from "./types/workspace.type.ts";

/** The social subgraph schema; needs no connections, so composition can build it offline. */
export const buildSocialSchema = () =>
  buildFederatedSchema({
    resolvers: [
      SocialAccountResolver,
      UsageResolver,
      PostResolver,
      PostEventResolver,
      ConnectResolver,
      SocialProfileResolver,
      SocialAccountGraphResolver,
      ContactSocialResolver,
      SocialSuggestionResolver,
    ],
    orphanedTypes: [Usage, Contact, User],
    referenceResolvers,
  });
