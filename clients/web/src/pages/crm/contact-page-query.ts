import { graphql } from "../../__generated__/gql.ts";

/** How many activities the contact page shows at first, and adds with each "Load more". */
export const TIMELINE_PAGE = 20;

/**
 * The contact page's one query: the contact, what its components show, and the first page of its
 * timeline (the page adds the next pages; logging an activity writes it in here).
 */
export const ContactPageQuery = graphql(`
  query ContactPage($id: ID!, $after: String) {
    contact(id: $id) {
      id
      name
      ...ContactPageDetails_contact
      ...ContactForm_contact
      timeline(first: 20, after: $after) {
        edges {
          cursor
          node {
            id
            occurredAt
            ...TimelineItem_activity
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);
