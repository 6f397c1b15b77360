import { LockMode, type EntityManager, type FilterQuery } from "@mikro-orm/postgresql";
import {
  badUserInput,
  checkId,
  findPage,
  parseMoney,
  toConnection,
  type AuthenticatedPrincipal,
  type Connection,
  type Money,
  type MoneyInput,
  type PageRequest,
  requiredText,
} from "@mary/kit";
import { Activity } from "../entities/activity.entity.ts";
import { Company } from "../entities/company.entity.ts";
import { Contact } from "../entities/contact.entity.ts";
import { DealStageChange } from "../entities/deal-stage-change.entity.ts";
import { Deal, DEAL_STAGES, type DealStage } from "../entities/deal.entity.ts";
import type { MemberService } from "./member.service.ts";
import { findInWorkspace, requireInWorkspace } from "./tenant.ts";

/** A deal's writable fields (not its stage: moveDeal changes that). Absent stays, null clears. */
export interface DealFields {
  title?: string | null;
  amount?: MoneyInput | null;
  contactId?: string | null;
  companyId?: string | null;
  ownerId?: string | null;
  expectedCloseDate?: string | null;
}

export interface DealFilter {
  stage?: DealStage | null;
  ownerId?: string | null;
  contactId?: string | null;
  companyId?: string | null;
}

/** One stage of the pipeline: how many deals, and their total in each currency. */
export interface PipelineStageTotals {
  stage: DealStage;
  count: number;
  totals: Money[];
}

const NEWEST_FIRST = { field: "createdAt", direction: "desc" } as const;
const dealKey = (deal: Deal): [string, string] => [deal.createdAt.toISOString(), deal.id];

/** Deals of the caller's workspace, their stage history and the pipeline. Every method filters by workspace. */
export class DealService {
  constructor(
    private readonly em: EntityManager,
    private readonly members: MemberService,
  ) {}

  get(caller: AuthenticatedPrincipal, id: string): Promise<Deal> {
    return findInWorkspace(this.em, Deal, caller.workspaceId, id, "Deal");
  }

  /** Newest first, filtered by stage, owner, contact or company. */
  list(caller: AuthenticatedPrincipal, page: PageRequest, filter: DealFilter = {}): Promise<Connection<Deal>> {
    const where: FilterQuery<Deal> = { workspaceId: caller.workspaceId };
    if (filter.stage != null) where.stage = filter.stage;
    if (filter.ownerId != null) where.ownerId = checkId(filter.ownerId, "ownerId");
    if (filter.contactId != null) where.contactId = checkId(filter.contactId, "contactId");
    if (filter.companyId != null) where.companyId = checkId(filter.companyId, "companyId");
    return findPage(this.em, Deal, where, page, NEWEST_FIRST);
  }

  /** Creates the deal and the first entry of its history, together. */
  async create(caller: AuthenticatedPrincipal, input: DealFields, stage: DealStage = "LEAD"): Promise<Deal> {
    const deal = Object.assign(new Deal(), { workspaceId: caller.workspaceId, ownerId: caller.userId, stage });
    Object.assign(deal, this.changes(input, true));
    await this.requireLinks(caller, deal);
    const entry = this.historyEntry(caller, deal, null, 0);
    await this.em.persist([deal, entry]).flush();
    return deal;
  }

  async update(caller: AuthenticatedPrincipal, id: string, input: DealFields): Promise<Deal> {
    const deal = await this.get(caller, id);
    const changes = this.changes(input, false);
    await this.requireLinks(caller, changes);
    Object.assign(deal, changes);
    await this.em.flush();
    return deal;
  }

  /** Moves the deal and records the move, in one transaction; moving to the stage it is in changes nothing. */
  async move(caller: AuthenticatedPrincipal, id: string, stage: DealStage): Promise<Deal> {
    const found = await this.get(caller, id);
    if (found.stage === stage) return found;
    return this.em.transactional(async (em) => {
      // The row lock orders concurrent moves, so each entry's `from` is the stage it really left.
      const deal = await em.findOneOrFail(
        Deal,
        { id: found.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (deal.stage === stage) return deal;
      const position = await em.count(DealStageChange, { dealId: deal.id });
      em.persist(this.historyEntry(caller, deal, deal.stage, position, stage));
      deal.stage = stage;
      return deal;
    });
  }

  /** Deletes the deal with its history and the activities only it had; activities also on a contact stay there. */
  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const deal = await this.get(caller, id);
    await this.em.transactional(async (em) => {
      await em.nativeDelete(Activity, { workspaceId: caller.workspaceId, dealId: deal.id, contactId: null });
      await em.nativeDelete(Deal, { id: deal.id, workspaceId: caller.workspaceId });
    });
    return deal.id;
  }

  /** The histories of many deals (ones the caller already reached in its workspace), oldest entry first, in one query. */
  async histories(dealIds: readonly string[]): Promise<Map<string, DealStageChange[]>> {
    const entries = await this.em.find(
      DealStageChange,
      { dealId: { $in: [...dealIds] } },
      { orderBy: { dealId: "asc", position: "asc" } },
    );
    return Map.groupBy(entries, (entry) => entry.dealId);
  }

  /**
   * One page of deals for each owner, newest first, in ONE statement however many owners: a lateral
   * join runs the keyset query per owner, each using the (workspace_id, owner_id, created_at, id) index.
   */
  pagesByOwner(
    workspaceId: string,
    ownerIds: readonly string[],
    page: PageRequest,
    stage?: DealStage | null,
  ): Promise<Map<string, Connection<Deal>>> {
    return this.pagesBy("owner_id", workspaceId, ownerIds, page, stage);
  }

  /** One page of deals for each contact, newest first, in one statement (as pagesByOwner, on the contact_id index). */
  pagesByContact(
    workspaceId: string,
    contactIds: readonly string[],
    page: PageRequest,
  ): Promise<Map<string, Connection<Deal>>> {
    return this.pagesBy("contact_id", workspaceId, contactIds, page);
  }

  private async pagesBy(
    column: "owner_id" | "contact_id",
    workspaceId: string,
    ids: readonly string[],
    page: PageRequest,
    stage?: DealStage | null,
  ): Promise<Map<string, Connection<Deal>>> {
    const params: unknown[] = [[...ids], workspaceId];
    let conditions = "";
    if (stage) {
      conditions += " and d.stage = ?";
      params.push(stage);
    }
    if (page.after) {
      conditions += " and (d.created_at, d.id) < (?::timestamptz, ?::uuid)";
      params.push(page.after[0], page.after[1]);
    }
    params.push(page.first + 1);
    const rows = await this.em.execute<Record<string, unknown>[]>(
      `select d.* from unnest(array[?]::uuid[]) as k(id)
       cross join lateral (
         select * from deals d where d.workspace_id = ? and d.${column} = k.id${conditions}
         order by d.created_at desc, d.id desc limit ?
       ) d`,
      params,
    );
    const byKey = Map.groupBy(
      rows.map((row) => this.em.map(Deal, row)),
      (deal) => (column === "owner_id" ? deal.ownerId! : deal.contactId!),
    );
    return new Map(ids.map((id) => [id, toConnection(byKey.get(id.toLowerCase()) ?? [], page, dealKey)]));
  }

  /** Every stage in pipeline order with its deal count and one total per currency (never summed across currencies). */
  async pipeline(workspaceId: string): Promise<PipelineStageTotals[]> {
    const rows = await this.em.execute<{ stage: DealStage; currency: string; count: number; total: string }[]>(
      `select stage, currency, count(*)::int as count, sum(amount)::text as total
       from deals where workspace_id = ? group by stage, currency order by currency`,
      [workspaceId],
    );
    return DEAL_STAGES.map((stage) => {
      const ofStage = rows.filter((row) => row.stage === stage);
      return {
        stage,
        count: ofStage.reduce((sum, row) => sum + row.count, 0),
        totals: ofStage.map((row) => ({ amount: Number(row.total), currency: row.currency })),
      };
    });
  }

  private historyEntry(
    caller: AuthenticatedPrincipal,
    deal: Deal,
    fromStage: DealStage | null,
    position: number,
    toStage: DealStage = deal.stage,
  ): DealStageChange {
    return Object.assign(new DealStageChange(), {
      workspaceId: deal.workspaceId,
      dealId: deal.id,
      position,
      fromStage,
      toStage,
      changedById: caller.userId,
    });
  }

  /** The contact and company a deal points at must be the caller's, and its owner a member of the workspace. */
  private async requireLinks(caller: AuthenticatedPrincipal, links: Partial<Deal>): Promise<void> {
    await requireInWorkspace(this.em, Contact, caller.workspaceId, [links.contactId], "Contact");
    await requireInWorkspace(this.em, Company, caller.workspaceId, [links.companyId], "Company");
    await this.members.requireMembers(caller, [links.ownerId]);
  }

  private changes(input: DealFields, creating: boolean): Partial<Deal> {
    const changes: Partial<Deal> = {};
    if (creating || input.title !== undefined) changes.title = requiredText(input.title, "title", 200);
    if (creating || input.amount !== undefined) {
      if (!input.amount) throw badUserInput("A deal needs an amount", "amount");
      const money = parseMoney(input.amount, "amount");
      Object.assign(changes, { amount: money.amount, currency: money.currency });
    }
    if (input.contactId !== undefined) changes.contactId = input.contactId?.toLowerCase() ?? null;
    if (input.companyId !== undefined) changes.companyId = input.companyId?.toLowerCase() ?? null;
    if (input.ownerId != null) changes.ownerId = checkId(input.ownerId, "ownerId");
    else if (input.ownerId === null && !creating) changes.ownerId = null;
    if (input.expectedCloseDate !== undefined) changes.expectedCloseDate = input.expectedCloseDate;
    return changes;
  }
}
