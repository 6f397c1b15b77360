import "reflect-metadata";
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireScope } from "@mary/kit";
import type { CrmContext } from "../context.ts";
import { Activity } from "../entities/activity.entity.ts";
import { Contact } from "../entities/contact.entity.ts";
import { Deal } from "../entities/deal.entity.ts";
import { User } from "../types/user.type.ts";
import { LogActivityInput, UpdateActivityInput } from "./activity.input.ts";

@Resolver(() => Activity)
export class ActivityResolver {
  @Query(() => Activity, {
    nullable: true,
    description: "An activity of the workspace; NOT_FOUND when there is none with that id.",
  })
  activity(@Arg("id", () => ID, { description: "The activity's id." }) id: string, @Ctx() ctx: CrmContext) {
    return ctx.activities.get(requireScope(ctx.principal, "crm:read"), id);
  }

  @Mutation(() => Activity, { description: "Logs an activity, by the caller, on a contact, a deal or both." })
  logActivity(
    @Arg("input", () => LogActivityInput, { description: "The activity to log." }) input: LogActivityInput,
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.activities.log(requireScope(ctx.principal, "crm:write"), input);
  }

  @Mutation(() => Activity, { description: "Changes the fields given of an activity; the others stay." })
  updateActivity(
    @Arg("id", () => ID, { description: "The activity's id." }) id: string,
    @Arg("input", () => UpdateActivityInput, { description: "The fields to change." }) input: UpdateActivityInput,
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.activities.update(requireScope(ctx.principal, "crm:write"), id, input);
  }

  @Mutation(() => ID, { description: "Deletes an activity. Returns its id." })
  deleteActivity(@Arg("id", () => ID, { description: "The activity's id." }) id: string, @Ctx() ctx: CrmContext) {
    return ctx.activities.delete(requireScope(ctx.principal, "crm:write"), id);
  }

  @FieldResolver(() => User, { description: "Who logged the activity." })
  author(@Root() activity: Activity): User {
    return { id: activity.authorId };
  }

  @FieldResolver(() => Contact, { nullable: true, description: "The contact the activity concerns." })
  contact(@Root() activity: Activity, @Ctx() ctx: CrmContext): Promise<Contact | null> | null {
    return activity.contactId ? ctx.loaders.contact.load(activity.contactId) : null;
  }

  @FieldResolver(() => Deal, { nullable: true, description: "The deal the activity concerns." })
  deal(@Root() activity: Activity, @Ctx() ctx: CrmContext): Promise<Deal | null> | null {
    return activity.dealId ? ctx.loaders.deal.load(activity.dealId) : null;
  }
}
