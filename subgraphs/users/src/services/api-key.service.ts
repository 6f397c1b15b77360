import { randomBytes } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import {
  checkId,
  API_KEY_PREFIX,
  badUserInput,
  findPage,
  forbidden,
  hashApiKey,
  isScope,
  notFound,
  scopesForRole,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
  type Role,
  type Scope,
} from "@mary/kit";
import { ApiKey } from "../entities/api-key.entity.ts";
import { Membership } from "../entities/membership.entity.ts";
import type { RevocationService } from "./revocation.service.ts";
import { checkName } from "./validation.ts";

/** What the gateway needs to act for an API key. */
export interface ApiKeyIdentity {
  apiKeyId: string;
  userId: string;
  workspaceId: string;
  role: Role;
  scopes: Scope[];
}

export class ApiKeyService {
  constructor(
    private readonly em: EntityManager,
    private readonly revocations: RevocationService,
  ) {}

  /** Creates a key; the secret is returned here once and stored only as a hash. */
  async create(
    caller: AuthenticatedPrincipal,
    name: string,
    scopes: string[],
  ): Promise<{ key: string; apiKey: ApiKey }> {
    const unknown = scopes.filter((scope) => !isScope(scope));
    if (unknown.length) throw badUserInput(`Unknown scopes: ${unknown.join(", ")}`, "scopes");
    if (scopes.length === 0) throw badUserInput("A key needs at least one scope", "scopes");
    const allowed = scopesForRole(caller.role);
    const beyond = scopes.filter((scope) => !allowed.includes(scope as Scope));
    if (beyond.length) throw forbidden(`Your role cannot grant: ${beyond.join(", ")}`);

    const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
    const apiKey = Object.assign(new ApiKey(), {
      workspaceId: caller.workspaceId,
      createdById: caller.userId,
      name: checkName(name, "name"),
      prefix: key.slice(0, 12),
      keyHash: hashApiKey(key),
      scopes: [...new Set(scopes)] as Scope[],
    });
    await this.em.persist(apiKey).flush();
    return { key, apiKey };
  }

  /** The active workspace's keys, newest first: all of them for owners and admins, one's own for members. */
  list(caller: AuthenticatedPrincipal, page: PageRequest): Promise<Connection<ApiKey>> {
    const where =
      caller.role === "MEMBER"
        ? { workspaceId: caller.workspaceId, createdById: caller.userId }
        : { workspaceId: caller.workspaceId };
    return findPage(this.em, ApiKey, where, page, { field: "createdAt", direction: "desc" });
  }

  async revoke(caller: AuthenticatedPrincipal, id: string): Promise<ApiKey> {
    const apiKey = await this.em.findOne(ApiKey, { id: checkId(id, "id"), workspaceId: caller.workspaceId });
    if (!apiKey) throw notFound("API key");
    if (caller.role === "MEMBER" && apiKey.createdById !== caller.userId) {
      throw forbidden("Members can revoke only their own keys");
    }
    if (!apiKey.revokedAt) {
      apiKey.revokedAt = new Date();
      await this.em.flush();
    }
    // The gateway caches resolved keys briefly; drop the entry so revocation takes effect now.
    await this.revocations.forgetApiKeys([apiKey.keyHash]);
    return apiKey;
  }

  /**
   * Resolves a presented key for the gateway: null when unknown or revoked, or
   * when its creator has left the workspace. Its scopes never exceed what the
   * creator's current role allows.
   */
  async identify(key: string): Promise<ApiKeyIdentity | null> {
    if (!key.startsWith(API_KEY_PREFIX)) return null;
    const apiKey = await this.em.findOne(ApiKey, { keyHash: hashApiKey(key), revokedAt: null });
    if (!apiKey) return null;
    const membership = await this.em.findOne(Membership, {
      userId: apiKey.createdById,
      workspaceId: apiKey.workspaceId,
    });
    if (!membership) return null;
    const allowed = scopesForRole(membership.role);
    return {
      apiKeyId: apiKey.id,
      userId: apiKey.createdById,
      workspaceId: apiKey.workspaceId,
      role: membership.role,
      scopes: apiKey.scopes.filter((scope) => allowed.includes(scope)),
    };
  }
}
