import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useRef, useState } from "react";
import { graphql } from "../../__generated__/gql.ts";
import type { EventEditScope, EventInput } from "../../__generated__/graphql.ts";
import { ErrorNotice } from "../../components/status.tsx";
import { formatSpan, wallClock } from "./calendar-time.ts";
import { ConflictList, type ConflictList_conflict } from "./conflict-list.tsx";
import type { FragmentType } from "../../__generated__/fragment-masking.ts";
import { shiftRuleWeekday } from "./recurrence.ts";
import { SCOPE_CHOICES, ScopeFields } from "./scope-fields.tsx";
import { SeriesTimingQuery } from "./series.ts";

/** What the event would conflict with at the new time: asked while dragging, before anything is saved. */
const MoveConflicts = graphql(`
  query CalendarMoveConflicts($id: ID!, $start: DateTimeISO!, $end: DateTimeISO!) {
    eventMoveConflicts(id: $id, start: $start, end: $end) {
      ...ConflictList_conflict
    }
  }
`);

const MoveEvent = graphql(`
  mutation CalendarMoveEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {
    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {
      event {
        id
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

/** The occurrence being moved, as the page knows it. */
export interface MovingOccurrence {
  title: string;
  eventId: string;
  seriesId: string;
  recurrenceId: string;
  start: string;
  end: string;
  timeZone: string;
  /** A series' occurrence (its own event, or a changed one of it). */
  recurring: boolean;
  /** Set when the occurrence's event is the series itself (not a changed occurrence). */
  series: { start: string; rrule: string | null; exdates: string[]; rdates: string[] } | null;
}

/**
 * The confirm panel of a drag: where the event would go, the conflicts it would have there
 * (eventMoveConflicts, asked as the drag goes), and, once dropped, Save (asking which
 * occurrences for a repeating event) or Cancel. Nothing is saved before Save.
 */
export function MovePanel({
  moving,
  start,
  end,
  dropped,
  timeZone,
  onCancel,
  onSaved,
}: {
  moving: MovingOccurrence;
  start: Date;
  end: Date;
  dropped: boolean;
  timeZone: string;
  onCancel: () => void;
  onSaved: (words: string) => void;
}) {
  const client = useApolloClient();
  const [scope, setScope] = useState<EventEditScope>("THIS");
  const [error, setError] = useState<unknown>(null);
  const [after, setAfter] = useState<readonly FragmentType<typeof ConflictList_conflict>[] | null>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const unchanged = start.getTime() === Date.parse(moving.start) && end.getTime() === Date.parse(moving.end);
  const {
    data,
    error: checkError,
    previousData,
    loading,
  } = useQuery(MoveConflicts, {
    variables: { id: moving.eventId, start: start.toISOString(), end: end.toISOString() },
    fetchPolicy: "network-only",
    skip: unchanged,
  });
  const [move, { loading: saving }] = useMutation(MoveEvent, {
    refetchQueries: ["CalendarView"],
    awaitRefetchQueries: true,
  });
  useEffect(() => {
    if (dropped) saveButton.current?.focus();
  }, [dropped]);
  const conflicts = (data ?? previousData)?.eventMoveConflicts ?? [];
  const when = formatSpan(start.toISOString(), end.toISOString(), timeZone);

  const save = async () => {
    setError(null);
    const editScope: EventEditScope = moving.recurring ? scope : "ALL";
    const input: EventInput = { start: start.toISOString(), end: end.toISOString() };
    const fromDate = wallClock(new Date(moving.start), moving.timeZone).date;
    const toDate = wallClock(start, moving.timeZone).date;
    try {
      if (moving.recurring && editScope !== "THIS") {
        const series =
          moving.series ??
          (await client.query({ query: SeriesTimingQuery, variables: { id: moving.seriesId } }).then(({ data }) =>
            data?.event
              ? {
                  start: data.event.start,
                  rrule: data.event.recurrence?.rrule ?? null,
                  exdates: data.event.recurrence?.exdates ?? [],
                  rdates: data.event.recurrence?.rdates ?? [],
                }
              : null,
          ));
        if (editScope === "ALL" && series) {
          // The whole series moves by as much as this occurrence did.
          const first = Date.parse(series.start) + (start.getTime() - Date.parse(moving.start));
          Object.assign(input, {
            start: new Date(first).toISOString(),
            end: new Date(first + end.getTime() - start.getTime()).toISOString(),
          });
        }
        // A weekly rule on the occurrence's weekday follows it to its new day.
        const shifted = series?.rrule ? shiftRuleWeekday(series.rrule, fromDate, toDate) : null;
        if (series && shifted && shifted !== series.rrule) {
          input.recurrence = { rrule: shifted, exdates: series.exdates, rdates: series.rdates };
        }
      }
      const { data: saved } = await move({
        variables: {
          id: moving.recurring ? moving.seriesId : moving.eventId,
          input,
          scope: editScope,
          occurrence: moving.recurring && editScope !== "ALL" ? moving.recurrenceId : null,
        },
      });
      const words = `Moved “${moving.title}” to ${when}.`;
      if (saved?.updateEvent.conflicts.length) {
        setAfter(saved.updateEvent.conflicts);
        onSaved(words);
      } else {
        onSaved(words);
        onCancel();
      }
    } catch (caught) {
      setError(caught);
    }
  };

  if (after) {
    return (
      <section className="card calendar-move" aria-labelledby="calendar-move-heading" data-testid="move-panel">
        <h2 id="calendar-move-heading">Moved “{moving.title}”</h2>
        <p>It is now {when}, and overlaps:</p>
        <ConflictList conflicts={after} timeZone={timeZone} label="Conflicts after the move" />
        <button type="button" onClick={onCancel}>
          Close
        </button>
      </section>
    );
  }

  return (
    <section className="card calendar-move" aria-labelledby="calendar-move-heading" data-testid="move-panel">
      <h2 id="calendar-move-heading">
        {dropped ? "Move" : "Moving"} “{moving.title}” to {when}
        {dropped ? "?" : ""}
      </h2>
      <div aria-live="polite" data-testid="move-conflicts">
        {unchanged ? (
          <p className="hint">That is where it is now.</p>
        ) : checkError ? (
          <ErrorNotice error={checkError} />
        ) : loading && !previousData ? (
          <p className="hint">Checking for conflicts…</p>
        ) : conflicts.length ? (
          <>
            <p className="warning">
              At that time it would conflict with {conflicts.length === 1 ? "one event" : `${conflicts.length} events`}:
            </p>
            <ConflictList conflicts={conflicts} timeZone={timeZone} label="Conflicts at the new time" />
          </>
        ) : (
          <p className="notice">No conflicts at that time.</p>
        )}
      </div>
      {dropped ? (
        <>
          {moving.recurring ? (
            <ScopeFields
              legend="This event repeats. Move"
              choices={SCOPE_CHOICES}
              current={scope}
              onChange={setScope}
            />
          ) : null}
          <ErrorNotice error={error} />
          <div className="row">
            <button
              type="button"
              className="primary"
              ref={saveButton}
              disabled={saving || unchanged}
              onClick={() => void save()}
            >
              {saving ? "Saving…" : "Save the move"}
            </button>
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
