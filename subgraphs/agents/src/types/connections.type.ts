import { connectionType } from "@mary/kit";
import { Agent } from "./agent.type.ts";
import { AgentRun } from "./run.type.ts";
import { AgentRunEvent } from "./event.type.ts";

export const AgentConnection = connectionType(Agent, "Agent", "agent");
export const AgentRunConnection = connectionType(AgentRun, "AgentRun", "agent run");
export const AgentRunEventConnection = connectionType(AgentRunEvent, "AgentRunEvent", "agent run event");
