import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import { formatDate } from "../../components/format.ts";

export const MemberRow_membership = graphql(`
  fragment MemberRow_membership on Membership {
    role
    createdAt
    user {
      id
      name
      email
    }
  }
`);

const roleNames = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member" } as const;

/** One member of the workspace; `onRemove` is given when the viewer may remove them. */
export function MemberRow(props: {
  membership: FragmentType<typeof MemberRow_membership>;
  isYou: boolean;
  showActions: boolean;
  onRemove?: (member: { id: string; name: string; email: string }) => void;
}) {
  const { role, createdAt, user } = getFragmentData(MemberRow_membership, props.membership);
  return (
    <tr>
      <th scope="row">
        {user.name}
        {props.isYou ? <span className="badge">You</span> : null}
      </th>
      <td>{user.email}</td>
      <td>{roleNames[role]}</td>
      <td>{formatDate(createdAt)}</td>
      {props.showActions ? (
        <td>
          {props.onRemove ? (
            <button
              type="button"
              className="danger"
              aria-label={`Remove ${user.name} (${user.email})`}
              onClick={() => props.onRemove?.(user)}
            >
              Remove
            </button>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
