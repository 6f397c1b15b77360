import { forbidden, unauthenticated } from "./errors.ts";
import type { AuthenticatedPrincipal, Principal, Role, Scope } from "./principal.ts";

/** The caller when they act in a workspace (a signed-in user or an API key); null for anyone else. */
export function callerOf(principal: Principal): AuthenticatedPrincipal | null {
  return principal.kind === "user" || principal.kind === "apiKey" ? principal : null;
}

/** The caller must be a signed-in user or an API key. */
export function requireAuthenticated(principal: Principal): AuthenticatedPrincipal {
  const caller = callerOf(principal);
  if (!caller) throw unauthenticated();
  return caller;
}

/** The caller must hold the scope (API keys hold only what they were given). */
export function requireScope(principal: Principal, scope: Scope): AuthenticatedPrincipal {
  const caller = requireAuthenticated(principal);
  if (!caller.scopes.includes(scope)) throw forbidden(`This operation needs the scope ${scope}`);
  return caller;
}

/** The caller must be a person in the web app, not an API key. */
export function requireUserSession(principal: Principal): AuthenticatedPrincipal {
  const caller = requireAuthenticated(principal);
  if (caller.kind !== "user") throw forbidden("This operation needs a signed-in user, not an API key");
  return caller;
}

/** The caller's role in the active workspace must be one of these. */
export function requireRole(principal: Principal, roles: readonly Role[]): AuthenticatedPrincipal {
  const caller = requireAuthenticated(principal);
  if (!roles.includes(caller.role)) throw forbidden(`This operation needs the role ${roles.join(" or ")}`);
  return caller;
}

/** The caller must be one of Mary's own services. */
export function requireService(principal: Principal, service: string): void {
  if (principal.kind !== "service" || principal.service !== service) throw forbidden();
}

/** True when the caller acts in this workspace (the only one whose entities it may resolve). */
export function actsInWorkspace(principal: Principal, workspaceId: string): boolean {
  return callerOf(principal)?.workspaceId === workspaceId;
}
