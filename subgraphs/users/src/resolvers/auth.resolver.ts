import "reflect-metadata";
import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from "type-graphql";
import {
  COOKIE_SESSION_MODE,
  REFRESH_MAX_AGE_HEADER,
  REFRESH_TOKEN_HEADER,
  requireUserSession,
  SESSION_MODE_HEADER,
  SET_REFRESH_TOKEN_HEADER,
  unauthenticated,
  type Role,
} from "@mary/kit";
import { actAs, type UsersContext } from "../context.ts";
import { RoleEnum } from "../entities/membership.entity.ts";
import { User } from "../entities/user.entity.ts";
import { Workspace } from "../entities/workspace.entity.ts";
import type { Session } from "../services/session.service.ts";

@ObjectType({ description: "A signed-in session: a short-lived access token and the refresh token that renews it." })
export class AuthPayload {
  @Field(() => String, { description: "Bearer token for the Authorization header; short-lived." })
  accessToken!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Single-use token that buys the next pair through refreshSession. Null in cookie mode (requests with the " +
      "`x-mary-session: cookie` header, as the web app sends), where the gateway keeps it in an httpOnly cookie " +
      "that page scripts cannot read.",
  })
  refreshToken!: string | null;

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

/** True when the gateway passed on the web app's request for cookie mode. */
const cookieMode = (ctx: UsersContext) => ctx.http?.header(SESSION_MODE_HEADER) === COOKIE_SESSION_MODE;

/**
 * The session as the caller gets it. In cookie mode its refresh token goes to the gateway in a
 * response header, for the httpOnly cookie, and the body carries none.
 */
function handOver(ctx: UsersContext, session: Session): AuthPayload {
  if (!cookieMode(ctx) || !ctx.http) return session;
  ctx.http.setHeader(SET_REFRESH_TOKEN_HEADER, session.refreshToken);
  ctx.http.setHeader(REFRESH_MAX_AGE_HEADER, String(ctx.sessions.refreshTtlSeconds));
  return { ...session, refreshToken: null };
}

/** The refresh token given as the argument or, in cookie mode, the one from the gateway's cookie. */
function refreshTokenOf(ctx: UsersContext, given: string | null | undefined): string {
  const token = given ?? (cookieMode(ctx) ? ctx.http?.header(REFRESH_TOKEN_HEADER) : undefined);
  if (token === undefined || token === null) throw unauthenticated("Not signed in: no refresh token was given");
  return token;
}

const REFRESH_TOKEN_ARG =
  "The refresh token from the last sign-in or refresh. Omit it in cookie mode: the gateway sends the one in its " +
  "httpOnly cookie.";

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: "Creates an account and its first workspace, and signs in." })
  async signUp(@Arg("input", () => SignUpInput) input: SignUpInput, @Ctx() ctx: UsersContext) {
    return handOver(ctx, actAs(ctx, await ctx.sessions.signUp(input)));
  }

  @Mutation(() => AuthPayload, {
    description: "Signs in with email and password. Repeated failures are refused for a while.",
  })
  async logIn(@Arg("input", () => LogInInput) input: LogInInput, @Ctx() ctx: UsersContext) {
    return handOver(ctx, actAs(ctx, await ctx.sessions.logIn(input)));
  }

  @Mutation(() => AuthPayload, {
    description:
      "Trades a refresh token (the argument, or in cookie mode the gateway's cookie) for a new pair. Each refresh " +
      "token works once; reusing one ends the session (in cookie mode, only after REFRESH_REUSE_GRACE_SECONDS: " +
      "a reloaded page or a second tab may present the cookie again).",
  })
  async refreshSession(
    @Arg("refreshToken", () => String, { nullable: true, description: REFRESH_TOKEN_ARG })
    refreshToken: string | null | undefined,
    @Ctx() ctx: UsersContext,
  ) {
    return handOver(ctx, actAs(ctx, await ctx.sessions.refresh(refreshTokenOf(ctx, refreshToken), cookieMode(ctx))));
  }

  @Mutation(() => Boolean, {
    description: "Ends the session the refresh token belongs to. In cookie mode the gateway also clears its cookie.",
  })
  async logOut(
    @Arg("refreshToken", () => String, { nullable: true, description: REFRESH_TOKEN_ARG })
    refreshToken: string | null | undefined,
    @Ctx() ctx: UsersContext,
  ) {
    const ended = await ctx.sessions.logOut(refreshTokenOf(ctx, refreshToken));
    if (cookieMode(ctx)) ctx.http?.setHeader(SET_REFRESH_TOKEN_HEADER, "");
    return ended;
  }

  @Mutation(() => AuthPayload, { description: "Starts a session acting in another workspace the user belongs to." })
  async switchWorkspace(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() ctx: UsersContext) {
    const caller = requireUserSession(ctx.principal);
    return handOver(ctx, actAs(ctx, await ctx.sessions.switchWorkspace(caller.userId, workspaceId)));
  }
}
