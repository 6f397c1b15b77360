import { useApolloClient, useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { AttendeeInput, EventEditScope, EventInput, RsvpStatus } from "../../__generated__/graphql.ts";
import { fieldErrors } from "../../api/errors.ts";
import { Dialog } from "../../components/dialog.tsx";
import { Field } from "../../components/field.tsx";
import { EMAIL_PATTERN } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";
import { addDays, fromMinutes, instantOf, timeZones, wallClock } from "./calendar-time.ts";
import { ConflictList, ConflictList_conflict } from "./conflict-list.tsx";
import { buildRrule, parseRrule, type RepeatEnd, type RepeatKind, WEEKDAYS, type WeekdayCode } from "./recurrence.ts";
import { SCOPE_CHOICES, ScopeFields } from "./scope-fields.tsx";
import { SeriesTimingQuery } from "./series.ts";
import { PeoplePicker } from "./workspace-people.tsx";

/** What the editor needs of an occurrence it edits: the event's fields, and which occurrence it is. */
export const EventEditor_occurrence = graphql(`
  fragment EventEditor_occurrence on EventOccurrence {
    start
    end
    startDate
    endDate
    recurrenceId
    seriesId
    event {
      id
      title
      description
      location
      allDay
      timeZone
      start
      end
      startDate
      endDate
      recurringEventId
      recurrence {
        rrule
        exdates
        rdates
      }
      calendar {
        id
      }
      attendees {
        name
        rsvp
        user {
          id
        }
        correspondent {
          email
        }
      }
    }
  }
`);

const CreateEvent = graphql(`
  mutation CalendarCreateEvent($calendarId: ID!, $input: EventInput!) {
    createEvent(calendarId: $calendarId, input: $input) {
      event {
        id
        title
      }
      conflicts {
        ...ConflictList_conflict
      }
    }
  }
`);

const UpdateEvent = graphql(`
  mutation CalendarUpdateEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {
    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {
      event {
        id
        title
        start
        end
        updatedAt
      }
      conflicts {
        ...ConflictList_conflict
      }
    }
  }
`);

const DeleteEvent = graphql(`
  mutation CalendarDeleteEvent($id: ID!, $scope: EventEditScope!, $occurrence: DateTimeISO) {
    deleteEvent(id: $id, scope: $scope, occurrence: $occurrence)
  }
`);

export interface CalendarChoice {
  id: string;
  name: string;
  kind: "PERSONAL" | "SHARED";
}

/** A new event's starting point: an empty slot clicked, or a free slot picked in "Find a time". */
export interface NewEventDraft {
  start: Date;
  end: Date;
  attendeeIds?: string[];
}

export type EditorTarget =
  { kind: "create"; draft: NewEventDraft } | { kind: "edit"; occurrence: FragmentType<typeof EventEditor_occurrence> };

interface EditorValues {
  title: string;
  description: string;
  location: string;
  calendarId: string;
  allDay: boolean;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  timeZone: string;
  repeat: RepeatKind;
  days: WeekdayCode[];
  repeatEnd: RepeatEnd;
  count: number;
  until: string;
  custom: string;
  guests: string;
  scope: EventEditScope;
}

/** The server's field names, and the editor's fields they belong to. */
const SERVER_FIELDS: Record<string, keyof EditorValues> = {
  title: "title",
  description: "description",
  location: "location",
  start: "startTime",
  end: "endTime",
  startDate: "startDate",
  endDate: "endDate",
  timeZone: "timeZone",
  rrule: "custom",
  recurrence: "custom",
  attendees: "guests",
};

type Saved = { title: string; conflicts: readonly FragmentType<typeof ConflictList_conflict>[] };

/**
 * The event editor: title, description, place, all day or a start and end on the clocks of a
 * zone, how it repeats, whom it invites (members and outside addresses). For a repeating event
 * it asks which occurrences a change is for. Conflicts the server finds are shown once saved.
 */
export function EventEditorDialog({
  target,
  onOpenChange,
  calendars,
  viewerId,
  viewerZone,
  onSaved,
}: {
  target: EditorTarget | null;
  onOpenChange: (open: boolean) => void;
  calendars: CalendarChoice[];
  viewerId: string;
  viewerZone: string;
  onSaved: (words: string) => void;
}) {
  const [saved, setSaved] = useState<Saved | null>(null);
  const change = (open: boolean) => {
    if (!open) setSaved(null);
    onOpenChange(open);
  };
  const title = saved ? "Saved, with conflicts" : target?.kind === "edit" ? "Edit event" : "New event";
  return (
    <Dialog open={target !== null} onOpenChange={change} title={title}>
      {saved ? (
        <div>
          <p role="status">
            Saved “{saved.title}”. It overlaps{" "}
            {saved.conflicts.length === 1 ? "one event" : `${saved.conflicts.length} events`}:
          </p>
          <ConflictList conflicts={saved.conflicts} timeZone={viewerZone} label="Conflicts of the saved event" />
          <div className="row dialog-actions">
            <button type="button" className="primary" onClick={() => change(false)}>
              Close
            </button>
          </div>
        </div>
      ) : target ? (
        <EditorForm
          target={target}
          calendars={calendars}
          viewerId={viewerId}
          viewerZone={viewerZone}
          onCancel={() => change(false)}
          onSaved={(result, words) => {
            onSaved(words);
            if (result && result.conflicts.length) setSaved(result);
            else change(false);
          }}
        />
      ) : null}
    </Dialog>
  );
}

function EditorForm({
  target,
  calendars,
  viewerId,
  viewerZone,
  onCancel,
  onSaved,
}: {
  target: EditorTarget;
  calendars: CalendarChoice[];
  viewerId: string;
  viewerZone: string;
  onCancel: () => void;
  onSaved: (result: Saved | null, words: string) => void;
}) {
  const client = useApolloClient();
  const occurrence = target.kind === "edit" ? getFragmentData(EventEditor_occurrence, target.occurrence) : null;
  const event = occurrence?.event ?? null;
  const recurring = Boolean(event?.recurrence || event?.recurringEventId);
  const zone = event?.timeZone ?? viewerZone;
  const startAt = occurrence ? new Date(occurrence.start) : target.kind === "create" ? target.draft.start : new Date();
  const endAt = occurrence ? new Date(occurrence.end) : target.kind === "create" ? target.draft.end : new Date();
  const start = wallClock(startAt, zone);
  const end = wallClock(endAt, zone);
  // An all-day event's days are its own dates; the editor shows the last day, not the day after.
  const allDayStart = occurrence?.startDate ?? start.date;
  const allDayLast = occurrence?.endDate ? addDays(occurrence.endDate, -1) : allDayStart;
  const repeat = parseRrule(event?.recurrence?.rrule, start.date, zone);
  const members = event?.attendees.flatMap((attendee) => (attendee.user ? [attendee.user.id] : [])) ?? [];
  const guests =
    event?.attendees.flatMap((attendee) =>
      !attendee.user && attendee.correspondent ? [attendee.correspondent.email] : [],
    ) ?? [];
  const rsvps = new Map<string, RsvpStatus>(
    event?.attendees.map((attendee) => [attendee.user?.id ?? attendee.correspondent?.email ?? "", attendee.rsvp]) ?? [],
  );
  const [attendeeIds, setAttendeeIds] = useState<string[]>(
    target.kind === "create" ? (target.draft.attendeeIds ?? []) : members,
  );
  const defaults: EditorValues = {
    title: event?.title ?? "",
    description: event?.description ?? "",
    location: event?.location ?? "",
    calendarId: event?.calendar?.id ?? calendars[0]?.id ?? "",
    allDay: event?.allDay ?? false,
    startDate: event?.allDay ? allDayStart : start.date,
    startTime: fromMinutes(start.minutes),
    endDate: event?.allDay ? allDayLast : end.date,
    endTime: fromMinutes(end.minutes),
    timeZone: zone,
    repeat: repeat.kind,
    days: repeat.days,
    repeatEnd: repeat.end,
    count: repeat.count,
    until: repeat.until,
    custom: repeat.kind === "CUSTOM" ? repeat.custom : "",
    guests: guests.join(", "),
    scope: "THIS",
  };
  const form = useForm<EditorValues>({ defaultValues: defaults });
  const { errors, isSubmitting } = form.formState;
  const [error, setError] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const refetch = { refetchQueries: ["CalendarView"], awaitRefetchQueries: true };
  const [createEvent] = useMutation(CreateEvent, refetch);
  const [updateEvent] = useMutation(UpdateEvent, refetch);
  const [deleteEvent, deleting] = useMutation(DeleteEvent, refetch);

  const allDay = form.watch("allDay");
  const repeatKind = form.watch("repeat");
  const repeatEnd = form.watch("repeatEnd");
  const scope = form.watch("scope");
  const zones = timeZones();

  const showError = (caught: unknown) => {
    const byField = Object.entries(fieldErrors(caught));
    let placed = byField.length > 0;
    for (const [name, message] of byField) {
      const field = SERVER_FIELDS[name];
      if (field) form.setError(field, { type: "server", message }, { shouldFocus: true });
      else placed = false;
    }
    if (!placed) setError(caught);
  };

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const guestList = values.guests
      .split(/[\s,;]+/)
      .map((guest) => guest.trim())
      .filter(Boolean);
    const bad = guestList.find((guest) => !EMAIL_PATTERN.test(guest));
    if (bad) {
      form.setError("guests", { type: "pattern", message: `${bad} is not an email address` }, { shouldFocus: true });
      return;
    }
    const attendees: AttendeeInput[] = [
      ...attendeeIds.map((userId) => ({ userId, ...(rsvps.has(userId) ? { rsvp: rsvps.get(userId)! } : {}) })),
      ...guestList.map((email) => ({ email, ...(rsvps.has(email) ? { rsvp: rsvps.get(email)! } : {}) })),
    ];
    const timing: Pick<EventInput, "allDay" | "start" | "end" | "startDate" | "endDate" | "timeZone"> = values.allDay
      ? { allDay: true, startDate: values.startDate, endDate: addDays(values.endDate || values.startDate, 1) }
      : {
          allDay: false,
          start: instantOf(values.startDate, values.startTime, values.timeZone).toISOString(),
          end: instantOf(values.endDate || values.startDate, values.endTime, values.timeZone).toISOString(),
        };
    timing.timeZone = values.timeZone;
    const rrule = buildRrule(
      {
        kind: values.repeat,
        days: values.days,
        end: values.repeatEnd,
        count: Number(values.count),
        until: values.until,
        custom: values.custom,
      },
      values.timeZone,
    );
    const fields: EventInput = {
      title: values.title.trim(),
      description: values.description.trim() || null,
      location: values.location.trim() || null,
      attendees,
    };
    try {
      if (target.kind === "create" || !event || !occurrence) {
        const { data } = await createEvent({
          variables: {
            calendarId: values.calendarId,
            input: { ...fields, ...timing, ...(rrule ? { recurrence: { rrule } } : {}) },
          },
        });
        const title = data?.createEvent.event.title ?? values.title;
        onSaved(data ? { title, conflicts: data.createEvent.conflicts } : null, `Added “${title}”.`);
        return;
      }
      const dirty = form.formState.dirtyFields;
      const timingChanged = Boolean(
        dirty.allDay || dirty.startDate || dirty.startTime || dirty.endDate || dirty.endTime || dirty.timeZone,
      );
      const editScope: EventEditScope = recurring ? values.scope : "ALL";
      const seriesId = occurrence.seriesId ?? event.id;
      const input: EventInput = { ...fields };
      if (timingChanged) {
        Object.assign(input, timing);
        if (recurring && editScope === "ALL") {
          // A whole series moves by as much as this occurrence did, from its first occurrence on.
          const series = event.recurringEventId
            ? (await client.query({ query: SeriesTimingQuery, variables: { id: seriesId } })).data?.event
            : event;
          if (series && !values.allDay && timing.start && timing.end) {
            const delta = Date.parse(timing.start) - startAt.getTime();
            const length = Date.parse(timing.end) - Date.parse(timing.start);
            const first = Date.parse(series.start) + delta;
            Object.assign(input, {
              start: new Date(first).toISOString(),
              end: new Date(first + length).toISOString(),
            });
          } else if (series?.startDate && values.allDay) {
            const shift = (Date.parse(values.startDate) - Date.parse(allDayStart)) / 86_400_000;
            const length = (Date.parse(values.endDate) - Date.parse(values.startDate)) / 86_400_000 + 1;
            const first = addDays(series.startDate, shift);
            Object.assign(input, { startDate: first, endDate: addDays(first, length) });
          }
        }
      }
      const before = event.recurrence?.rrule ?? "";
      if (editScope !== "THIS" && !event.recurringEventId && rrule !== before) {
        input.recurrence = {
          rrule,
          exdates: event.recurrence?.exdates ?? [],
          rdates: event.recurrence?.rdates ?? [],
        };
      }
      const { data } = await updateEvent({
        variables: {
          id: recurring ? seriesId : event.id,
          input,
          scope: editScope,
          occurrence: recurring && editScope !== "ALL" ? occurrence.recurrenceId : null,
        },
      });
      const title = data?.updateEvent.event.title ?? values.title;
      onSaved(data ? { title, conflicts: data.updateEvent.conflicts } : null, `Saved “${title}”.`);
    } catch (caught) {
      showError(caught);
    }
  });

  const remove = async () => {
    if (!event || !occurrence) return;
    setError(null);
    const editScope: EventEditScope = recurring ? form.getValues("scope") : "ALL";
    try {
      await deleteEvent({
        variables: {
          id: recurring ? (occurrence.seriesId ?? event.id) : event.id,
          scope: editScope,
          occurrence: recurring && editScope !== "ALL" ? occurrence.recurrenceId : null,
        },
      });
      onSaved(null, `Deleted “${event.title}”.`);
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <form onSubmit={submit} noValidate className="calendar-editor">
      {recurring ? (
        <ScopeFields
          legend="This event repeats. Change"
          register={form.register("scope")}
          choices={SCOPE_CHOICES}
          current={scope}
        />
      ) : null}
      <Field label="Title" error={errors.title}>
        {(props) => (
          <input
            {...props}
            {...form.register("title", { validate: (value) => value.trim().length > 0 || "Give the event a title" })}
          />
        )}
      </Field>
      {target.kind === "create" && calendars.length > 1 ? (
        <Field label="Calendar" error={errors.calendarId}>
          {(props) => (
            <select {...props} {...form.register("calendarId")}>
              {calendars.map((calendar) => (
                <option key={calendar.id} value={calendar.id}>
                  {calendar.name}
                  {calendar.kind === "SHARED" ? " (shared)" : ""}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <label className="calendar-check">
        <input type="checkbox" {...form.register("allDay")} /> All day
      </label>
      <div className="crm-form-row">
        <Field label={allDay ? "First day" : "Start date"} error={errors.startDate}>
          {(props) => (
            <input {...props} type="date" {...form.register("startDate", { required: "Pick the day it starts" })} />
          )}
        </Field>
        {allDay ? null : (
          <Field label="Start time" error={errors.startTime}>
            {(props) => (
              <input {...props} type="time" {...form.register("startTime", { required: "Pick when it starts" })} />
            )}
          </Field>
        )}
        <Field label={allDay ? "Last day" : "End date"} error={errors.endDate}>
          {(props) => <input {...props} type="date" {...form.register("endDate")} />}
        </Field>
        {allDay ? null : (
          <Field label="End time" error={errors.endTime}>
            {(props) => (
              <input {...props} type="time" {...form.register("endTime", { required: "Pick when it ends" })} />
            )}
          </Field>
        )}
      </div>
      <Field
        label="Time zone"
        error={errors.timeZone}
        hint="The start and end are on this zone's clocks, and the event repeats in it."
      >
        {(props) => (
          <select {...props} {...form.register("timeZone")}>
            {zones.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {recurring && scope === "THIS" ? (
        <p className="hint">
          A single occurrence cannot repeat on its own; change the series to change how it repeats.
        </p>
      ) : event?.recurringEventId ? null : (
        <fieldset className="calendar-repeat">
          <legend>Repeats</legend>
          <Field label="Repeat" error={undefined}>
            {(props) => (
              <select {...props} {...form.register("repeat")}>
                <option value="NONE">Does not repeat</option>
                <option value="DAILY">Daily</option>
                <option value="WEEKLY">Weekly on…</option>
                <option value="MONTHLY">Monthly</option>
                <option value="CUSTOM">Custom rule (RRULE)</option>
              </select>
            )}
          </Field>
          {repeatKind === "WEEKLY" ? (
            <fieldset className="calendar-weekdays">
              <legend>On</legend>
              {WEEKDAYS.map((day) => (
                <label key={day.code}>
                  <input
                    type="checkbox"
                    value={day.code}
                    {...form.register("days", {
                      validate: (value) => value.length > 0 || "Pick at least one day",
                    })}
                  />{" "}
                  {day.label}
                </label>
              ))}
              {errors.days ? (
                <small className="field-error" role="alert">
                  {errors.days.message}
                </small>
              ) : null}
            </fieldset>
          ) : null}
          {repeatKind === "CUSTOM" ? (
            <Field label="Rule" error={errors.custom} hint="An RFC 5545 RRULE, such as FREQ=WEEKLY;INTERVAL=2;BYDAY=TU">
              {(props) => (
                <input
                  {...props}
                  {...form.register("custom", {
                    validate: (value) => /FREQ=/i.test(value) || "Write a rule with FREQ=…",
                  })}
                />
              )}
            </Field>
          ) : null}
          {repeatKind !== "NONE" && repeatKind !== "CUSTOM" ? (
            <div className="crm-form-row">
              <Field label="Ends" error={undefined}>
                {(props) => (
                  <select {...props} {...form.register("repeatEnd")}>
                    <option value="NEVER">Never</option>
                    <option value="COUNT">After a number of times</option>
                    <option value="UNTIL">On a date</option>
                  </select>
                )}
              </Field>
              {repeatEnd === "COUNT" ? (
                <Field label="Times" error={errors.count}>
                  {(props) => (
                    <input
                      {...props}
                      type="number"
                      min={1}
                      max={999}
                      {...form.register("count", {
                        valueAsNumber: true,
                        min: { value: 1, message: "At least once" },
                        max: { value: 999, message: "At most 999 times" },
                      })}
                    />
                  )}
                </Field>
              ) : null}
              {repeatEnd === "UNTIL" ? (
                <Field label="Until" error={errors.until}>
                  {(props) => (
                    <input
                      {...props}
                      type="date"
                      {...form.register("until", { required: "Pick the last day it may repeat on" })}
                    />
                  )}
                </Field>
              ) : null}
            </div>
          ) : null}
        </fieldset>
      )}
      <Field label="Location" error={errors.location}>
        {(props) => <input {...props} {...form.register("location")} />}
      </Field>
      <Field label="Description" error={errors.description}>
        {(props) => <textarea {...props} rows={3} {...form.register("description")} />}
      </Field>
      <PeoplePicker legend="Invite members" value={attendeeIds} onChange={setAttendeeIds} viewerId={viewerId} />
      <Field label="Outside guests" error={errors.guests} hint="Email addresses, separated by commas">
        {(props) => <input {...props} {...form.register("guests")} />}
      </Field>
      <ErrorNotice error={error} />
      {confirmDelete ? (
        <div className="warning calendar-confirm-delete" role="group" aria-label="Delete the event">
          <p>
            Delete {recurring ? SCOPE_CHOICES.find((choice) => choice.scope === scope)?.object : "this event"}? This
            cannot be undone.
          </p>
          <div className="row">
            <button type="button" className="danger" disabled={deleting.loading} onClick={() => void remove()}>
              {deleting.loading ? "Deleting…" : "Delete"}
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : null}
      <div className="row dialog-actions">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        {event && !confirmDelete ? (
          <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        ) : null}
      </div>
    </form>
  );
}
