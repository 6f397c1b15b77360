import { useApolloClient, useSubscription } from "@apollo/client/react";
import { useRef, useState } from "react";
import { graphql } from "../../__generated__/gql.ts";
import type { InboxPageEventsSubscription } from "../../__generated__/graphql.ts";
import type { Resume } from "../../api/resumable-ws-link.ts";
import { type InboxView, placeMessage } from "./inbox-list.ts";

/**
 * The caller's inbox as it changes. Each result is written to the cache (the message and the
 * account are normalized, so rows and sync states update where they are shown); new and triaged
 * messages are also put into the cached lists they belong to.
 */
const InboxPageEvents = graphql(`
  subscription InboxPageEvents($after: String) {
    inboxEvents(after: $after) {
      cursor
      type
      syncState
      account {
        id
        syncState
        syncError
        lastSyncedAt
        folders {
          id
          path
          role
        }
      }
      message {
        id
        subject
        from {
          email
          name
        }
        ...InboxListNode_message
      }
    }
  }
`);

/** After a reconnect (a dropped socket, a token refresh), the events after the last one received. */
const resume: Resume = (data) => ({ after: (data as unknown as InboxPageEventsSubscription).inboxEvents.cursor });

/**
 * Follows inboxEvents while the page is open, from `after` (the cursor read before the lists;
 * nothing is followed until it is known). `views()` gives the list on screen, so a search
 * result loses a message that left its folder. Returns the latest new mail's words (for a polite
 * announcement) and the subscription's error.
 */
export function useInboxEvents(views: () => InboxView[], after: string | null) {
  const client = useApolloClient();
  const [announcement, setAnnouncement] = useState("");
  const seen = useRef(new Set<string>());
  const { error, restart } = useSubscription(InboxPageEvents, {
    variables: { after },
    skip: after === null,
    context: { resume },
    onData: ({ data }) => {
      const event = data.data?.inboxEvents;
      if (!event || seen.current.has(event.cursor)) return;
      seen.current.add(event.cursor);
      if ((event.type === "NEW_MESSAGE" || event.type === "MESSAGE_TRIAGED") && event.message) {
        placeMessage(client.cache, event.message, views());
        if (event.type === "NEW_MESSAGE") {
          const from = event.message.from?.name ?? event.message.from?.email ?? "an unknown sender";
          setAnnouncement(`New mail from ${from}: ${event.message.subject || "(no subject)"}`);
        }
      }
    },
  });
  return { announcement, error, restart };
}
