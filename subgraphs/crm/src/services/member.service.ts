import {
  badUserInput,
  ErrorCode,
  GatewayError,
  MAX_PAGE_SIZE,
  rateLimited,
  serviceUnavailable,
  type AuthenticatedPrincipal,
  type GatewayClient,
  type Logger,
} from "@mary/kit";

/** Asks users, through the gateway, which of these users belong to the caller's active workspace. */
const MEMBERS_AMONG = `query CrmOwnerCheck($userIds: [ID!]!, $first: Int!) {
  workspace { members(userIds: $userIds, first: $first) { edges { node { user { id } } } } }
}`;

interface MembersAmong {
  workspace: { members: { edges: { node: { user: { id: string } } }[] } };
}

/**
 * Whom the check acts as: the caller's own user, in the caller's workspace (so the answer can only
 * ever be about that workspace), with `users:read` and nothing else. It is crm's check rather than
 * the caller's request, so an API key needs no `users:read` of its own, and it is not counted as
 * one of the key's API calls; the gateway still rate-limits it as the caller's.
 */
function checkingPrincipal(caller: AuthenticatedPrincipal): AuthenticatedPrincipal {
  const { userId, workspaceId, role, plan } = caller;
  return { kind: "user", userId, workspaceId, role, scopes: ["users:read"], plan };
}

/** Who belongs to the caller's workspace, as the users subgraph answers through the public graph. */
export class MemberService {
  constructor(
    private readonly gateway: GatewayClient,
    private readonly log: Logger,
  ) {}

  /**
   * Throws BAD_USER_INPUT on `field` unless every id given (up to 100 distinct ones; nulls are
   * skipped) names a member of the caller's workspace, asking once for all of them. The caller is
   * a member, so an id of their own needs no call. When users cannot answer, nothing passes.
   */
  async requireMembers(
    caller: AuthenticatedPrincipal,
    ids: readonly (string | null | undefined)[],
    field = "ownerId",
  ): Promise<void> {
    const self = caller.userId.toLowerCase();
    const wanted = [...new Set(ids.filter((id): id is string => id != null).map((id) => id.toLowerCase()))].filter(
      (id) => id !== self,
    );
    if (!wanted.length) return;
    if (wanted.length > MAX_PAGE_SIZE) throw badUserInput(`At most ${MAX_PAGE_SIZE} different owners at once`, field);
    let data: MembersAmong;
    try {
      data = await this.gateway.request<MembersAmong>(checkingPrincipal(caller), MEMBERS_AMONG, {
        userIds: wanted,
        first: MAX_PAGE_SIZE,
      });
    } catch (error) {
      throw this.unanswered(error);
    }
    const members = new Set(data.workspace.members.edges.map((edge) => edge.node.user.id.toLowerCase()));
    if (!wanted.every((id) => members.has(id))) {
      throw badUserInput(`${field} must be a member of this workspace`, field);
    }
  }

  /** The check could not be made: the caller is told to retry, never let through. */
  private unanswered(error: unknown) {
    if (error instanceof GatewayError && error.code === ErrorCode.RATE_LIMITED) {
      const retryAfter = Number(error.extensions.retryAfterSeconds) || 1;
      return rateLimited(`Too many requests to check the owner; retry in ${retryAfter} s`, retryAfter);
    }
    this.log.error({ err: error }, "the workspace's members could not be checked through the gateway");
    return serviceUnavailable("The workspace's members cannot be checked right now; try again");
  }
}
