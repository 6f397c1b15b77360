import { useQuery } from "@apollo/client/react";
import {
  type Announcements,
  type CollisionDetection,
  DndContext,
  DragOverlay,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDroppable,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { useId, useState } from "react";
import type { DealStage, DealsBoardQuery as DealsBoardData } from "../../__generated__/graphql.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { formatMoney } from "../../components/format.ts";
import { DEAL_STAGES, stageLabel } from "./crm-format.ts";
import { DealCard, DealCardPreview } from "./deal-card.tsx";
import { DealsBoardQuery } from "./deals-board-query.ts";
import { useMoveDeal } from "./move-deal.ts";
import { NewDealDialog } from "./new-deal-dialog.tsx";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";

type BoardDeal = DealsBoardData["deals"]["edges"][number]["node"];
type StageSummary = DealsBoardData["workspace"]["pipeline"][number];

const isStage = (id: unknown): id is DealStage => DEAL_STAGES.some(({ stage }) => stage === id);

/** The pointer picks the column it is over; the keyboard's overlay, the column it overlaps most. */
const collisionDetection: CollisionDetection = (args) =>
  args.pointerCoordinates ? pointerWithin(args) : rectIntersection(args);

/** Left and right arrows carry a deal to the next column over, not 25 pixels at a time. */
const columnKeyboardCoordinates: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const direction = event.code === "ArrowRight" ? 1 : event.code === "ArrowLeft" ? -1 : 0;
  const { collisionRect, droppableRects } = context;
  if (!direction || !collisionRect) return undefined;
  event.preventDefault();
  const centre = collisionRect.left + collisionRect.width / 2;
  const columns = [...droppableRects.values()].sort((a, b) => a.left - b.left);
  const target =
    direction > 0
      ? columns.find((rect) => rect.left > centre)
      : columns.reverse().find((rect) => rect.left + rect.width < centre);
  if (!target) return currentCoordinates;
  return { x: target.left + (target.width - collisionRect.width) / 2, y: currentCoordinates.y };
};

const screenReaderInstructions = {
  draggable:
    "To move this deal, press Space or Enter to pick it up, the left and right arrow keys to carry it to another " +
    "stage, then Space or Enter to drop it, or Escape to put it back. The Move to menu of each card does the same.",
};

function StageColumn({
  stage,
  summary,
  deals,
  onMove,
  focusDealId,
}: {
  stage: DealStage;
  summary: StageSummary | undefined;
  deals: BoardDeal[];
  onMove: (deal: BoardDeal, to: DealStage) => void;
  focusDealId: string | null;
}) {
  const headingId = useId();
  const { setNodeRef, isOver } = useDroppable({ id: stage });
  const count = summary?.count ?? deals.length;
  const totals = summary?.totals ?? [];
  return (
    <section ref={setNodeRef} className={`column${isOver ? " over" : ""}`} aria-labelledby={headingId}>
      <header className="crm-column-header">
        <h2 id={headingId}>{stageLabel(stage)}</h2>
        <p className="crm-column-count">
          {count} {count === 1 ? "deal" : "deals"}
        </p>
        <p className="crm-column-totals" data-testid={`totals-${stage}`}>
          {totals.length ? totals.map(formatMoney).join(" · ") : "Nothing yet"}
        </p>
      </header>
      {deals.map((deal) => (
        <DealCard key={deal.id} deal={deal} onMove={(to) => onMove(deal, to)} focusOnMount={focusDealId === deal.id} />
      ))}
    </section>
  );
}

export default function DealsPage() {
  const { data, error, refetch, fetchMore } = useQuery(DealsBoardQuery);
  const moveDeal = useMoveDeal();
  const [moveError, setMoveError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState("");
  const [focusDealId, setFocusDealId] = useState<string | null>(null);
  const [draggingId, setDraggingId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const { loadingMore, moreError, track } = useLoadMore();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnKeyboardCoordinates }),
  );

  const deals = (data?.deals.edges ?? []).map((edge) => edge.node);
  const byId = new Map(deals.map((deal) => [deal.id, deal]));
  const titleOf = (id: unknown) => byId.get(String(id))?.title ?? "The deal";

  const move = async (deal: BoardDeal, to: DealStage, fromKeyboardMenu: boolean) => {
    if (deal.stage === to) return;
    setMoveError(null);
    setFocusDealId(fromKeyboardMenu ? deal.id : null);
    setAnnouncement(`Moving ${deal.title} to ${stageLabel(to)}…`);
    try {
      await moveDeal(deal, to);
      setAnnouncement(`Moved ${deal.title} to ${stageLabel(to)}.`);
    } catch (caught) {
      setAnnouncement(`${deal.title} could not be moved; it is back in ${stageLabel(deal.stage)}.`);
      setMoveError(caught);
    }
  };

  const announcements: Announcements = {
    onDragStart: ({ active }) => {
      const stage = byId.get(String(active.id))?.stage;
      return `Picked up ${titleOf(active.id)}${stage ? ` from ${stageLabel(stage)}` : ""}.`;
    },
    onDragOver: ({ active, over }) =>
      over && isStage(over.id)
        ? `${titleOf(active.id)} is over ${stageLabel(over.id)}${over.id === byId.get(String(active.id))?.stage ? ", where it is now" : ""}.`
        : `${titleOf(active.id)} is not over a stage.`,
    onDragEnd: ({ active, over }) =>
      over && isStage(over.id)
        ? `${titleOf(active.id)} was dropped on ${stageLabel(over.id)}.`
        : `${titleOf(active.id)} was put back.`,
    onDragCancel: ({ active }) => `Moving ${titleOf(active.id)} was cancelled; it stays where it was.`,
  };

  const loadMore = async () => {
    const after = data?.deals.pageInfo.endCursor;
    if (!after) return;
    await track(
      fetchMore({
        variables: { after },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...previous,
          deals: appendEdges(previous.deals, fetchMoreResult.deals),
        }),
      }),
    );
  };

  const dragging = draggingId ? byId.get(draggingId) : undefined;
  return (
    <section>
      <h1>Deals</h1>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          New deal
        </button>
      </div>
      <NewDealDialog open={creating} onOpenChange={setCreating} onSaved={setAdded} />
      {added ? (
        <p className="notice" role="status">
          Added {added}.
        </p>
      ) : null}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      <ErrorNotice
        error={moveError}
        onRetry={() => {
          // The board as the server has it now; the move can then be made again.
          setMoveError(null);
          void refetch();
        }}
      />
      {error ? (
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      ) : !data ? (
        <Loading label="Loading deals…" />
      ) : (
        <>
          {deals.length === 0 ? (
            <Empty>
              <p>No deals yet. Add a possible sale with “New deal”, then move it through the stages as it goes.</p>
            </Empty>
          ) : null}
          <DndContext
            sensors={sensors}
            collisionDetection={collisionDetection}
            accessibility={{ announcements, screenReaderInstructions }}
            onDragStart={({ active }) => {
              setMoveError(null);
              setFocusDealId(null);
              setDraggingId(String(active.id));
            }}
            onDragCancel={() => setDraggingId(null)}
            onDragEnd={({ active, over }) => {
              setDraggingId(null);
              const deal = byId.get(String(active.id));
              if (deal && over && isStage(over.id)) void move(deal, over.id, false);
            }}
          >
            <div className="board crm-board">
              {DEAL_STAGES.map(({ stage }) => (
                <StageColumn
                  key={stage}
                  stage={stage}
                  summary={data.workspace.pipeline.find((entry) => entry.stage === stage)}
                  deals={deals.filter((deal) => deal.stage === stage)}
                  onMove={(deal, to) => void move(deal, to, true)}
                  focusDealId={focusDealId}
                />
              ))}
            </div>
            <DragOverlay dropAnimation={null}>{dragging ? <DealCardPreview deal={dragging} /> : null}</DragOverlay>
          </DndContext>
          <ErrorNotice error={moreError} onRetry={() => void loadMore()} />
          {data.deals.pageInfo.hasNextPage ? (
            <p>
              <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? "Loading…" : "Load more deals"}
              </button>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
