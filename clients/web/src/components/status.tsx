import { Link, useLocation } from "react-router";
import { describeError } from "../api/errors.ts";

/** Shown while a page's data loads; announced politely to screen readers. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      {label}
    </p>
  );
}

/** A list with nothing in it yet, and what to do about that. */
export function Empty({ children }: { children: React.ReactNode }) {
  return <div className="empty">{children}</div>;
}

/**
 * An operation's error in words, with what the person can do next: PLAN_LIMIT offers the
 * upgrade, RATE_LIMITED says when to retry, UNAUTHENTICATED goes to log-in and back here.
 */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const location = useLocation();
  if (!error) return null;
  const described = describeError(error);
  const back = encodeURIComponent(location.pathname + location.search);
  return (
    <div className="error" role="alert" data-code={described.code}>
      <p>{described.message}</p>
      {described.code === "PLAN_LIMIT" || described.code === "QUOTA_EXCEEDED" ? (
        <Link className="button primary" to="/billing">
          See plans and upgrade
        </Link>
      ) : null}
      {described.code === "UNAUTHENTICATED" ? <Link to={`/login?next=${back}`}>Log in</Link> : null}
      {onRetry && described.code !== "PLAN_LIMIT" && described.code !== "UNAUTHENTICATED" ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
