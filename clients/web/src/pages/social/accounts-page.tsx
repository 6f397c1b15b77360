import { useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { ConfirmDialog } from "../../components/confirm-dialog.tsx";
import { formatDate } from "../../components/format.ts";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { ConnectBlueskyDialog } from "./connect-bluesky-dialog.tsx";
import { ConnectMastodonDialog } from "./connect-mastodon-dialog.tsx";
import { ACCOUNT_STATE_LABEL, mastodonErrorWords, NETWORK_LABEL } from "./social-format.ts";
import { SocialNav } from "./social-nav.tsx";

export const SocialAccountRow_account = graphql(`
  fragment SocialAccountRow_account on SocialAccount {
    id
    network
    handle
    displayName
    serviceUrl
    state
    maxPostLength
    createdAt
  }
`);

const SocialAccountsPageQuery = graphql(`
  query SocialAccountsPage($after: String) {
    mastodonConnectErrors
    socialAccounts(first: 20, after: $after) {
      edges {
        cursor
        node {
          id
          handle
          ...SocialAccountRow_account
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const DisconnectSocialAccount = graphql(`
  mutation SocialAccountsDisconnect($id: ID!) {
    disconnectSocialAccount(id: $id)
  }
`);

type Reconnect =
  { network: "BLUESKY"; handle: string; serviceUrl: string } | { network: "MASTODON"; serviceUrl: string } | null;

function AccountRow({
  account: masked,
  onReconnect,
  onDisconnect,
}: {
  account: FragmentType<typeof SocialAccountRow_account>;
  onReconnect: (reconnect: Reconnect) => void;
  onDisconnect: (account: { id: string; handle: string }) => void;
}) {
  const account = getFragmentData(SocialAccountRow_account, masked);
  const needsReconnect = account.state === "NEEDS_RECONNECT";
  return (
    <tr>
      <td>{NETWORK_LABEL[account.network]}</td>
      <th scope="row">
        {account.handle}
        {account.displayName ? <div className="hint">{account.displayName}</div> : null}
      </th>
      <td>
        <span className={needsReconnect ? "badge social-warning" : "badge"}>{ACCOUNT_STATE_LABEL[account.state]}</span>
      </td>
      <td className="hint">{account.serviceUrl}</td>
      <td>{formatDate(account.createdAt)}</td>
      <td>
        <div className="row">
          {needsReconnect ? (
            <button
              type="button"
              className="primary"
              aria-label={`Reconnect ${account.handle}`}
              onClick={() =>
                onReconnect(
                  account.network === "BLUESKY"
                    ? { network: "BLUESKY", handle: account.handle, serviceUrl: account.serviceUrl }
                    : { network: "MASTODON", serviceUrl: account.serviceUrl },
                )
              }
            >
              Reconnect
            </button>
          ) : null}
          <button
            type="button"
            className="danger"
            aria-label={`Disconnect ${account.handle}`}
            onClick={() => onDisconnect({ id: account.id, handle: account.handle })}
          >
            Disconnect
          </button>
        </div>
      </td>
    </tr>
  );
}

export default function SocialAccountsPage() {
  const [params, setParams] = useSearchParams();
  const { data, error, refetch, fetchMore } = useQuery(SocialAccountsPageQuery);
  const { loadingMore, moreError, track } = useLoadMore();
  const [bluesky, setBluesky] = useState(false);
  const [mastodon, setMastodon] = useState(false);
  const [reconnect, setReconnect] = useState<Reconnect>(null);
  const [disconnecting, setDisconnecting] = useState<{ id: string; handle: string } | null>(null);
  const [notice, setNotice] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [disconnect] = useMutation(DisconnectSocialAccount, {
    refetchQueries: ["SocialAccountsPage", "SocialAccountPicker"],
    awaitRefetchQueries: true,
  });

  // Back from a Mastodon server: ?connected=<id> or ?error=<reason> (one of the API's
  // mastodonConnectErrors, read with the accounts), announced once, then dropped from the address
  // so a reload does not announce it again.
  const connectedId = params.get("connected");
  const returnedError = params.get("error");
  const edges = data?.socialAccounts.edges ?? [];
  const connectedHandle = connectedId ? edges.find((edge) => edge.node.id === connectedId)?.node.handle : undefined;
  useEffect(() => {
    if (returnedError && (data || error)) {
      setNotice({ kind: "error", text: mastodonErrorWords(returnedError, data?.mastodonConnectErrors ?? []) });
      setParams({}, { replace: true });
    } else if (connectedId && data) {
      setNotice({ kind: "ok", text: `Connected ${connectedHandle ?? "your Mastodon account"}.` });
      setParams({}, { replace: true });
    }
  }, [connectedId, connectedHandle, returnedError, data, error, setParams]);

  const heading = (
    <>
      <SocialNav />
      <div className="crm-heading">
        <h1>Social accounts</h1>
        <div className="row">
          <button type="button" className={edges.length ? "" : "primary"} onClick={() => setBluesky(true)}>
            Connect Bluesky
          </button>
          <button type="button" onClick={() => setMastodon(true)}>
            Connect Mastodon
          </button>
        </div>
      </div>
    </>
  );
  const dialogs = (
    <>
      <ConnectBlueskyDialog
        open={bluesky || reconnect?.network === "BLUESKY"}
        onOpenChange={(open) => {
          setBluesky(open);
          if (!open) setReconnect(null);
        }}
        reconnect={reconnect?.network === "BLUESKY" ? reconnect : null}
        onConnected={(account) => setNotice({ kind: "ok", text: `Connected ${account.handle}.` })}
      />
      <ConnectMastodonDialog
        open={mastodon || reconnect?.network === "MASTODON"}
        onOpenChange={(open) => {
          setMastodon(open);
          if (!open) setReconnect(null);
        }}
        instanceUrl={reconnect?.network === "MASTODON" ? reconnect.serviceUrl : null}
      />
      <ConfirmDialog
        open={disconnecting !== null}
        onOpenChange={(open) => (open ? undefined : setDisconnecting(null))}
        title={`Disconnect ${disconnecting?.handle ?? "the account"}?`}
        description="Mary forgets its tokens and stops publishing for it; scheduled posts will not go out. The account stays on its network."
        confirmLabel="Disconnect"
        onConfirm={async () => {
          if (!disconnecting) return;
          await disconnect({ variables: { id: disconnecting.id } });
          setNotice({ kind: "ok", text: `Disconnected ${disconnecting.handle}.` });
        }}
      />
    </>
  );
  const announcement = (
    <p className={notice ? (notice.kind === "ok" ? "notice" : "error") : "visually-hidden"} role="status">
      {notice?.text}
    </p>
  );

  if (error && !data) {
    return (
      <section>
        {heading}
        {dialogs}
        {announcement}
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      </section>
    );
  }
  if (!data) return <Loading label="Loading your social accounts…" />;
  const { pageInfo } = data.socialAccounts;
  return (
    <section>
      {heading}
      {dialogs}
      {announcement}
      {edges.length === 0 ? (
        <Empty>
          <p>
            No social account yet. Connect a Bluesky account with an app password, or a Mastodon account on its server,
            to publish, schedule and find people to follow.
          </p>
        </Empty>
      ) : (
        <table className="social-table">
          <caption className="visually-hidden">Connected social accounts</caption>
          <thead>
            <tr>
              <th scope="col">Network</th>
              <th scope="col">Handle</th>
              <th scope="col">State</th>
              <th scope="col">Server</th>
              <th scope="col">Connected</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {edges.map((edge) => (
              <AccountRow
                key={edge.node.id}
                account={edge.node}
                onReconnect={setReconnect}
                onDisconnect={setDisconnecting}
              />
            ))}
          </tbody>
        </table>
      )}
      <ErrorNotice error={moreError} />
      {pageInfo.hasNextPage ? (
        <button
          type="button"
          disabled={loadingMore}
          onClick={() =>
            void track(
              fetchMore({
                variables: { after: pageInfo.endCursor },
                updateQuery: (shown, { fetchMoreResult }) => ({
                  ...shown,
                  socialAccounts: appendEdges(shown.socialAccounts, fetchMoreResult.socialAccounts),
                }),
              }),
            )
          }
        >
          {loadingMore ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}
