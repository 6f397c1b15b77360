import {
  badUserInput,
  notFound,
  optionalText,
  requiredText,
  requireWithinPlan,
  withRedisLock,
  type AuthenticatedPrincipal,
  type Connection,
  type PageRequest,
  type Redis,
} from "@mary/kit";
import { LOCAL_MODELS } from "../providers/local.provider.ts";
import { findInWorkspace, type AgentStore } from "../store.ts";
import { AGENT_TOOLS, type Agent, type AgentProvider, type AgentTool } from "../types/agent.type.ts";
import type { IdempotencyKeys } from "./idempotency.ts";
import { timeKeysetFilter, toTimeConnection } from "./paging.ts";

export interface AgentInput {
  name?: string | null;
  instructions?: string | null;
  provider?: AgentProvider | null;
  model?: string | null;
  tools?: AgentTool[] | null;
  idempotencyKey?: string | null;
}

export interface AgentDefaults {
  /** The provider of agents created without one: OPENAI when a key is configured, else LOCAL. */
  provider: AgentProvider;
  openAIConfigured: boolean;
  openAIModel: string;
}

const MAX_INSTRUCTIONS = 20_000;

/** Agents of a workspace: create, change, delete, list, within the plan's agent limit. */
export class AgentService {
  constructor(
    private readonly store: AgentStore,
    private readonly redis: Redis,
    private readonly idempotency: IdempotencyKeys,
    private readonly defaults: AgentDefaults,
  ) {}

  async get(caller: AuthenticatedPrincipal, id: string): Promise<Agent> {
    const agent = await findInWorkspace(this.store.agents, id, caller.workspaceId);
    if (!agent) throw notFound("Agent");
    return agent;
  }

  /**
   * Agents by id in the caller's workspace, in the order asked; null for others' and missing ones.
   * One look-up by `_id` each: FerretDB scans the collection for `$in`, not for a single `_id`.
   */
  async many(workspaceId: string, ids: readonly string[]): Promise<(Agent | null)[]> {
    return Promise.all(ids.map((id) => findInWorkspace(this.store.agents, id, workspaceId)));
  }

  list(caller: AuthenticatedPrincipal, page: PageRequest): Promise<Connection<Agent>> {
    return toTimeConnection(
      this.store.agents
        .find({ workspaceId: caller.workspaceId, ...timeKeysetFilter(page) })
        .sort({ createdAt: -1, _id: -1 })
        .limit(page.first + 1)
        .toArray(),
      page,
    );
  }

  count(workspaceId: string): Promise<number> {
    return this.store.agents.countDocuments({ workspaceId });
  }

  /** Creates an agent within the plan's limit; with an idempotency key, a retry returns the first one. */
  async create(caller: AuthenticatedPrincipal, input: AgentInput): Promise<Agent> {
    const provider = input.provider ?? this.defaults.provider;
    const fields = {
      name: requiredText(input.name, "name", 100),
      instructions: optionalText(input.instructions, "instructions", MAX_INSTRUCTIONS) ?? "",
      provider,
      model: this.checkModel(provider, input.model),
      tools: checkTools(input.tools ?? []),
    };
    return this.idempotency.once(
      caller,
      "createAgent",
      input.idempotencyKey,
      fields,
      async (id) => {
        const now = new Date();
        const agent: Agent = {
          _id: id,
          workspaceId: caller.workspaceId,
          createdById: caller.userId,
          ...fields,
          createdAt: now,
          updatedAt: now,
        };
        // FerretDB has no transactions and its updates are not atomic, so the count and the insert
        // run under a per-workspace lock: concurrent creates cannot pass the limit together.
        await withRedisLock(this.redis, `agents:create-lock:${caller.workspaceId}`, async () => {
          requireWithinPlan(caller, "agents", await this.count(caller.workspaceId));
          await this.store.agents.insertOne(agent);
        });
        return agent;
      },
      (id) => findInWorkspace(this.store.agents, id, caller.workspaceId),
    );
  }

  async update(caller: AuthenticatedPrincipal, id: string, input: AgentInput): Promise<Agent> {
    const agent = await this.get(caller, id);
    const provider = input.provider ?? agent.provider;
    const changes: Partial<Agent> = { updatedAt: new Date(), provider };
    if (input.name != null) changes.name = requiredText(input.name, "name", 100);
    if (input.instructions != null) {
      changes.instructions = optionalText(input.instructions, "instructions", MAX_INSTRUCTIONS) ?? "";
    }
    // A new provider needs a model it knows: the one given, or its default.
    if (input.model != null || provider !== agent.provider) changes.model = this.checkModel(provider, input.model);
    if (input.tools != null) changes.tools = checkTools(input.tools);
    // The agent is the caller's (checked above), so its `_id` alone finds it.
    const updated = await this.store.agents.findOneAndUpdate(
      { _id: id },
      { $set: changes },
      { returnDocument: "after" },
    );
    if (!updated) throw notFound("Agent");
    return updated;
  }

  /** Deletes the agent; its runs stay as history (their `agent` is then null). */
  async delete(caller: AuthenticatedPrincipal, id: string): Promise<string> {
    await this.get(caller, id);
    const result = await this.store.agents.deleteOne({ _id: id });
    if (result.deletedCount !== 1) throw notFound("Agent");
    return id;
  }

  private checkModel(provider: AgentProvider, model: string | null | undefined): string {
    if (provider === "OPENAI" && !this.defaults.openAIConfigured) {
      throw badUserInput("The OPENAI provider is not configured on this server (no OPENAI_API_KEY)", "provider");
    }
    const fallback = provider === "LOCAL" ? LOCAL_MODELS[0] : this.defaults.openAIModel;
    const name = model == null ? fallback : requiredText(model, "model", 100);
    if (provider === "LOCAL" && !(LOCAL_MODELS as readonly string[]).includes(name)) {
      throw badUserInput(`The LOCAL provider's models are: ${LOCAL_MODELS.join(", ")}`, "model");
    }
    return name;
  }
}

function checkTools(tools: AgentTool[]): AgentTool[] {
  for (const tool of tools) {
    if (!(AGENT_TOOLS as readonly string[]).includes(tool)) throw badUserInput(`Unknown tool ${tool}`, "tools");
  }
  return [...new Set(tools)];
}
