import { graphql } from "../../__generated__/gql.ts";

/**
 * A series' own first occurrence and rule: a change to "all occurrences" made from a changed
 * occurrence (whose event is that occurrence's own row) moves the series from there.
 */
export const SeriesTimingQuery = graphql(`
  query CalendarSeriesTiming($id: ID!) {
    event(id: $id) {
      id
      start
      end
      startDate
      timeZone
      recurrence {
        rrule
        exdates
        rdates
      }
    }
  }
`);
