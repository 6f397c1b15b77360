import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";

const WorkspaceCreateApiKey = graphql(`
  mutation WorkspaceCreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      key
      apiKey {
        id
        name
      }
    }
  }
`);

/**
 * The scopes a key can have, by the part of Mary they open (`<area>:read|write`, as the users
 * subgraph checks them). Members' keys cannot manage members or billing.
 */
const AREAS = [
  { area: "crm", label: "CRM: contacts, companies, deals" },
  { area: "agents", label: "Agents and their runs" },
  { area: "users", label: "Workspace, members and API keys" },
  { area: "billing", label: "Plan, usage and invoices" },
] as const;
const MANAGER_ONLY = new Set(["users:write", "billing:write"]);

interface CreateApiKeyForm {
  name: string;
  scopes: string[];
}

/** Names a new key and picks its scopes; the secret comes back once, for `onCreated` to show. */
export function CreateApiKeyForm({
  viewerRole,
  refetchKeys,
  onCreated,
}: {
  viewerRole: string;
  refetchKeys: () => Promise<unknown>;
  onCreated: (created: { name: string; key: string }) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  // The secret is not written to Apollo's cache: it lives only in the dialog's state.
  const [createApiKey] = useMutation(WorkspaceCreateApiKey, { fetchPolicy: "no-cache" });
  const form = useForm<CreateApiKeyForm>({ defaultValues: { name: "", scopes: [] } });
  const { errors, isSubmitting } = form.formState;
  const isManager = viewerRole === "OWNER" || viewerRole === "ADMIN";

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { data } = await createApiKey({
        variables: { input: { name: values.name.trim(), scopes: values.scopes } },
      });
      if (!data) return;
      onCreated({ name: data.createApiKey.apiKey.name, key: data.createApiKey.key });
      form.reset({ name: "", scopes: [] });
      await refetchKeys();
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, ["name", "scopes"])) setError(caught);
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-labelledby="create-key-heading" className="card">
      <h3 id="create-key-heading">Create an API key</h3>
      <Field label="Key name" error={errors.name} hint="What uses it, e.g. “Zapier sync”.">
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            {...form.register("name", {
              required: "Name the key",
              validate: (value) => value.trim().length > 0 || "Name the key",
            })}
          />
        )}
      </Field>
      <fieldset className="scopes-picker" aria-describedby={errors.scopes ? "scopes-error" : undefined}>
        <legend>Scopes</legend>
        <table>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Read</th>
              <th scope="col">Write</th>
            </tr>
          </thead>
          <tbody>
            {AREAS.map(({ area, label }) => (
              <tr key={area}>
                <th scope="row">{label}</th>
                {(["read", "write"] as const).map((access) => {
                  const scope = `${area}:${access}`;
                  const allowed = isManager || !MANAGER_ONLY.has(scope);
                  return (
                    <td key={access}>
                      <label className="scope-checkbox">
                        <input
                          type="checkbox"
                          value={scope}
                          disabled={!allowed}
                          {...form.register("scopes", {
                            validate: (value) => value.length > 0 || "Choose at least one scope",
                          })}
                        />
                        <code>{scope}</code>
                      </label>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {isManager ? null : (
          <small className="hint">Only owners and admins can grant users:write and billing:write.</small>
        )}
        {errors.scopes ? (
          <small id="scopes-error" className="field-error" role="alert">
            {errors.scopes.message}
          </small>
        ) : null}
      </fieldset>
      <ErrorNotice error={error} />
      <button type="submit" className="primary" disabled={isSubmitting}>
        {isSubmitting ? "Creating…" : "Create key"}
      </button>
    </form>
  );
}
