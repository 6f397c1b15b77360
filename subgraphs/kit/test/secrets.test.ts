import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { loadConfig, parseSecretKeys, SecretBox, secretKeysConfig } from "../src/index.ts";

const key = () => randomBytes(32).toString("base64");

describe("SecretBox (AES-256-GCM with key ids)", () => {
  test("opens what it sealed, for the row it was sealed for only", () => {
    const box = new SecretBox(parseSecretKeys(`k1:${key()}`));
    const sealed = box.seal("hunter2 ünïcode", "account-1");
    expect(sealed).not.toContain("hunter2");
    expect(sealed.split(".").slice(0, 2)).toEqual(["v1", "k1"]);
    expect(box.open(sealed, "account-1")).toBe("hunter2 ünïcode");
    expect(() => box.open(sealed, "account-2")).toThrow();
  });

  test("seals the same text differently each time (a fresh IV)", () => {
    const box = new SecretBox(parseSecretKeys(`k1:${key()}`));
    expect(box.seal("same", "row")).not.toBe(box.seal("same", "row"));
  });

  test("refuses a tampered ciphertext", () => {
    const box = new SecretBox(parseSecretKeys(`k1:${key()}`));
    const parts = box.seal("secret", "row").split(".");
    const data = Buffer.from(parts[4]!, "base64url");
    data[0] = data[0]! ^ 1;
    parts[4] = data.toString("base64url");
    expect(() => box.open(parts.join("."), "row")).toThrow();
  });

  test("rotates: a new first key seals, the old one still opens, and stale secrets are told apart", () => {
    const oldKey = key();
    const before = new SecretBox(parseSecretKeys(`old:${oldKey}`));
    const sealedBefore = before.seal("secret", "row");
    const after = new SecretBox(parseSecretKeys(`new:${key()},old:${oldKey}`));
    expect(after.open(sealedBefore, "row")).toBe("secret");
    expect(after.isStale(sealedBefore)).toBe(true);
    const sealedAfter = after.seal("secret", "row");
    expect(after.isStale(sealedAfter)).toBe(false);
    expect(() => before.open(sealedAfter, "row")).toThrow(/unknown key new/);
  });

  test("SECRET_KEYS is checked at start, naming the variable", () => {
    const shape = { SECRET_KEYS: secretKeysConfig };
    expect(() => loadConfig(shape, { SECRET_KEYS: "k1:c2hvcnQ=" })).toThrow(/SECRET_KEYS: key k1 must be 32 bytes/);
    expect(() => loadConfig(shape, { SECRET_KEYS: "no-colon" })).toThrow(/SECRET_KEYS: each key must be id:base64/);
    const k = key();
    expect(() => loadConfig(shape, { SECRET_KEYS: `a:${k},a:${k}` })).toThrow(/listed twice/);
    expect(loadConfig(shape, {}).SECRET_KEYS.size).toBe(1);
  });
});
