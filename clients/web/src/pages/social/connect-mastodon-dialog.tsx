import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import { Dialog } from "../../components/dialog.tsx";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";

const StartMastodonConnect = graphql(`
  mutation ConnectMastodonDialog($instanceUrl: String!) {
    startMastodonConnect(instanceUrl: $instanceUrl) {
      authorizeUrl
    }
  }
`);

interface MastodonValues {
  instanceUrl: string;
}

/** Where the browser goes to authorize Mary; a function so tests of the page can watch it. */
export const goTo = (url: string) => window.location.assign(url);

/**
 * Connects (or reconnects) a Mastodon-API account: Mary registers itself on the instance and the
 * browser goes to the instance's own sign-in and consent page; the instance sends it back to the
 * accounts page with ?connected= or ?error=.
 */
export function ConnectMastodonDialog({
  open,
  onOpenChange,
  instanceUrl,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  instanceUrl?: string | null;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={instanceUrl ? "Reconnect a Mastodon account" : "Connect a Mastodon account"}
      description="Mastodon, GoToSocial or another server that speaks Mastodon's API. You sign in on your server and allow Mary there; Mary never sees your password."
    >
      <MastodonForm instanceUrl={instanceUrl ?? ""} onCancel={() => onOpenChange(false)} />
    </Dialog>
  );
}

function MastodonForm({ instanceUrl, onCancel }: { instanceUrl: string; onCancel: () => void }) {
  const [start] = useMutation(StartMastodonConnect);
  const [error, setError] = useState<unknown>(null);
  const [leaving, setLeaving] = useState(false);
  const form = useForm<MastodonValues>({ defaultValues: { instanceUrl } });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { data } = await start({ variables: { instanceUrl: values.instanceUrl.trim() } });
      if (data) {
        setLeaving(true);
        goTo(data.startMastodonConnect.authorizeUrl);
      }
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, ["instanceUrl"])) setError(caught);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Server" error={errors.instanceUrl} hint="Such as mastodon.social or https://example.social">
        {(props) => (
          <input
            {...props}
            autoComplete="url"
            {...form.register("instanceUrl", {
              validate: (value) => value.trim().length > 0 || "Enter your Mastodon server's address",
            })}
          />
        )}
      </Field>
      <ErrorNotice error={error} />
      {leaving ? (
        <p className="status" role="status">
          Taking you to your server…
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={isSubmitting || leaving}>
          {isSubmitting || leaving ? "Continuing…" : "Continue to your server"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
