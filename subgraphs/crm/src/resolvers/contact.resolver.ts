import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArgs, requireScope, type Connection, timePage } from "@mary/kit";
import type { CrmContext } from "../context.ts";
import type { Activity } from "../entities/activity.entity.ts";
import { Company } from "../entities/company.entity.ts";
import { Contact } from "../entities/contact.entity.ts";
import type { Deal } from "../entities/deal.entity.ts";
import { ActivityConnection, ContactConnection, DealConnection } from "../types/connections.type.ts";
import { User, userRef } from "../types/user.type.ts";
import { ContactFilter, CreateContactInput, UpdateContactInput } from "./contact.input.ts";

@Resolver(() => Contact)
export class ContactResolver {
  @Query(() => Contact, {
    nullable: true,
    description: "A contact of the workspace; NOT_FOUND when there is none with that id.",
  })
  contact(@Arg("id", () => ID, { description: "The contact's id." }) id: string, @Ctx() ctx: CrmContext) {
    return ctx.contacts.get(requireScope(ctx.principal, "crm:read"), id);
  }

  @Query(() => ContactConnection, { description: "The workspace's contacts, newest first." })
  contacts(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("search", () => String, {
      nullable: true,
      description: "Matches anywhere in the name, the email addresses or the company's name, ignoring case.",
    })
    search: string | null,
    @Arg("filter", () => ContactFilter, { nullable: true, description: "Only contacts matching all of these." })
    filter: ContactFilter | null,
    @Ctx() ctx: CrmContext,
  ): Promise<Connection<Contact>> {
    return ctx.contacts.list(requireScope(ctx.principal, "crm:read"), timePage(page), search, filter ?? {});
  }

  @Query(() => [Contact], {
    description:
      "The workspace's contacts having any of these email addresses (compared ignoring case), oldest first, each once. " +
      "At most 100 addresses; one that is not an email address is BAD_USER_INPUT.",
  })
  contactsByEmail(
    @Arg("emails", () => [String], { description: "The addresses to look up, 0 to 100." }) emails: string[],
    @Ctx() ctx: CrmContext,
  ): Promise<Contact[]> {
    return ctx.contacts.byEmails(requireScope(ctx.principal, "crm:read"), emails);
  }

  @Mutation(() => Contact, { description: "Adds a contact, within the plan's contact limit." })
  createContact(
    @Arg("input", () => CreateContactInput, { description: "The contact to add." }) input: CreateContactInput,
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.contacts.create(requireScope(ctx.principal, "crm:write"), input);
  }

  @Mutation(() => [Contact], {
    description: "Adds 1 to 100 contacts at once, all or none: one bad input or the plan's limit writes nothing.",
  })
  createContacts(
    @Arg("inputs", () => [CreateContactInput], { description: "The contacts to add, 1 to 100." })
    inputs: CreateContactInput[],
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.contacts.createMany(requireScope(ctx.principal, "crm:write"), inputs);
  }

  @Mutation(() => Contact, { description: "Changes the fields given of a contact; the others stay." })
  updateContact(
    @Arg("id", () => ID, { description: "The contact's id." }) id: string,
    @Arg("input", () => UpdateContactInput, { description: "The fields to change." }) input: UpdateContactInput,
    @Ctx() ctx: CrmContext,
  ) {
    return ctx.contacts.update(requireScope(ctx.principal, "crm:write"), id, input);
  }

  @Mutation(() => ID, {
    description:
      "Deletes a contact and the activities logged only on it; its deals stay without a contact. Returns its id.",
  })
  deleteContact(@Arg("id", () => ID, { description: "The contact's id." }) id: string, @Ctx() ctx: CrmContext) {
    return ctx.contacts.delete(requireScope(ctx.principal, "crm:write"), id);
  }

  @FieldResolver(() => Company, { nullable: true, description: "The company the contact works at." })
  company(@Root() contact: Contact, @Ctx() ctx: CrmContext): Promise<Company | null> | null {
    return contact.companyId ? ctx.loaders.company.load(contact.companyId) : null;
  }

  @FieldResolver(() => User, {
    nullable: true,
    description:
      "The workspace member who owns the contact; null when nobody does. After they leave the workspace only `owner { id }` still answers; with any other field, owner is null.",
  })
  owner(@Root() contact: Contact): User | null {
    return userRef(contact.ownerId);
  }

  @FieldResolver(() => ActivityConnection, { description: "What happened with the contact, newest first." })
  timeline(
    @Root() contact: Contact,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: CrmContext,
  ): Promise<Connection<Activity>> {
    return ctx.activities.ofContact(requireScope(ctx.principal, "crm:read"), contact.id, timePage(page));
  }

  @FieldResolver(() => DealConnection, { description: "The contact's deals, newest first." })
  deals(
    @Root() contact: Contact,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: CrmContext,
  ): Promise<Connection<Deal>> {
    requireScope(ctx.principal, "crm:read");
    // Batched: every contact of the request asking for the same page is answered by one SQL statement.
    return ctx.loaders.contactDeals(timePage(page)).load(contact.id);
  }
}
