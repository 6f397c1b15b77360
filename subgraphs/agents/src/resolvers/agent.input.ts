import "reflect-metadata";
import { Field, ID, InputType } from "type-graphql";
import { AgentProviderEnum, AgentToolEnum, type AgentProvider, type AgentTool } from "../types/agent.type.ts";

/** The field every create mutation's input has (see IdempotencyKeys). */
const IDEMPOTENCY_KEY_FIELD = {
  nullable: true,
  description:
    "Any string of 1 to 255 characters that is unique to this request (a UUID): a retry with the same key and " +
    "the same input returns the first request's result instead of creating another. Kept for 24 hours.",
};

@InputType({ description: "A new agent." })
export class CreateAgentInput {
  @Field(() => String, { description: "What the agent is called, 1 to 100 characters." })
  name!: string;

  @Field(() => String, { nullable: true, description: "The system prompt, up to 20,000 characters." })
  instructions?: string | null;

  @Field(() => AgentProviderEnum, {
    nullable: true,
    description: "Where the model runs; OPENAI when the server has an OpenAI key, else LOCAL.",
  })
  provider?: AgentProvider | null;

  @Field(() => String, {
    nullable: true,
    description: "The model; the server's default OpenAI model, or local-echo for LOCAL.",
  })
  model?: string | null;

  @Field(() => [AgentToolEnum], { nullable: true, description: "The tools it may call; none when omitted." })
  tools?: AgentTool[] | null;

  @Field(() => String, IDEMPOTENCY_KEY_FIELD)
  idempotencyKey?: string | null;
}

@InputType({ description: "Changes to an agent: only the fields given change." })
export class UpdateAgentInput {
  @Field(() => String, { nullable: true, description: "What the agent is called, 1 to 100 characters." })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "The system prompt, up to 20,000 characters." })
  instructions?: string | null;

  @Field(() => AgentProviderEnum, { nullable: true, description: "Where the model runs." })
  provider?: AgentProvider | null;

  @Field(() => String, {
    nullable: true,
    description: "The model; changing the provider without one picks that provider's default.",
  })
  model?: string | null;

  @Field(() => [AgentToolEnum], { nullable: true, description: "The tools it may call (replaces the list)." })
  tools?: AgentTool[] | null;
}

@InputType({ description: "A run to start." })
export class StartAgentRunInput {
  @Field(() => ID, { description: "The agent to run, in this workspace." })
  agentId!: string;

  @Field(() => String, { description: "What to ask the agent, 1 to 100,000 characters." })
  input!: string;

  @Field(() => String, IDEMPOTENCY_KEY_FIELD)
  idempotencyKey?: string | null;
}
