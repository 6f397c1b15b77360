import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { formatCount, formatMoney } from "../../components/format.ts";
import { planTitles } from "./format.ts";

export const PlanCard_plan = graphql(`
  fragment PlanCard_plan on Plan {
    name
    monthlyPrice {
      amount
      currency
    }
    limits {
      contacts
      agents
      apiCallsPerMonth
      socialAccounts
      storageGb
    }
  }
`);

const limit = (value: number | null | undefined, unit = "") =>
  value == null ? "Unlimited" : `${formatCount(value)}${unit}`;

/**
 * A plan with its price and limits; the current one is marked. `action` is what the viewer can do
 * about it (an Upgrade button, or why there is none).
 */
export function PlanCard(props: {
  plan: FragmentType<typeof PlanCard_plan>;
  current: boolean;
  action?: React.ReactNode;
}) {
  const plan = getFragmentData(PlanCard_plan, props.plan);
  const headingId = `plan-${plan.name}`;
  return (
    <article className={props.current ? "plan current" : "plan"} aria-labelledby={headingId}>
      <h3 id={headingId}>{planTitles[plan.name]}</h3>
      {props.current ? <p className="badge current-badge">Current plan</p> : null}
      <p className="price">
        {plan.monthlyPrice.amount === 0 ? "No charge" : `${formatMoney(plan.monthlyPrice)} a month`}
      </p>
      <dl className="limits">
        <dt>Contacts</dt>
        <dd>{limit(plan.limits.contacts)}</dd>
        <dt>Agents</dt>
        <dd>{limit(plan.limits.agents)}</dd>
        <dt>API calls a month</dt>
        <dd>{limit(plan.limits.apiCallsPerMonth)}</dd>
        <dt>Social accounts</dt>
        <dd>{limit(plan.limits.socialAccounts)}</dd>
        <dt>Storage</dt>
        <dd>{limit(plan.limits.storageGb, " GB")}</dd>
      </dl>
      {props.action}
    </article>
  );
}
