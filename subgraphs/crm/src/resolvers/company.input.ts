import "reflect-metadata";
import { Field, InputType, Int } from "type-graphql";

@InputType({ description: "A new company." })
export class CreateCompanyInput {
  @Field(() => String, { description: "The company's name, 1 to 200 characters." })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "Its web domain or site address; stored as the lower-case hostname, unique in the workspace.",
  })
  domain?: string | null;

  @Field(() => String, { nullable: true, description: "Its industry, up to 100 characters." })
  industry?: string | null;

  @Field(() => Int, { nullable: true, description: "Its headcount, 1 or more." })
  size?: number | null;
}

@InputType({ description: "Changes to a company: only the fields given change; null clears an optional one." })
export class UpdateCompanyInput {
  @Field(() => String, { nullable: true, description: "The company's name, 1 to 200 characters." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "Its web domain; unique in the workspace." })
  domain?: string | null;

  @Field(() => String, { nullable: true, description: "Its industry, up to 100 characters." })
  industry?: string | null;

  @Field(() => Int, { nullable: true, description: "Its headcount, 1 or more." })
  size?: number | null;
}
