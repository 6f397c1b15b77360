import "reflect-metadata";
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireScope, type Connection } from "@mary/kit";
import type { AgentsContext } from "../context.ts";
import { Agent } from "../types/agent.type.ts";
import { AgentRunEventConnection } from "../types/connections.type.ts";
import type { AgentRunEvent } from "../types/event.type.ts";
import { AgentRun } from "../types/run.type.ts";
import { User } from "../types/user.type.ts";
import { StartAgentRunInput } from "./agent.input.ts";

@Resolver(() => AgentRun)
export class RunResolver {
  @Query(() => AgentRun, { description: "A run of the workspace; NOT_FOUND when there is none with that id." })
  agentRun(@Arg("id", () => ID, { description: "The run's id." }) id: string, @Ctx() ctx: AgentsContext) {
    return ctx.runs.get(requireScope(ctx.principal, "agents:read"), id);
  }

  @Mutation(() => AgentRun, {
    description:
      "Starts a run and returns it at once, QUEUED; subscribe to agentRunEvents for its output as it streams.",
  })
  startAgentRun(
    @Arg("input", () => StartAgentRunInput, { description: "The agent and what to ask it." })
    input: StartAgentRunInput,
    @Ctx() ctx: AgentsContext,
  ) {
    return ctx.runs.start(
      requireScope(ctx.principal, "agents:write"),
      input.agentId,
      input.input,
      input.idempotencyKey,
    );
  }

  @Mutation(() => AgentRun, {
    description: "Stops a run within a second; its output so far is kept. A finished run is returned unchanged.",
  })
  cancelAgentRun(@Arg("id", () => ID, { description: "The run's id." }) id: string, @Ctx() ctx: AgentsContext) {
    return ctx.runs.cancel(requireScope(ctx.principal, "agents:write"), id);
  }

  @FieldResolver(() => Agent, { nullable: true, description: "The agent that ran; null once it was deleted." })
  agent(@Root() run: AgentRun, @Ctx() ctx: AgentsContext) {
    return ctx.loaders.agent.load(run.agentId);
  }

  @FieldResolver(() => User, { description: "Who started the run (for an API key, the user who created it)." })
  startedBy(@Root() run: AgentRun): User {
    return { id: run.startedById };
  }

  @FieldResolver(() => AgentRunEventConnection, { description: "The run's stored events in order, oldest first." })
  events(
    @Root() run: AgentRun,
    @Arg("after", () => String, { nullable: true, description: "Return the events after this cursor." })
    after: string | null,
    @Arg("first", () => Int, { nullable: true, description: "How many events to return, 1 to 100 (default 20)." })
    first: number | null,
    @Ctx() ctx: AgentsContext,
  ): Promise<Connection<AgentRunEvent>> {
    requireScope(ctx.principal, "agents:read");
    return ctx.runs.events(run, after, first);
  }
}
