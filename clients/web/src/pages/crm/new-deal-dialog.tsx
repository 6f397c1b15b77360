import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import type { DealStage } from "../../__generated__/graphql.ts";
import { Dialog } from "../../components/dialog.tsx";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";
import { CURRENCIES, DEAL_STAGES, parseAmount } from "./crm-format.ts";
import { DealsBoardPipeline, DealsBoardQuery } from "./deals-board-query.ts";

const NewDealContacts = graphql(`
  query NewDealContacts {
    contacts(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

const CreateDeal = graphql(`
  mutation NewDealCreate($input: CreateDealInput!) {
    createDeal(input: $input) {
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
`);

// Named like CreateDealInput's fields, so the server's errors land on them.
interface NewDealValues {
  title: string;
  amount: string;
  currency: string;
  stage: DealStage;
  contactId: string;
  expectedCloseDate: string;
}
const FIELDS = ["title", "amount", "currency", "stage", "contactId", "expectedCloseDate"] as const;

function NewDealForm({ onCancel, onSaved }: { onCancel: () => void; onSaved: (title: string) => void }) {
  const contacts = useQuery(NewDealContacts, { fetchPolicy: "cache-and-network" });
  const [createDeal] = useMutation(CreateDeal, {
    update(cache, { data }) {
      if (!data) return;
      const created = data.createDeal;
      // Newest first: the new deal leads the board's list.
      cache.updateQuery({ query: DealsBoardQuery }, (board) =>
        board && !board.deals.edges.some((edge) => edge.node.id === created.id)
          ? {
              ...board,
              deals: {
                ...board.deals,
                edges: [{ __typename: "DealEdge" as const, cursor: "", node: created }, ...board.deals.edges],
              },
            }
          : undefined,
      );
    },
    refetchQueries: [{ query: DealsBoardPipeline }],
    awaitRefetchQueries: true,
  });
  const [error, setError] = useState<unknown>(null);
  const form = useForm<NewDealValues>({
    defaultValues: { title: "", amount: "", currency: "USD", stage: "LEAD", contactId: "", expectedCloseDate: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    const amount = parseAmount(values.amount, values.currency);
    if (amount === null) return;
    try {
      const { data } = await createDeal({
        variables: {
          input: {
            title: values.title.trim(),
            amount: { amount, currency: values.currency },
            stage: values.stage,
            ...(values.contactId ? { contactId: values.contactId } : {}),
            ...(values.expectedCloseDate ? { expectedCloseDate: values.expectedCloseDate } : {}),
          },
        },
      });
      if (data) onSaved(data.createDeal.title);
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, FIELDS)) setError(caught);
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Field label="Title" error={errors.title} hint="What is being sold, in a few words.">
        {(props) => (
          <input
            {...props}
            autoComplete="off"
            {...form.register("title", {
              validate: (value) => value.trim().length > 0 || "Enter what is being sold",
              maxLength: { value: 200, message: "Use at most 200 characters" },
            })}
          />
        )}
      </Field>
      <div className="crm-form-row">
        <Field label="Amount" error={errors.amount} hint="For example 1500 or 1500.50.">
          {(props) => (
            <input
              {...props}
              inputMode="decimal"
              autoComplete="off"
              {...form.register("amount", {
                validate: (value, all) =>
                  parseAmount(value, all.currency) !== null || "Enter an amount such as 1500 or 1500.50",
              })}
            />
          )}
        </Field>
        <Field label="Currency" error={errors.currency}>
          {(props) => (
            <select {...props} {...form.register("currency")}>
              {CURRENCIES.map((currency) => (
                <option key={currency} value={currency}>
                  {currency}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field label="Stage" error={errors.stage}>
        {(props) => (
          <select {...props} {...form.register("stage")}>
            {DEAL_STAGES.map(({ stage, label }) => (
              <option key={stage} value={stage}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Contact" error={errors.contactId}>
        {(props) => (
          <select {...props} {...form.register("contactId")}>
            <option value="">No contact</option>
            {(contacts.data?.contacts.edges ?? []).map(({ node }) => (
              <option key={node.id} value={node.id}>
                {node.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Expected close" error={errors.expectedCloseDate}>
        {(props) => <input {...props} type="date" {...form.register("expectedCloseDate")} />}
      </Field>
      <ErrorNotice error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** "New deal": a deal added to the board, with its stage's totals, once the server has it. */
export function NewDealDialog({
  open,
  onOpenChange,
  onSaved,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: (title: string) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="New deal">
      <NewDealForm
        onCancel={() => onOpenChange(false)}
        onSaved={(title) => {
          onOpenChange(false);
          onSaved(title);
        }}
      />
    </Dialog>
  );
}
