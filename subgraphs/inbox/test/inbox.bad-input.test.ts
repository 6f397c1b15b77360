import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createMailUser, deleteMailUser, errorCode } from "@mary/kit/testing";
import { deliver, newMember, startHarness, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  // A small attachment limit, so that a test mail is over it.
  h = await startHarness({ env: { INBOX_MAX_ATTACHMENT_BYTES: "2048" } });
});
afterAll(async () => {
  await h?.stop();
});

const state = (ids: string[]) =>
  h.sql(`select id, folder_id, uid::int as uid, seen, flagged from messages where id in (?) order by id`, [ids]);

describe("bad input changes nothing", () => {
  test("an attachment over the limit is BAD_USER_INPUT (at its path); attachments are still listed", async () => {
    const user = await createMailUser();
    const me = newMember();
    const accountId = await h.connect(me, user);
    await deliver({
      to: user.address,
      subject: "files",
      attachments: [
        { filename: "small.txt", content: "x".repeat(1_000), contentType: "text/plain" },
        { filename: "big.bin", content: Buffer.alloc(5_000, 7), contentType: "application/octet-stream" },
      ],
    });
    await h.sync(accountId);
    const [{ id }] = (await h.sql(`select id from messages where account_id = ?`, [accountId])) as [{ id: string }];
    const QUERY = `query ($id: ID!) { message(id: $id) { attachments { filename size content } } }`;
    const response = await h.call(me, QUERY, { id });
    expect(errorCode(response)).toBe("BAD_USER_INPUT");
    expect(response.errors?.[0]?.path).toEqual(["message", "attachments", 1, "content"]);
    const { message } = await h.ok(
      me,
      `query ($id: ID!) { message(id: $id) { attachments { filename size contentType part } } }`,
      { id },
    );
    expect(message.attachments).toEqual([
      { filename: "small.txt", size: expect.any(Number), contentType: "text/plain", part: "2" },
      { filename: "big.bin", size: expect.any(Number), contentType: "application/octet-stream", part: "3" },
    ]);
  });

  test("mutations with too many ids, foreign ids, or another account's folder change nothing", async () => {
    const [userA, userB] = [await createMailUser(), await createMailUser()];
    const me = newMember();
    const accountA = await h.connect(me, userA);
    const accountB = await h.connect(me, userB);
    await deliver({ to: userA.address, subject: "in A" });
    await h.sync(accountA);
    await h.sync(accountB);
    const ids = (await h.sql(`select id from messages where account_id = ?`, [accountA])).map((r) => r.id as string);
    const before = await state(ids);
    const [folderB] = await h.sql(`select id from mail_folders where account_id = ? and role = 'INBOX'`, [accountB]);
    const MOVE = `mutation ($ids: [ID!]!, $f: ID!) { moveMessages(ids: $ids, folderId: $f) { id } }`;
    const MARK = `mutation ($ids: [ID!]!) { markMessages(ids: $ids, seen: true) { id } }`;
    expect(errorCode(await h.call(me, MOVE, { ids, f: folderB!.id }))).toBe("BAD_USER_INPUT");
    expect(errorCode(await h.call(me, MOVE, { ids, f: "not-a-folder" }))).toBe("NOT_FOUND");
    expect(errorCode(await h.call(me, MARK, { ids: [] }))).toBe("BAD_USER_INPUT");
    expect(errorCode(await h.call(me, MARK, { ids: Array.from({ length: 101 }, () => ids[0]) }))).toBe(
      "BAD_USER_INPUT",
    );
    expect(errorCode(await h.call(me, MARK, { ids: [...ids, "00000000-0000-4000-8000-000000000000"] }))).toBe(
      "NOT_FOUND",
    );
    expect(errorCode(await h.call(me, MARK, { ids: [...ids, "nonsense"] }))).toBe("NOT_FOUND");
    expect(errorCode(await h.call(me, `query { messages(filter: { accountId: "x" }) { edges { cursor } } }`))).toBe(
      "BAD_USER_INPUT",
    );
    expect(errorCode(await h.call(me, `query { messages(after: "bogus") { edges { cursor } } }`))).toBe(
      "BAD_USER_INPUT",
    );
    expect(errorCode(await h.call(me, `query { messages(first: 101) { edges { cursor } } }`))).toBe("BAD_USER_INPUT");
    expect(await state(ids)).toEqual(before);
  });

  test("a mailbox that refuses the login puts the account in ERROR with the reason; its mail stays", async () => {
    const user = await createMailUser();
    const me = newMember();
    const accountId = await h.connect(me, user);
    await deliver({ to: user.address, subject: "kept" });
    await h.sync(accountId);
    await deleteMailUser(user.address);
    await expect(h.sync(accountId)).rejects.toThrow(/refused/);
    const { mailAccount } = await h.ok(me, `query ($id: ID!) { mailAccount(id: $id) { syncState syncError } }`, {
      id: accountId,
    });
    expect(mailAccount.syncState).toBe("ERROR");
    expect(mailAccount.syncError).toMatch(/IMAP server refused/);
    expect(await h.sql(`select count(*)::int as n from messages where account_id = ?`, [accountId])).toEqual([
      { n: 1 },
    ]);
  });
});
