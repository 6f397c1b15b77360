import { useMutation, useQuery } from "@apollo/client/react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { AccountSelect, WithSocialAccounts, type PickableAccount } from "./account-picker.tsx";
import { SocialNav } from "./social-nav.tsx";

export const SuggestionRow_suggestion = graphql(`
  fragment SuggestionRow_suggestion on SocialSuggestion {
    reason
    commonFollows
    score
    profile {
      id
      network
      handle
      displayName
      url
    }
    contact {
      id
      name
    }
  }
`);

const SuggestionsQuery = graphql(`
  query SocialSuggestions($accountId: ID!) {
    suggestions(accountId: $accountId, first: 20) {
      profile {
        id
      }
      ...SuggestionRow_suggestion
    }
  }
`);

const FollowProfile = graphql(`
  mutation SuggestionsFollow($accountId: ID!, $handle: String!) {
    followProfile(accountId: $accountId, handle: $handle) {
      id
      handle
    }
  }
`);

function SuggestionRow({
  suggestion: masked,
  accountId,
}: {
  suggestion: FragmentType<typeof SuggestionRow_suggestion>;
  accountId: string;
}) {
  const suggestion = getFragmentData(SuggestionRow_suggestion, masked);
  const { profile, contact } = suggestion;
  const [follow, { loading }] = useMutation(FollowProfile);
  const [followed, setFollowed] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <li className="card social-suggestion">
      <div>
        <strong>{profile.displayName ?? profile.handle}</strong>{" "}
        {profile.url ? (
          <a href={profile.url} target="_blank" rel="noreferrer">
            {profile.handle}
          </a>
        ) : (
          <span className="hint">{profile.handle}</span>
        )}
        <p className="social-reason">{suggestion.reason}</p>
        {contact ? (
          <p>
            CRM contact: <Link to={`/crm/contacts/${contact.id}`}>{contact.name}</Link>
          </p>
        ) : null}
        <ErrorNotice error={error} />
      </div>
      <div>
        {followed ? (
          <span className="badge" role="status">
            Following
          </span>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={loading}
            aria-label={`Follow ${profile.handle}`}
            onClick={async () => {
              setError(null);
              try {
                await follow({ variables: { accountId, handle: profile.handle } });
                setFollowed(true);
              } catch (caught) {
                setError(caught);
              }
            }}
          >
            {loading ? "Following…" : "Follow"}
          </button>
        )}
      </div>
    </li>
  );
}

function Suggestions({ account }: { account: PickableAccount }) {
  const { data, error, refetch } = useQuery(SuggestionsQuery, { variables: { accountId: account.id } });
  if (error && !data) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  if (!data) return <Loading label="Finding people to follow…" />;
  if (data.suggestions.length === 0) {
    return (
      <Empty>
        <p>
          No suggestions for {account.handle} yet. They come from the people the account follows, and whom those follow;
          Mary imports the follow graph after connecting and then every few hours.
        </p>
      </Empty>
    );
  }
  return (
    <ul className="social-suggestions" aria-label={`People ${account.handle} might follow`}>
      {data.suggestions.map((suggestion) => (
        <SuggestionRow key={suggestion.profile.id} suggestion={suggestion} accountId={account.id} />
      ))}
    </ul>
  );
}

/** People an account might follow, best first, each with why. */
export default function SuggestionsPage() {
  const [params, setParams] = useSearchParams();
  return (
    <section>
      <SocialNav />
      <h1>People to follow</h1>
      <WithSocialAccounts>
        {(accounts) => {
          const account = accounts.find((candidate) => candidate.id === params.get("account")) ?? accounts[0]!;
          return (
            <>
              <div className="toolbar">
                <AccountSelect
                  label="Suggestions for"
                  accounts={accounts}
                  value={account.id}
                  onChange={(id) => setParams({ account: id })}
                />
              </div>
              <Suggestions key={account.id} account={account} />
            </>
          );
        }}
      </WithSocialAccounts>
    </section>
  );
}
