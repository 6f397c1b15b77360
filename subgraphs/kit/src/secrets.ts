import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * Credentials of outside services (mail passwords, OAuth tokens, app passwords), encrypted at rest
 * with AES-256-GCM. Each ciphertext names the key that sealed it, so keys rotate: the first key of
 * SECRET_KEYS seals, every key listed opens. The row's id is bound in as associated data, so a
 * ciphertext copied onto another row does not open.
 */
export class SecretBox {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly activeKeyId: string;

  constructor(keys: ReadonlyMap<string, Buffer>) {
    const first = keys.keys().next();
    if (first.done) throw new Error("SecretBox needs at least one key");
    this.keys = keys;
    this.activeKeyId = first.value;
  }

  /** The sealed form: `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url parts. */
  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return ["v1", this.activeKeyId, iv, cipher.getAuthTag(), data]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  open(sealed: string, boundTo: string): string {
    const [version, keyId, iv, tag, data] = sealed.split(".");
    const key = keyId ? this.keys.get(keyId) : undefined;
    if (version !== "v1" || !key || !iv || !tag || data === undefined) {
      throw new Error(`Cannot open a secret sealed with unknown key ${keyId ?? "?"}`);
    }
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  }

  /** Whether the secret was sealed with an older key (so it should be sealed again). */
  isStale(sealed: string): boolean {
    return sealed.split(".")[1] !== this.activeKeyId;
  }
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `id:base64key,id:base64key` (32-byte keys; the first one seals). */
export function parseSecretKeys(value: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>();
  for (const entry of value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [id, encoded, ...rest] = entry.split(":");
    if (!id || !KEY_ID.test(id) || !encoded || rest.length) throw new Error("each key must be id:base64");
    const key = Buffer.from(encoded, "base64");
    if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes (base64 of 32 random bytes)`);
    if (keys.has(id)) throw new Error(`key id ${id} is listed twice`);
    keys.set(id, key);
  }
  if (!keys.size) throw new Error("at least one key is needed");
  return keys;
}

/** The local development key; production sets its own (`openssl rand -base64 32`). */
const DEVELOPMENT_SECRET_KEYS = "dev:bWFyeS1sb2NhbC1kZXZlbG9wbWVudC1rZXktMDAwMDA=";

/** SECRET_KEYS in a config shape: parsed and checked at start, naming the variable when wrong. */
export const secretKeysConfig = z
  .string()
  .default(DEVELOPMENT_SECRET_KEYS)
  .transform((value, ctx) => {
    try {
      return parseSecretKeys(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });
