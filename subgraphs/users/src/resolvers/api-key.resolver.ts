import "reflect-metadata";
import { Arg, Args, Ctx, Directive, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import {
  connectionType,
  PageArgs,
  pageRequest,
  requireScope,
  requireService,
  requireUserSession,
  type Connection,
} from "@mary/kit";
import type { UsersContext } from "../context.ts";
import { ApiKey } from "../entities/api-key.entity.ts";
import { RoleEnum } from "../entities/membership.entity.ts";

@ObjectType({ description: "A new API key. The secret `key` is shown only in this response." })
export class CreatedApiKey {
  @Field(() => String, { description: "The secret, starting with `mary_`. Store it now: Mary keeps only a hash." })
  key!: string;

  @Field(() => ApiKey, { description: "The key's record." })
  apiKey!: ApiKey;
}

const ApiKeyConnection = connectionType(ApiKey, "ApiKey", "API key");

@InputType({ description: "A new API key." })
class CreateApiKeyInput {
  @Field(() => String, { description: "A name to tell keys apart." })
  name!: string;

  @Field(() => [String], { description: "Scopes such as `crm:read`; at most what the creator's role allows." })
  scopes!: string[];
}

@Directive("@inaccessible")
@ObjectType({ description: "Internal: who an API key acts as. Only the gateway can ask." })
export class ApiKeyIdentity {
  @Field(() => ID, { description: "The key's id." })
  apiKeyId!: string;
  @Field(() => ID, { description: "The user who created the key." })
  userId!: string;
  @Field(() => ID, { description: "The workspace the key belongs to." })
  workspaceId!: string;
  @Field(() => RoleEnum, { description: "The creator's current role." })
  role!: string;
  @Field(() => [String], { description: "The key's effective scopes." })
  scopes!: string[];
}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Mutation(() => CreatedApiKey, { description: "Creates an API key for the active workspace. Signed-in users only." })
  createApiKey(@Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: UsersContext) {
    return ctx.apiKeys.create(requireUserSession(ctx.principal), input.name, input.scopes);
  }

  @Query(() => ApiKeyConnection, {
    description: "API keys of the active workspace, newest first (owners and admins see all, members their own).",
  })
  apiKeys(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: UsersContext): Promise<Connection<ApiKey>> {
    return ctx.apiKeys.list(requireScope(ctx.principal, "users:read"), pageRequest(page));
  }

  @Mutation(() => ApiKey, { description: "Revokes an API key; requests with it are refused within seconds." })
  revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() ctx: UsersContext): Promise<ApiKey> {
    return ctx.apiKeys.revoke(requireUserSession(ctx.principal), id);
  }

  @Directive("@inaccessible")
  @Query(() => ApiKeyIdentity, { nullable: true, description: "Internal: resolves an API key for the gateway." })
  apiKeyIdentity(@Arg("key", () => String) key: string, @Ctx() ctx: UsersContext) {
    requireService(ctx.principal, "gateway");
    return ctx.apiKeys.identify(key);
  }
}
