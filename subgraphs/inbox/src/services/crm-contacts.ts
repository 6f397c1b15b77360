import {
  DEFAULT_PLAN,
  GatewayError,
  isEmailAddress,
  type AuthenticatedPrincipal,
  type GatewayClient,
  type Logger,
} from "@mary/kit";
import type { MailAccount } from "../entities/mail-account.entity.ts";

/** A CRM contact with a deal that is neither won nor lost. */
export interface ContactWithOpenDeal {
  name: string;
  dealTitle: string;
}

/** Which senders are CRM contacts with an open deal, as seen by the mailbox's owner. */
export interface ContactDirectory {
  /** By lower-cased address; addresses with no such contact are absent. Never throws: an unanswered question finds none. */
  withOpenDeals(account: MailAccount, emails: readonly string[]): Promise<Map<string, ContactWithOpenDeal>>;
}

/** The most addresses crm's contactsByEmail takes at once. */
const LOOKUP_BATCH = 100;
const CLOSED_STAGES = new Set(["WON", "LOST"]);

const CONTACTS_BY_EMAIL = `query InboxTriageContacts($emails: [String!]!) {
  contactsByEmail(emails: $emails) { id name emails deals(first: 20) { edges { node { title stage } } } }
}`;

interface ContactsByEmail {
  contactsByEmail: {
    id: string;
    name: string;
    emails: string[];
    deals: { edges: { node: { title: string; stage: string } }[] };
  }[];
}

/**
 * The mailbox owner acting in their workspace with nothing but `crm:read`: what triage may learn
 * of the CRM, and no more than its owner could.
 */
export const triagePrincipal = (account: MailAccount): AuthenticatedPrincipal => ({
  kind: "user",
  userId: account.userId,
  workspaceId: account.workspaceId,
  role: "MEMBER",
  scopes: ["crm:read"],
  plan: DEFAULT_PLAN,
});

/**
 * Asks crm through the gateway (as the mailbox's owner, like agents' tools act as the run's
 * principal), never crm's database: one request for a batch of up to 100 addresses.
 */
export class CrmContacts implements ContactDirectory {
  constructor(
    private readonly gateway: GatewayClient,
    private readonly log: Logger,
  ) {}

  async withOpenDeals(account: MailAccount, emails: readonly string[]): Promise<Map<string, ContactWithOpenDeal>> {
    const wanted = [...new Set(emails.map((email) => email.toLowerCase()))].filter(isEmailAddress);
    const found = new Map<string, ContactWithOpenDeal>();
    for (let start = 0; start < wanted.length; start += LOOKUP_BATCH) {
      const batch = wanted.slice(start, start + LOOKUP_BATCH);
      let data: ContactsByEmail;
      try {
        data = await this.gateway.request<ContactsByEmail>(triagePrincipal(account), CONTACTS_BY_EMAIL, {
          emails: batch,
        });
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        this.log.warn({ err: error, accountId: account.id }, "triage could not ask crm about senders");
        continue;
      }
      const asked = new Set(batch);
      for (const contact of data.contactsByEmail) {
        const open = contact.deals.edges.find((edge) => !CLOSED_STAGES.has(edge.node.stage));
        if (!open) continue;
        for (const email of contact.emails) {
          if (asked.has(email) && !found.has(email)) {
            found.set(email, { name: contact.name, dealTitle: open.node.title });
          }
        }
      }
    }
    return found;
  }
}
