import type { ApolloCache } from "@apollo/client";
import { getFragmentData, type FragmentType } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { InboxMessagesQuery, InboxMessagesQueryVariables, MessageCategory } from "../../__generated__/graphql.ts";
import { CATEGORIES } from "./inbox-format.ts";

/** How many messages the inbox lists at first and adds with each "Load more". */
export const INBOX_PAGE = 25;

/**
 * What a message carries wherever it may be put into or taken out of the cached inbox lists:
 * where it is (account, folder), which tab it belongs to, when it was sent (its place), and
 * what its row shows. The account's folders say which cached lists to look at.
 */
export const InboxListNode_message = graphql(`
  fragment InboxListNode_message on Message {
    id
    sentAt
    category
    folder {
      id
    }
    account {
      id
      folders {
        id
      }
    }
    ...MessageRow_message
  }
`);

/** The inbox page's list: one account's folder, one category tab (or all), perhaps a search. */
export const InboxMessagesList = graphql(`
  query InboxMessages($filter: MessageFilter!, $after: String) {
    messages(filter: $filter, first: 25, after: $after) {
      edges {
        cursor
        node {
          id
          ...InboxListNode_message
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export interface InboxView {
  accountId: string;
  folderId: string;
  category: MessageCategory | null;
  search: string | null;
}

/**
 * The list's variables. Always the same four keys (null when unused) and never `after`, so the
 * same view is the same cache entry wherever it is built.
 */
export const viewVariables = (view: InboxView): InboxMessagesQueryVariables => ({
  filter: { accountId: view.accountId, folderId: view.folderId, category: view.category, search: view.search },
});

type ListNode = InboxMessagesQuery["messages"]["edges"][number]["node"];

/** Whether a message belongs in a list, as far as the client can tell (a search it cannot). */
function belongs(message: { category?: MessageCategory | null; folder: { id: string } }, view: InboxView) {
  return message.folder.id === view.folderId && (view.category === null || view.category === message.category);
}

/**
 * Puts a message where it belongs in every cached inbox list of its account, and takes it out of
 * the others: a new message is prepended (at its place by date), a triaged or recategorized one
 * moves between tabs, an archived one leaves the inbox. Search results (`also`, the list on
 * screen) only lose messages, since the client cannot tell what a search matches. Lists not in
 * the cache are left alone: they are fetched when shown.
 */
export function placeMessage(
  cache: ApolloCache,
  node: { id: string } & FragmentType<typeof InboxListNode_message>,
  also: InboxView[] = [],
): void {
  const message = getFragmentData(InboxListNode_message, node);
  const views: InboxView[] = [];
  for (const folder of message.account.folders) {
    for (const category of [null, ...CATEGORIES.map((entry) => entry.category)]) {
      views.push({ accountId: message.account.id, folderId: folder.id, category, search: null });
    }
  }
  for (const view of also) if (view.search) views.push(view);
  for (const view of views) {
    cache.updateQuery({ query: InboxMessagesList, variables: viewVariables(view) }, (data) => {
      if (!data) return undefined;
      const { edges, pageInfo } = data.messages;
      const present = edges.some((edge) => edge.node.id === message.id);
      const wanted = belongs(message, view);
      if (present && !wanted) {
        return { ...data, messages: { ...data.messages, edges: edges.filter((edge) => edge.node.id !== message.id) } };
      }
      if (present || !wanted || view.search) return undefined;
      const at = Date.parse(message.sentAt);
      let index = edges.findIndex((edge) => {
        const shown = getFragmentData(InboxListNode_message, edge.node);
        return Date.parse(shown.sentAt) <= at;
      });
      if (index === -1) {
        // Older than everything loaded while more is left to load: it comes with a later page.
        if (pageInfo.hasNextPage) return undefined;
        index = edges.length;
      }
      const edge = { __typename: "MessageEdge" as const, cursor: "", node: node as ListNode };
      return {
        ...data,
        messages: { ...data.messages, edges: [...edges.slice(0, index), edge, ...edges.slice(index)] },
      };
    });
  }
}
