import "reflect-metadata";
import { Field, InputType, Int } from "type-graphql";
import { ConnectionSecurityEnum, type ConnectionSecurity } from "../entities/mail-account.entity.ts";

@InputType({ description: "A mailbox to connect: its IMAP and SMTP servers and how to log in to both." })
export class ConnectMailAccountInput {
  @Field(() => String, { description: "The account's email address." })
  address!: string;

  @Field(() => String, { nullable: true, description: "The name put on mail sent from it, up to 200 characters." })
  displayName?: string | null;

  @Field(() => String, { description: "The IMAP server's host name." })
  imapHost!: string;

  @Field(() => Int, { nullable: true, description: "The IMAP port; 993 for TLS, else 143, when omitted." })
  imapPort?: number | null;

  @Field(() => ConnectionSecurityEnum, { description: "How the IMAP connection is protected." })
  imapSecurity!: ConnectionSecurity;

  @Field(() => String, { description: "The SMTP (submission) server's host name." })
  smtpHost!: string;

  @Field(() => Int, { nullable: true, description: "The SMTP port; 465 for TLS, else 587, when omitted." })
  smtpPort?: number | null;

  @Field(() => ConnectionSecurityEnum, { description: "How the SMTP connection is protected." })
  smtpSecurity!: ConnectionSecurity;

  @Field(() => String, { nullable: true, description: "The user name for both servers; the address when omitted." })
  username?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The password (or app password). Give exactly one of password and accessToken.",
  })
  password?: string | null;

  @Field(() => String, { nullable: true, description: "An OAuth 2 access token, for XOAUTH2 log-in." })
  accessToken?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "How many days back the first sync reads, 1 to 365; 30 when omitted.",
  })
  syncDays?: number | null;
}
