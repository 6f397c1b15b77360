import type { MessageCategory } from "../../__generated__/graphql.ts";
import { categoryLabel } from "./inbox-format.ts";

/** Triage's category as a small label, coloured by category. */
export function CategoryChip({ category }: { category: MessageCategory | null | undefined }) {
  return (
    <span className={`inbox-chip inbox-chip-${(category ?? "none").toLowerCase()}`}>{categoryLabel(category)}</span>
  );
}
