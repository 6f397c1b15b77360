import { useId } from "react";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { formatCount, formatDate } from "../../components/format.ts";
import { planTitles } from "./format.ts";

export const UsageMeters_workspace = graphql(`
  fragment UsageMeters_workspace on Workspace {
    plan {
      name
      limits {
        contacts
        agents
        apiCallsPerMonth
      }
    }
    usage {
      contacts
      agents
      apiCallsThisPeriod
      periodEnd
    }
  }
`);

/** One count against its limit: a labelled meter ("Contacts 3 of 100"), or the count when unlimited. */
function UsageMeter({ label, used, limit, plan }: { label: string; used: number; limit: number | null; plan: string }) {
  const id = useId();
  if (limit === null) {
    return (
      <div className="usage-meter">
        <p className="usage-label">
          <span>{label}</span> {formatCount(used)}, unlimited on {plan}
        </p>
      </div>
    );
  }
  const full = used >= limit;
  return (
    <div className={full ? "usage-meter full" : "usage-meter"}>
      <label htmlFor={id} className="usage-label">
        <span>{label}</span> {formatCount(used)} of {formatCount(limit)}
      </label>
      <meter
        id={id}
        min={0}
        max={limit}
        value={Math.min(used, limit)}
        low={limit * 0.8}
        high={limit * 0.95}
        optimum={0}
      />
      {full ? <small className="field-error">Limit reached: upgrade to add more.</small> : null}
    </div>
  );
}

/** What the workspace uses of its plan's limits. */
export function UsageMeters(props: { workspace: FragmentType<typeof UsageMeters_workspace> }) {
  const { plan, usage } = getFragmentData(UsageMeters_workspace, props.workspace);
  const title = planTitles[plan.name];
  return (
    <div className="usage-meters">
      <h3>Usage</h3>
      <UsageMeter label="Contacts" used={usage.contacts} limit={plan.limits.contacts ?? null} plan={title} />
      <UsageMeter label="Agents" used={usage.agents} limit={plan.limits.agents ?? null} plan={title} />
      <UsageMeter
        label="API calls this month"
        used={usage.apiCallsThisPeriod}
        limit={plan.limits.apiCallsPerMonth ?? null}
        plan={title}
      />
      <p className="hint">API calls count from zero again on {formatDate(usage.periodEnd)}.</p>
    </div>
  );
}
