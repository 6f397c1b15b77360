import { useDraggable } from "@dnd-kit/core";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useEffect, useId, useRef } from "react";
import { Link } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { DealCard_DealFragment, DealStage } from "../../__generated__/graphql.ts";
import { formatLocalDate, formatMoney } from "../../components/format.ts";
import { DEAL_STAGES } from "./crm-format.ts";

export const DealCard_deal = graphql(`
  fragment DealCard_deal on Deal {
    id
    title
    stage
    expectedCloseDate
    amount {
      amount
      currency
    }
    contact {
      id
      name
    }
    company {
      id
      name
    }
  }
`);

/** What a card shows about its deal below its title; also on the card the pointer carries. */
function DealDetails({ deal }: { deal: DealCard_DealFragment }) {
  return (
    <>
      <p className="crm-deal-amount">{formatMoney(deal.amount)}</p>
      {deal.contact || deal.company ? (
        <p className="crm-deal-who">
          {deal.contact ? <Link to={`/crm/contacts/${deal.contact.id}`}>{deal.contact.name}</Link> : null}
          {deal.contact && deal.company ? " · " : null}
          {deal.company ? deal.company.name : null}
        </p>
      ) : null}
      {deal.expectedCloseDate ? (
        <p className="hint">
          Closes <time dateTime={deal.expectedCloseDate}>{formatLocalDate(deal.expectedCloseDate)}</time>
        </p>
      ) : null}
    </>
  );
}

const dealOf = (ref: FragmentType<typeof DealCard_deal>) => getFragmentData(DealCard_deal, ref);

/** The card as the pointer carries it (DragOverlay). */
export function DealCardPreview(props: { deal: FragmentType<typeof DealCard_deal> }) {
  const deal = dealOf(props.deal);
  return (
    <div className="deal crm-deal-dragging">
      <p className="crm-deal-title">{deal.title}</p>
      <DealDetails deal={deal} />
    </div>
  );
}

/**
 * A deal on the board: dragged by its handle (pointer, or Space and the arrow keys), or moved
 * with its "Move to…" menu.
 */
export function DealCard(props: {
  deal: FragmentType<typeof DealCard_deal>;
  onMove: (stage: DealStage) => void;
  /** Focus its menu button once shown (after it moved here from the keyboard). */
  focusOnMount?: boolean;
}) {
  const deal = dealOf(props.deal);
  const titleId = useId();
  const menuButton = useRef<HTMLButtonElement>(null);
  const moved = useRef(false);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({ id: deal.id });
  const focusOnMount = props.focusOnMount ?? false;
  useEffect(() => {
    if (focusOnMount) menuButton.current?.focus();
  }, [focusOnMount]);

  return (
    <article ref={setNodeRef} className={`deal${isDragging ? " crm-deal-placeholder" : ""}`} aria-labelledby={titleId}>
      <div className="crm-deal-top">
        <h3 id={titleId} className="crm-deal-title">
          {deal.title}
        </h3>
        <button
          type="button"
          className="crm-drag-handle"
          ref={setActivatorNodeRef}
          {...attributes}
          {...listeners}
          aria-label={`Drag ${deal.title}`}
        >
          <span aria-hidden="true">⠿</span>
        </button>
      </div>
      <DealDetails deal={deal} />
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <button type="button" ref={menuButton} className="crm-move-button">
            Move<span className="visually-hidden"> {deal.title}</span> to…
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            className="menu"
            align="start"
            sideOffset={4}
            // After a move the card is shown in its new column and focus goes there (focusOnMount).
            onCloseAutoFocus={(event) => {
              if (moved.current) event.preventDefault();
              moved.current = false;
            }}
          >
            <DropdownMenu.Label className="crm-menu-label">Move to stage</DropdownMenu.Label>
            {DEAL_STAGES.filter(({ stage }) => stage !== deal.stage).map(({ stage, label }) => (
              <DropdownMenu.Item
                key={stage}
                onSelect={() => {
                  moved.current = true;
                  props.onMove(stage);
                }}
              >
                {label}
              </DropdownMenu.Item>
            ))}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </article>
  );
}
