import { useMutation } from "@apollo/client/react";
import { useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { getFragmentData, type FragmentType } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { AgentProvider, AgentTool, UpdateAgentInput } from "../../__generated__/graphql.ts";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";
import { PROVIDERS, TOOLS } from "./labels.tsx";

export const AgentForm_agent = graphql(`
  fragment AgentForm_agent on Agent {
    id
    name
    provider
    model
    instructions
    tools
    updatedAt
  }
`);

const AgentFormCreate = graphql(`
  mutation AgentFormCreate($input: CreateAgentInput!) {
    createAgent(input: $input) {
      id
      ...AgentForm_agent
    }
  }
`);

const AgentFormUpdate = graphql(`
  mutation AgentFormUpdate($id: ID!, $input: UpdateAgentInput!) {
    updateAgent(id: $id, input: $input) {
      id
      ...AgentForm_agent
    }
  }
`);

interface AgentFormValues {
  name: string;
  provider: AgentProvider;
  model: string;
  instructions: string;
  tools: AgentTool[];
}

const FIELDS = ["name", "provider", "model", "instructions", "tools"] as const;

const sameTools = (a: readonly AgentTool[], b: readonly AgentTool[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * The agent's settings: creates a new agent (then opens its page) when given none, else saves
 * the fields that changed.
 */
export function AgentForm(props: { agent?: FragmentType<typeof AgentForm_agent> }) {
  const agent = getFragmentData(AgentForm_agent, props.agent);
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  // One key per intended creation: a retry of the same request (after OUTCOME_UNKNOWN, say)
  // returns the agent the first one made instead of making a second.
  const idempotencyKey = useRef(crypto.randomUUID());
  const [createAgent] = useMutation(AgentFormCreate);
  const [updateAgent] = useMutation(AgentFormUpdate);
  const valuesOf = (source: typeof agent): AgentFormValues => ({
    name: source?.name ?? "",
    provider: source?.provider ?? "LOCAL",
    model: source?.model ?? "",
    instructions: source?.instructions ?? "",
    tools: source ? [...source.tools] : [],
  });
  const form = useForm<AgentFormValues>({ defaultValues: valuesOf(agent) });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    setSaved(false);
    const model = values.model.trim();
    const tools = Array.isArray(values.tools) ? values.tools : [];
    try {
      if (!agent) {
        const { data } = await createAgent({
          variables: {
            input: {
              name: values.name.trim(),
              provider: values.provider,
              instructions: values.instructions,
              tools,
              ...(model ? { model } : {}),
              idempotencyKey: idempotencyKey.current,
            },
          },
          update: (cache) => {
            // The list of agents has one more; it is fetched again when next shown.
            cache.evict({ id: "ROOT_QUERY", fieldName: "agents" });
            cache.gc();
          },
        });
        idempotencyKey.current = crypto.randomUUID();
        if (data) navigate(`/agents/${data.createAgent.id}`, { replace: true });
        return;
      }
      const input: UpdateAgentInput = {};
      if (values.name.trim() !== agent.name) input.name = values.name.trim();
      if (values.provider !== agent.provider) input.provider = values.provider;
      // Changing the provider without a model picks that provider's default.
      if (model && model !== agent.model) input.model = model;
      if (values.instructions !== agent.instructions) input.instructions = values.instructions;
      if (!sameTools(tools, agent.tools)) input.tools = tools;
      const { data } = await updateAgent({ variables: { id: agent.id, input } });
      if (data) form.reset(valuesOf(getFragmentData(AgentForm_agent, data.updateAgent)));
      setSaved(true);
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, FIELDS)) setError(caught);
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={agent ? "Agent settings" : "New agent"} className="card">
      <Field label="Name" error={errors.name}>
        {(fieldProps) => (
          <input
            {...fieldProps}
            autoComplete="off"
            {...form.register("name", {
              validate: (value) => value.trim().length > 0 || "Name the agent",
              maxLength: { value: 100, message: "Use at most 100 characters" },
            })}
          />
        )}
      </Field>
      <Field label="Provider" error={errors.provider}>
        {(fieldProps) => (
          <select
            {...fieldProps}
            {...form.register("provider", {
              // A model belongs to its provider: a new provider starts from its default.
              onChange: () => form.setValue("model", ""),
            })}
          >
            {PROVIDERS.map((provider) => (
              <option key={provider.value} value={provider.value}>
                {provider.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Model"
        error={errors.model}
        hint="Leave empty for the provider's default (local-echo for Local, the server's model for OpenAI)."
      >
        {(fieldProps) => (
          <input
            {...fieldProps}
            autoComplete="off"
            {...form.register("model", { maxLength: { value: 100, message: "Use at most 100 characters" } })}
          />
        )}
      </Field>
      <Field label="Instructions" error={errors.instructions} hint="How the agent should behave (its system prompt).">
        {(fieldProps) => (
          <textarea
            {...fieldProps}
            rows={6}
            {...form.register("instructions", {
              maxLength: { value: 20_000, message: "Use at most 20,000 characters" },
            })}
          />
        )}
      </Field>
      <fieldset className="agents-tools" aria-describedby={errors.tools ? "agent-tools-error" : undefined}>
        <legend>Tools</legend>
        {TOOLS.map((tool) => (
          <label key={tool.value} className="agents-tool-option">
            <input type="checkbox" value={tool.value} {...form.register("tools")} />
            <span>
              {tool.label}
              <small className="hint"> — {tool.hint}</small>
            </span>
          </label>
        ))}
        {errors.tools ? (
          <small id="agent-tools-error" className="field-error" role="alert">
            {errors.tools.message}
          </small>
        ) : null}
      </fieldset>
      <ErrorNotice error={error} />
      {saved ? (
        <p className="notice" role="status">
          Changes saved.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={isSubmitting}>
        {isSubmitting ? "Saving…" : "Save"}
      </button>
    </form>
  );
}
