import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { SubscriptionStatus } from "../../__generated__/graphql.ts";
import { formatDate } from "../../components/format.ts";
import { planTitles } from "./format.ts";

export const SubscriptionSummary_subscription = graphql(`
  fragment SubscriptionSummary_subscription on BillingSubscription {
    id
    plan
    status
    cancelAtPeriodEnd
    currentPeriodEnd
  }
`);

const statusWords: Record<SubscriptionStatus, string> = {
  INCOMPLETE: "waiting for the first payment",
  TRIALING: "in its trial",
  ACTIVE: "active",
  PAST_DUE: "past due: Stripe is retrying the payment, and the plan's limits still apply",
  UNPAID: "unpaid: the workspace is on Free's limits until it pays",
  PAUSED: "paused: the workspace is on Free's limits",
  CANCELED: "ended",
};

/** The workspace's paid subscription as Stripe reports it; `onCancel` when the viewer may cancel it. */
export function SubscriptionSummary(props: {
  subscription: FragmentType<typeof SubscriptionSummary_subscription>;
  onCancel?: () => void;
}) {
  const subscription = getFragmentData(SubscriptionSummary_subscription, props.subscription);
  const end = subscription.currentPeriodEnd ? formatDate(subscription.currentPeriodEnd) : null;
  const live = subscription.status !== "CANCELED";
  return (
    <div className="card subscription">
      <p>
        {planTitles[subscription.plan]} subscription: {statusWords[subscription.status]}.
        {live && end ? (subscription.cancelAtPeriodEnd ? ` It ends on ${end}.` : ` It renews on ${end}.`) : null}
        {live && !end && subscription.cancelAtPeriodEnd ? " It ends at the end of the current period." : null}
      </p>
      {props.onCancel && live && !subscription.cancelAtPeriodEnd ? (
        <button type="button" className="danger" onClick={props.onCancel}>
          Cancel subscription
        </button>
      ) : null}
    </div>
  );
}
