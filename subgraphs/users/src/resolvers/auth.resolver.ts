import "reflect-metadata";
import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import { requireUserSession, type Role } from "@mary/kit";
import { actAs, type UsersContext } from "../context.ts";
import { RoleEnum } from "../entities/membership.entity.ts";
import { User } from "../entities/user.entity.ts";
import { Workspace } from "../entities/workspace.entity.ts";

@ObjectType({ description: "A signed-in session: a short-lived access token and the refresh token that renews it." })
export class AuthPayload {
  @Field(() => String, { description: "Bearer token for the Authorization header; short-lived." })
  accessToken!: string;

  @Field(() => String, { description: "Single-use token that buys the next pair through refreshSession." })
  refreshToken!: string;

  @Field(() => Date, { description: "When the access token stops being accepted." })
  expiresAt!: Date;

  @Field(() => User, { description: "The signed-in user." })
  user!: User;

  @Field(() => Workspace, { description: "The workspace this session acts in." })
  workspace!: Workspace;

  @Field(() => RoleEnum, { description: "The user's role in that workspace." })
  role!: Role;
}

@InputType({ description: "A new account and its first workspace." })
class SignUpInput {
  @Field(() => String, { description: "Email address to sign in with." })
  email!: string;

  @Field(() => String, { description: "At least 10 characters, with a letter and a digit or symbol." })
  password!: string;

  @Field(() => String, { description: "Display name." })
  name!: string;

  @Field(() => String, { description: "Name of the workspace created for the new user, who becomes its owner." })
  workspaceName!: string;
}

@InputType({ description: "Credentials for signing in." })
class LogInInput {
  @Field(() => String, { description: "Email address of the account." })
  email!: string;

  @Field(() => String, { description: "The account's password." })
  password!: string;

  @Field(() => ID, { nullable: true, description: "Workspace to act in; the oldest membership when omitted." })
  workspaceId?: string | null;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: "Creates an account and its first workspace, and signs in." })
  async signUp(@Arg("input", () => SignUpInput) input: SignUpInput, @Ctx() ctx: UsersContext) {
    return actAs(ctx, await ctx.sessions.signUp(input));
  }

  @Mutation(() => AuthPayload, {
    description: "Signs in with email and password. Repeated failures are refused for a while.",
  })
  async logIn(@Arg("input", () => LogInInput) input: LogInInput, @Ctx() ctx: UsersContext) {
    return actAs(ctx, await ctx.sessions.logIn(input));
  }

  @Mutation(() => AuthPayload, {
    description: "Trades a refresh token for a new pair. Each refresh token works once; reusing one ends the session.",
  })
  async refreshSession(@Arg("refreshToken", () => String) refreshToken: string, @Ctx() ctx: UsersContext) {
    return actAs(ctx, await ctx.sessions.refresh(refreshToken));
  }

  @Mutation(() => Boolean, { description: "Ends the session the refresh token belongs to." })
  logOut(@Arg("refreshToken", () => String) refreshToken: string, @Ctx() ctx: UsersContext) {
    return ctx.sessions.logOut(refreshToken);
  }

  @Mutation(() => AuthPayload, { description: "Starts a session acting in another workspace the user belongs to." })
  async switchWorkspace(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() ctx: UsersContext) {
    const caller = requireUserSession(ctx.principal);
    return actAs(ctx, await ctx.sessions.switchWorkspace(caller.userId, workspaceId));
  }
}
