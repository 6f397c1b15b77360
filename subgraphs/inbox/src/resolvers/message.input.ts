import "reflect-metadata";
import { Field, ID, InputType } from "type-graphql";
import { FolderRoleEnum, type FolderRole } from "../entities/mail-folder.entity.ts";
import { MessageCategoryEnum, type MessageCategory } from "../entities/message.entity.ts";

@InputType({ description: "Which of the caller's messages to list; every condition given must hold." })
export class MessageFilter {
  @Field(() => ID, { nullable: true, description: "Only this mail account's messages." })
  accountId?: string | null;

  @Field(() => FolderRoleEnum, {
    nullable: true,
    description: "Only messages in folders with this role (INBOX, SENT, ARCHIVE…).",
  })
  folder?: FolderRole | null;

  @Field(() => ID, { nullable: true, description: "Only messages in this folder." })
  folderId?: string | null;

  @Field(() => MessageCategoryEnum, { nullable: true, description: "Only messages triage put in this category." })
  category?: MessageCategory | null;

  @Field(() => Boolean, { nullable: true, description: "true: only unread messages; false: only read ones." })
  unread?: boolean | null;

  @Field(() => ID, { nullable: true, description: "Only this thread's messages." })
  threadId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Full-text search of subject and text (web search syntax: words, "quoted phrases", -excluded, or), ' +
      "or an address among the correspondents; results ranked by relevance, then newest first. 1 to 500 characters.",
  })
  search?: string | null;
}
