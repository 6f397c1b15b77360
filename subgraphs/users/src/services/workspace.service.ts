import { LockMode, type EntityManager, type FilterQuery } from "@mikro-orm/postgresql";
import {
  checkId,
  badUserInput,
  findPage,
  forbidden,
  isUuid,
  MAX_PAGE_SIZE,
  notFound,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
  type Role,
} from "@mary/kit";
import { Membership } from "../entities/membership.entity.ts";
import { User } from "../entities/user.entity.ts";
import { Workspace } from "../entities/workspace.entity.ts";
import { ApiKey } from "../entities/api-key.entity.ts";
import type { RevocationService } from "./revocation.service.ts";
import { checkName, normalizeEmail } from "./validation.ts";

/** Workspaces and who belongs to them. Every method is given the caller and checks what it may touch. */
export class WorkspaceService {
  constructor(
    private readonly em: EntityManager,
    private readonly revocations: RevocationService,
  ) {}

  async create(caller: AuthenticatedPrincipal, name: string): Promise<Workspace> {
    const workspace = Object.assign(new Workspace(), { name: checkName(name, "name") });
    const membership = Object.assign(new Membership(), {
      userId: caller.userId,
      workspaceId: workspace.id,
      role: "OWNER" as Role,
    });
    await this.em.persist([workspace, membership]).flush();
    return workspace;
  }

  /** The caller's memberships; for another user, only the one in the caller's active workspace. */
  async membershipsOf(caller: AuthenticatedPrincipal, userId: string): Promise<Membership[]> {
    const where = userId === caller.userId ? { userId } : { userId, workspaceId: caller.workspaceId };
    return this.em.find(Membership, where, { orderBy: { createdAt: "asc" } });
  }

  /**
   * Members of the caller's active workspace, oldest first, or only those of `userIds` who are
   * members (ids that are not UUIDs match nobody). Other workspaces' members are never listed.
   */
  async members(
    caller: AuthenticatedPrincipal,
    workspaceId: string,
    page: PageRequest,
    userIds?: readonly string[] | null,
  ): Promise<Connection<Membership>> {
    if (workspaceId !== caller.workspaceId) {
      throw forbidden("Members are visible only in your active workspace; switch to it first");
    }
    const where: FilterQuery<Membership> = { workspaceId };
    if (userIds != null) {
      if (userIds.length > MAX_PAGE_SIZE) throw badUserInput(`Ask for at most ${MAX_PAGE_SIZE} userIds`, "userIds");
      where.userId = { $in: userIds.filter(isUuid).map((id) => id.toLowerCase()) };
    }
    return findPage(this.em, Membership, where, page, { field: "createdAt", direction: "asc" });
  }

  async addMember(caller: AuthenticatedPrincipal, workspaceId: string, email: string, role: Role): Promise<Membership> {
    this.assertManages(caller, workspaceId);
    if (role === "OWNER" && caller.role !== "OWNER") throw forbidden("Only an owner can add another owner");
    const user = await this.em.findOne(User, { email: normalizeEmail(email) });
    if (!user) throw notFound("User with that email");
    if (await this.em.count(Membership, { userId: user.id, workspaceId })) {
      throw badUserInput("That user is already a member of this workspace", "email");
    }
    const membership = Object.assign(new Membership(), { userId: user.id, workspaceId, role });
    await this.em.persist(membership).flush();
    return membership;
  }

  /** Removes a member; anyone may leave, managers may remove others, the last owner stays. */
  async removeMember(caller: AuthenticatedPrincipal, workspaceId: string, memberId: string): Promise<boolean> {
    const userId = checkId(memberId, "userId");
    if (userId !== caller.userId) this.assertManages(caller, workspaceId);
    else if (workspaceId !== caller.workspaceId) throw forbidden("Switch to the workspace to leave it");
    // The workspace row is locked so that two owners removing each other at once cannot both
    // pass the last-owner check.
    await this.em.transactional(async (em) => {
      await em.findOneOrFail(Workspace, { id: workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const membership = await em.findOne(Membership, { userId, workspaceId });
      if (!membership) throw notFound("Member");
      if (membership.role === "OWNER") {
        if (caller.role !== "OWNER") throw forbidden("Only an owner can remove an owner");
        const owners = await em.count(Membership, { workspaceId, role: "OWNER" });
        if (owners <= 1) throw badUserInput("A workspace must keep at least one owner", "userId");
      }
      em.remove(membership);
    });
    // Their access tokens and API keys for this workspace stop working now, not at expiry.
    const keys = await this.em.find(ApiKey, { createdById: userId, workspaceId }, { fields: ["keyHash"] });
    await this.revocations.endMembership(
      userId,
      workspaceId,
      keys.map((key) => key.keyHash),
    );
    return true;
  }

  /** Managing members happens in the active workspace, as an owner or admin. */
  private assertManages(caller: AuthenticatedPrincipal, workspaceId: string): void {
    if (workspaceId !== caller.workspaceId) throw forbidden("You can manage only your active workspace");
    if (caller.role === "MEMBER" || !caller.scopes.includes("users:write")) {
      throw forbidden("Managing members needs the role OWNER or ADMIN and the scope users:write");
    }
  }
}
