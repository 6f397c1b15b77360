import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { checkId, badUserInput, forbidden, signAccessToken, unauthenticated, type Role } from "@mary/kit";
import type { CryptoKey } from "jose";
import { Membership } from "../entities/membership.entity.ts";
import { RefreshToken } from "../entities/refresh-token.entity.ts";
import { User } from "../entities/user.entity.ts";
import { Workspace } from "../entities/workspace.entity.ts";
import type { LoginThrottle } from "./login-throttle.service.ts";
import type { RevocationService } from "./revocation.service.ts";
import { hashPassword, verifyPassword } from "./password.service.ts";
import { checkName, checkPassword, normalizeEmail } from "./validation.ts";

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  user: User;
  workspace: Workspace;
  role: Role;
}

export interface SessionSettings {
  signingKey: CryptoKey;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  /** How long after its use a refresh token may be used again, by browser (cookie-mode) clients. */
  reuseGraceSeconds: number;
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** Sign-up, sign-in and the refresh-token lifecycle. */
export class SessionService {
  constructor(
    private readonly em: EntityManager,
    private readonly settings: SessionSettings,
    private readonly throttle: LoginThrottle,
    private readonly revocations: RevocationService,
  ) {}

  /** How long a refresh token lives, in seconds (the web app's cookie lives as long). */
  get refreshTtlSeconds(): number {
    return this.settings.refreshTtlSeconds;
  }

  async signUp(input: { email: string; password: string; name: string; workspaceName: string }): Promise<Session> {
    const email = normalizeEmail(input.email);
    checkPassword(input.password);
    const name = checkName(input.name, "name");
    const workspaceName = checkName(input.workspaceName, "workspaceName");
    if (await this.em.count(User, { email })) throw badUserInput("An account with this email already exists", "email");

    const user = Object.assign(new User(), { email, name, passwordHash: await hashPassword(input.password) });
    const workspace = Object.assign(new Workspace(), { name: workspaceName });
    const membership = Object.assign(new Membership(), { userId: user.id, workspaceId: workspace.id, role: "OWNER" });
    try {
      await this.em.transactional(async (em) => {
        em.persist([user, workspace, membership]);
      });
    } catch (error) {
      // Two sign-ups with one email at the same moment: the unique index decides.
      if ((error as { code?: string }).code === "23505") {
        throw badUserInput("An account with this email already exists", "email");
      }
      throw error;
    }
    return this.issue(user, workspace, "OWNER", randomUUID());
  }

  async logIn(input: { email: string; password: string; workspaceId?: string | null }): Promise<Session> {
    const email = input.email.trim().toLowerCase();
    await this.throttle.assertAllowed(email);
    const user = await this.em.findOne(User, { email });
    if (!(await verifyPassword(user?.passwordHash, input.password)) || !user) {
      await this.throttle.recordFailure(email);
      throw unauthenticated("Email or password is wrong");
    }
    await this.throttle.reset(email);
    const membership = await this.chooseMembership(user.id, input.workspaceId ?? undefined);
    const workspace = await this.em.findOneOrFail(Workspace, { id: membership.workspaceId });
    return this.issue(user, workspace, membership.role, randomUUID());
  }

  /**
   * Exchanges a refresh token for a new pair. The old token is marked used in
   * one conditional UPDATE, so of two concurrent uses only one wins; a token
   * presented after it was used revokes its whole family.
   *
   * `allowRecentReuse` (browsers, whose token is in a cookie): a token used less than
   * reuseGraceSeconds ago buys another pair of the same session instead. A browser loses the
   * answer that rotated its cookie when the page reloads mid-refresh, and two tabs start with the
   * same cookie; without the grace either would end the session.
   */
  async refresh(refreshToken: string, allowRecentReuse = false): Promise<Session> {
    const stored = await this.em.findOne(RefreshToken, { tokenHash: sha256(refreshToken) });
    if (!stored || stored.revokedAt || stored.expiresAt < new Date()) {
      throw unauthenticated("Refresh token is invalid or expired");
    }
    const claimed = await this.em.nativeUpdate(
      RefreshToken,
      { id: stored.id, usedAt: null, revokedAt: null },
      { usedAt: new Date() },
    );
    if (claimed !== 1) {
      await this.em.refresh(stored);
      const graceEnds = (stored.usedAt?.getTime() ?? 0) + this.settings.reuseGraceSeconds * 1000;
      if (allowRecentReuse && !stored.revokedAt && Date.now() < graceEnds) return this.reissue(stored);
      await this.revokeFamily(stored.familyId);
      throw unauthenticated("Refresh token was already used; the session has been ended");
    }
    return this.reissue(stored);
  }

  /** A new pair in the refresh token's session, if its user is still a member of its workspace. */
  private async reissue(stored: RefreshToken): Promise<Session> {
    const membership = await this.em.findOne(Membership, { userId: stored.userId, workspaceId: stored.workspaceId });
    if (!membership) {
      await this.revokeFamily(stored.familyId);
      throw unauthenticated("You are no longer a member of this workspace");
    }
    const user = await this.em.findOneOrFail(User, { id: stored.userId });
    const workspace = await this.em.findOneOrFail(Workspace, { id: stored.workspaceId });
    return this.issue(user, workspace, membership.role, stored.familyId);
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are ignored: logging out twice is fine. */
  async logOut(refreshToken: string): Promise<boolean> {
    const stored = await this.em.findOne(RefreshToken, { tokenHash: sha256(refreshToken) });
    if (stored) await this.revokeFamily(stored.familyId);
    return true;
  }

  /** A new session for the same user acting in another of their workspaces. */
  async switchWorkspace(userId: string, workspaceId: string): Promise<Session> {
    const membership = await this.chooseMembership(userId, checkId(workspaceId, "workspaceId"));
    const user = await this.em.findOneOrFail(User, { id: userId });
    const workspace = await this.em.findOneOrFail(Workspace, { id: membership.workspaceId });
    return this.issue(user, workspace, membership.role, randomUUID());
  }

  private async chooseMembership(userId: string, workspaceId?: string): Promise<Membership> {
    const membership = workspaceId
      ? await this.em.findOne(Membership, { userId, workspaceId })
      : await this.em.findOne(Membership, { userId }, { orderBy: { createdAt: "asc" } });
    if (!membership) {
      throw forbidden(workspaceId ? "You are not a member of that workspace" : "You are not a member of any workspace");
    }
    return membership;
  }

  /** Ends a sign-in session: its refresh tokens here, its access tokens at the gateway. */
  private async revokeFamily(familyId: string): Promise<void> {
    await this.em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
    await this.revocations.endSession(familyId);
  }

  private async issue(user: User, workspace: Workspace, role: Role, familyId: string): Promise<Session> {
    const { signingKey, accessTtlSeconds, refreshTtlSeconds } = this.settings;
    const refreshToken = randomBytes(32).toString("base64url");
    const token = Object.assign(new RefreshToken(), {
      familyId,
      userId: user.id,
      workspaceId: workspace.id,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + refreshTtlSeconds * 1000),
    });
    await this.em.persist(token).flush();
    const accessToken = await signAccessToken(
      signingKey,
      { userId: user.id, workspaceId: workspace.id, role, sessionId: familyId },
      accessTtlSeconds,
    );
    return {
      accessToken,
      refreshToken,
      expiresAt: new Date(Date.now() + accessTtlSeconds * 1000),
      user,
      workspace,
      role,
    };
  }
}
