import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import { MailAccount } from "../entities/mail-account.entity.ts";
import { MailFolder } from "../entities/mail-folder.entity.ts";

@Resolver(() => MailAccount)
export class AccountFoldersResolver {
  @FieldResolver(() => [MailFolder], {
    description: "The account's folders on its server (as of the last sync), INBOX first, then by path.",
  })
  async folders(@Root() account: MailAccount, @Ctx() ctx: InboxContext): Promise<MailFolder[]> {
    requireScope(ctx.principal, "inbox:read");
    const folders = await ctx.em.find(MailFolder, { accountId: account.id }, { orderBy: { path: "asc" } });
    return folders.sort((a, b) => Number(b.role === "INBOX") - Number(a.role === "INBOX"));
  }
}
