import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeyPairSync } from "node:crypto";
import { errors, importPKCS8, importSPKI, jwtVerify, SignJWT, type CryptoKey } from "jose";
import { ROLES, type Role } from "./principal.ts";

/** The repository root, for defaults that point into `.data/`. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const DEFAULT_PRIVATE_KEY_FILE = resolve(REPO_ROOT, ".data/keys/jwt-ed25519.pem");
export const DEFAULT_PUBLIC_KEY_FILE = resolve(REPO_ROOT, ".data/keys/jwt-ed25519.pub.pem");

const ALGORITHM = "EdDSA";
const ISSUER = "mary-users";
const AUDIENCE = "mary";

/** What an access token says about its bearer. */
export interface AccessClaims {
  userId: string;
  workspaceId: string;
  role: Role;
  /** The sign-in session (refresh-token family) the token belongs to, so ending it ends the token too. */
  sessionId: string;
}

/** A verified token's claims, with when it was issued (Unix seconds). */
export interface VerifiedAccessClaims extends AccessClaims {
  issuedAt: number;
  /** The `exp` claim, in seconds since the epoch: the token is refused from this second on. */
  expiresAt: number;
}

/** Writes a fresh Ed25519 key pair unless one is there already (local development and tests). */
export function ensureKeyPair(privateFile = DEFAULT_PRIVATE_KEY_FILE, publicFile = DEFAULT_PUBLIC_KEY_FILE): void {
  if (existsSync(privateFile) && existsSync(publicFile)) return;
  const { privateKey, publicKey } = generateKeyPairSync("ed25519", {
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  mkdirSync(dirname(privateFile), { recursive: true });
  writeFileSync(privateFile, privateKey, { mode: 0o600 });
  writeFileSync(publicFile, publicKey);
}

/** A PEM given inline wins over one read from a file. */
export function readPem(inline: string | undefined, file: string, variable: string): string {
  if (inline) return inline.replace(/\\n/g, "\n");
  if (!existsSync(file)) throw new Error(`Invalid configuration:\n  ${variable}: no key at ${file}`);
  return readFileSync(file, "utf8");
}

export const importSigningKey = (pem: string) => importPKCS8(pem, ALGORITHM);
export const importVerifyingKey = (pem: string) => importSPKI(pem, ALGORITHM);

export async function signAccessToken(key: CryptoKey, claims: AccessClaims, ttlSeconds: number): Promise<string> {
  return new SignJWT({ wid: claims.workspaceId, role: claims.role, sid: claims.sessionId, typ: "access" })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
}

export type AccessTokenResult =
  { ok: true; claims: VerifiedAccessClaims } | { ok: false; reason: "expired" | "invalid" };

/** Checks signature, issuer, audience and expiry; never throws. */
export async function verifyAccessToken(key: CryptoKey, token: string): Promise<AccessTokenResult> {
  try {
    const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALGORITHM] });
    const role = payload.role as Role;
    if (
      payload.typ !== "access" ||
      typeof payload.sub !== "string" ||
      typeof payload.wid !== "string" ||
      typeof payload.sid !== "string" ||
      typeof payload.iat !== "number" ||
      typeof payload.exp !== "number" ||
      !ROLES.includes(role)
    ) {
      return { ok: false, reason: "invalid" };
    }
    return {
      ok: true,
      claims: {
        userId: payload.sub,
        workspaceId: payload.wid,
        role,
        sessionId: payload.sid,
        issuedAt: payload.iat,
        expiresAt: payload.exp,
      },
    };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}
