import { connectionType } from "@mary/kit";
import { SocialAccount } from "./social-account.type.ts";

/** Each connection type is declared once, here, because several resolvers return it. */
export const SocialAccountConnection = connectionType(SocialAccount, "SocialAccount", "social account");
