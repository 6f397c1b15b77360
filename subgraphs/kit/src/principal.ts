import { createHmac, timingSafeEqual } from "node:crypto";
import type { PlanName } from "./plans.ts";

/** The subgraphs whose data a scope grants access to. */
export const SCOPE_AREAS = ["users", "crm", "agents", "inbox", "social", "billing"] as const;
export type ScopeArea = (typeof SCOPE_AREAS)[number];
export type Scope = `${ScopeArea}:${"read" | "write"}`;
export const ALL_SCOPES: readonly Scope[] = SCOPE_AREAS.flatMap((area) => [
  `${area}:read` as Scope,
  `${area}:write` as Scope,
]);

export const ROLES = ["OWNER", "ADMIN", "MEMBER"] as const;
export type Role = (typeof ROLES)[number];

/** Members manage their own work but not the workspace's people or billing. */
const MEMBER_SCOPES = ALL_SCOPES.filter((scope) => scope !== "users:write" && scope !== "billing:write");

/** Every scope a web-app session of this role has. */
export function scopesForRole(role: Role): Scope[] {
  return role === "MEMBER" ? [...MEMBER_SCOPES] : [...ALL_SCOPES];
}

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

/** Who is calling, as the gateway established it. */
export type Principal =
  | { kind: "anonymous" }
  | {
      kind: "user" | "apiKey";
      userId: string;
      workspaceId: string;
      role: Role;
      scopes: Scope[];
      /** The workspace's plan, which sets its limits (see plans.ts). */
      plan: PlanName;
      apiKeyId?: string;
    }
  /** Mary's own components calling each other (for example the gateway resolving an API key). */
  | { kind: "service"; service: string };

export type AuthenticatedPrincipal = Extract<Principal, { kind: "user" | "apiKey" }>;

/** A workspace with no paid subscription is on FREE. */
export const DEFAULT_PLAN: PlanName = "FREE";

/** The principal of a web-app session: every scope its role allows. */
export function sessionPrincipal(
  session: { userId: string; workspaceId: string; role: Role },
  plan = DEFAULT_PLAN,
): AuthenticatedPrincipal {
  const { userId, workspaceId, role } = session;
  return { kind: "user", userId, workspaceId, role, scopes: scopesForRole(role), plan };
}

export const PRINCIPAL_HEADER = "x-mary-principal";
export const REQUEST_ID_HEADER = "x-request-id";

/** How long a signed header stays valid: long enough for one request, short enough that a leaked one is useless. */
const MAX_AGE_MS = 60_000;

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

/** Signs a principal for the internal header: `base64url(json).base64url(hmac)`. */
export function signPrincipal(principal: Principal, secret: string, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ p: principal, iat: now })).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

/** Returns the principal of a valid header, or null when it is missing, tampered with or stale. */
export function verifyPrincipal(header: string | undefined, secret: string, now = Date.now()): Principal | null {
  if (!header) return null;
  const [payload, signature, extra] = header.split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const expected = mac(secret, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { p: Principal; iat: number };
    if (typeof decoded.iat !== "number" || Math.abs(now - decoded.iat) > MAX_AGE_MS) return null;
    return decoded.p;
  } catch {
    return null;
  }
}

/** Every API key starts with this, which is how the gateway tells keys from JWTs. */
export const API_KEY_PREFIX = "mary_";
