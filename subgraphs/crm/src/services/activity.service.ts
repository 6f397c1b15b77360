import type { EntityManager } from "@mikro-orm/postgresql";
import {
  badUserInput,
  findPage,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
  requiredText,
} from "@mary/kit";
import { Activity, type ActivityType } from "../entities/activity.entity.ts";
import { Contact } from "../entities/contact.entity.ts";
import { Deal } from "../entities/deal.entity.ts";
import { findInWorkspace, requireInWorkspace } from "./tenant.ts";

/** An activity's writable fields. Absent stays as it is; null clears the body. */
export interface ActivityFields {
  type?: ActivityType | null;
  subject?: string | null;
  body?: string | null;
  occurredAt?: Date | null;
}

/** Where a new activity is logged: a contact, a deal or both. */
export interface ActivityLinks {
  contactId?: string | null;
  dealId?: string | null;
}

const NEWEST_FIRST = { field: "occurredAt", direction: "desc" } as const;

/** Activities of the caller's workspace and the timelines they make. Every method filters by workspace. */
export class ActivityService {
  constructor(private readonly em: EntityManager) {}

  get(caller: AuthenticatedPrincipal, id: string): Promise<Activity> {
    return findInWorkspace(this.em, Activity, caller.workspaceId, id, "Activity");
  }

  /** A contact's activities, newest first by when they happened. */
  ofContact(caller: AuthenticatedPrincipal, contactId: string, page: PageRequest): Promise<Connection<Activity>> {
    return findPage(this.em, Activity, { workspaceId: caller.workspaceId, contactId }, page, NEWEST_FIRST);
  }

  /** A deal's activities, newest first by when they happened. */
  ofDeal(caller: AuthenticatedPrincipal, dealId: string, page: PageRequest): Promise<Connection<Activity>> {
    return findPage(this.em, Activity, { workspaceId: caller.workspaceId, dealId }, page, NEWEST_FIRST);
  }

  /** Logs an activity by the caller on a contact, a deal or both, which must be the caller's. */
  async log(caller: AuthenticatedPrincipal, input: ActivityFields & ActivityLinks): Promise<Activity> {
    if (input.contactId == null && input.dealId == null) {
      throw badUserInput("An activity needs a contactId, a dealId or both", "contactId");
    }
    const activity = Object.assign(
      new Activity(),
      { workspaceId: caller.workspaceId, authorId: caller.userId },
      this.changes(input, true),
      { contactId: input.contactId?.toLowerCase() ?? null, dealId: input.dealId?.toLowerCase() ?? null },
    );
    await requireInWorkspace(this.em, Contact, caller.workspaceId, [activity.contactId], "Contact");
    await requireInWorkspace(this.em, Deal, caller.workspaceId, [activity.dealId], "Deal");
    await this.em.persist(activity).flush();
    return activity;
  }

  async update(caller: AuthenticatedPrincipal, id: string, input: ActivityFields): Promise<Activity> {
    const activity = await this.get(caller, id);
    Object.assign(activity, this.changes(input, false));
    await this.em.flush();
    return activity;
  }

  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    const activity = await this.get(caller, id);
    await this.em.nativeDelete(Activity, { id: activity.id, workspaceId: caller.workspaceId });
    return activity.id;
  }

  private changes(input: ActivityFields, creating: boolean): Partial<Activity> {
    const changes: Partial<Activity> = {};
    if (creating || input.type !== undefined) {
      if (!input.type) throw badUserInput("An activity needs a type", "type");
      changes.type = input.type;
    }
    if (creating || input.subject !== undefined) changes.subject = requiredText(input.subject, "subject", 200);
    if (input.body !== undefined) {
      // Kept as written (indentation may matter); empty means none.
      if ((input.body ?? "").length > 10_000) throw badUserInput("body must be at most 10,000 characters", "body");
      changes.body = input.body || null;
    }
    if (input.occurredAt != null) {
      if (Number.isNaN(input.occurredAt.getTime())) throw badUserInput("occurredAt is not a time", "occurredAt");
      changes.occurredAt = input.occurredAt;
    }
    return changes;
  }
}
