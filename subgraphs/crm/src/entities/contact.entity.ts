import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema, type EntityClass } from "@mikro-orm/postgresql";
import { JSONObjectScalar } from "@mary/kit";
import { Directive, Field, ID, ObjectType } from "type-graphql";
import { Company } from "./company.entity.ts";

@Directive('@key(fields: "id")')
@ObjectType({ description: "A person the workspace is in touch with." })
export class Contact {
  @Field(() => ID, { description: "Stable identifier of the contact." })
  id: string = randomUUID();

  workspaceId!: string;

  @Field(() => String, { description: "The contact's full name." })
  name!: string;

  @Field(() => [String], { description: "Email addresses, lower-cased, without duplicates; at most 10." })
  emails: string[] = [];

  @Field(() => [String], { description: "Phone numbers as entered (digits, spaces and + - ( ) .); at most 10." })
  phones: string[] = [];

  @Field(() => String, { nullable: true, description: "Job title, such as Head of Procurement." })
  title: string | null = null;

  companyId: string | null = null;
  ownerId: string | null = null;

  @Field(() => [String], { description: "Labels to group contacts by, lower-cased, without duplicates; at most 20." })
  tags: string[] = [];

  @Field(() => JSONObjectScalar, {
    description: "The workspace's own fields for the contact, as a JSON object: at most 50 keys and 8 KB.",
  })
  customFields: Record<string, unknown> = {};

  /** Lower-cased name, emails and company name, maintained by a trigger; only ever searched. */
  searchText?: string;

  @Field(() => Date, { description: "When the contact was added." })
  createdAt: Date = new Date();

  @Field(() => Date, { description: "When the contact was last changed." })
  updatedAt: Date = new Date();
}

export const ContactSchema = new EntitySchema<Contact>({
  class: Contact,
  tableName: "contacts",
  indexes: [
    // Serve the keyset-paginated lists: the workspace's contacts, an owner's and a company's.
    { properties: ["workspaceId", "createdAt", "id"] },
    { properties: ["workspaceId", "ownerId", "createdAt", "id"] },
    { properties: ["companyId", "createdAt", "id"] },
    // Serve `contacts(search:)` (ILIKE '%term%') and `filter: { tag }` (array containment).
    {
      name: "contacts_search_text_trgm_index",
      expression: `create index "contacts_search_text_trgm_index" on "contacts" using gin ("search_text" gin_trgm_ops)`,
    },
    { name: "contacts_tags_index", properties: ["tags"], type: "gin" },
    // Serves lookups by address (`contactsByEmail`, `Correspondent.contact`): `emails && array[...]`.
    { name: "contacts_emails_index", properties: ["emails"], type: "gin" },
  ],
  // Declared so the schema diff knows them; the initial migration creates them (see there for why).
  triggers: [
    {
      name: "search_text",
      timing: "before",
      events: ["insert", "update"],
      expression: `create trigger "search_text" before insert or update of name, emails, company_id, search_text on "contacts" for each row execute function contacts_search_text_fn();`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    name: { type: "string", length: 200 },
    emails: { type: "text[]" },
    phones: { type: "text[]" },
    title: { type: "string", length: 200, nullable: true },
    // mapToPk: the property holds the referenced id, not an entity (hence the untyped class).
    companyId: {
      kind: "m:1",
      entity: (): EntityClass<any> => Company,
      mapToPk: true,
      nullable: true,
      fieldName: "company_id",
      deleteRule: "set null",
    },
    ownerId: { type: "uuid", nullable: true },
    tags: { type: "text[]" },
    customFields: { type: "jsonb" },
    searchText: { type: "text", lazy: true, default: "" },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
