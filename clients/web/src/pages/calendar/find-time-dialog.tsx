import { useApolloClient } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import { fieldErrors } from "../../api/errors.ts";
import { Dialog } from "../../components/dialog.tsx";
import { Field } from "../../components/field.tsx";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { addDays, formatSpan, instantOf } from "./calendar-time.ts";
import type { CalendarFreeSlotsQuery } from "../../__generated__/graphql.ts";
import type { NewEventDraft } from "./event-editor.tsx";
import { PeoplePicker } from "./workspace-people.tsx";

const FreeSlotsQuery = graphql(`
  query CalendarFreeSlots(
    $attendeeIds: [ID!]!
    $durationMinutes: Int!
    $from: DateTimeISO!
    $to: DateTimeISO!
    $bufferMinutes: Int!
  ) {
    freeSlots(
      attendeeIds: $attendeeIds
      durationMinutes: $durationMinutes
      from: $from
      to: $to
      bufferMinutes: $bufferMinutes
      granularityMinutes: 15
      first: 50
    ) {
      slots {
        start
        end
      }
      attendees {
        id
        name
      }
    }
  }
`);

interface FindValues {
  durationMinutes: number;
  fromDate: string;
  toDate: string;
  bufferMinutes: number;
}

const SERVER_FIELDS: Record<string, keyof FindValues> = {
  durationMinutes: "durationMinutes",
  from: "fromDate",
  to: "toDate",
  bufferMinutes: "bufferMinutes",
};

/**
 * "Find a time": the slots when every attendee picked is free and inside their working hours
 * (freeSlots), in the viewer's zone. Picking one opens the event editor with that time and those
 * attendees, so the meeting gets its title and details before it is created.
 */
export function FindTimeDialog({
  open,
  onOpenChange,
  viewerId,
  timeZone,
  firstDate,
  lastDate,
  onPick,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  viewerId: string;
  timeZone: string;
  firstDate: string;
  lastDate: string;
  onPick: (draft: NewEventDraft) => void;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Find a time"
      description={`Times when everyone is free and working, on the clocks of ${timeZone}.`}
    >
      {open ? (
        <FindTimeForm
          viewerId={viewerId}
          timeZone={timeZone}
          firstDate={firstDate}
          lastDate={lastDate}
          onPick={onPick}
          onCancel={() => onOpenChange(false)}
        />
      ) : null}
    </Dialog>
  );
}

function FindTimeForm({
  viewerId,
  timeZone,
  firstDate,
  lastDate,
  onPick,
  onCancel,
}: {
  viewerId: string;
  timeZone: string;
  firstDate: string;
  lastDate: string;
  onPick: (draft: NewEventDraft) => void;
  onCancel: () => void;
}) {
  const [attendeeIds, setAttendeeIds] = useState<string[]>([viewerId]);
  const [attendeeError, setAttendeeError] = useState<string | null>(null);
  const form = useForm<FindValues>({
    defaultValues: { durationMinutes: 30, fromDate: firstDate, toDate: lastDate, bufferMinutes: 0 },
  });
  const { errors } = form.formState;
  const client = useApolloClient();
  const [data, setData] = useState<CalendarFreeSlotsQuery | null>(null);
  const [loading, setLoading] = useState(false);
  const [searchError, setSearchError] = useState<unknown>(null);
  const [asked, setAsked] = useState<string[]>([]);

  const submit = form.handleSubmit(async (values) => {
    setSearchError(null);
    setAttendeeError(null);
    if (attendeeIds.length === 0) {
      setAttendeeError("Pick at least one person");
      return;
    }
    if (values.toDate < values.fromDate) {
      form.setError("toDate", { type: "order", message: "The last day is before the first" });
      return;
    }
    setAsked(attendeeIds);
    setLoading(true);
    setData(null);
    try {
      const result = await client.query({
        query: FreeSlotsQuery,
        fetchPolicy: "network-only",
        variables: {
          attendeeIds,
          durationMinutes: Number(values.durationMinutes),
          bufferMinutes: Number(values.bufferMinutes),
          from: instantOf(values.fromDate, "00:00", timeZone).toISOString(),
          to: instantOf(addDays(values.toDate, 1), "00:00", timeZone).toISOString(),
        },
      });
      setData(result.data ?? null);
    } catch (caught) {
      let placed = false;
      for (const [name, message] of Object.entries(fieldErrors(caught))) {
        const field = SERVER_FIELDS[name];
        if (field) {
          form.setError(field, { type: "server", message });
          placed = true;
        } else if (name === "attendeeIds") {
          setAttendeeError(message);
          placed = true;
        }
      }
      if (!placed) setSearchError(caught);
    } finally {
      setLoading(false);
    }
  });

  const slots = data?.freeSlots.slots ?? [];
  return (
    <div className="calendar-find">
      <form onSubmit={submit} noValidate>
        <PeoplePicker legend="Who" value={attendeeIds} onChange={setAttendeeIds} viewerId={viewerId} />
        {attendeeError ? (
          <p className="field-error" role="alert">
            {attendeeError}
          </p>
        ) : null}
        <div className="crm-form-row">
          <Field label="Duration" error={errors.durationMinutes}>
            {(props) => (
              <select {...props} {...form.register("durationMinutes", { valueAsNumber: true })}>
                {[15, 30, 45, 60, 90, 120].map((minutes) => (
                  <option key={minutes} value={minutes}>
                    {minutes < 60 ? `${minutes} minutes` : `${minutes / 60} hour${minutes > 60 ? "s" : ""}`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Buffer" error={errors.bufferMinutes} hint="Minutes kept free around other events">
            {(props) => (
              <select {...props} {...form.register("bufferMinutes", { valueAsNumber: true })}>
                {[0, 5, 10, 15, 30].map((minutes) => (
                  <option key={minutes} value={minutes}>
                    {minutes === 0 ? "None" : `${minutes} minutes`}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="crm-form-row">
          <Field label="From" error={errors.fromDate}>
            {(props) => (
              <input {...props} type="date" {...form.register("fromDate", { required: "Pick the first day" })} />
            )}
          </Field>
          <Field label="To" error={errors.toDate}>
            {(props) => (
              <input {...props} type="date" {...form.register("toDate", { required: "Pick the last day" })} />
            )}
          </Field>
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={loading}>
            {loading ? "Finding…" : "Find times"}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
      <ErrorNotice error={searchError} />
      {loading ? <Loading label="Finding free times…" /> : null}
      {data && !loading ? (
        slots.length === 0 ? (
          <Empty>
            <p>No time in those days suits everyone. Try more days, a shorter meeting or less buffer.</p>
          </Empty>
        ) : (
          <>
            <h3>Free for {data.freeSlots.attendees.map((person) => person.name).join(", ")}</h3>
            <ul className="calendar-slots" aria-label="Free times">
              {slots.map((slot) => (
                <li key={slot.start}>
                  <button
                    type="button"
                    onClick={() => onPick({ start: new Date(slot.start), end: new Date(slot.end), attendeeIds: asked })}
                  >
                    {formatSpan(slot.start, slot.end, timeZone)}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </div>
  );
}
