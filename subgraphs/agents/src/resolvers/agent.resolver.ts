import "reflect-metadata";
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { PageArgs, requireScope, timePage, type Connection } from "@mary/kit";
import type { AgentsContext } from "../context.ts";
import { Agent } from "../types/agent.type.ts";
import { AgentConnection, AgentRunConnection } from "../types/connections.type.ts";
import type { AgentRun } from "../types/run.type.ts";
import { User } from "../types/user.type.ts";
import { CreateAgentInput, UpdateAgentInput } from "./agent.input.ts";

@Resolver(() => Agent)
export class AgentResolver {
  @Query(() => Agent, { description: "An agent of the workspace; NOT_FOUND when there is none with that id." })
  agent(@Arg("id", () => ID, { description: "The agent's id." }) id: string, @Ctx() ctx: AgentsContext) {
    return ctx.agents.get(requireScope(ctx.principal, "agents:read"), id);
  }

  @Query(() => AgentConnection, { description: "The workspace's agents, newest first." })
  agents(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: AgentsContext): Promise<Connection<Agent>> {
    return ctx.agents.list(requireScope(ctx.principal, "agents:read"), timePage(page));
  }

  @Mutation(() => Agent, { description: "Adds an agent, within the plan's agent limit (FREE 1, PRO 5)." })
  createAgent(
    @Arg("input", () => CreateAgentInput, { description: "The agent to add." }) input: CreateAgentInput,
    @Ctx() ctx: AgentsContext,
  ) {
    return ctx.agents.create(requireScope(ctx.principal, "agents:write"), input);
  }

  @Mutation(() => Agent, { description: "Changes the fields given of an agent; runs already started keep the old." })
  updateAgent(
    @Arg("id", () => ID, { description: "The agent's id." }) id: string,
    @Arg("input", () => UpdateAgentInput, { description: "The fields to change." }) input: UpdateAgentInput,
    @Ctx() ctx: AgentsContext,
  ) {
    return ctx.agents.update(requireScope(ctx.principal, "agents:write"), id, input);
  }

  @Mutation(() => ID, {
    description: "Deletes an agent. Its runs stay as history, with `agent` null. Returns its id.",
  })
  deleteAgent(@Arg("id", () => ID, { description: "The agent's id." }) id: string, @Ctx() ctx: AgentsContext) {
    return ctx.agents.delete(requireScope(ctx.principal, "agents:write"), id);
  }

  @FieldResolver(() => User, { description: "Who created the agent." })
  createdBy(@Root() agent: Agent): User {
    return { id: agent.createdById };
  }

  @FieldResolver(() => AgentRunConnection, { description: "The agent's runs, newest first." })
  runs(
    @Root() agent: Agent,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: AgentsContext,
  ): Promise<Connection<AgentRun>> {
    requireScope(ctx.principal, "agents:read");
    return ctx.runs.list(agent.workspaceId, agent._id, timePage(page));
  }
}
