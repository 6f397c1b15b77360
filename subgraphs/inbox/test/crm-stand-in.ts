import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { PRINCIPAL_HEADER, verifyPrincipal, type Principal } from "@mary/kit";
import { TEST_SIGNING_SECRET } from "@mary/kit/testing";

/** One question triage sent: whom it was signed as, what it asked and for which addresses. */
export interface ContactLookup {
  principal: Principal;
  query: string;
  emails: string[];
}

interface StandInContact {
  name: string;
  emails: string[];
  deals: { title: string; stage: string }[];
}

/**
 * Stands in for the gateway in inbox's subgraph tests (which run inbox alone), at the HTTP
 * boundary: it verifies the signed principal as the gateway does and answers crm's
 * `contactsByEmail` in the principal's workspace from the contacts tests add. The real path
 * (gateway and crm) is covered by the gateway's end-to-end tests.
 */
export class CrmStandIn {
  readonly lookups: ContactLookup[] = [];
  /** When set, every request gets this answer instead (a gateway that refuses or fails). */
  failWith: { status: number; body: unknown } | null = null;
  private readonly contacts = new Map<string, StandInContact[]>();
  private server: Server | null = null;
  url = "";

  add(workspaceId: string, contact: StandInContact): void {
    this.contacts.set(workspaceId, [...(this.contacts.get(workspaceId) ?? []), contact]);
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
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        query: string;
        variables: { emails: string[] };
      };
      this.lookups.push({ principal, query, emails: variables.emails });
      if (this.failWith) return answer(this.failWith.status, this.failWith.body);
      if (!principal.scopes.includes("crm:read")) {
        return answer(200, { errors: [{ message: "needs crm:read", extensions: { code: "FORBIDDEN" } }] });
      }
      const wanted = new Set(variables.emails);
      const contactsByEmail = (this.contacts.get(principal.workspaceId) ?? [])
        .filter((contact) => contact.emails.some((email) => wanted.has(email)))
        .map((contact, index) => ({
          id: `contact-${index}`,
          name: contact.name,
          emails: contact.emails,
          deals: { edges: contact.deals.map((node) => ({ node })) },
        }));
      return answer(200, { data: { contactsByEmail } });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/graphql`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
