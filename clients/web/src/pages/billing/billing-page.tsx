import { useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { graphql } from "../../__generated__/gql.ts";
import type { PlanName } from "../../__generated__/graphql.ts";
import { useSession } from "../../api/session.ts";
import { ErrorNotice, Loading } from "../../components/status.tsx";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { planTitles } from "./format.ts";
import { InvoicesSection } from "./invoices-section.tsx";
import { PlanCard } from "./plan-card.tsx";
import { SubscriptionSummary } from "./subscription-summary.tsx";
import { UsageMeters } from "./usage-meters.tsx";

const BillingPageQuery = graphql(`
  query BillingPage {
    workspace {
      id
      plan {
        name
      }
      subscription {
        id
        status
        ...SubscriptionSummary_subscription
      }
      ...UsageMeters_workspace
    }
    plans {
      name
      ...PlanCard_plan
    }
  }
`);

const BillingCreateCheckoutSession = graphql(`
  mutation BillingCreateCheckoutSession($plan: PlanName!) {
    createCheckoutSession(plan: $plan) {
      id
      url
    }
  }
`);

const BillingCancelSubscription = graphql(`
  mutation BillingCancelSubscription {
    cancelSubscription {
      id
      ...SubscriptionSummary_subscription
    }
  }
`);

/** After Stripe's checkout, how often to look for its confirmation, and for how long. */
const CONFIRMATION_POLL_MS = 2_000;
const CONFIRMATION_WAIT_MS = 60_000;

/** /billing: the plans, the current one, usage against its limits, upgrading through Stripe, invoices. */
export default function BillingPage() {
  const session = useSession();
  if (session.status !== "signedIn") return null;
  // A switch of workspace starts the page afresh (the store was cleared).
  return <Billing key={session.workspace.id} role={session.role} />;
}

function Billing({ role }: { role: string }) {
  const [search, setSearch] = useSearchParams();
  const checkout = search.get("checkout");
  const { data, loading, error, refetch, startPolling, stopPolling } = useQuery(BillingPageQuery);
  const [createCheckoutSession] = useMutation(BillingCreateCheckoutSession);
  const [cancelSubscription] = useMutation(BillingCancelSubscription);
  const [upgrading, setUpgrading] = useState<PlanName | null>(null);
  const [upgradeError, setUpgradeError] = useState<unknown>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const canManage = role === "OWNER" || role === "ADMIN";

  // Back from Stripe with ?checkout=success: the plan changes when Stripe's webhook arrives, so the
  // page asks again every 2 s until the workspace is on a paid plan, for at most a minute.
  const currentPlan = data?.workspace.plan.name;
  const paid = currentPlan !== undefined && currentPlan !== "FREE";
  // Decided on arrival, so that dismissing the notice does not stop the wait.
  const [awaitingConfirmation] = useState(() => checkout === "success");
  const [waitStarted] = useState(() => Date.now());
  const [timedOut, setTimedOut] = useState(false);
  const polling = awaitingConfirmation && !paid && !timedOut;
  useEffect(() => {
    if (!polling) return;
    startPolling(CONFIRMATION_POLL_MS);
    const timer = setTimeout(() => setTimedOut(true), Math.max(0, waitStarted + CONFIRMATION_WAIT_MS - Date.now()));
    return () => {
      clearTimeout(timer);
      stopPolling();
    };
  }, [polling, startPolling, stopPolling, waitStarted]);

  const upgrade = async (plan: PlanName) => {
    setUpgradeError(null);
    setUpgrading(plan);
    try {
      const { data: result } = await createCheckoutSession({ variables: { plan } });
      if (!result) throw new Error("Stripe did not start a checkout");
      // Stripe's page; it sends the browser back to /billing?checkout=success (or =cancelled).
      window.location.assign(result.createCheckoutSession.url);
    } catch (caught) {
      setUpgradeError(caught);
      setUpgrading(null);
    }
  };

  const dismissNotice = () => {
    const next = new URLSearchParams(search);
    next.delete("checkout");
    setSearch(next, { replace: true });
  };

  if (!data && loading) return <Loading label="Loading billing…" />;
  if (!data) {
    return (
      <section>
        <h1>Billing</h1>
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      </section>
    );
  }

  const { workspace, plans } = data;
  const currentTitle = planTitles[workspace.plan.name];
  const action = (plan: PlanName): React.ReactNode => {
    if (plan === workspace.plan.name || plan === "FREE") return null;
    if (!canManage) return <p className="hint">Ask an owner or admin to change the plan.</p>;
    if (polling) return <p className="hint">Waiting for Stripe to confirm your payment…</p>;
    if (workspace.plan.name !== "FREE") {
      return (
        <p className="hint">
          To switch to {planTitles[plan]}, cancel the {currentTitle} subscription first.
        </p>
      );
    }
    return (
      <button type="button" className="primary" disabled={upgrading !== null} onClick={() => void upgrade(plan)}>
        {upgrading === plan ? "Opening Stripe…" : `Upgrade to ${planTitles[plan]}`}
      </button>
    );
  };

  return (
    <div className="billing-page">
      <h1>Billing</h1>
      {checkout === "success" ? (
        <div className="notice" role="status">
          {paid ? (
            <p>Payment received. Your workspace is now on {currentTitle}.</p>
          ) : timedOut ? (
            <p>
              Payment received, but Stripe has not confirmed it yet. Reload this page in a few minutes to see your new
              plan.
            </p>
          ) : (
            <p>Payment received; your plan updates when Stripe confirms it.</p>
          )}
          <button type="button" onClick={dismissNotice}>
            Dismiss
          </button>
        </div>
      ) : null}
      {checkout === "cancelled" ? (
        <div className="notice" role="status">
          <p>Checkout was cancelled; nothing was charged and your plan is unchanged.</p>
          <button type="button" onClick={dismissNotice}>
            Dismiss
          </button>
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : null}

      <section aria-labelledby="current-plan-heading">
        <h2 id="current-plan-heading">Your plan: {currentTitle}</h2>
        {workspace.subscription ? (
          <SubscriptionSummary
            subscription={workspace.subscription}
            {...(canManage ? { onCancel: () => setConfirmCancel(true) } : {})}
          />
        ) : (
          <p className="hint">
            No paid subscription: the workspace uses Free's limits.
            {canManage ? " Upgrade below when you need more." : null}
          </p>
        )}
        <UsageMeters workspace={workspace} />
      </section>

      <section aria-labelledby="plans-heading">
        <h2 id="plans-heading">Plans</h2>
        <ErrorNotice error={upgradeError} />
        <div className="plans">
          {plans.map((plan) => (
            <PlanCard
              key={plan.name}
              plan={plan}
              current={plan.name === workspace.plan.name}
              action={action(plan.name)}
            />
          ))}
        </div>
        <p className="hint">Payments are handled by Stripe. Prices are per workspace per month.</p>
      </section>

      <InvoicesSection refreshKey={`${workspace.plan.name}:${workspace.subscription?.status ?? "none"}`} />

      <ConfirmDialog
        open={confirmCancel}
        onOpenChange={setConfirmCancel}
        title="Cancel subscription?"
        description={`The workspace keeps ${currentTitle} until the end of the period it has paid for, then moves to Free and its limits.`}
        confirmLabel="Cancel subscription"
        onConfirm={() => cancelSubscription()}
      />
    </div>
  );
}
