import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { formatDate } from "../../components/format.ts";

export const ApiKeyRow_apiKey = graphql(`
  fragment ApiKeyRow_apiKey on ApiKey {
    id
    name
    prefix
    scopes
    createdAt
    revokedAt
  }
`);

/** One API key: what it may do, when it was made, and whether it still works. */
export function ApiKeyRow(props: {
  apiKey: FragmentType<typeof ApiKeyRow_apiKey>;
  onRevoke: (key: { id: string; name: string }) => void;
}) {
  const apiKey = getFragmentData(ApiKeyRow_apiKey, props.apiKey);
  return (
    <tr className={apiKey.revokedAt ? "revoked" : undefined}>
      <th scope="row">{apiKey.name}</th>
      <td>
        <code>{apiKey.prefix}…</code>
      </td>
      <td>
        <ul className="scopes">
          {apiKey.scopes.map((scope) => (
            <li key={scope}>
              <code>{scope}</code>
            </li>
          ))}
        </ul>
      </td>
      <td>{formatDate(apiKey.createdAt)}</td>
      <td>{apiKey.revokedAt ? <span>Revoked {formatDate(apiKey.revokedAt)}</span> : <span>Active</span>}</td>
      <td>
        {apiKey.revokedAt ? null : (
          <button
            type="button"
            className="danger"
            aria-label={`Revoke ${apiKey.name}`}
            onClick={() => props.onRevoke({ id: apiKey.id, name: apiKey.name })}
          >
            Revoke
          </button>
        )}
      </td>
    </tr>
  );
}
