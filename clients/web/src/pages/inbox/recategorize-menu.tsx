import { useApolloClient, useMutation } from "@apollo/client/react";
import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useState } from "react";
import { graphql } from "../../__generated__/gql.ts";
import type { MessageCategory } from "../../__generated__/graphql.ts";
import { ErrorNotice } from "../../components/status.tsx";
import { CATEGORIES } from "./inbox-format.ts";
import { placeMessage } from "./inbox-list.ts";

const Recategorize = graphql(`
  mutation RecategorizeMenu($messageId: ID!, $category: MessageCategory!) {
    recategorize(messageId: $messageId, category: $category) {
      message {
        id
        category
        urgency
        triageReason
        triageSource
        ...InboxListNode_message
      }
      proposedRule {
        id
        summary
        state
      }
    }
  }
`);

const AcceptRule = graphql(`
  mutation RecategorizeAcceptRule($id: ID!) {
    acceptTriageRule(id: $id, applyToExisting: true) {
      rule {
        id
        summary
        state
      }
      retriagedMessages
    }
  }
`);

/**
 * "Recategorize": puts the message in another category (kept by later triage), then offers the
 * rule Mary proposes from it, which "Always do this" makes apply to the sender's other mail.
 */
export function RecategorizeMenu({ messageId, category }: { messageId: string; category: MessageCategory | null }) {
  const client = useApolloClient();
  const [recategorize, recategorizing] = useMutation(Recategorize);
  const [accept, accepting] = useMutation(AcceptRule);
  const [proposed, setProposed] = useState<{ id: string; summary: string } | null>(null);
  const [accepted, setAccepted] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const choose = async (next: MessageCategory) => {
    setError(null);
    setAccepted(null);
    setProposed(null);
    try {
      const { data } = await recategorize({ variables: { messageId, category: next } });
      if (!data) return;
      placeMessage(client.cache, data.recategorize.message);
      setProposed(data.recategorize.proposedRule);
    } catch (caught) {
      setError(caught);
    }
  };

  const always = async () => {
    if (!proposed) return;
    setError(null);
    try {
      const { data } = await accept({ variables: { id: proposed.id } });
      if (!data) return;
      const count = data.acceptTriageRule.retriagedMessages;
      setAccepted(
        `From now on: ${data.acceptTriageRule.rule.summary}. ${count === 1 ? "1 other message" : `${count} other messages`} moved too.`,
      );
      setProposed(null);
      // Other messages changed category on the server: cached lists are read again when shown.
      client.cache.evict({ id: "ROOT_QUERY", fieldName: "messages" });
      client.cache.gc();
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <button type="button" className="inbox-recategorize" disabled={recategorizing.loading}>
            {recategorizing.loading ? "Recategorizing…" : "Recategorize"}
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className="menu" align="start" sideOffset={4}>
            <DropdownMenu.Label className="crm-menu-label">Put in</DropdownMenu.Label>
            {CATEGORIES.filter((entry) => entry.category !== category).map((entry) => (
              <DropdownMenu.Item key={entry.category} onSelect={() => void choose(entry.category)}>
                {entry.label}
              </DropdownMenu.Item>
            ))}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {proposed ? (
        <div className="notice inbox-proposal" role="status">
          <p>
            Mary suggests a rule: <strong>{proposed.summary}</strong>.
          </p>
          <button type="button" className="primary" disabled={accepting.loading} onClick={() => void always()}>
            {accepting.loading ? "Saving the rule…" : "Always do this"}
          </button>{" "}
          <button type="button" onClick={() => setProposed(null)}>
            Not now
          </button>
        </div>
      ) : null}
      {accepted ? (
        <p className="notice" role="status">
          {accepted}
        </p>
      ) : null}
      <ErrorNotice error={error} />
    </>
  );
}
