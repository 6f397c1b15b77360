import { ApiKeySchema } from "./api-key.entity.ts";
import { MembershipSchema } from "./membership.entity.ts";
import { RefreshTokenSchema } from "./refresh-token.entity.ts";
import { UserSchema } from "./user.entity.ts";
import { WorkspaceSchema } from "./workspace.entity.ts";

export const entities = [UserSchema, WorkspaceSchema, MembershipSchema, RefreshTokenSchema, ApiKeySchema];
