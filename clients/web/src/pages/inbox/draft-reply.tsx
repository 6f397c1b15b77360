import { useMutation, useQuery } from "@apollo/client/react";
import { useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { DraftEditor_DraftFragment } from "../../__generated__/graphql.ts";
import { errorCode } from "../../api/errors.ts";
import { Field } from "../../components/field.tsx";
import { formatDateTime } from "../../components/format.ts";
import { showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice, Loading } from "../../components/status.tsx";
import { draftStateLabel, formatAddresses, parseAddresses } from "./inbox-format.ts";

export const DraftEditor_draft = graphql(`
  fragment DraftEditor_draft on Draft {
    id
    subject
    body
    state
    sentAt
    sendError
    updatedAt
    inReplyTo
    toAddresses {
      name
      email
    }
    ccAddresses {
      name
      email
    }
    account {
      id
      address
    }
  }
`);

const DraftReplyDraft = graphql(`
  query DraftReplyDraft($id: ID!) {
    draft(id: $id) {
      id
      ...DraftEditor_draft
    }
  }
`);

/** The caller's newest drafts: an unsent reply in this thread is offered again. */
const DraftReplyOpenDrafts = graphql(`
  query DraftReplyOpenDrafts {
    drafts(first: 50) {
      edges {
        node {
          id
          state
          replyToMessageId
          updatedAt
        }
      }
    }
  }
`);

const WriteReply = graphql(`
  mutation DraftReplyWrite($messageId: ID!, $instructions: String) {
    draftReply(messageId: $messageId, instructions: $instructions) {
      id
      ...DraftEditor_draft
    }
  }
`);

const UpdateDraft = graphql(`
  mutation DraftEditorUpdate($id: ID!, $input: UpdateDraftInput!) {
    updateDraft(id: $id, input: $input) {
      id
      ...DraftEditor_draft
    }
  }
`);

const SendDraft = graphql(`
  mutation DraftEditorSend($id: ID!) {
    sendDraft(id: $id) {
      id
      ...DraftEditor_draft
    }
  }
`);

/**
 * The thread's reply: "Draft a reply" (with optional instructions for the writer) makes a draft,
 * which is edited and sent here. The draft's id is in the address (?draft=), so a reload keeps it.
 */
export function DraftReply({
  messageId,
  threadMessageIds,
  draftId,
  onDraft,
}: {
  /** The message replied to (the thread's latest from someone else). */
  messageId: string;
  /** Every message of the thread shown: a draft replying to any of them is this thread's. */
  threadMessageIds: readonly string[];
  draftId: string | null;
  onDraft: (draftId: string | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const [write, writing] = useMutation(WriteReply);
  const [error, setError] = useState<unknown>(null);
  const instructionsId = useId();
  const [instructions, setInstructions] = useState("");
  const drafts = useQuery(DraftReplyOpenDrafts, { fetchPolicy: "cache-and-network", skip: Boolean(draftId) });

  if (draftId) return <DraftLoader draftId={draftId} onGone={() => onDraft(null)} />;
  const unsent = drafts.data?.drafts.edges
    .map((edge) => edge.node)
    .find(
      (draft) =>
        (draft.state === "DRAFT" || draft.state === "FAILED") &&
        draft.replyToMessageId !== null &&
        draft.replyToMessageId !== undefined &&
        threadMessageIds.includes(draft.replyToMessageId),
    );
  if (!open) {
    return (
      <p className="row">
        {unsent ? (
          <button type="button" className="primary" onClick={() => onDraft(unsent.id)}>
            Continue your draft reply
          </button>
        ) : null}
        <button type="button" className={unsent ? "" : "primary"} onClick={() => setOpen(true)}>
          {unsent ? "Draft another reply" : "Draft a reply"}
        </button>
      </p>
    );
  }
  return (
    <form
      className="card inbox-reply"
      aria-labelledby={`${instructionsId}-heading`}
      onSubmit={async (event) => {
        event.preventDefault();
        setError(null);
        try {
          const { data } = await write({
            variables: { messageId, instructions: instructions.trim() || null },
          });
          if (data) onDraft(data.draftReply.id);
        } catch (caught) {
          setError(caught);
        }
      }}
    >
      <h2 id={`${instructionsId}-heading`}>Draft a reply</h2>
      <div className="field">
        <label htmlFor={instructionsId}>What should the reply say? (optional)</label>
        <textarea
          id={instructionsId}
          rows={2}
          maxLength={2000}
          value={instructions}
          onChange={(event) => setInstructions(event.target.value)}
          placeholder="Such as: accept, and propose Tuesday"
        />
      </div>
      <ErrorNotice error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={writing.loading}>
          {writing.loading ? "Writing…" : "Write the draft"}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DraftLoader({ draftId, onGone }: { draftId: string; onGone: () => void }) {
  const { data, error, refetch } = useQuery(DraftReplyDraft, { variables: { id: draftId } });
  if (errorCode(error) === "NOT_FOUND") {
    return (
      <div className="card">
        <p>This draft no longer exists.</p>
        <button type="button" onClick={onGone}>
          Start another reply
        </button>
      </div>
    );
  }
  if (error) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  if (!data) return <Loading label="Loading the draft…" />;
  return <DraftEditor key={data.draft.id} draft={data.draft} />;
}

// Named like UpdateDraftInput's fields, so the server's errors land on them.
interface DraftValues {
  to: string;
  cc: string;
  subject: string;
  body: string;
}
const FIELDS = ["to", "cc", "subject", "body"] as const;

const valuesOf = (draft: DraftEditor_DraftFragment): DraftValues => ({
  to: formatAddresses(draft.toAddresses),
  cc: formatAddresses(draft.ccAddresses),
  subject: draft.subject,
  body: draft.body,
});

/** Edits a draft, saves it, and sends it once (the button is off while a send is on its way). */
function DraftEditor(props: { draft: FragmentType<typeof DraftEditor_draft> }) {
  const draft = getFragmentData(DraftEditor_draft, props.draft);
  const [update] = useMutation(UpdateDraft);
  const [send] = useMutation(SendDraft);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const sending = useRef(false);
  const form = useForm<DraftValues>({ defaultValues: valuesOf(draft) });
  const { errors, isSubmitting, isDirty } = form.formState;
  const editable = draft.state === "DRAFT" || draft.state === "FAILED";

  const save = async (values: DraftValues) => {
    const { data } = await update({
      variables: {
        id: draft.id,
        input: {
          to: parseAddresses(values.to),
          cc: parseAddresses(values.cc),
          subject: values.subject,
          body: values.body,
        },
      },
    });
    if (data) form.reset(valuesOf(getFragmentData(DraftEditor_draft, data.updateDraft)));
  };

  const onSave = form.handleSubmit(async (values) => {
    setError(null);
    setSaved(false);
    try {
      await save(values);
      setSaved(true);
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, FIELDS)) setError(caught);
    }
  });

  const onSend = form.handleSubmit(async (values) => {
    // One send at a time from this page (the server sends exactly once anyway).
    if (sending.current) return;
    sending.current = true;
    setError(null);
    setSaved(false);
    try {
      if (isDirty) await save(values);
      await send({ variables: { id: draft.id } });
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, FIELDS)) setError(caught);
    } finally {
      sending.current = false;
    }
  });

  const headingId = useId();
  return (
    <section className="card inbox-reply" aria-labelledby={headingId}>
      <h2 id={headingId}>Reply</h2>
      <p role="status" className="inbox-draft-state" data-state={draft.state}>
        Status: <strong>{draftStateLabel(draft.state)}</strong>
        {draft.state === "SENT" && draft.sentAt ? (
          <>
            {" "}
            at <time dateTime={draft.sentAt}>{formatDateTime(draft.sentAt)}</time> from {draft.account.address}
          </>
        ) : null}
      </p>
      {draft.state === "FAILED" && draft.sendError ? (
        <p className="field-error" role="alert">
          The mail server refused it: {draft.sendError}. Change the draft if needed and send it again.
        </p>
      ) : null}
      {editable ? (
        <form onSubmit={onSend} noValidate>
          <Field label="To" error={errors.to} hint="Separate several addresses with commas.">
            {(props) => (
              <input
                {...props}
                autoComplete="off"
                {...form.register("to", {
                  validate: (value) => parseAddresses(value).length > 0 || "Enter at least one recipient",
                })}
              />
            )}
          </Field>
          <Field label="Cc" error={errors.cc}>
            {(props) => <input {...props} autoComplete="off" {...form.register("cc")} />}
          </Field>
          <Field label="Subject" error={errors.subject}>
            {(props) => (
              <input
                {...props}
                autoComplete="off"
                {...form.register("subject", { maxLength: { value: 998, message: "Use at most 998 characters" } })}
              />
            )}
          </Field>
          <Field label="Message" error={errors.body}>
            {(props) => <textarea {...props} rows={10} {...form.register("body")} />}
          </Field>
          <ErrorNotice error={error} />
          {saved && !isDirty ? (
            <p className="notice" role="status">
              Draft saved.
            </p>
          ) : null}
          <div className="row">
            <button type="submit" className="primary" disabled={isSubmitting}>
              {isSubmitting && sending.current ? "Sending…" : "Send"}
            </button>
            <button type="button" disabled={isSubmitting || !isDirty} onClick={() => void onSave()}>
              Save draft
            </button>
          </div>
        </form>
      ) : (
        <dl className="inbox-people">
          <dt>To</dt>
          <dd>{formatAddresses(draft.toAddresses)}</dd>
          {draft.ccAddresses.length ? (
            <>
              <dt>Cc</dt>
              <dd>{formatAddresses(draft.ccAddresses)}</dd>
            </>
          ) : null}
          <dt>Subject</dt>
          <dd>{draft.subject}</dd>
          <dt>Message</dt>
          <dd className="inbox-body-text">{draft.body}</dd>
        </dl>
      )}
      <ErrorNotice error={editable ? null : error} />
    </section>
  );
}
