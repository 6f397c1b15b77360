import { GatewayError, notFound, type AuthenticatedPrincipal, type GatewayClient, type Logger } from "@mary/kit";

export interface CrmContact {
  id: string;
  name: string;
  companyName: string | null;
}

/** crm's contacts as the caller sees them, asked through the gateway (never crm's database). */
export interface ContactDirectory {
  /** The caller's workspace's contact, or NOT_FOUND (another workspace's id is not found either). */
  contact(caller: AuthenticatedPrincipal, id: string): Promise<CrmContact>;
  /** The company names of these contacts, in as few requests as the gateway's limits allow; never throws (unknown ones are absent). */
  companyNames(caller: AuthenticatedPrincipal, ids: readonly string[]): Promise<Map<string, string | null>>;
}

/** The gateway takes at most 20 root fields in one operation (MAX_ROOT_FIELDS): aliases per request. */
const PER_REQUEST = 20;

const CONTACT = `query SocialContact($id: ID!) { contact(id: $id) { id name company { name } } }`;

type ContactAnswer = { id: string; name: string; company: { name: string } | null } | null;

/**
 * Asks crm through the gateway as the caller, the way agents' tools and inbox's triage do, so
 * crm's own scopes and tenant checks decide: an id of another workspace is NOT_FOUND there, and
 * so here. Company names for suggestions' reasons come as one request per 20 contacts (aliases of
 * `contact(id:)`); if crm is unreachable or one contact has gone, the reasons say "a CRM contact".
 */
export class CrmContacts implements ContactDirectory {
  constructor(
    private readonly gateway: GatewayClient,
    private readonly log: Logger,
  ) {}

  async contact(caller: AuthenticatedPrincipal, id: string): Promise<CrmContact> {
    let data: { contact: ContactAnswer };
    try {
      data = await this.gateway.request<{ contact: ContactAnswer }>(caller, CONTACT, { id });
    } catch (error) {
      if (error instanceof GatewayError && error.code === "NOT_FOUND") throw notFound("Contact");
      throw error;
    }
    if (!data.contact) throw notFound("Contact");
    return { id: data.contact.id, name: data.contact.name, companyName: data.contact.company?.name ?? null };
  }

  async companyNames(caller: AuthenticatedPrincipal, ids: readonly string[]): Promise<Map<string, string | null>> {
    const names = new Map<string, string | null>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += PER_REQUEST) {
      const batch = unique.slice(start, start + PER_REQUEST);
      const variables = Object.fromEntries(batch.map((id, index) => [`id${index}`, id]));
      const query = `query SocialContactCompanies(${batch.map((_, index) => `$id${index}: ID!`).join(", ")}) {
        ${batch.map((_, index) => `c${index}: contact(id: $id${index}) { id company { name } }`).join("\n")}
      }`;
      try {
        const data = await this.gateway.request<
          Record<string, { id: string; company: { name: string } | null } | null>
        >(caller, query, variables);
        for (const answer of Object.values(data)) if (answer) names.set(answer.id, answer.company?.name ?? null);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        this.log.warn({ err: error }, "social could not ask crm for contacts' companies");
      }
    }
    return names;
  }
}
