import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PRINCIPAL_HEADER, verifyPrincipal, type Principal } from "@mary/kit";
import { TEST_SIGNING_SECRET } from "@mary/kit/testing";

/** One owner check crm sent: whom it was signed as, and the users it asked about. */
export interface MembershipCheck {
  principal: Principal;
  userIds: string[];
}

/**
 * Stands in for the gateway in crm's subgraph tests (which run crm alone), at the HTTP boundary:
 * it verifies the signed principal as the gateway does and answers crm's owner check,
 * `workspace { members(userIds:) }` in the principal's workspace, from the members tests add.
 * The real path (gateway and users) is covered by the gateway's end-to-end tests.
 */
export class MembersServer {
  /** Every check received, in order. */
  readonly checks: MembershipCheck[] = [];
  /** When set, every request gets this answer instead (a gateway that refuses or fails). */
  failWith: { status: number; body: unknown } | null = null;
  private readonly members = new Map<string, Set<string>>();
  private server: Server | null = null;
  url = "";

  /** Makes the users members of the workspace. */
  add(workspaceId: string, ...userIds: string[]): void {
    const members = this.members.get(workspaceId) ?? new Set<string>();
    for (const id of userIds) members.add(id.toLowerCase());
    this.members.set(workspaceId, members);
  }

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const header = req.headers[PRINCIPAL_HEADER];
      const principal = verifyPrincipal(typeof header === "string" ? header : undefined, TEST_SIGNING_SECRET);
      if (principal?.kind !== "user" && principal?.kind !== "apiKey") {
        return answer(401, { errors: [{ message: "bad principal", extensions: { code: "UNAUTHENTICATED" } }] });
      }
      const { variables } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        variables: { userIds: string[] };
      };
      this.checks.push({ principal, userIds: variables.userIds });
      if (this.failWith) return answer(this.failWith.status, this.failWith.body);
      if (!principal.scopes.includes("users:read")) {
        return answer(200, { errors: [{ message: "needs users:read", extensions: { code: "FORBIDDEN" } }] });
      }
      const members = this.members.get(principal.workspaceId) ?? new Set<string>();
      const edges = variables.userIds
        .filter((id) => members.has(id.toLowerCase()))
        .map((id) => ({ node: { user: { id } } }));
      return answer(200, { data: { workspace: { members: { edges } } } });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
