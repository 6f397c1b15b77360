import type { EntityManager, FilterQuery } from "@mikro-orm/postgresql";
import {
  badUserInput,
  checkId,
  findPage,
  isEmailAddress,
  requireWithinPlan,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
  optionalText,
  requiredText,
} from "@mary/kit";
import { Activity } from "../entities/activity.entity.ts";
import { Company } from "../entities/company.entity.ts";
import { Contact } from "../entities/contact.entity.ts";
import type { MemberService } from "./member.service.ts";
import { findInWorkspace, requireInWorkspace } from "./tenant.ts";
import {
  checkCustomFields,
  containsPattern,
  normalizeEmails,
  normalizePhones,
  normalizeTags,
  searchTerm,
} from "./validation.ts";

/** A contact's writable fields. On update, an absent (undefined) field stays as it is and null clears it. */
export interface ContactFields {
  name?: string | null;
  emails?: string[] | null;
  phones?: string[] | null;
  title?: string | null;
  companyId?: string | null;
  ownerId?: string | null;
  tags?: string[] | null;
  customFields?: Record<string, unknown> | null;
}

export interface ContactFilter {
  ownerId?: string | null;
  tag?: string | null;
  companyId?: string | null;
}

/** Most contacts one createContacts call may add. */
export const MAX_BULK_CONTACTS = 100;

/** Most addresses one contactsByEmail call may look up. */
export const MAX_EMAIL_LOOKUPS = 100;

/** Contacts of the caller's workspace. Every method filters by the caller's workspace; owners are its members. */
export class ContactService {
  constructor(
    private readonly em: EntityManager,
    private readonly members: MemberService,
  ) {}

  get(caller: AuthenticatedPrincipal, id: string): Promise<Contact> {
    return findInWorkspace(this.em, Contact, caller.workspaceId, id, "Contact");
  }

  /** Newest first, optionally searched (name, email, company name) and filtered. */
  list(
    caller: AuthenticatedPrincipal,
    page: PageRequest,
    search?: string | null,
    filter: ContactFilter = {},
  ): Promise<Connection<Contact>> {
    const where: FilterQuery<Contact> = { workspaceId: caller.workspaceId };
    const term = searchTerm(search);
    if (term) where.searchText = { $ilike: containsPattern(term) };
    if (filter.ownerId != null) where.ownerId = checkId(filter.ownerId, "ownerId");
    if (filter.companyId != null) where.companyId = checkId(filter.companyId, "companyId");
    if (filter.tag != null) where.tags = { $contains: [filter.tag.trim().toLowerCase()] };
    return findPage(this.em, Contact, where, page, { field: "createdAt", direction: "desc" });
  }

  /**
   * The workspace's contacts having any of these addresses (compared lower-cased), oldest first,
   * in one query; each contact once. Anything that is not an address is refused, up to 100 of them.
   */
  byEmails(caller: AuthenticatedPrincipal, emails: readonly string[]): Promise<Contact[]> {
    if (emails.length > MAX_EMAIL_LOOKUPS) {
      throw badUserInput(`Look up at most ${MAX_EMAIL_LOOKUPS} addresses per call`, "emails");
    }
    const wanted = [...new Set(emails.map((email) => email.trim().toLowerCase()))];
    const invalid = wanted.find((email) => !isEmailAddress(email));
    if (invalid !== undefined) throw badUserInput(`"${invalid}" is not a valid email`, "emails");
    return this.withEmails(caller.workspaceId, wanted);
  }

  /** The contacts of a workspace having any of these (normalised) addresses, oldest first, in one query. */
  async withEmails(workspaceId: string | null, emails: readonly string[]): Promise<Contact[]> {
    if (!workspaceId || !emails.length) return [];
    return this.em.find(
      Contact,
      { workspaceId, emails: { $overlap: [...emails] } },
      { orderBy: { createdAt: "asc", id: "asc" } },
    );
  }

  /** How many contacts the workspace has (what its plan limits). */
  count(workspaceId: string): Promise<number> {
    return this.em.count(Contact, { workspaceId });
  }

  async create(caller: AuthenticatedPrincipal, input: ContactFields): Promise<Contact> {
    const [contact] = await this.createMany(caller, [input]);
    return contact!;
  }

  /**
   * Adds contacts all or nothing: every input is checked first, then, under a lock on the
   * workspace's contact count, the plan's limit is checked and all rows are written in one transaction.
   */
  async createMany(caller: AuthenticatedPrincipal, inputs: ContactFields[]): Promise<Contact[]> {
    if (inputs.length < 1 || inputs.length > MAX_BULK_CONTACTS) {
      throw badUserInput(`Add 1 to ${MAX_BULK_CONTACTS} contacts per call`, "inputs");
    }
    const { workspaceId } = caller;
    const contacts = inputs.map((input) =>
      Object.assign(new Contact(), { workspaceId, ownerId: caller.userId }, this.changes(input, true)),
    );
    // One question for all the owners, before anything is written (and outside the lock below).
    await this.members.requireMembers(
      caller,
      contacts.map((contact) => contact.ownerId),
    );
    return this.em.transactional(async (em) => {
      await requireInWorkspace(
        em,
        Company,
        workspaceId,
        contacts.map((contact) => contact.companyId),
        "Company",
      );
      // Serialises concurrent creations in one workspace, so two cannot both pass the limit.
      await em.execute("select pg_advisory_xact_lock(hashtext(?))", [`crm:contacts:${workspaceId}`]);
      requireWithinPlan(caller, "contacts", await em.count(Contact, { workspaceId }), contacts.length);
      em.persist(contacts);
      return contacts;
    });
  }

  /** Changes only the fields given. */
  async update(caller: AuthenticatedPrincipal, id: string, input: ContactFields): Promise<Contact> {
    const contact = await this.get(caller, id);
    const changes = this.changes(input, false);
    await requireInWorkspace(this.em, Company, caller.workspaceId, [changes.companyId], "Company");
    await this.members.requireMembers(caller, [changes.ownerId]);
    Object.assign(contact, changes);
    await this.em.flush();
    return contact;
  }

  /** Deletes the contact and the activities only it had; activities also on a deal stay there. */
  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const contact = await this.get(caller, id);
    await this.em.transactional(async (em) => {
      await em.nativeDelete(Activity, { workspaceId: caller.workspaceId, contactId: contact.id, dealId: null });
      // The foreign keys unlink its deals and its remaining activities.
      await em.nativeDelete(Contact, { id: contact.id, workspaceId: caller.workspaceId });
    });
    return contact.id;
  }

  /** Checks and normalises the given fields; on create, absent ones take their defaults. */
  private changes(input: ContactFields, creating: boolean): Partial<Contact> {
    const changes: Partial<Contact> = {};
    if (creating || input.name !== undefined) changes.name = requiredText(input.name, "name", 200);
    if (input.emails !== undefined) changes.emails = normalizeEmails(input.emails ?? []);
    if (input.phones !== undefined) changes.phones = normalizePhones(input.phones ?? []);
    if (input.title !== undefined) changes.title = optionalText(input.title, "title", 200);
    if (input.companyId !== undefined) changes.companyId = input.companyId?.toLowerCase() ?? null;
    // A new contact belongs to its creator unless told otherwise; on update, null leaves it unowned.
    if (input.ownerId != null) changes.ownerId = checkId(input.ownerId, "ownerId");
    else if (input.ownerId === null && !creating) changes.ownerId = null;
    if (input.tags !== undefined) changes.tags = normalizeTags(input.tags ?? []);
    if (input.customFields !== undefined) changes.customFields = checkCustomFields(input.customFields ?? {});
    return changes;
  }
}
