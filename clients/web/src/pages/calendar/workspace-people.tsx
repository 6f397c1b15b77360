import { useQuery } from "@apollo/client/react";
import { useId } from "react";
import { graphql } from "../../__generated__/gql.ts";
import type { CalendarWorkspacePeopleQuery } from "../../__generated__/graphql.ts";
import { ErrorNotice, Loading } from "../../components/status.tsx";

/** The workspace's members, whom events and "Find a time" may invite (the first 100). */
export const WorkspacePeopleQuery = graphql(`
  query CalendarWorkspacePeople {
    workspace {
      id
      members(first: 100) {
        edges {
          node {
            user {
              id
              name
              email
            }
          }
        }
      }
    }
  }
`);

export type Person = CalendarWorkspacePeopleQuery["workspace"]["members"]["edges"][number]["node"]["user"];

/**
 * Checkboxes of the workspace's members: `value` the ids picked. The viewer is marked "(you)".
 * Loading and errors are shown in place.
 */
export function PeoplePicker({
  legend,
  value,
  onChange,
  viewerId,
}: {
  legend: string;
  value: string[];
  onChange: (ids: string[]) => void;
  viewerId: string;
}) {
  const { data, error, refetch } = useQuery(WorkspacePeopleQuery);
  const id = useId();
  return (
    <fieldset className="calendar-people">
      <legend>{legend}</legend>
      {error && !data ? <ErrorNotice error={error} onRetry={() => void refetch()} /> : null}
      {!data && !error ? <Loading label="Loading the workspace's members…" /> : null}
      {data?.workspace.members.edges.map(({ node: { user } }) => (
        <label key={user.id} className="calendar-person" htmlFor={`${id}-${user.id}`}>
          <input
            id={`${id}-${user.id}`}
            type="checkbox"
            checked={value.includes(user.id)}
            onChange={(event) =>
              onChange(event.target.checked ? [...value, user.id] : value.filter((picked) => picked !== user.id))
            }
          />
          <span>
            {user.name}
            {user.id === viewerId ? " (you)" : ""} <span className="hint">{user.email}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
