import "reflect-metadata";
import { Arg, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from "type-graphql";
import { notFound, requireScope } from "@mary/kit";
import type { AgentsContext } from "../context.ts";
import { AgentRunEvent, toRunEvent, type RunEventDocument } from "../types/event.type.ts";
import { AgentRun } from "../types/run.type.ts";

@Resolver(() => AgentRunEvent)
export class EventResolver {
  @Subscription(() => AgentRunEvent, {
    description:
      "A run's events as they happen: with `after`, first every stored event after that cursor, then the live " +
      "ones, each exactly once and in order. Ends after the run's final STATUS event.",
    subscribe: async ({ args, context }: { args: { runId: string; after?: string | null }; context: AgentsContext }) =>
      context.runs.subscribe(requireScope(context.principal, "agents:read"), args.runId, args.after ?? null),
  })
  agentRunEvents(
    @Root() event: RunEventDocument,
    @Arg("runId", () => ID, { description: "The run to follow, in this workspace." }) _runId: string,
    @Arg("after", () => String, {
      nullable: true,
      description: "Start after this event's cursor (to resume); from the run's first event when omitted.",
    })
    _after: string | null,
  ): AgentRunEvent {
    return toRunEvent(event);
  }

  @FieldResolver(() => AgentRun, {
    description:
      "The run as it is when the event is delivered: read afresh on STATUS and ERROR events, at most 250 ms old on others.",
  })
  async run(@Root() event: AgentRunEvent, @Ctx() ctx: AgentsContext): Promise<AgentRun> {
    requireScope(ctx.principal, "agents:read");
    if (event.type === "STATUS" || event.type === "ERROR") ctx.loaders.run.clear(event.runId);
    const run = await ctx.loaders.run.load(event.runId);
    if (!run) throw notFound("Agent run");
    return run;
  }
}
