import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { Link } from "react-router";
import { graphql } from "../../__generated__/gql.ts";
import type { SocialAccountPickerQuery } from "../../__generated__/graphql.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { NETWORK_LABEL } from "./social-format.ts";

/** The accounts a page can pick from: every connected one, with what composing for it needs. */
export const AccountPickerQuery = graphql(`
  query SocialAccountPicker {
    socialAccounts(first: 100) {
      edges {
        node {
          id
          network
          handle
          state
          maxPostLength
        }
      }
    }
  }
`);

export type PickableAccount = SocialAccountPickerQuery["socialAccounts"]["edges"][number]["node"];

export const accountLabel = (account: Pick<PickableAccount, "network" | "handle">) =>
  `${account.handle} (${NETWORK_LABEL[account.network]})`;

/**
 * The workspace's social accounts for a page that needs one: `children` gets them once loaded;
 * loading, error and "connect one first" are shown here.
 */
export function WithSocialAccounts({ children }: { children: (accounts: PickableAccount[]) => React.ReactNode }) {
  const { data, error, refetch } = useQuery(AccountPickerQuery);
  if (error && !data) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  if (!data) return <Loading label="Loading your social accounts…" />;
  const accounts = data.socialAccounts.edges.map((edge) => edge.node);
  if (accounts.length === 0) {
    return (
      <Empty>
        <p>
          No social account yet. <Link to="/social/accounts">Connect a Bluesky or Mastodon account</Link> first.
        </p>
      </Empty>
    );
  }
  return children(accounts);
}

/** A labelled select of accounts (not a form field: for pages that filter by account). */
export function AccountSelect({
  accounts,
  value,
  onChange,
  label = "Account",
}: {
  accounts: PickableAccount[];
  value: string;
  onChange: (id: string) => void;
  label?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {accountLabel(account)}
          </option>
        ))}
      </select>
    </div>
  );
}
