import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import { switchWorkspace } from "../../api/session.ts";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";

const WorkspaceCreateWorkspace = graphql(`
  mutation WorkspaceCreateWorkspace($name: String!) {
    createWorkspace(name: $name) {
      id
      name
    }
  }
`);

interface CreateWorkspaceForm {
  name: string;
}

/** Creates another workspace, owned by the viewer; the switcher in the header lists it at once. */
export function CreateWorkspaceForm() {
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const [switching, setSwitching] = useState(false);
  // MyWorkspaces is the header's switcher (components/layout.tsx).
  const [createWorkspace] = useMutation(WorkspaceCreateWorkspace, {
    refetchQueries: ["MyWorkspaces"],
    awaitRefetchQueries: true,
  });
  const form = useForm<CreateWorkspaceForm>({ defaultValues: { name: "" } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    setCreated(null);
    try {
      const { data } = await createWorkspace({ variables: { name: values.name.trim() } });
      if (data) setCreated(data.createWorkspace);
      form.reset({ name: "" });
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, ["name"])) setError(caught);
    }
  });

  return (
    <section aria-labelledby="new-workspace-heading">
      <h2 id="new-workspace-heading">New workspace</h2>
      <p className="hint">A workspace of its own: other members, data, plan and API keys. You become its owner.</p>
      <form onSubmit={submit} noValidate className="card" aria-labelledby="new-workspace-heading">
        <div className="toolbar">
          <Field label="Workspace name" error={errors.name}>
            {(props) => (
              <input
                {...props}
                autoComplete="organization"
                {...form.register("name", {
                  required: "Name the workspace",
                  validate: (value) => value.trim().length > 0 || "Name the workspace",
                })}
              />
            )}
          </Field>
          <button type="submit" disabled={isSubmitting}>
            {isSubmitting ? "Creating…" : "Create workspace"}
          </button>
        </div>
        <ErrorNotice error={error} />
        {created ? (
          <div className="notice" role="status">
            <p>Created {created.name}. It is in the workspace switcher at the top.</p>
            <button
              type="button"
              disabled={switching}
              onClick={async () => {
                setSwitching(true);
                setError(null);
                try {
                  await switchWorkspace(created.id);
                  setCreated(null);
                } catch (caught) {
                  setError(caught);
                } finally {
                  setSwitching(false);
                }
              }}
            >
              Switch to {created.name}
            </button>
          </div>
        ) : null}
      </form>
    </section>
  );
}
