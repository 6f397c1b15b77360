import { useMutation } from "@apollo/client/react";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { fieldErrors } from "../../api/errors.ts";
import { Field } from "../../components/field.tsx";
import { ErrorNotice } from "../../components/status.tsx";
import { accountLabel, type PickableAccount } from "./account-picker.tsx";
import { countPost, splitAtGraphemes } from "./post-length.ts";
import { ScheduleFields } from "./schedule-fields.tsx";
import { NETWORK_LABEL } from "./social-format.ts";
import { browserTimeZone, defaultSchedule } from "./social-time.ts";

/** What the composer needs of a post it edits. */
export const ComposerForm_post = graphql(`
  fragment ComposerForm_post on Post {
    id
    text
    state
    timeZone
    scheduledLocal
    account {
      id
    }
  }
`);

export const ComposerPostFields_post = graphql(`
  fragment ComposerPostFields_post on Post {
    id
    text
    state
    network
    scheduledAt
    timeZone
    scheduledLocal
    failureReason
    updatedAt
    account {
      id
      handle
    }
  }
`);

const CreatePost = graphql(`
  mutation ComposerCreatePost($input: CreatePostInput!) {
    createPost(input: $input) {
      id
      ...ComposerPostFields_post
    }
  }
`);
const UpdatePost = graphql(`
  mutation ComposerUpdatePost($id: ID!, $input: UpdatePostInput!) {
    updatePost(id: $id, input: $input) {
      id
      ...ComposerPostFields_post
    }
  }
`);
const SchedulePost = graphql(`
  mutation ComposerSchedulePost($id: ID!, $at: String!, $timeZone: String!) {
    schedulePost(id: $id, at: $at, timeZone: $timeZone) {
      id
      ...ComposerPostFields_post
    }
  }
`);
const PublishPost = graphql(`
  mutation ComposerPublishPost($id: ID!) {
    publishPost(id: $id) {
      id
      ...ComposerPostFields_post
    }
  }
`);

interface ComposeValues {
  accountId: string;
  text: string;
  date: string;
  time: string;
  timeZone: string;
}
type Action = "draft" | "schedule" | "publish";

/** The server's field names, and the composer's fields they belong to. */
const SERVER_FIELDS: Record<string, keyof ComposeValues> = {
  accountId: "accountId",
  text: "text",
  scheduleAt: "date",
  at: "date",
  timeZone: "timeZone",
};

/** The text as its network will show it: the part over the limit marked (Bluesky cuts graphemes). */
function Preview({ text, account, limit }: { text: string; account: PickableAccount; limit: number }) {
  const [within, over] = account.network === "BLUESKY" ? splitAtGraphemes(text, limit) : [text, ""];
  return (
    <section className="card social-preview" aria-labelledby="social-preview-heading">
      <h2 id="social-preview-heading">Preview on {NETWORK_LABEL[account.network]}</h2>
      <p className="hint">{account.handle}</p>
      {text.trim() ? (
        <p className="social-preview-text">
          {within}
          {over ? (
            <mark className="social-over" title="Over the limit">
              {over}
            </mark>
          ) : null}
        </p>
      ) : (
        <p className="hint">Nothing written yet.</p>
      )}
    </section>
  );
}

/**
 * Writes a post for one account, with the network's count live beside the text and a preview,
 * then saves it as a draft, schedules it at a local time in a zone, or publishes it now. Editing
 * (`post`) saves the text and account first, then does the same.
 */
export function ComposerForm({
  accounts,
  post: maskedPost,
  initialAccountId,
}: {
  accounts: PickableAccount[];
  post?: FragmentType<typeof ComposerForm_post>;
  initialAccountId?: string | null;
}) {
  const post = maskedPost ? getFragmentData(ComposerForm_post, maskedPost) : null;
  const navigate = useNavigate();
  const counterId = useId();
  const [error, setError] = useState<unknown>(null);
  const [acting, setActing] = useState<Action | null>(null);
  const zone = post?.timeZone ?? browserTimeZone();
  const start = post?.scheduledLocal
    ? { date: post.scheduledLocal.slice(0, 10), time: post.scheduledLocal.slice(11, 16) }
    : defaultSchedule(zone);
  const usable = accounts.filter((account) => account.state === "ACTIVE" || account.id === post?.account?.id);
  const form = useForm<ComposeValues>({
    defaultValues: {
      accountId:
        post?.account?.id ?? usable.find((account) => account.id === initialAccountId)?.id ?? usable[0]?.id ?? "",
      text: post?.text ?? "",
      date: start.date,
      time: start.time,
      timeZone: zone,
    },
  });
  const { errors } = form.formState;
  const [createPost] = useMutation(CreatePost, { refetchQueries: ["SocialQueue"] });
  const [updatePost] = useMutation(UpdatePost);
  const [schedulePost] = useMutation(SchedulePost, { refetchQueries: ["SocialQueue"] });
  const [publishPost] = useMutation(PublishPost, { refetchQueries: ["SocialQueue"] });

  const text = form.watch("text");
  const account = usable.find((candidate) => candidate.id === form.watch("accountId")) ?? usable[0];
  const count = account ? countPost(text, account) : null;

  const act = (action: Action) =>
    form.handleSubmit(async (values) => {
      setError(null);
      if (action === "schedule" && (!values.date || !values.time)) {
        if (!values.date) form.setError("date", { type: "required", message: "Pick the day to publish on" });
        if (!values.time) form.setError("time", { type: "required", message: "Pick the time to publish at" });
        return;
      }
      setActing(action);
      const at = `${values.date}T${values.time}`;
      try {
        let id = post?.id;
        if (!id) {
          const { data } = await createPost({
            variables: {
              input: {
                accountId: values.accountId,
                text: values.text,
                ...(action === "schedule" ? { scheduleAt: at, timeZone: values.timeZone } : {}),
                ...(action === "publish" ? { publishNow: true } : {}),
              },
            },
          });
          id = data?.createPost.id;
        } else {
          await updatePost({ variables: { id, input: { text: values.text, accountId: values.accountId } } });
          if (action === "schedule") await schedulePost({ variables: { id, at, timeZone: values.timeZone } });
          if (action === "publish") await publishPost({ variables: { id } });
        }
        if (!id) return;
        if (action === "publish") navigate(`/social/posts/${id}`);
        else navigate(action === "schedule" ? "/social/queue" : "/social/queue?state=DRAFT");
      } catch (caught) {
        const byField = Object.entries(fieldErrors(caught));
        let placed = byField.length > 0;
        for (const [name, message] of byField) {
          const field = SERVER_FIELDS[name];
          if (field) form.setError(field, { type: "server", message }, { shouldFocus: true });
          else placed = false;
        }
        if (!placed) setError(caught);
      } finally {
        setActing(null);
      }
    });

  return (
    <form onSubmit={act("draft")} noValidate className="social-composer">
      <div className="social-compose-columns">
        <div>
          <Field label="Account" error={errors.accountId}>
            {(props) => (
              <select {...props} {...form.register("accountId", { required: "Pick the account to post with" })}>
                {usable.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>
                    {accountLabel(candidate)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Text" error={errors.text}>
            {(props) => (
              <textarea
                {...props}
                rows={8}
                aria-describedby={[props["aria-describedby"], counterId].filter(Boolean).join(" ")}
                {...form.register("text", { validate: (value) => value.trim().length > 0 || "Write something first" })}
              />
            )}
          </Field>
          {count ? (
            <p
              id={counterId}
              className={count.over || count.overBytes ? "social-counter field-error" : "social-counter hint"}
            >
              <span data-testid="post-counter">
                {count.length} / {count.limit}
              </span>{" "}
              {count.unit}
            </p>
          ) : null}
          <p className="visually-hidden" role="status" aria-live="polite">
            {count?.over
              ? `${count.over} over ${account ? NETWORK_LABEL[account.network] : "the network"}'s limit of ${count.limit}`
              : count?.overBytes
                ? `${count.overBytes} bytes over Bluesky's limit of ${count.maxBytes} bytes`
                : ""}
          </p>
          {count?.over ? (
            <p className="warning" data-testid="over-limit">
              {count.over} over the limit: {account ? NETWORK_LABEL[account.network] : "the network"} takes{" "}
              {count.limit} {count.unit}. Shorten it before publishing.
            </p>
          ) : count?.overBytes ? (
            <p className="warning" data-testid="over-limit">
              {count.overBytes} bytes over the limit: Bluesky also takes at most {count.maxBytes} bytes, and an emoji
              takes several. Shorten it before publishing.
            </p>
          ) : null}
          <ScheduleFields
            date={form.register("date")}
            time={form.register("time")}
            timeZone={form.register("timeZone")}
            errors={{ date: errors.date, time: errors.time, timeZone: errors.timeZone }}
          />
        </div>
        {account ? <Preview text={text} account={account} limit={count?.limit ?? 0} /> : null}
      </div>
      <ErrorNotice error={error} />
      <div className="row">
        <button type="button" disabled={acting !== null} onClick={act("draft")}>
          {acting === "draft" ? "Saving…" : post ? "Save" : "Save draft"}
        </button>
        <button type="button" disabled={acting !== null} onClick={act("schedule")}>
          {acting === "schedule" ? "Scheduling…" : "Schedule"}
        </button>
        <button type="button" className="primary" disabled={acting !== null} onClick={act("publish")}>
          {acting === "publish" ? "Publishing…" : "Publish now"}
        </button>
      </div>
    </form>
  );
}
