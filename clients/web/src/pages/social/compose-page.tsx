import { useQuery } from "@apollo/client/react";
import { Link, useParams, useSearchParams } from "react-router";
import { graphql } from "../../__generated__/gql.ts";
import { errorCode } from "../../api/errors.ts";
import { ErrorNotice, Loading } from "../../components/status.tsx";
import { WithSocialAccounts } from "./account-picker.tsx";
import { ComposerForm } from "./composer-form.tsx";
import { SocialNav } from "./social-nav.tsx";

const ComposeEditQuery = graphql(`
  query SocialComposeEdit($id: ID!) {
    post(id: $id) {
      id
      state
      ...ComposerForm_post
    }
  }
`);

/** Editing a saved post: only drafts, scheduled and failed posts can change. */
function EditPost({ postId }: { postId: string }) {
  const { data, error, refetch } = useQuery(ComposeEditQuery, { variables: { id: postId } });
  if (errorCode(error) === "NOT_FOUND") {
    return <p>This post does not exist, or it belongs to another workspace.</p>;
  }
  if (error && !data) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  if (!data) return <Loading label="Loading the post…" />;
  if (data.post.state === "PUBLISHING" || data.post.state === "PUBLISHED") {
    return (
      <p>
        This post is {data.post.state === "PUBLISHED" ? "published" : "being published"} and can no longer change.{" "}
        <Link to={`/social/posts/${postId}`}>See the post</Link>.
      </p>
    );
  }
  return <WithSocialAccounts>{(accounts) => <ComposerForm accounts={accounts} post={data.post} />}</WithSocialAccounts>;
}

/** /social/compose (a new post; ?account= picks the account) and /social/posts/:postId/edit. */
export default function ComposePage() {
  const { postId } = useParams();
  const [params] = useSearchParams();
  return (
    <section>
      <SocialNav />
      <h1>{postId ? "Edit post" : "Compose a post"}</h1>
      {postId ? (
        <EditPost postId={postId} />
      ) : (
        <WithSocialAccounts>
          {(accounts) => <ComposerForm accounts={accounts} initialAccountId={params.get("account")} />}
        </WithSocialAccounts>
      )}
    </section>
  );
}
