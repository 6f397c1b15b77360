import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { CrmContext } from "../context.ts";
import { Contact } from "../entities/contact.entity.ts";
import { Correspondent } from "../types/correspondent.type.ts";

@Resolver(() => Correspondent)
export class CorrespondentResolver {
  @FieldResolver(() => Contact, {
    nullable: true,
    description:
      "The caller's workspace's contact with this address (the oldest, if several have it); null when none does.",
  })
  contact(@Root() correspondent: Correspondent, @Ctx() ctx: CrmContext): Promise<Contact | null> {
    requireScope(ctx.principal, "crm:read");
    // Batched: every correspondent of one request is looked up in one statement.
    return ctx.loaders.contactByEmail.load(correspondent.email);
  }
}
