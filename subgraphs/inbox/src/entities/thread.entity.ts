import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import { Directive, Field, ID, Int, ObjectType } from "type-graphql";

@Directive('@key(fields: "id")')
@ObjectType({ description: "A conversation: messages linked by Message-ID, In-Reply-To and References." })
export class Thread {
  @Field(() => ID, { description: "Stable identifier of the thread." })
  id: string = randomUUID();

  workspaceId!: string;
  userId!: string;
  accountId!: string;

  @Field(() => String, { description: "The subject of the thread's first message." })
  subject: string = "";

  @Field(() => Int, { description: "How many messages the thread has." })
  messageCount: number = 0;

  @Field(() => Date, { description: "When its latest message was sent." })
  lastMessageAt: Date = new Date();

  createdAt: Date = new Date();
}

export const ThreadSchema = new EntitySchema<Thread>({
  class: Thread,
  tableName: "threads",
  indexes: [{ properties: ["workspaceId", "userId", "lastMessageAt", "id"] }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    userId: { type: "uuid" },
    accountId: { type: "uuid" },
    subject: { type: "text" },
    messageCount: { type: "int" },
    lastMessageAt: { type: "datetime" },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
