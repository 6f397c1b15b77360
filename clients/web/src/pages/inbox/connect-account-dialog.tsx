import { useMutation } from "@apollo/client/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { graphql } from "../../__generated__/gql.ts";
import type { ConnectionSecurity } from "../../__generated__/graphql.ts";
import { fieldErrors } from "../../api/errors.ts";
import { Dialog } from "../../components/dialog.tsx";
import { Field } from "../../components/field.tsx";
import { EMAIL_RULE } from "../../components/forms.ts";
import { ErrorNotice } from "../../components/status.tsx";

const ConnectMailAccount = graphql(`
  mutation ConnectAccountDialog($input: ConnectMailAccountInput!) {
    connectMailAccount(input: $input) {
      id
      address
      syncState
      folders {
        id
        path
        role
      }
    }
  }
`);

// Named like ConnectMailAccountInput's fields, so the server's errors land on them.
interface ConnectValues {
  address: string;
  displayName: string;
  username: string;
  password: string;
  imapHost: string;
  imapPort: string;
  imapSecurity: ConnectionSecurity;
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: ConnectionSecurity;
}
const FIELDS = [
  "address",
  "displayName",
  "username",
  "password",
  "imapHost",
  "imapPort",
  "imapSecurity",
  "smtpHost",
  "smtpPort",
  "smtpSecurity",
] as const;

const SECURITY: readonly { value: ConnectionSecurity; label: string }[] = [
  { value: "TLS", label: "TLS" },
  { value: "STARTTLS", label: "STARTTLS" },
  { value: "NONE", label: "None" },
];

const portRule = {
  validate: (value: string) =>
    value.trim() === "" || (/^\d+$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= 65535)
      ? true
      : "Enter a port from 1 to 65535, or leave it empty",
};
const port = (value: string) => (value.trim() ? Number(value) : null);

/** Connects a mailbox over IMAP and SMTP. Mary tries both before saving, so errors show here. */
export function ConnectAccountDialog({
  open,
  onOpenChange,
  onConnected,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConnected: (account: { id: string; address: string }) => void;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Connect a mail account"
      description="Mary logs in to your mail servers first; nothing is saved unless both answer."
    >
      <ConnectForm
        onCancel={() => onOpenChange(false)}
        onConnected={(account) => {
          onOpenChange(false);
          onConnected(account);
        }}
      />
    </Dialog>
  );
}

function ConnectForm({
  onCancel,
  onConnected,
}: {
  onCancel: () => void;
  onConnected: (account: { id: string; address: string }) => void;
}) {
  const [connect] = useMutation(ConnectMailAccount, { refetchQueries: ["InboxAccounts"], awaitRefetchQueries: true });
  const [error, setError] = useState<unknown>(null);
  const form = useForm<ConnectValues>({
    defaultValues: {
      address: "",
      displayName: "",
      username: "",
      password: "",
      imapHost: "",
      imapPort: "",
      imapSecurity: "TLS",
      smtpHost: "",
      smtpPort: "",
      smtpSecurity: "TLS",
    },
  });
  const { errors, isSubmitting } = form.formState;

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const { data } = await connect({
        variables: {
          input: {
            address: values.address.trim(),
            displayName: values.displayName.trim() || null,
            username: values.username.trim() || null,
            password: values.password,
            imapHost: values.imapHost.trim(),
            imapPort: port(values.imapPort),
            imapSecurity: values.imapSecurity,
            smtpHost: values.smtpHost.trim(),
            smtpPort: port(values.smtpPort),
            smtpSecurity: values.smtpSecurity,
          },
        },
      });
      if (data) onConnected(data.connectMailAccount);
    } catch (caught) {
      const byField = Object.entries(fieldErrors(caught));
      let placed = byField.length > 0;
      for (const [field, message] of byField) {
        const target = FIELDS.find((name) => name === field);
        if (target) form.setError(target, { type: "server", message });
        else placed = false;
      }
      if (!placed) setError(caught);
    }
  });

  const required = (what: string) => ({ validate: (value: string) => value.trim().length > 0 || what });
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Email address" error={errors.address}>
        {(props) => (
          <input
            {...props}
            type="email"
            autoComplete="email"
            {...form.register("address", { ...required("Enter the mailbox's address"), pattern: EMAIL_RULE })}
          />
        )}
      </Field>
      <Field label="Name on sent mail" error={errors.displayName} hint="Optional, such as Ada Lovelace.">
        {(props) => <input {...props} autoComplete="name" {...form.register("displayName")} />}
      </Field>
      <Field label="User name" error={errors.username} hint="Leave empty to log in with the address.">
        {(props) => <input {...props} autoComplete="username" {...form.register("username")} />}
      </Field>
      <Field label="Password" error={errors.password} hint="Or an app password, if your provider uses them.">
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="current-password"
            {...form.register("password", { validate: (value) => value.length > 0 || "Enter the password" })}
          />
        )}
      </Field>
      <fieldset className="inbox-servers">
        <legend>Incoming mail (IMAP)</legend>
        <Field label="IMAP host" error={errors.imapHost}>
          {(props) => (
            <input
              {...props}
              autoComplete="off"
              placeholder="imap.example.com"
              {...form.register("imapHost", required("Enter the IMAP server's host name"))}
            />
          )}
        </Field>
        <Field label="IMAP port" error={errors.imapPort} hint="Empty: 993 (TLS) or 143">
          {(props) => <input {...props} inputMode="numeric" {...form.register("imapPort", portRule)} />}
        </Field>
        <Field label="IMAP security" error={errors.imapSecurity}>
          {(props) => (
            <select {...props} {...form.register("imapSecurity")}>
              {SECURITY.map(({ value, label }) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      <fieldset className="inbox-servers">
        <legend>Outgoing mail (SMTP)</legend>
        <Field label="SMTP host" error={errors.smtpHost}>
          {(props) => (
            <input
              {...props}
              autoComplete="off"
              placeholder="smtp.example.com"
              {...form.register("smtpHost", required("Enter the SMTP server's host name"))}
            />
          )}
        </Field>
        <Field label="SMTP port" error={errors.smtpPort} hint="Empty: 465 (TLS) or 587">
          {(props) => <input {...props} inputMode="numeric" {...form.register("smtpPort", portRule)} />}
        </Field>
        <Field label="SMTP security" error={errors.smtpSecurity}>
          {(props) => (
            <select {...props} {...form.register("smtpSecurity")}>
              {SECURITY.map(({ value, label }) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      <ErrorNotice error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Connecting…" : "Connect"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
