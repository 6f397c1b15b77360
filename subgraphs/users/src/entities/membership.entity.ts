import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";
import type { Role } from "@mary/kit";
import { Field, ObjectType, registerEnumType } from "type-graphql";

export const RoleEnum = { OWNER: "OWNER", ADMIN: "ADMIN", MEMBER: "MEMBER" } as const satisfies Record<Role, Role>;
registerEnumType(RoleEnum, {
  name: "Role",
  description: "What a member may do in a workspace.",
  valuesConfig: {
    OWNER: { description: "Full control, including billing and deleting the workspace." },
    ADMIN: { description: "Manages members, API keys and billing; cannot remove owners." },
    MEMBER: { description: "Works with the workspace's data; cannot manage members or billing." },
  },
});

@ObjectType({ description: "A user's place in a workspace." })
export class Membership {
  id: string = randomUUID();
  userId!: string;
  workspaceId!: string;

  @Field(() => RoleEnum, { description: "The member's role in the workspace." })
  role!: Role;

  @Field(() => Date, { description: "When the user joined the workspace." })
  createdAt: Date = new Date();
}

export const MembershipSchema = new EntitySchema<Membership>({
  class: Membership,
  tableName: "memberships",
  uniques: [{ properties: ["userId", "workspaceId"] }],
  // Serves the keyset-paginated list of a workspace's members.
  indexes: [{ properties: ["workspaceId", "createdAt", "id"] }],
  properties: {
    id: { type: "uuid", primary: true },
    userId: { type: "uuid", fieldName: "user_id", index: true },
    workspaceId: { type: "uuid", fieldName: "workspace_id" },
    role: { type: "string", length: 16 },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
