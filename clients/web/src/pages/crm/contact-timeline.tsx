import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { ActivityType } from "../../__generated__/graphql.ts";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { Empty, ErrorNotice } from "../../components/status.tsx";
import { ContactPageQuery } from "./contact-page-query.ts";
import { formatDateTime } from "../../components/format.ts";
import { ACTIVITY_TYPES, activityLabel } from "./crm-format.ts";
import { useLoadMore } from "../../components/load-more.ts";

const TimelineItem_activity = graphql(`
  fragment TimelineItem_activity on Activity {
    id
    type
    subject
    body
    occurredAt
    author {
      id
      name
    }
  }
`);

function TimelineItem(props: { activity: FragmentType<typeof TimelineItem_activity> }) {
  const activity = getFragmentData(TimelineItem_activity, props.activity);
  return (
    <li className="crm-activity">
      <p className="crm-activity-meta">
        <span className="crm-badge">{activityLabel(activity.type)}</span>{" "}
        <time dateTime={activity.occurredAt}>{formatDateTime(activity.occurredAt)}</time> · {activity.author.name}
      </p>
      <h3>{activity.subject}</h3>
      {activity.body ? <p className="crm-activity-body">{activity.body}</p> : null}
    </li>
  );
}

/** The contact's activities, newest first, with "Load more" when older ones follow. */
export function ContactTimeline({
  activities,
  hasNextPage,
  onLoadMore,
}: {
  activities: readonly { node: { id: string } & FragmentType<typeof TimelineItem_activity> }[];
  hasNextPage: boolean;
  onLoadMore: () => Promise<void>;
}) {
  const { loadingMore, moreError: error, track } = useLoadMore();
  const loadMore = () => track(onLoadMore());
  if (activities.length === 0) {
    return (
      <Empty>
        <p>Nothing logged yet. Record a call, an email, a meeting or a note with “Log activity”.</p>
      </Empty>
    );
  }
  return (
    <>
      <ol className="crm-timeline" aria-label="Timeline, newest first">
        {activities.map(({ node }) => (
          <TimelineItem key={node.id} activity={node} />
        ))}
      </ol>
      <ErrorNotice error={error} onRetry={() => void loadMore()} />
      {hasNextPage ? (
        <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? "Loading…" : "Load more activities"}
        </button>
      ) : null}
    </>
  );
}

const LogActivity = graphql(`
  mutation LogActivityForm($input: LogActivityInput!) {
    logActivity(input: $input) {
      id
      occurredAt
      ...TimelineItem_activity
    }
  }
`);

// Named like LogActivityInput's fields, so the server's errors land on them.
interface LogActivityValues {
  type: ActivityType;
  subject: string;
  body: string;
  occurredAt: string;
}
const FIELDS = ["type", "subject", "body", "occurredAt"] as const;

/** A `datetime-local` value (the reader's time zone) as an ISO instant; null when it is not one. */
function localToIso(value: string): string | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Logs an activity on the contact; it appears in the timeline as soon as the server has it. */
export function LogActivityForm({ contactId }: { contactId: string }) {
  const client = useApolloClient();
  const [logActivity] = useMutation(LogActivity);
  const [error, setError] = useState<unknown>(null);
  const [logged, setLogged] = useState<string | null>(null);
  const form = useForm<LogActivityValues>({ defaultValues: { type: "NOTE", subject: "", body: "", occurredAt: "" } });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    setLogged(null);
    try {
      const { data } = await logActivity({
        variables: {
          input: {
            contactId,
            type: values.type,
            subject: values.subject.trim(),
            body: values.body.trim() || null,
            ...(values.occurredAt ? { occurredAt: localToIso(values.occurredAt) } : {}),
          },
        },
      });
      if (!data) return;
      const activity = data.logActivity;
      // Into the loaded timeline at its place by time; an activity older than every loaded one
      // while more remain to load shows up when they are loaded.
      client.cache.updateQuery({ query: ContactPageQuery, variables: { id: contactId } }, (page) => {
        if (!page?.contact) return undefined;
        const { edges, pageInfo } = page.contact.timeline;
        if (edges.some((edge) => edge.node.id === activity.id)) return undefined;
        const at = Date.parse(activity.occurredAt);
        let index = edges.findIndex((edge) => Date.parse(edge.node.occurredAt) <= at);
        if (index === -1) {
          if (pageInfo.hasNextPage) return undefined;
          index = edges.length;
        }
        const edge = { __typename: "ActivityEdge" as const, cursor: "", node: activity };
        return {
          ...page,
          contact: {
            ...page.contact,
            timeline: { ...page.contact.timeline, edges: [...edges.slice(0, index), edge, ...edges.slice(index)] },
          },
        };
      });
      form.reset({ type: values.type, subject: "", body: "", occurredAt: "" });
      setLogged(values.subject.trim());
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, FIELDS)) setError(caught);
    }
  });

  return (
    <form onSubmit={submit} noValidate className="card" aria-labelledby="log-activity-heading">
      <h2 id="log-activity-heading">Log activity</h2>
      <div className="crm-form-row">
        <Field label="Type" error={errors.type}>
          {(props) => (
            <select {...props} {...form.register("type")}>
              {ACTIVITY_TYPES.map(({ type, label }) => (
                <option key={type} value={type}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="When" error={errors.occurredAt} hint="Leave empty for now.">
          {(props) => (
            <input
              {...props}
              type="datetime-local"
              {...form.register("occurredAt", {
                validate: (value) => !value || localToIso(value) !== null || "Enter a date and time",
              })}
            />
          )}
        </Field>
      </div>
      <Field label="Subject" error={errors.subject}>
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            {...form.register("subject", {
              validate: (value) => value.trim().length > 0 || "Enter a one-line summary",
              maxLength: { value: 200, message: "Use at most 200 characters" },
            })}
          />
        )}
      </Field>
      <Field label="Details" error={errors.body}>
        {(props) => (
          <textarea
            {...props}
            rows={3}
            {...form.register("body", { maxLength: { value: 10_000, message: "Use at most 10,000 characters" } })}
          />
        )}
      </Field>
      <ErrorNotice error={error} />
      {logged ? (
        <p className="notice" role="status">
          Logged “{logged}”.
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={isSubmitting}>
        {isSubmitting ? "Logging…" : "Log activity"}
      </button>
    </form>
  );
}
