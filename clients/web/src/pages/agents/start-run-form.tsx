import { useMutation } from "@apollo/client/react";
import { useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { graphql } from "../../__generated__/gql.ts";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";

const StartRunFormStart = graphql(`
  mutation StartRunFormStart($input: StartAgentRunInput!) {
    startAgentRun(input: $input) {
      id
      status
      input
      createdAt
      startedAt
      finishedAt
    }
  }
`);

interface StartRunValues {
  input: string;
}

/** Asks the agent something: starts a run and opens it, where its output streams. */
export function StartRunForm({ agentId }: { agentId: string }) {
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  // A retry of the same request returns the run the first one started instead of a second run.
  const idempotencyKey = useRef(crypto.randomUUID());
  const [startRun] = useMutation(StartRunFormStart);
  const form = useForm<StartRunValues>({ defaultValues: { input: "" } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { data } = await startRun({
        variables: { input: { agentId, input: values.input, idempotencyKey: idempotencyKey.current } },
        update: (cache) => {
          // The agent's run history (and the agents list's last run) has a new first entry.
          cache.evict({ id: cache.identify({ __typename: "Agent", id: agentId }), fieldName: "runs" });
          cache.gc();
        },
      });
      idempotencyKey.current = crypto.randomUUID();
      if (data) navigate(`/agents/${agentId}/runs/${data.startAgentRun.id}`);
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, ["input"])) setError(caught);
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label="Start a run" className="card">
      <Field label="What to ask the agent" error={errors.input}>
        {(props) => (
          <textarea
            {...props}
            rows={3}
            {...form.register("input", {
              validate: (value) => value.trim().length > 0 || "Write what the agent should answer",
              maxLength: { value: 100_000, message: "Use at most 100,000 characters" },
            })}
          />
        )}
      </Field>
      <ErrorNotice error={error} />
      <button type="submit" className="primary" disabled={isSubmitting}>
        {isSubmitting ? "Starting…" : "Start run"}
      </button>
    </form>
  );
}
