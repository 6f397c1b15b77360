import type { DraftState, FolderRole, MessageCategory, Urgency } from "../../__generated__/graphql.ts";

/** Triage's categories in the order the tabs show them, with their words. */
export const CATEGORIES: readonly { category: MessageCategory; label: string }[] = [
  { category: "IMPORTANT", label: "Important" },
  { category: "ACTIONABLE", label: "Actionable" },
  { category: "FYI", label: "FYI" },
  { category: "NEWSLETTER", label: "Newsletters" },
  { category: "OTHER", label: "Other" },
];

export const categoryLabel = (category: MessageCategory | null | undefined): string =>
  category ? (CATEGORIES.find((entry) => entry.category === category)?.label ?? category) : "Not triaged yet";

export const isCategory = (value: string | null): value is MessageCategory =>
  CATEGORIES.some((entry) => entry.category === value);

const FOLDER_LABELS: Record<FolderRole, string> = {
  INBOX: "Inbox",
  SENT: "Sent",
  ARCHIVE: "Archive",
  DRAFTS: "Drafts",
  TRASH: "Trash",
  JUNK: "Junk",
  OTHER: "Other",
};

/** A folder's name as the folder list shows it: its role for special folders, else its path. */
export const folderLabel = (folder: { role: FolderRole; path: string }): string =>
  folder.role === "OTHER" ? folder.path : FOLDER_LABELS[folder.role];

export const urgencyLabel = (urgency: Urgency): string =>
  ({ HIGH: "Urgent", NORMAL: "Normal urgency", LOW: "Low urgency" })[urgency];

export const draftStateLabel = (state: DraftState): string =>
  ({ DRAFT: "Draft", SENDING: "Sending…", SENT: "Sent", FAILED: "Not sent" })[state];

/** A correspondent as a person reads them: "Ada Lovelace <ada@example.com>" or the address. */
export const personLabel = (person: { name?: string | null; email: string }): string =>
  person.name ? `${person.name} <${person.email}>` : person.email;

/** A file size in the reader's words: 1.2 MB, 34 KB, 512 bytes. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** "Ada <ada@x.com>, bob@y.com" as MailAddressInputs; the addresses are checked by the server. */
export function parseAddresses(text: string): { email: string; name?: string }[] {
  return text
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(.*)<([^>]+)>$/.exec(part);
      if (!match) return { email: part };
      const name = match[1]!.trim().replace(/^"|"$/g, "");
      return name ? { email: match[2]!.trim(), name } : { email: match[2]!.trim() };
    });
}

/** MailAddresses as the recipients field writes them. */
export const formatAddresses = (addresses: readonly { name?: string | null; email: string }[]): string =>
  addresses.map(personLabel).join(", ");
