import "reflect-metadata";
import { Field, InputType } from "type-graphql";

@InputType({ description: "A calendar on a CalDAV server to connect, and how to log in to it." })
export class ConnectCalDavCalendarInput {
  @Field(() => String, {
    description:
      "The calendar's URL, or the user's calendar home (or the server's) to find it under. https:// (plain http:// " +
      "only where the server allows it); no user name or password in it.",
  })
  url!: string;

  @Field(() => String, { description: "The user name to log in with (HTTP Basic)." })
  username!: string;

  @Field(() => String, { description: "The password (or app password). Kept encrypted; never shown again." })
  password!: string;

  @Field(() => String, {
    nullable: true,
    description: "The calendar's name in Mary, up to 200 characters; the server's display name when omitted.",
  })
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "When url is a calendar home: the display name of the server calendar to connect (else the first).",
  })
  displayName?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The IANA zone new events default to, and floating times of the server's events are read in; UTC when omitted.",
  })
  timeZone?: string | null;
}
