import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { BigIntType, EntitySchema } from "@mikro-orm/postgresql";
import { stringEnum } from "@mary/kit";
import { Field, ID, ObjectType } from "type-graphql";

export const FOLDER_ROLES = ["INBOX", "SENT", "ARCHIVE", "DRAFTS", "TRASH", "JUNK", "OTHER"] as const;
export type FolderRole = (typeof FOLDER_ROLES)[number];
export const FolderRoleEnum = stringEnum(FOLDER_ROLES, "FolderRole", "What a mail folder is for.", {
  INBOX: "Where new mail arrives.",
  SENT: "Mail sent from the account.",
  ARCHIVE: "Mail put away.",
  DRAFTS: "Unsent drafts (of other mail clients).",
  TRASH: "Deleted mail.",
  JUNK: "Spam.",
  OTHER: "A folder of the user's own.",
});

@ObjectType({ description: "A folder (IMAP mailbox) of a mail account." })
export class MailFolder {
  @Field(() => ID, { description: "Stable identifier of the folder." })
  id: string = randomUUID();

  workspaceId!: string;
  accountId!: string;

  @Field(() => String, { description: "The folder's full IMAP path, such as INBOX or Archive/2026." })
  path!: string;

  @Field(() => FolderRoleEnum, { description: "What the folder is for (from its IMAP special-use flag or name)." })
  role: FolderRole = "OTHER";

  /** The server's UIDVALIDITY when the folder was last synced (as text: it is a 32-bit unsigned number). */
  uidValidity: string | null = null;
  /** The highest UID synced under that UIDVALIDITY. */
  lastUid: number = 0;
  /** The folder's HIGHESTMODSEQ at the last sync, on servers with CONDSTORE: only flags changed since are fetched. */
  highestModseq: string | null = null;

  createdAt: Date = new Date();
}

export const MailFolderSchema = new EntitySchema<MailFolder>({
  class: MailFolder,
  tableName: "mail_folders",
  uniques: [{ properties: ["accountId", "path"] }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    accountId: { type: "uuid" },
    path: { type: "string", length: 500 },
    role: { type: "string", length: 8 },
    uidValidity: { type: "string", length: 10, nullable: true },
    // UIDs are unsigned 32-bit numbers: past int4, within a JavaScript number.
    lastUid: { type: new BigIntType("number"), default: 0 },
    highestModseq: { type: "string", length: 20, nullable: true },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
