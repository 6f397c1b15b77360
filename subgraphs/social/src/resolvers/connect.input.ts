import "reflect-metadata";
import { Field, InputType } from "type-graphql";

@InputType({ description: "A Bluesky (AT Protocol) account to connect, with an app password." })
export class ConnectBlueskyAccountInput {
  @Field(() => String, { description: "The account's handle (alice.bsky.social) or its email address." })
  handle!: string;

  @Field(() => String, {
    description:
      "An app password made in the account's settings (never the main password); tried before saving, stored encrypted.",
  })
  appPassword!: string;

  @Field(() => String, {
    nullable: true,
    description: "The account's PDS or entryway; https://bsky.social when omitted.",
  })
  serviceUrl?: string | null;
}
