import { useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { Link, NavLink, useLocation, useParams, useSearchParams } from "react-router";
import { graphql } from "../../__generated__/gql.ts";
import { useSession } from "../../api/session.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import {
  addDays,
  browserTimeZone,
  formatDay,
  fromMinutes,
  instantOf,
  isLocalDate,
  isTimeZone,
  timeZones,
  todayIn,
  viewDays,
} from "./calendar-time.ts";
import { type EditorTarget, EventEditorDialog, type NewEventDraft } from "./event-editor.tsx";
import { FindTimeDialog } from "./find-time-dialog.tsx";
import { MovePanel, type MovingOccurrence } from "./move-panel.tsx";
import { type GridPlace, type GridProposal, TimeGrid } from "./time-grid.tsx";

/** The view's calendars and occurrences, their times on the viewer's clocks ($timeZone). */
const CalendarViewQuery = graphql(`
  query CalendarView($from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!) {
    calendars {
      id
      name
      kind
    }
    events(from: $from, to: $to) {
      start
      end
      recurrenceId
      seriesId
      event {
        id
        title
        timeZone
        start
        recurringEventId
        recurrence {
          rrule
          exdates
          rdates
        }
      }
      ...TimeGrid_occurrence
      ...EventEditor_occurrence
    }
  }
`);

type View = "week" | "day";

/** An occurrence's key on the page: which series, which of its occurrences. */
const keyOf = (occurrence: { seriesId?: string | null; recurrenceId: string; start: string }, index: number) =>
  `${occurrence.seriesId ?? `busy-${index}`}@${occurrence.recurrenceId}`;

/** The view's own tabs: the week or the day, same date and zone. */
function CalendarNav({ date, search }: { date: string; search: string }) {
  return (
    <nav aria-label="Calendar views" className="inbox-tabs">
      <ul>
        <li>
          <NavLink to={`/calendar/week/${date}${search}`}>Week</NavLink>
        </li>
        <li>
          <NavLink to={`/calendar/day/${date}${search}`}>Day</NavLink>
        </li>
      </ul>
    </nav>
  );
}

/**
 * /calendar/week/:date? and /calendar/day/:date?: the occurrences of the week (Monday first) or
 * the day of `date` (today by default) on the clocks of ?tz= (the browser's zone by default).
 * An empty hour makes an event; an event opens its editor; dragging one asks for its conflicts at
 * the new time and waits for Save.
 */
export default function CalendarPage() {
  const session = useSession();
  const location = useLocation();
  const params = useParams();
  const [search, setSearch] = useSearchParams();
  const zonePickerId = useId();
  const view: View = location.pathname.startsWith("/calendar/day") ? "day" : "week";
  const askedZone = search.get("tz");
  const timeZone = isTimeZone(askedZone) ? askedZone : browserTimeZone();
  const today = todayIn(timeZone);
  const date = isLocalDate(params.date) ? params.date : today;
  const days = viewDays(view, date);
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const from = instantOf(first, "00:00", timeZone).toISOString();
  const to = instantOf(addDays(last, 1), "00:00", timeZone).toISOString();
  const { data, error, refetch, previousData } = useQuery(CalendarViewQuery, {
    variables: { from, to, timeZone },
  });
  const shown = data ?? previousData;

  const [editor, setEditor] = useState<EditorTarget | null>(null);
  const [finding, setFinding] = useState(false);
  const [proposal, setProposal] = useState<GridProposal | null>(null);
  const [dropped, setDropped] = useState(false);
  const [notice, setNotice] = useState("");

  const viewerId = session.status === "signedIn" ? session.user.id : "";
  const query = search.toString() ? `?${search.toString()}` : "";
  const step = view === "week" ? 7 : 1;
  const occurrences = (shown?.events ?? []).map((occurrence, index) => ({
    key: keyOf(occurrence, index),
    occurrence,
  }));
  const byKey = new Map(occurrences.map((item) => [item.key, item.occurrence]));

  const newEventAt = (place: GridPlace) => {
    const start = instantOf(place.date, fromMinutes(place.minutes), timeZone);
    setEditor({
      kind: "create",
      draft: { start, end: new Date(start.getTime() + 3_600_000), attendeeIds: [viewerId] },
    });
  };
  const newEventNow = () => {
    const hour = Math.min(23, new Date().getHours() + 1);
    newEventAt({ date: first <= today && today <= last ? today : first, minutes: hour * 60 });
  };

  const moving: MovingOccurrence | null = (() => {
    const occurrence = proposal ? byKey.get(proposal.key) : undefined;
    if (!occurrence?.event) return null;
    const event = occurrence.event;
    return {
      title: event.title,
      eventId: event.id,
      seriesId: occurrence.seriesId ?? event.id,
      recurrenceId: occurrence.recurrenceId,
      start: occurrence.start,
      end: occurrence.end,
      timeZone: event.timeZone,
      recurring: Boolean(event.recurrence || event.recurringEventId),
      series: event.recurringEventId
        ? null
        : {
            start: event.start,
            rrule: event.recurrence?.rrule ?? null,
            exdates: event.recurrence?.exdates ?? [],
            rdates: event.recurrence?.rdates ?? [],
          },
    };
  })();
  const proposedStart = proposal ? instantOf(proposal.date, fromMinutes(proposal.minutes), timeZone) : null;
  const proposedEnd =
    proposal && proposedStart ? new Date(proposedStart.getTime() + proposal.durationMinutes * 60_000) : null;
  const endMove = () => {
    setProposal(null);
    setDropped(false);
  };

  const rangeLabel =
    view === "week"
      ? `${formatDay(first, { year: "numeric" })} – ${formatDay(last, { year: "numeric" })}`
      : formatDay(first, { weekday: "long", month: "long", year: "numeric" });

  return (
    <section className="calendar-page">
      <div className="crm-heading">
        <h1>Calendar</h1>
        <div className="row">
          <button type="button" onClick={() => setFinding(true)}>
            Find a time
          </button>
          <button type="button" className="primary" onClick={newEventNow}>
            New event
          </button>
        </div>
      </div>
      <CalendarNav date={date} search={query} />
      <div className="toolbar calendar-toolbar">
        <div className="row" role="group" aria-label="Dates">
          <Link className="button" to={`/calendar/${view}/${addDays(date, -step)}${query}`}>
            Previous {view}
          </Link>
          <Link className="button" to={`/calendar/${view}${query}`}>
            Today
          </Link>
          <Link className="button" to={`/calendar/${view}/${addDays(date, step)}${query}`}>
            Next {view}
          </Link>
        </div>
        <h2 className="calendar-range" data-testid="calendar-range">
          {rangeLabel}
        </h2>
        <div className="field">
          <label htmlFor={zonePickerId}>Time zone</label>
          <select
            id={zonePickerId}
            value={timeZone}
            onChange={(event) => {
              const next = new URLSearchParams(search);
              if (event.target.value === browserTimeZone()) next.delete("tz");
              else next.set("tz", event.target.value);
              setSearch(next);
            }}
          >
            {timeZones().map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className={notice ? "notice" : "visually-hidden"} role="status">
        {notice}
      </p>
      {moving && proposedStart && proposedEnd ? (
        <MovePanel
          key={proposal?.key}
          moving={moving}
          start={proposedStart}
          end={proposedEnd}
          dropped={dropped}
          timeZone={timeZone}
          onCancel={endMove}
          onSaved={setNotice}
        />
      ) : null}
      {error && !shown ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : !shown ? (
        <Loading label="Loading the calendar…" />
      ) : (
        <>
          {error ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : null}
          {occurrences.length === 0 ? (
            <Empty>
              <p>
                Nothing on the calendar {view === "week" ? "this week" : "this day"}. Click an hour to add an event, or
                use “Find a time” to find one that suits everyone.
              </p>
            </Empty>
          ) : null}
          <TimeGrid
            days={days}
            timeZone={timeZone}
            items={occurrences}
            proposal={proposal}
            onSlot={newEventAt}
            onOpen={(key) => {
              const occurrence = byKey.get(key);
              if (occurrence?.event) setEditor({ kind: "edit", occurrence });
            }}
            onProposal={(next) => {
              if (next) setDropped(false);
              setProposal(next);
            }}
            onDrop={(place) => {
              setProposal(place);
              setDropped(place !== null);
            }}
          />
          {view === "week" ? null : (
            <p className="hint">
              <Link to={`/calendar/week/${date}${query}`}>See the whole week</Link>
            </p>
          )}
        </>
      )}
      <EventEditorDialog
        target={editor}
        onOpenChange={(open) => (open ? undefined : setEditor(null))}
        calendars={shown?.calendars ?? []}
        viewerId={viewerId}
        viewerZone={timeZone}
        onSaved={setNotice}
      />
      <FindTimeDialog
        open={finding}
        onOpenChange={setFinding}
        viewerId={viewerId}
        timeZone={timeZone}
        firstDate={first < today && today <= last ? today : first}
        lastDate={last}
        onPick={(draft: NewEventDraft) => {
          setFinding(false);
          setEditor({ kind: "create", draft });
        }}
      />
    </section>
  );
}
