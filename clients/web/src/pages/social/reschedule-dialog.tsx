import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import { fieldErrors } from "../../api/errors.ts";
import { Dialog } from "../../components/dialog.tsx";
import { ErrorNotice } from "../../components/status.tsx";
import { ScheduleFields } from "./schedule-fields.tsx";
import { browserTimeZone, defaultSchedule } from "./social-time.ts";

const ReschedulePost = graphql(`
  mutation QueueReschedulePost($id: ID!, $at: String!, $timeZone: String!) {
    schedulePost(id: $id, at: $at, timeZone: $timeZone) {
      id
      state
      scheduledAt
      timeZone
      scheduledLocal
      updatedAt
    }
  }
`);

interface RescheduleValues {
  date: string;
  time: string;
  timeZone: string;
}

/** Schedules a draft or failed post, or moves a scheduled one, to a local time in a zone. */
export function RescheduleDialog({
  post,
  onOpenChange,
  onDone,
}: {
  post: { id: string; timeZone?: string | null; scheduledLocal?: string | null } | null;
  onOpenChange: (open: boolean) => void;
  onDone: (words: string) => void;
}) {
  return (
    <Dialog open={post !== null} onOpenChange={onOpenChange} title="Schedule the post">
      {post ? <RescheduleForm post={post} onCancel={() => onOpenChange(false)} onDone={onDone} /> : null}
    </Dialog>
  );
}

function RescheduleForm({
  post,
  onCancel,
  onDone,
}: {
  post: { id: string; timeZone?: string | null; scheduledLocal?: string | null };
  onCancel: () => void;
  onDone: (words: string) => void;
}) {
  const zone = post.timeZone ?? browserTimeZone();
  const start = post.scheduledLocal
    ? { date: post.scheduledLocal.slice(0, 10), time: post.scheduledLocal.slice(11, 16) }
    : defaultSchedule(zone);
  const form = useForm<RescheduleValues>({ defaultValues: { ...start, timeZone: zone } });
  const [schedule] = useMutation(ReschedulePost, { refetchQueries: ["SocialQueue"], awaitRefetchQueries: true });
  const [error, setError] = useState<unknown>(null);
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      await schedule({ variables: { id: post.id, at: `${values.date}T${values.time}`, timeZone: values.timeZone } });
      onCancel();
      onDone(`Scheduled for ${values.date} ${values.time} (${values.timeZone}).`);
    } catch (caught) {
      const byField = fieldErrors(caught);
      if (byField.at) form.setError("date", { type: "server", message: byField.at });
      else if (byField.timeZone) form.setError("timeZone", { type: "server", message: byField.timeZone });
      else setError(caught);
    }
  });
  const required = (what: string) => ({ validate: (value: string) => value.length > 0 || what });
  return (
    <form onSubmit={submit} noValidate>
      <ScheduleFields
        date={form.register("date", required("Pick the day"))}
        time={form.register("time", required("Pick the time"))}
        timeZone={form.register("timeZone")}
        errors={{ date: errors.date, time: errors.time, timeZone: errors.timeZone }}
      />
      <ErrorNotice error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Scheduling…" : "Schedule"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
