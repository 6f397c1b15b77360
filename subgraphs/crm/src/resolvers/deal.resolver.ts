import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { Money, PageArgs, requireScope, type Connection, timePage } from "@mary/kit";
import type { CrmContext } from "../context.ts";
import type { Activity } from "../entities/activity.entity.ts";
import { Company } from "../entities/company.entity.ts";
import { Contact } from "../entities/contact.entity.ts";
import { DealStageChange } from "../entities/deal-stage-change.entity.ts";
import { Deal, DealStageEnum, type DealStage } from "../entities/deal.entity.ts";
import { ActivityConnection, DealConnection } from "../types/connections.type.ts";
import { PipelineStage } from "../types/pipeline.type.ts";
import { User, userRef } from "../types/user.type.ts";
import { CreateDealInput, DealFilter, UpdateDealInput } from "./deal.input.ts";

@Resolver(() => Deal)
export class DealResolver {
  @Query(() => Deal, {
    nullable: true,
    description: "A deal of the workspace; NOT_FOUND when there is none with that id.",
  })
  deal(@Arg("id", () => ID, { description: "The deal's id." }) id: string, @Ctx() ctx: CrmContext) {
    return ctx.deals.get(requireScope(ctx.principal, "crm:read"), id);
  }

  @Query(() => DealConnection, { description: "The workspace's deals, newest first." })
  deals(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => DealFilter, { nullable: true, description: "Only deals matching all of these." })
    filter: DealFilter | null,
    @Ctx() ctx: CrmContext,
  ): Promise<Connection<Deal>> {
    return ctx.deals.list(requireScope(ctx.principal, "crm:read"), timePage(page), filter ?? {});
  }

  @Query(() => [PipelineStage], {
    description: "Every stage of the pipeline, in order, with its deal count and totals per currency.",
  })
  pipeline(@Ctx() ctx: CrmContext): Promise<PipelineStage[]> {
    return ctx.deals.pipeline(requireScope(ctx.principal, "crm:read").workspaceId);
  }

  @Mutation(() => Deal, { description: "Adds a deal; its stage history starts with this creation." })
  createDeal(
    @Arg("input", () => CreateDealInput, { description: "The deal to add." }) input: CreateDealInput,
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.deals.create(requireScope(ctx.principal, "crm:write"), input, input.stage ?? undefined);
  }

  @Mutation(() => Deal, { description: "Changes the fields given of a deal; the others (and the stage) stay." })
  updateDeal(
    @Arg("id", () => ID, { description: "The deal's id." }) id: string,
    @Arg("input", () => UpdateDealInput, { description: "The fields to change." }) input: UpdateDealInput,
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.deals.update(requireScope(ctx.principal, "crm:write"), id, input);
  }

  @Mutation(() => Deal, {
    description: "Moves a deal to a stage and records the move; moving it to the stage it is in changes nothing.",
  })
  moveDeal(
    @Arg("id", () => ID, { description: "The deal's id." }) id: string,
    @Arg("stage", () => DealStageEnum, { description: "The stage to move the deal to." }) stage: DealStage,
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.deals.move(requireScope(ctx.principal, "crm:write"), id, stage);
  }

  @Mutation(() => ID, {
    description: "Deletes a deal, its history and the activities logged only on it. Returns its id.",
  })
  deleteDeal(@Arg("id", () => ID, { description: "The deal's id." }) id: string, @Ctx() ctx: CrmContext) {
    return ctx.deals.delete(requireScope(ctx.principal, "crm:write"), id);
  }

  @FieldResolver(() => Money, { description: "What the deal is worth." })
  amount(@Root() deal: Deal): Money {
    return { amount: deal.amount, currency: deal.currency };
  }

  @FieldResolver(() => Contact, { nullable: true, description: "The contact the deal is with." })
  contact(@Root() deal: Deal, @Ctx() ctx: CrmContext): Promise<Contact | null> | null {
    return deal.contactId ? ctx.loaders.contact.load(deal.contactId) : null;
  }

  @FieldResolver(() => Company, { nullable: true, description: "The company the deal is with." })
  company(@Root() deal: Deal, @Ctx() ctx: CrmContext): Promise<Company | null> | null {
    return deal.companyId ? ctx.loaders.company.load(deal.companyId) : null;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      "The workspace member who owns the deal; null when nobody does. After they leave the workspace only `owner { id }` still answers; with any other field, owner is null.",
  })
  owner(@Root() deal: Deal): User | null {
    return userRef(deal.ownerId);
  }

  @FieldResolver(() => [DealStageChange], { description: "Every stage the deal has been in, oldest first." })
  stageHistory(@Root() deal: Deal, @Ctx() ctx: CrmContext): Promise<DealStageChange[]> {
    return ctx.loaders.stageHistory.load(deal.id);
  }

  @FieldResolver(() => ActivityConnection, { description: "What happened with the deal, newest first." })
  timeline(
    @Root() deal: Deal,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: CrmContext,
  ): Promise<Connection<Activity>> {
    return ctx.activities.ofDeal(requireScope(ctx.principal, "crm:read"), deal.id, timePage(page));
  }
}

@Resolver(() => DealStageChange)
export class DealStageChangeResolver {
  @FieldResolver(() => User, { description: "Who moved the deal (or created it)." })
  changedBy(@Root() change: DealStageChange): User {
    return { id: change.changedById };
  }
}
