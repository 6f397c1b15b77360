import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import type { Role } from "../../__generated__/graphql.ts";
import { errorCode } from "../../api/errors.ts";
import { Field } from "../../components/field.tsx";
import { EMAIL_RULE, showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";

const WorkspaceAddMember = graphql(`
  mutation WorkspaceAddMember($workspaceId: ID!, $email: String!, $role: Role!) {
    addMember(workspaceId: $workspaceId, email: $email, role: $role) {
      ...MemberRow_membership
    }
  }
`);

interface AddMemberForm {
  email: string;
  role: Role;
}

/** Adds someone who already has a Mary account to the workspace, with a role. */
export function AddMemberForm({
  workspaceId,
  viewerRole,
  onAdded,
}: {
  workspaceId: string;
  viewerRole: string;
  onAdded: () => Promise<unknown>;
}) {
  const [error, setError] = useState<unknown>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [addMember] = useMutation(WorkspaceAddMember);
  const form = useForm<AddMemberForm>({ defaultValues: { email: "", role: "MEMBER" } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    setAdded(null);
    try {
      const { data } = await addMember({ variables: { workspaceId, email: values.email.trim(), role: values.role } });
      await onAdded();
      if (data) setAdded(values.email.trim());
      form.reset({ email: "", role: values.role });
    } catch (caught) {
      // An email no account has is NOT_FOUND: it belongs beside the email field all the same.
      if (errorCode(caught) === "NOT_FOUND") {
        form.setError("email", {
          type: "server",
          message: "No Mary account uses this email. Ask them to sign up first, then add them.",
        });
      } else if (!showServerFieldErrors(caught, form.setError, ["email", "role"])) {
        setError(caught);
      }
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-labelledby="add-member-heading" className="card">
      <h3 id="add-member-heading">Add a member</h3>
      <p className="hint">They need a Mary account already: ask them to sign up first.</p>
      <div className="toolbar">
        <Field label="Email" error={errors.email}>
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="off"
              {...form.register("email", {
                required: "Enter the email address of their Mary account",
                pattern: EMAIL_RULE,
              })}
            />
          )}
        </Field>
        <Field label="Role" error={errors.role}>
          {(props) => (
            <select {...props} {...form.register("role")}>
              <option value="MEMBER">Member</option>
              <option value="ADMIN">Admin</option>
              {viewerRole === "OWNER" ? <option value="OWNER">Owner</option> : null}
            </select>
          )}
        </Field>
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Adding…" : "Add member"}
        </button>
      </div>
      <ErrorNotice error={error} />
      {added ? (
        <p className="notice" role="status">
          Added {added} to the workspace.
        </p>
      ) : null}
    </form>
  );
}
