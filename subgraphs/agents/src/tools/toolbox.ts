import type { AuthenticatedPrincipal } from "@mary/kit";
import { z } from "zod";
import type { ToolSpec } from "../providers/provider.ts";
import type { AgentTool } from "../types/agent.type.ts";
import { ToolError, type ToolGateway } from "./tool-gateway.ts";

interface ToolDefinition {
  spec: ToolSpec;
  arguments: z.ZodType;
  run: (args: any, principal: AuthenticatedPrincipal, gateway: ToolGateway) => Promise<unknown>;
}

const SEARCH_CONTACTS = `query AgentSearchContacts($search: String!, $first: Int!) {
  contacts(search: $search, first: $first) {
    edges { node { id name emails title tags company { id name } } }
  }
}`;

const LOG_ACTIVITY = `mutation AgentLogActivity($input: LogActivityInput!) {
  logActivity(input: $input) { id type subject occurredAt }
}`;

const WHOAMI = `query AgentWhoami { me { id name email } workspace { id name } }`;

const searchArguments = z.object({
  query: z.string().trim().min(1).max(200),
  limit: z.number().int().min(1).max(20).default(5),
});
const logArguments = z
  .object({
    type: z.enum(["CALL", "EMAIL", "MEETING", "NOTE", "TASK"]),
    subject: z.string().min(1).max(200),
    body: z.string().max(10_000).optional(),
    contactId: z.string().optional(),
    dealId: z.string().optional(),
  })
  .refine((args) => args.contactId || args.dealId, "contactId or dealId is required");

/** Every tool an agent can be given, by its GraphQL name. */
const TOOLS: Record<AgentTool, ToolDefinition> = {
  SEARCH_CONTACTS: {
    spec: {
      name: "search_contacts",
      description: "Search the workspace's CRM contacts by name, email or company name.",
      parameters: {
        type: "object",
        properties: {
          query: { type: "string", description: "Text to look for" },
          limit: { type: "integer", minimum: 1, maximum: 20, description: "How many contacts at most (default 5)" },
        },
        required: ["query"],
      },
    },
    arguments: searchArguments,
    run: async (args: z.infer<typeof searchArguments>, principal, gateway) => {
      const data = await gateway.request<{ contacts: { edges: { node: unknown }[] } }>(principal, SEARCH_CONTACTS, {
        search: args.query,
        first: args.limit,
      });
      return { contacts: data.contacts.edges.map((edge) => edge.node) };
    },
  },
  LOG_ACTIVITY: {
    spec: {
      name: "log_activity",
      description: "Log a call, email, meeting, note or task on a CRM contact or deal.",
      parameters: {
        type: "object",
        properties: {
          type: { type: "string", enum: ["CALL", "EMAIL", "MEETING", "NOTE", "TASK"] },
          subject: { type: "string", description: "One-line summary" },
          body: { type: "string", description: "Details" },
          contactId: { type: "string", description: "The contact's id (from search_contacts)" },
          dealId: { type: "string", description: "The deal's id" },
        },
        required: ["type", "subject"],
      },
    },
    arguments: logArguments,
    run: async (args: z.infer<typeof logArguments>, principal, gateway) =>
      (await gateway.request<{ logActivity: unknown }>(principal, LOG_ACTIVITY, { input: args })).logActivity,
  },
  WHOAMI: {
    spec: {
      name: "whoami",
      description: "Tell who this run acts for: the user and the workspace.",
      parameters: { type: "object", properties: {} },
    },
    arguments: z.object({}),
    run: (_args, principal, gateway) => gateway.request(principal, WHOAMI, {}),
  },
};

/** The tools of one run: their specs for the model, and a way to call them by name. */
export class Toolbox {
  private readonly byName: Map<string, ToolDefinition>;

  constructor(
    tools: readonly AgentTool[],
    private readonly principal: AuthenticatedPrincipal,
    private readonly gateway: ToolGateway,
  ) {
    this.byName = new Map(tools.map((tool) => [TOOLS[tool].spec.name, TOOLS[tool]]));
  }

  get specs(): ToolSpec[] {
    return [...this.byName.values()].map((tool) => tool.spec);
  }

  /** Runs a call; its failure (unknown tool, bad arguments, refused by the graph) is a ToolError. */
  async call(name: string, rawArguments: string): Promise<unknown> {
    const tool = this.byName.get(name);
    if (!tool) throw new ToolError(`This agent has no tool named ${name}`);
    let parsed: unknown;
    try {
      parsed = rawArguments.trim() ? JSON.parse(rawArguments) : {};
    } catch {
      throw new ToolError("The arguments are not valid JSON");
    }
    const args = tool.arguments.safeParse(parsed);
    if (!args.success) throw new ToolError(`Invalid arguments: ${args.error.issues.map((i) => i.message).join("; ")}`);
    return tool.run(args.data, this.principal, this.gateway);
  }
}
