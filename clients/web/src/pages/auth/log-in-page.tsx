import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { errorCode } from "../../api/errors.ts";
import { logIn, useSession } from "../../api/session.ts";
import { Field } from "../../components/field.tsx";
import { EMAIL_RULE, showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";

interface LogInForm {
  email: string;
  password: string;
}

/** Where to go after signing in: the page that sent the visitor here, if it is one of ours. */
export function nextPath(search: URLSearchParams): string {
  const next = search.get("next");
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/crm/contacts";
}

export default function LogInPage() {
  const session = useSession();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<LogInForm>({ defaultValues: { email: "", password: "" } });
  const { errors, isSubmitting } = form.formState;
  if (session.status === "signedIn") return <Navigate to={nextPath(search)} replace />;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      await logIn(values);
      navigate(nextPath(search), { replace: true });
    } catch (caught) {
      // On this form UNAUTHENTICATED means the credentials, not an ended session.
      if (errorCode(caught) === "UNAUTHENTICATED") {
        form.setError("password", { type: "server", message: "That email and password do not match an account" });
      } else if (!showServerFieldErrors(caught, form.setError, ["email", "password"])) setError(caught);
    }
  });

  return (
    <main id="main" className="auth">
      <h1>Log in to Mary</h1>
      <form onSubmit={submit} noValidate>
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
        <Field label="Password" error={errors.password}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="current-password"
              {...form.register("password", { required: "Enter your password" })}
            />
          )}
        </Field>
        <ErrorNotice error={error} />
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p>
        New to Mary? <Link to={`/signup${search.size ? `?${search}` : ""}`}>Create an account</Link>
      </p>
    </main>
  );
}
