import { UniqueConstraintViolationException, type EntityManager, type FilterQuery } from "@mikro-orm/postgresql";
import {
  badUserInput,
  findPage,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
  optionalText,
  requiredText,
} from "@mary/kit";
import { Company } from "../entities/company.entity.ts";
import { Contact } from "../entities/contact.entity.ts";
import { findInWorkspace } from "./tenant.ts";
import { containsPattern, normalizeDomain, searchTerm } from "./validation.ts";

/** A company's writable fields. On update, an absent (undefined) field stays as it is and null clears it. */
export interface CompanyFields {
  name?: string | null;
  domain?: string | null;
  industry?: string | null;
  size?: number | null;
}

/** Companies of the caller's workspace. Every method filters by the caller's workspace. */
export class CompanyService {
  constructor(private readonly em: EntityManager) {}

  get(caller: AuthenticatedPrincipal, id: string): Promise<Company> {
    return findInWorkspace(this.em, Company, caller.workspaceId, id, "Company");
  }

  /** Newest first; `search` matches anywhere in the name or the domain. */
  list(caller: AuthenticatedPrincipal, page: PageRequest, search?: string | null): Promise<Connection<Company>> {
    const term = searchTerm(search);
    const pattern = term && containsPattern(term);
    const where: FilterQuery<Company> = pattern
      ? { workspaceId: caller.workspaceId, $or: [{ name: { $ilike: pattern } }, { domain: { $ilike: pattern } }] }
      : { workspaceId: caller.workspaceId };
    return findPage(this.em, Company, where, page, { field: "createdAt", direction: "desc" });
  }

  /** The company's contacts, newest first. */
  contacts(caller: AuthenticatedPrincipal, company: Company, page: PageRequest): Promise<Connection<Contact>> {
    return findPage(this.em, Contact, { workspaceId: caller.workspaceId, companyId: company.id }, page, {
      field: "createdAt",
      direction: "desc",
    });
  }

  async create(caller: AuthenticatedPrincipal, input: CompanyFields): Promise<Company> {
    const company = Object.assign(new Company(), { workspaceId: caller.workspaceId }, this.changes(input, true));
    this.em.persist(company);
    await this.flush();
    return company;
  }

  /** Changes only the fields given; renaming also updates its contacts' search text (a trigger does). */
  async update(caller: AuthenticatedPrincipal, id: string, input: CompanyFields): Promise<Company> {
    const company = await this.get(caller, id);
    Object.assign(company, this.changes(input, false));
    await this.flush();
    return company;
  }

  /** Deletes the company; its contacts and deals stay, with no company (the foreign keys unlink them). */
  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const company = await this.get(caller, id);
    await this.em.nativeDelete(Company, { id: company.id, workspaceId: caller.workspaceId });
    return company.id;
  }

  /** A domain is unique in the workspace; the database's partial unique index is the judge, even under races. */
  private async flush(): Promise<void> {
    try {
      await this.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        this.em.clear();
        throw badUserInput("Another company in this workspace has that domain", "domain");
      }
      throw error;
    }
  }

  private changes(input: CompanyFields, creating: boolean): Partial<Company> {
    const changes: Partial<Company> = {};
    if (creating || input.name !== undefined) changes.name = requiredText(input.name, "name", 200);
    if (input.domain !== undefined) changes.domain = normalizeDomain(input.domain);
    if (input.industry !== undefined) changes.industry = optionalText(input.industry, "industry", 100);
    if (input.size !== undefined) {
      if (input.size !== null && (!Number.isInteger(input.size) || input.size < 1)) {
        throw badUserInput("size is a headcount of 1 or more", "size");
      }
      changes.size = input.size;
    }
    return changes;
  }
}
