import { hash, verify } from "@node-rs/argon2";

/** argon2id (`Algorithm.Argon2id`, a const enum we cannot import under verbatimModuleSyntax). */
const OPTIONS = { algorithm: 2 as const };

/** A hash of a random password, verified when the email is unknown so both paths take the same time. */
let decoyHash: Promise<string> | undefined;

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoyHash ??= hash("decoy-password-for-unknown-users", OPTIONS);
    await verify(await decoyHash, password);
    return false;
  }
  return verify(passwordHash, password);
}
