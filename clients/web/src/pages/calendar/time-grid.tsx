import {
  type Announcements,
  type CollisionDetection,
  DndContext,
  type DragMoveEvent,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { useRef } from "react";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { TimeGrid_OccurrenceFragment } from "../../__generated__/graphql.ts";
import {
  addDays,
  DAY_MINUTES,
  formatDay,
  fromMinutes,
  layoutDay,
  parseLocal,
  segmentOn,
  snap,
  todayIn,
} from "./calendar-time.ts";

/** What the grid draws of an occurrence: its times on the viewer's clocks ($timeZone), its title. */
export const TimeGrid_occurrence = graphql(`
  fragment TimeGrid_occurrence on EventOccurrence {
    seriesId
    recurrenceId
    allDay
    startDate
    endDate
    localStart(timeZone: $timeZone)
    localEnd(timeZone: $timeZone)
    event {
      id
      title
      location
      status
      recurringEventId
      recurrence {
        rrule
      }
    }
  }
`);

/** Pixels per hour of the grid; an event is drawn this tall per hour it lasts. */
export const HOUR_PX = 48;
const MINUTE_PX = HOUR_PX / 60;
/** Where a dragged event may land: on the quarter hour. */
const STEP_MINUTES = 15;

/** A place on the grid: a local date of the view and minutes since its midnight (viewer's zone). */
export interface GridPlace {
  date: string;
  minutes: number;
}

export interface GridItem {
  /** The occurrence's key on the page (series id and recurrence id). */
  key: string;
  occurrence: FragmentType<typeof TimeGrid_occurrence>;
}

/** The dragged event's proposed new place and its length, drawn as a dashed ghost. */
export interface GridProposal {
  key: string;
  date: string;
  minutes: number;
  durationMinutes: number;
}

/** The pointer picks the day it is over; the keyboard, the day the event overlaps most. */
const collisionDetection: CollisionDetection = (args) =>
  args.pointerCoordinates ? pointerWithin(args) : rectIntersection(args);

const screenReaderInstructions = {
  draggable:
    "To move this event, press Space to pick it up, the arrow keys to carry it (up and down by the quarter hour, " +
    "left and right by the day), then Space to drop it or Escape to put it back. Conflicts are shown before saving.",
};

function hourLabel(hour: number) {
  return `${String(hour).padStart(2, "0")}:00`;
}

const timeLabel = (segment: { startMinutes: number; endMinutes: number }) =>
  `${fromMinutes(segment.startMinutes)}–${fromMinutes(segment.endMinutes)}`;

/** One occurrence's block in a day column: click the title to edit, drag it (or its handle) to move it. */
function EventBlock({
  itemKey,
  date,
  occurrence,
  segment,
  draggable,
  onOpen,
}: {
  itemKey: string;
  date: string;
  occurrence: TimeGrid_OccurrenceFragment;
  segment: { startMinutes: number; endMinutes: number; lane: number; lanes: number };
  draggable: boolean;
  onOpen: () => void;
}) {
  const title = occurrence.event?.title ?? "Busy";
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, isDragging } = useDraggable({
    id: itemKey,
    disabled: !draggable,
  });
  // The pointer drags the whole block; the keyboard picks it up by its handle only, so Enter and
  // Space on the title still open the editor.
  const { onKeyDown, ...pointerListeners } = listeners ?? {};
  const height = Math.max(18, (segment.endMinutes - segment.startMinutes) * MINUTE_PX);
  const recurring = Boolean(occurrence.event?.recurrence || occurrence.event?.recurringEventId);
  return (
    <div
      ref={setNodeRef}
      className={`calendar-event${isDragging ? " calendar-event-dragging" : ""}${occurrence.event ? "" : " calendar-busy"}`}
      data-testid="calendar-event"
      data-title={title}
      data-date={date}
      style={{
        top: segment.startMinutes * MINUTE_PX,
        height,
        left: `${(segment.lane / segment.lanes) * 100}%`,
        width: `${100 / segment.lanes}%`,
        transform: transform ? `translate3d(${transform.x}px, ${transform.y}px, 0)` : undefined,
      }}
      {...(draggable ? pointerListeners : {})}
    >
      <button type="button" className="calendar-event-open" disabled={!occurrence.event} onClick={onOpen}>
        <span className="calendar-event-title">{title}</span>
        <span className="visually-hidden">, </span>
        <span className="calendar-event-time">
          {timeLabel(segment)}
          {recurring ? (
            <>
              <span aria-hidden="true"> ↻</span>
              <span className="visually-hidden">, repeats</span>
            </>
          ) : null}
        </span>
      </button>
      {draggable ? (
        <button
          type="button"
          className="calendar-drag-handle"
          ref={setActivatorNodeRef}
          {...attributes}
          onKeyDown={onKeyDown as React.KeyboardEventHandler<HTMLButtonElement> | undefined}
          aria-label={`Move ${title}`}
        >
          <span aria-hidden="true">⠿</span>
        </button>
      ) : null}
    </div>
  );
}

function DayColumn({
  date,
  items,
  proposal,
  proposalTitle,
  onSlot,
  onOpen,
}: {
  date: string;
  items: { key: string; occurrence: TimeGrid_OccurrenceFragment }[];
  proposal: GridProposal | null;
  proposalTitle: string;
  onSlot: (place: GridPlace) => void;
  onOpen: (key: string) => void;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: `day:${date}`, data: { date } });
  const segments = layoutDay(
    items.flatMap((item) => {
      const start = parseLocal(item.occurrence.localStart);
      const end = parseLocal(item.occurrence.localEnd);
      const segment = segmentOn(date, start, end);
      return segment ? [{ item: { ...item, first: start.date === date }, ...segment }] : [];
    }),
  );
  const day = formatDay(date, { weekday: "long", month: "long" });
  return (
    <div
      ref={setNodeRef}
      className={`calendar-day${isOver ? " calendar-day-over" : ""}`}
      style={{ height: 24 * HOUR_PX }}
      data-date={date}
    >
      {Array.from({ length: 24 }, (_, hour) => (
        <button
          key={hour}
          type="button"
          className="calendar-slot"
          style={{ top: hour * HOUR_PX, height: HOUR_PX }}
          aria-label={`New event on ${day} at ${hourLabel(hour)}`}
          data-testid={`slot-${date}-${String(hour).padStart(2, "0")}`}
          onClick={() => onSlot({ date, minutes: hour * 60 })}
        />
      ))}
      {segments.map((segment) => (
        <EventBlock
          key={`${segment.item.key}:${segment.startMinutes}`}
          itemKey={segment.item.key}
          date={date}
          occurrence={segment.item.occurrence}
          segment={segment}
          draggable={segment.item.first && Boolean(segment.item.occurrence.event)}
          onOpen={() => onOpen(segment.item.key)}
        />
      ))}
      {proposal && proposal.date === date ? (
        <div
          className="calendar-ghost"
          aria-hidden="true"
          data-testid="calendar-ghost"
          style={{
            top: proposal.minutes * MINUTE_PX,
            height: Math.max(18, Math.min(proposal.durationMinutes, DAY_MINUTES - proposal.minutes) * MINUTE_PX),
          }}
        >
          {proposalTitle} {fromMinutes(proposal.minutes)}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The week's (or day's) time grid on the viewer's clocks: an all-day row, then 24 hours per day.
 * Each hour of each day is a button that makes an event there; each event opens its editor and
 * can be dragged (pointer, or Space and the arrow keys on its handle) to another time or day.
 * `onProposal` follows the drag (the place it would land on, or null when off the grid);
 * `onDrop` is the place it was dropped on, for the page to confirm before saving.
 */
export function TimeGrid({
  days,
  timeZone,
  items: masked,
  proposal,
  onSlot,
  onOpen,
  onProposal,
  onDrop,
}: {
  days: string[];
  timeZone: string;
  items: GridItem[];
  proposal: GridProposal | null;
  onSlot: (place: GridPlace) => void;
  onOpen: (key: string) => void;
  onProposal: (proposal: GridProposal | null) => void;
  onDrop: (proposal: GridProposal | null) => void;
}) {
  const items = masked.map((item) => ({
    key: item.key,
    occurrence: getFragmentData(TimeGrid_occurrence, item.occurrence),
  }));
  const byKey = new Map(items.map((item) => [item.key, item]));
  const today = todayIn(timeZone);
  // A click right after a drop is the drop's own mouseup: not an "open the editor".
  const droppedAt = useRef(0);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, {
      keyboardCodes: { start: ["Space"], cancel: ["Escape"], end: ["Space", "Enter"] },
      coordinateGetter: (event, { currentCoordinates, context }) => {
        const width = context.collisionRect?.width ?? 100;
        const step = STEP_MINUTES * MINUTE_PX;
        const moves: Record<string, [number, number]> = {
          ArrowUp: [0, -step],
          ArrowDown: [0, step],
          ArrowLeft: [-width, 0],
          ArrowRight: [width, 0],
        };
        const move = moves[event.code];
        if (!move) return undefined;
        event.preventDefault();
        return { x: currentCoordinates.x + move[0], y: currentCoordinates.y + move[1] };
      },
    }),
  );

  const placeOf = (event: DragMoveEvent): GridProposal | null => {
    const item = byKey.get(String(event.active.id));
    const translated = event.active.rect.current.translated;
    const over = event.over;
    if (!item || !translated || !over) return null;
    const date = (over.data.current as { date?: string } | undefined)?.date;
    if (!date) return null;
    const start = parseLocal(item.occurrence.localStart);
    const end = parseLocal(item.occurrence.localEnd);
    const durationMinutes =
      (Date.parse(`${end.date}T00:00:00Z`) - Date.parse(`${start.date}T00:00:00Z`)) / 60_000 +
      end.minutes -
      start.minutes;
    const minutes = snap((translated.top - over.rect.top) / MINUTE_PX, STEP_MINUTES);
    return {
      key: item.key,
      date,
      minutes: Math.min(Math.max(0, minutes), DAY_MINUTES - STEP_MINUTES),
      durationMinutes,
    };
  };

  const titleOf = (id: unknown) => byKey.get(String(id))?.occurrence.event?.title ?? "The event";
  const placeWords = (place: GridProposal | null) =>
    place ? `${formatDay(place.date, { weekday: "long", month: "long" })} at ${fromMinutes(place.minutes)}` : "";
  const lastPlace = useRef<GridProposal | null>(null);
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${titleOf(active.id)}.`,
    onDragOver: ({ active }) =>
      lastPlace.current ? `${titleOf(active.id)} would move to ${placeWords(lastPlace.current)}.` : "",
    onDragMove: ({ active }) =>
      lastPlace.current ? `${titleOf(active.id)} would move to ${placeWords(lastPlace.current)}.` : undefined,
    onDragEnd: ({ active }) =>
      lastPlace.current
        ? `${titleOf(active.id)} was dropped on ${placeWords(lastPlace.current)}. Confirm the move to save it.`
        : `${titleOf(active.id)} was put back.`,
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled; it stays where it was.`,
  };

  const same = (a: GridProposal | null, b: GridProposal | null) =>
    a?.key === b?.key && a?.date === b?.date && a?.minutes === b?.minutes;
  const follow = (event: DragMoveEvent) => {
    const place = placeOf(event);
    if (!same(place, lastPlace.current)) {
      lastPlace.current = place;
      onProposal(place);
    }
  };

  const allDay = items.filter((item) => item.occurrence.allDay);
  const timed = items.filter((item) => !item.occurrence.allDay);
  const proposalTitle = proposal ? titleOf(proposal.key) : "";
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      accessibility={{ announcements, screenReaderInstructions }}
      onDragStart={() => {
        lastPlace.current = null;
        onProposal(null);
      }}
      onDragMove={follow}
      onDragOver={follow}
      onDragCancel={() => {
        lastPlace.current = null;
        onProposal(null);
        onDrop(null);
      }}
      onDragEnd={(event) => {
        droppedAt.current = Date.now();
        const place = placeOf(event) ?? lastPlace.current;
        lastPlace.current = null;
        onDrop(place);
      }}
    >
      <div className="calendar-grid" style={{ ["--days" as string]: days.length }} role="group" aria-label="Time grid">
        <div className="calendar-corner" />
        {days.map((date) => (
          <div key={date} className={`calendar-day-head${date === today ? " calendar-today" : ""}`}>
            {formatDay(date)}
            {date === today ? <span className="visually-hidden"> (today)</span> : null}
          </div>
        ))}
        <div className="calendar-allday-label">All day</div>
        {days.map((date) => (
          <div key={date} className="calendar-allday">
            {allDay
              .filter((item) => {
                const first = item.occurrence.startDate ?? item.occurrence.localStart.slice(0, 10);
                const after = item.occurrence.endDate ?? addDays(first, 1);
                return first <= date && date < after;
              })
              .map((item) => (
                <button
                  key={item.key}
                  type="button"
                  className="calendar-allday-event"
                  disabled={!item.occurrence.event}
                  onClick={() => onOpen(item.key)}
                >
                  {item.occurrence.event?.title ?? "Busy"}
                </button>
              ))}
          </div>
        ))}
        <div className="calendar-hours" style={{ height: 24 * HOUR_PX }} aria-hidden="true">
          {Array.from({ length: 24 }, (_, hour) => (
            <span key={hour} style={{ top: hour * HOUR_PX }}>
              {hourLabel(hour)}
            </span>
          ))}
        </div>
        {days.map((date) => (
          <DayColumn
            key={date}
            date={date}
            items={timed}
            proposal={proposal}
            proposalTitle={proposalTitle}
            onSlot={onSlot}
            onOpen={(key) => {
              if (Date.now() - droppedAt.current > 300) onOpen(key);
            }}
          />
        ))}
      </div>
    </DndContext>
  );
}
