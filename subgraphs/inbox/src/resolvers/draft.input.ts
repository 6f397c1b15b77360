import "reflect-metadata";
import { Field, ID, InputType } from "type-graphql";

@InputType({ description: "A person to send to: an address and, optionally, a name." })
export class MailAddressInput {
  @Field(() => String, { description: "The email address." })
  email!: string;

  @Field(() => String, { nullable: true, description: "The display name, up to 200 characters." })
  name?: string | null;
}

@InputType({ description: "A new draft, sent later with sendDraft." })
export class CreateDraftInput {
  @Field(() => ID, { description: "The caller's mail account it is sent from." })
  accountId!: string;

  @Field(() => [MailAddressInput], { nullable: true, description: "Recipients (with cc, at most 100)." })
  to?: MailAddressInput[] | null;

  @Field(() => [MailAddressInput], { nullable: true, description: "Copied recipients." })
  cc?: MailAddressInput[] | null;

  @Field(() => String, { nullable: true, description: "The subject, up to 998 characters on one line." })
  subject?: string | null;

  @Field(() => String, { nullable: true, description: "The plain-text body, up to 200,000 characters." })
  body?: string | null;
}

@InputType({ description: "Changes to a draft; the fields left out stay as they are." })
export class UpdateDraftInput {
  @Field(() => [MailAddressInput], { nullable: true, description: "Recipients (with cc, at most 100)." })
  to?: MailAddressInput[] | null;

  @Field(() => [MailAddressInput], { nullable: true, description: "Copied recipients." })
  cc?: MailAddressInput[] | null;

  @Field(() => String, { nullable: true, description: "The subject, up to 998 characters on one line." })
  subject?: string | null;

  @Field(() => String, { nullable: true, description: "The plain-text body, up to 200,000 characters." })
  body?: string | null;
}
