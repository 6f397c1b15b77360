import { describe, expect, test } from "vitest";
import { compareIds, eventCursor, idOfCursor } from "../src/services/inbox-events.ts";
import { folderRole, foldersToSync, MAX_SYNCED_FOLDERS, uidSet } from "../src/services/sync.service.ts";

describe("sync's pure parts", () => {
  test("UIDs become compact IMAP sequence sets", () => {
    expect(uidSet([5, 1, 2, 3, 9, 7, 8, 12])).toBe("1:3,5,7:9,12");
    expect(uidSet([4])).toBe("4");
    expect(uidSet([2, 2, 3])).toBe("2:3");
  });

  test("folder roles come from special-use flags; INBOX by name", () => {
    expect(folderRole({ path: "inbox", specialUse: undefined })).toBe("INBOX");
    expect(folderRole({ path: "Sent Items", specialUse: "\\Sent" })).toBe("SENT");
    expect(folderRole({ path: "[Gmail]/All Mail", specialUse: "\\All" })).toBe("OTHER");
    expect(folderRole({ path: "Projects", specialUse: undefined })).toBe("OTHER");
  });

  test("synced folders: INBOX, the special-use ones, then the user's, bounded; never Drafts or \\All", () => {
    const folders = [
      { path: "Zeta", role: "OTHER" as const },
      { path: "Drafts", role: "DRAFTS" as const },
      { path: "[Gmail]/All Mail", role: "OTHER" as const, specialUse: "\\All" },
      { path: "Archive", role: "ARCHIVE" as const },
      { path: "INBOX", role: "INBOX" as const },
      { path: "Alpha", role: "OTHER" as const },
      { path: "Sent", role: "SENT" as const },
    ];
    expect(foldersToSync(folders).map((f) => f.path)).toEqual(["INBOX", "Sent", "Archive", "Alpha", "Zeta"]);
    const many = Array.from({ length: 50 }, (_, i) => ({
      path: `F${String(i).padStart(2, "0")}`,
      role: "OTHER" as const,
    }));
    expect(foldersToSync(many)).toHaveLength(MAX_SYNCED_FOLDERS);
  });

  test("event cursors round-trip, compare in stream order, and refuse anything else", () => {
    expect(idOfCursor(eventCursor("1700000000000-3"))).toBe("1700000000000-3");
    expect(idOfCursor(null)).toBeNull();
    expect(() => idOfCursor("bogus")).toThrow(/not a cursor/);
    expect(() => idOfCursor(Buffer.from("inbox-event:1-2; drop").toString("base64url"))).toThrow(/not a cursor/);
    expect(compareIds("10-0", "9-5")).toBeGreaterThan(0);
    expect(compareIds("10-2", "10-10")).toBeLessThan(0);
    expect(compareIds("10-2", "10-2")).toBe(0);
  });
});
