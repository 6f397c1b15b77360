import "reflect-metadata";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";

export const AGENT_PROVIDERS = ["OPENAI", "LOCAL"] as const;
export type AgentProvider = (typeof AGENT_PROVIDERS)[number];
export const AgentProviderEnum = { OPENAI: "OPENAI", LOCAL: "LOCAL" } as const satisfies Record<
  AgentProvider,
  AgentProvider
>;
registerEnumType(AgentProviderEnum, {
  name: "AgentProvider",
  description: "Where an agent's model runs.",
  valuesConfig: {
    OPENAI: { description: "An OpenAI-compatible API (OPENAI_API_KEY, OPENAI_BASE_URL)." },
    LOCAL: { description: "Mary's built-in model: deterministic output, works offline, costs nothing." },
  },
});

export const AGENT_TOOLS = ["SEARCH_CONTACTS", "LOG_ACTIVITY", "WHOAMI"] as const;
export type AgentTool = (typeof AGENT_TOOLS)[number];
export const AgentToolEnum = Object.fromEntries(AGENT_TOOLS.map((tool) => [tool, tool])) as {
  [T in AgentTool]: T;
};
registerEnumType(AgentToolEnum, {
  name: "AgentTool",
  description: "What an agent may do in the graph, always as the person or API key that started the run.",
  valuesConfig: {
    SEARCH_CONTACTS: { description: "Search the workspace's CRM contacts (needs crm:read)." },
    LOG_ACTIVITY: { description: "Log a call, email, meeting or note on a contact or deal (needs crm:write)." },
    WHOAMI: { description: "Tell who the run acts for: the user and the workspace (needs users:read)." },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({ description: "An AI agent of a workspace: a model, its instructions and the tools it may call." })
export class Agent {
  @Field(() => ID, { name: "id", description: "Stable identifier of the agent." })
  _id!: string;

  workspaceId!: string;
  createdById!: string;

  @Field(() => String, { description: "What the agent is called, 1 to 100 characters." })
  name!: string;

  @Field(() => String, { description: "The system prompt: how the agent should behave, up to 20,000 characters." })
  instructions!: string;

  @Field(() => AgentProviderEnum, { description: "Where the agent's model runs." })
  provider!: AgentProvider;

  @Field(() => String, { description: "The model's name at the provider (for example gpt-4o-mini, or local-echo)." })
  model!: string;

  @Field(() => [AgentToolEnum], { description: "The tools the agent may call during a run." })
  tools!: AgentTool[];

  @Field(() => GraphQLDateTimeISO, { description: "When the agent was created." })
  createdAt!: Date;

  @Field(() => GraphQLDateTimeISO, { description: "When the agent was last changed." })
  updatedAt!: Date;
}
