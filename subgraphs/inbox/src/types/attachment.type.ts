import "reflect-metadata";
import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({
  description:
    "A file attached to a message. Mary lists it from the message's structure; its content stays on the mail server until asked for.",
})
export class Attachment {
  /** The message it is part of, to fetch its content. */
  messageId!: string;

  @Field(() => String, {
    description: "Which part of the message it is (its IMAP body part number, such as 2 or 1.3).",
  })
  part!: string;

  @Field(() => String, { nullable: true, description: "The file name the sender gave; null when none." })
  filename!: string | null;

  @Field(() => String, { description: "The MIME type, such as application/pdf." })
  contentType!: string;

  @Field(() => Int, { description: "The size in bytes (of the decoded content, estimated from the server's count)." })
  size!: number;
}
