import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { formatSpan } from "./calendar-time.ts";

/** One double booking: whose time, and the event it overlaps (only "Busy" when the viewer may not see it). */
export const ConflictList_conflict = graphql(`
  fragment ConflictList_conflict on EventConflict {
    user {
      id
      name
    }
    occurrence {
      start
      end
    }
    conflictingWith {
      start
      end
      seriesId
      event {
        id
        title
      }
    }
  }
`);

/** The conflicts an event has (or would have), in the viewer's zone. */
export function ConflictList({
  conflicts: masked,
  timeZone,
  label,
}: {
  conflicts: readonly FragmentType<typeof ConflictList_conflict>[];
  timeZone: string;
  label: string;
}) {
  const conflicts = getFragmentData(ConflictList_conflict, masked);
  return (
    <ul className="calendar-conflicts" aria-label={label}>
      {conflicts.map((conflict, i) => (
        <li key={`${conflict.user.id}-${conflict.conflictingWith.start}-${i}`}>
          <strong>{conflict.user.name}</strong>: conflicts with{" "}
          <strong>{conflict.conflictingWith.event?.title ?? "a busy time"}</strong> (
          {formatSpan(conflict.conflictingWith.start, conflict.conflictingWith.end, timeZone)})
        </li>
      ))}
    </ul>
  );
}
