import { randomUUID } from "node:crypto";
import { EntitySchema } from "@mikro-orm/postgresql";

/**
 * One refresh token of a session. Tokens rotate: each use marks the token used
 * and issues the next one in the same family; using a token twice revokes the
 * whole family (the token was stolen, or a client replayed it).
 */
export class RefreshToken {
  id: string = randomUUID();
  familyId!: string;
  userId!: string;
  workspaceId!: string;
  /** SHA-256 of the token; the token itself is only ever held by the client. */
  tokenHash!: string;
  expiresAt!: Date;
  usedAt?: Date | null = null;
  revokedAt?: Date | null = null;
  createdAt: Date = new Date();
}

export const RefreshTokenSchema = new EntitySchema<RefreshToken>({
  class: RefreshToken,
  tableName: "refresh_tokens",
  properties: {
    id: { type: "uuid", primary: true },
    familyId: { type: "uuid", index: true },
    userId: { type: "uuid", index: true },
    workspaceId: { type: "uuid" },
    tokenHash: { type: "string", length: 64, unique: true },
    expiresAt: { type: "datetime" },
    usedAt: { type: "datetime", nullable: true },
    revokedAt: { type: "datetime", nullable: true },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
