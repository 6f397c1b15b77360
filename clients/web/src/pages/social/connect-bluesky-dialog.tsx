import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import { Dialog } from "../../components/dialog.tsx";
import { Field } from "../../components/field.tsx";
import { showServerFieldErrors } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";

const ConnectBluesky = graphql(`
  mutation ConnectBlueskyDialog($input: ConnectBlueskyAccountInput!) {
    connectBlueskyAccount(input: $input) {
      id
      ...SocialAccountRow_account
    }
  }
`);

/** Named like ConnectBlueskyAccountInput's fields, so the server's errors land on them. */
interface BlueskyValues {
  handle: string;
  appPassword: string;
  serviceUrl: string;
}
const FIELDS = ["handle", "appPassword", "serviceUrl"] as const;
export const DEFAULT_BLUESKY_SERVICE = "https://bsky.social";

/**
 * Connects (or reconnects, given the account's handle and server) a Bluesky account with an app
 * password. Mary signs in on the server first, so a wrong password shows under its field.
 */
export function ConnectBlueskyDialog({
  open,
  onOpenChange,
  onConnected,
  reconnect,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConnected: (account: { id: string; handle: string }) => void;
  reconnect?: { handle: string; serviceUrl: string } | null;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={reconnect ? `Reconnect ${reconnect.handle}` : "Connect a Bluesky account"}
      description="Use an app password (Settings → Privacy and security → App passwords), never your main password."
    >
      <BlueskyForm
        reconnect={reconnect ?? null}
        onCancel={() => onOpenChange(false)}
        onConnected={(account) => {
          onOpenChange(false);
          onConnected(account);
        }}
      />
    </Dialog>
  );
}

function BlueskyForm({
  reconnect,
  onCancel,
  onConnected,
}: {
  reconnect: { handle: string; serviceUrl: string } | null;
  onCancel: () => void;
  onConnected: (account: { id: string; handle: string }) => void;
}) {
  const [connect] = useMutation(ConnectBluesky, {
    refetchQueries: ["SocialAccountsPage", "SocialAccountPicker"],
    awaitRefetchQueries: true,
  });
  const [error, setError] = useState<unknown>(null);
  const form = useForm<BlueskyValues>({
    defaultValues: {
      handle: reconnect?.handle ?? "",
      appPassword: "",
      serviceUrl: reconnect?.serviceUrl ?? DEFAULT_BLUESKY_SERVICE,
    },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { data } = await connect({
        variables: {
          input: {
            handle: values.handle.trim().replace(/^@/, ""),
            appPassword: values.appPassword.trim(),
            serviceUrl: values.serviceUrl.trim() || null,
          },
        },
      });
      if (data) onConnected({ id: data.connectBlueskyAccount.id, handle: values.handle.trim().replace(/^@/, "") });
    } catch (caught) {
      if (!showServerFieldErrors(caught, form.setError, FIELDS)) setError(caught);
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Handle" error={errors.handle} hint="Such as alice.bsky.social, or the account's email address.">
        {(props) => (
          <input
            {...props}
            autoComplete="username"
            {...form.register("handle", { validate: (value) => value.trim().length > 0 || "Enter the handle" })}
          />
        )}
      </Field>
      <Field label="App password" error={errors.appPassword}>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="off"
            {...form.register("appPassword", {
              validate: (value) => value.trim().length > 0 || "Enter an app password",
            })}
          />
        )}
      </Field>
      <Field label="Server" error={errors.serviceUrl} hint="Your PDS; https://bsky.social for most accounts.">
        {(props) => <input {...props} type="url" autoComplete="url" {...form.register("serviceUrl")} />}
      </Field>
      <ErrorNotice error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Connecting…" : reconnect ? "Reconnect" : "Connect"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
