import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

@Directive('@key(fields: "id")')
@ObjectType({ description: "An organisation the workspace sells to or works with." })
export class Company {
  @Field(() => ID, { description: "Stable identifier of the company." })
  id: string = randomUUID();

  workspaceId!: string;

  @Field(() => String, { description: "The company's name." })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "The company's web domain as a lower-case hostname, such as acme.com; unique in the workspace.",
  })
  domain: string | null = null;

  @Field(() => String, { nullable: true, description: "The industry the company is in, in the workspace's words." })
  industry: string | null = null;

  @Field(() => Int, { nullable: true, description: "Headcount: how many people work at the company." })
  size: number | null = null;

  @Field(() => Date, { description: "When the company was added." })
  createdAt: Date = new Date();

  @Field(() => Date, { description: "When the company was last changed." })
  updatedAt: Date = new Date();
}

export const CompanySchema = new EntitySchema<Company>({
  class: Company,
  tableName: "companies",
  indexes: [
    // Serves the keyset-paginated list of a workspace's companies, newest first.
    { properties: ["workspaceId", "createdAt", "id"] },
    // Serve `companies(search:)`, an ILIKE '%term%' on the name or the domain.
    {
      name: "companies_name_trgm_index",
      expression: `create index "companies_name_trgm_index" on "companies" using gin ("name" gin_trgm_ops)`,
    },
    {
      name: "companies_domain_trgm_index",
      expression: `create index "companies_domain_trgm_index" on "companies" using gin ("domain" gin_trgm_ops)`,
    },
  ],
  uniques: [
    {
      name: "companies_workspace_id_domain_unique",
      properties: ["workspaceId", "domain"],
      where: "domain is not null",
    },
  ],
  // Declared so the schema diff knows it; the initial migration creates it (see there for why).
  triggers: [
    {
      name: "contact_search_text",
      timing: "after",
      events: ["update"],
      expression: `create trigger "contact_search_text" after update of name on "companies" for each row when (old.name is distinct from new.name) execute function companies_contact_search_text_fn();`,
    },
  ],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    name: { type: "string", length: 200 },
    domain: { type: "string", length: 253, nullable: true },
    industry: { type: "string", length: 100, nullable: true },
    size: { type: "integer", nullable: true },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
