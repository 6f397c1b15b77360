import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import type { Scope } from "@mary/kit";
import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "A key third-party code uses to call the public graph on behalf of a workspace." })
export class ApiKey {
  @Field(() => ID, { description: "Stable identifier of the key." })
  id: string = randomUUID();

  workspaceId!: string;
  createdById!: string;

  @Field(() => String, { description: "A name to tell keys apart." })
  name!: string;

  @Field(() => String, {
    description: "The first characters of the key, to recognise it; the rest is never shown again.",
  })
  prefix!: string;

  /** SHA-256 of the whole key: keys are long random strings, so a fast hash is enough and lookups stay cheap. */
  keyHash!: string;

  @Field(() => [String], { description: "What the key may do, as `<subgraph>:read|write` scopes." })
  scopes!: Scope[];

  @Field(() => Date, { description: "When the key was created." })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: "When the key was revoked; a revoked key is refused." })
  revokedAt?: Date | null = null;
}

export const ApiKeySchema = new EntitySchema<ApiKey>({
  class: ApiKey,
  tableName: "api_keys",
  // Serves the keyset-paginated list of a workspace's keys.
  indexes: [{ properties: ["workspaceId", "createdAt", "id"] }],
  properties: {
    id: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    createdById: { type: "uuid" },
    name: { type: "string", length: 100 },
    prefix: { type: "string", length: 16 },
    keyHash: { type: "string", length: 64, unique: true },
    scopes: { type: "json" },
    createdAt: { type: "datetime", onCreate: () => new Date() },
    revokedAt: { type: "datetime", nullable: true },
  },
});
