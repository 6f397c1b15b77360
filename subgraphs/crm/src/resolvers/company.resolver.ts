import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArgs, requireScope, type Connection, timePage } from "@mary/kit";
import type { CrmContext } from "../context.ts";
import { Company } from "../entities/company.entity.ts";
import type { Contact } from "../entities/contact.entity.ts";
import { CompanyConnection, ContactConnection } from "../types/connections.type.ts";
import { CreateCompanyInput, UpdateCompanyInput } from "./company.input.ts";

@Resolver(() => Company)
export class CompanyResolver {
  @Query(() => Company, {
    nullable: true,
    description: "A company of the workspace; NOT_FOUND when there is none with that id.",
  })
  company(@Arg("id", () => ID, { description: "The company's id." }) id: string, @Ctx() ctx: CrmContext) {
    return ctx.companies.get(requireScope(ctx.principal, "crm:read"), id);
  }

  @Query(() => CompanyConnection, { description: "The workspace's companies, newest first." })
  companies(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("search", () => String, {
      nullable: true,
      description: "Matches anywhere in the name or the domain, ignoring case.",
    })
    search: string | null,
    @Ctx() ctx: CrmContext,
  ): Promise<Connection<Company>> {
    return ctx.companies.list(requireScope(ctx.principal, "crm:read"), timePage(page), search);
  }

  @Mutation(() => Company, { description: "Adds a company." })
  createCompany(
    @Arg("input", () => CreateCompanyInput, { description: "The company to add." }) input: CreateCompanyInput,
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.companies.create(requireScope(ctx.principal, "crm:write"), input);
  }

  @Mutation(() => Company, { description: "Changes the fields given of a company; the others stay." })
  updateCompany(
    @Arg("id", () => ID, { description: "The company's id." }) id: string,
    @Arg("input", () => UpdateCompanyInput, { description: "The fields to change." }) input: UpdateCompanyInput,
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.companies.update(requireScope(ctx.principal, "crm:write"), id, input);
  }

  @Mutation(() => ID, {
    description: "Deletes a company; its contacts and deals stay, without a company. Returns its id.",
  })
  deleteCompany(@Arg("id", () => ID, { description: "The company's id." }) id: string, @Ctx() ctx: CrmContext) {
    return ctx.companies.delete(requireScope(ctx.principal, "crm:write"), id);
  }

  @FieldResolver(() => ContactConnection, { description: "The people at the company, newest first." })
  contacts(
    @Root() company: Company,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: CrmContext,
  ): Promise<Connection<Contact>> {
    return ctx.companies.contacts(requireScope(ctx.principal, "crm:read"), company, timePage(page));
  }
}
