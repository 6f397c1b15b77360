import { graphql } from "../../__generated__/gql.ts";

/** The board's one query: every deal (a page of 100 at a time) and each stage's count and totals. */
export const DealsBoardQuery = graphql(`
  query DealsBoard($after: String) {
    deals(first: 100, after: $after) {
      edges {
        cursor
        node {
          id
          title
          stage
          amount {
            amount
            currency
          }
          ...DealCard_deal
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    workspace {
      id
      pipeline {
        stage
        count
        totals {
          amount
          currency
        }
      }
    }
  }
`);

/** The stages' counts and totals alone: asked again after a change so they are the server's. */
export const DealsBoardPipeline = graphql(`
  query DealsBoardPipeline {
    workspace {
      id
      pipeline {
        stage
        count
        totals {
          amount
          currency
        }
      }
    }
  }
`);
