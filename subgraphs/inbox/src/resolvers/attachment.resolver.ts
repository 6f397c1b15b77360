import "reflect-metadata";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { InboxContext } from "../context.ts";
import { Attachment } from "../types/attachment.type.ts";

@Resolver(() => Attachment)
export class AttachmentResolver {
  @FieldResolver(() => String, {
    description:
      "The content, base64, fetched from the mail server when asked for (Mary keeps no copy). " +
      "BAD_USER_INPUT when it is larger than the server's limit (10 MB by default).",
  })
  content(@Root() attachment: Attachment, @Ctx() ctx: InboxContext): Promise<string> {
    return ctx.messages.attachmentContent(
      requireScope(ctx.principal, "inbox:read"),
      attachment.messageId,
      attachment.part,
    );
  }
}
