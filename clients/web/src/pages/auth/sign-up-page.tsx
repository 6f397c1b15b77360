import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { signUp, useSession } from "../../api/session.ts";
import { Field } from "../../components/field.tsx";
import { EMAIL_RULE, showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";
import { nextPath } from "./log-in-page.tsx";

interface SignUpForm {
  name: string;
  email: string;
  password: string;
  workspaceName: string;
}

export default function SignUpPage() {
  const session = useSession();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<SignUpForm>({ defaultValues: { name: "", email: "", password: "", workspaceName: "" } });
  const { errors, isSubmitting } = form.formState;
  if (session.status === "signedIn") return <Navigate to={nextPath(search)} replace />;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      await signUp(values);
      navigate(nextPath(search), { replace: true });
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, ["name", "email", "password", "workspaceName"])) {
        setError(caught);
      }
    }
  });

  return (
    <main id="main" className="auth">
      <h1>Create your Mary account</h1>
      <form onSubmit={submit} noValidate>
        <Field label="Your name" error={errors.name}>
          {(props) => (
            <input {...props} autoComplete="name" {...form.register("name", { required: "Enter your name" })} />
          )}
        </Field>
        <Field label="Email" error={errors.email}>
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="email"
              {...form.register("email", {
                required: "Enter your email address",
                pattern: EMAIL_RULE,
              })}
            />
          )}
        </Field>
        <Field
          label="Password"
          error={errors.password}
          hint="At least 10 characters, with a letter and a digit or symbol."
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              {...form.register("password", {
                required: "Choose a password",
                minLength: { value: 10, message: "Use at least 10 characters" },
                validate: (value) =>
                  (/[a-z]/i.test(value) && /[^a-z]/i.test(value)) || "Use a letter and a digit or symbol",
              })}
            />
          )}
        </Field>
        <Field
          label="Workspace name"
          error={errors.workspaceName}
          hint="Your team or company; you can rename it later."
        >
          {(props) => (
            <input
              {...props}
              autoComplete="organization"
              {...form.register("workspaceName", { required: "Name your workspace" })}
            />
          )}
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Creating your account…" : "Create account"}
        </button>
      </form>
      <p>
        Already have an account? <Link to={`/login${search.size ? `?${search}` : ""}`}>Log in</Link>
      </p>
    </main>
  );
}
