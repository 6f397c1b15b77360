import { useMutation, useQuery } from "@apollo/client/react";
import { useEffect, useId, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { TaskFilter } from "../../__generated__/graphql.ts";
import { useSession } from "../../api/session.ts";
import { appendEdges, useLoadMore } from "../../components/load-more.ts";
import { Empty, ErrorNotice, Loading } from "../../components/status.tsx";
import { TaskDialog, type TaskDialogTarget } from "./task-dialog.tsx";
import { formatDue, isTaskStatus, PRIORITY_LABEL, STATUS_LABEL, TASK_STATUSES } from "./task-format.ts";

export const TaskRow_task = graphql(`
  fragment TaskRow_task on Task {
    id
    title
    status
    priority
    progress
    dueDate
    dueLocal
    dueTimeZone
    overdue
    assignee {
      id
      name
    }
    blockedBy {
      id
      title
      status
    }
  }
`);

const TasksPageQuery = graphql(`
  query TasksPage($filter: TaskFilter, $after: String) {
    tasks(filter: $filter, first: 50, after: $after) {
      edges {
        cursor
        node {
          id
          title
          status
          ...TaskRow_task
          ...TaskDialog_task
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Every task of the workspace, for the "Add a blocker" picker (whatever the list's filters). */
const TaskOptionsQuery = graphql(`
  query TaskOptions {
    tasks(first: 100) {
      edges {
        node {
          id
          title
        }
      }
    }
  }
`);

const CompleteTask = graphql(`
  mutation TasksComplete($id: ID!) {
    updateTask(id: $id, input: { status: DONE }) {
      id
      status
      progress
      completedAt
      updatedAt
    }
  }
`);

function TaskRow({
  task: masked,
  onEdit,
  onComplete,
  completing,
}: {
  task: FragmentType<typeof TaskRow_task>;
  onEdit: () => void;
  onComplete: () => void;
  completing: boolean;
}) {
  const task = getFragmentData(TaskRow_task, masked);
  const open = task.blockedBy.filter((blocker) => blocker.status !== "DONE");
  return (
    <tr data-testid="task-row" data-title={task.title}>
      <th scope="row">
        <button type="button" className="link-button" onClick={onEdit} aria-label={`Edit ${task.title}`}>
          {task.title}
        </button>
      </th>
      <td>
        <span className={`badge tasks-status-${task.status.toLowerCase()}`} data-testid="task-status">
          {STATUS_LABEL[task.status]}
        </span>
      </td>
      <td>{PRIORITY_LABEL[task.priority]}</td>
      <td>
        {formatDue(task) || <span className="hint">None</span>}
        {task.overdue ? <span className="badge tasks-overdue"> Overdue</span> : null}
      </td>
      <td>
        <meter min={0} max={100} value={task.progress} aria-label={`${task.title}: progress`} /> {task.progress}%
      </td>
      <td data-testid="task-blockers">
        {task.blockedBy.length === 0 ? (
          <span className="hint">—</span>
        ) : (
          <ul className="tasks-blockers">
            {task.blockedBy.map((blocker) => (
              <li key={blocker.id}>
                {blocker.title} <span className="hint">({STATUS_LABEL[blocker.status]})</span>
              </li>
            ))}
          </ul>
        )}
        {open.length ? <span className="visually-hidden">Waiting for {open.length} open task(s).</span> : null}
      </td>
      <td>{task.assignee?.name ?? <span className="hint">Nobody</span>}</td>
      <td>
        {task.status === "DONE" ? null : (
          <button type="button" disabled={completing} onClick={onComplete} aria-label={`Mark ${task.title} done`}>
            {completing ? "Saving…" : "Mark done"}
          </button>
        )}
      </td>
    </tr>
  );
}

/**
 * /tasks: the workspace's tasks, soonest due first, filtered by status (?status=) and to the
 * viewer's own (?mine=1). Each opens its editor (fields and blockers); "Mark done" completes
 * one, which the server refuses while a task it waits for is open, in its own words.
 */
export default function TasksPage() {
  const session = useSession();
  const viewerId = session.status === "signedIn" ? session.user.id : "";
  const [params, setParams] = useSearchParams();
  const statusId = useId();
  const status = params.get("status");
  const mine = params.get("mine") === "1";
  const filter: TaskFilter = {
    ...(isTaskStatus(status) ? { status: [status] } : {}),
    ...(mine && viewerId ? { assigneeId: viewerId } : {}),
  };
  const { data, error, refetch, fetchMore } = useQuery(TasksPageQuery, { variables: { filter } });
  const options = useQuery(TaskOptionsQuery);
  const { loadingMore, moreError, track } = useLoadMore();
  const [dialog, setDialog] = useState<TaskDialogTarget | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const [completeError, setCompleteError] = useState<unknown>(null);
  const [completingId, setCompletingId] = useState<string | null>(null);
  const [complete] = useMutation(CompleteTask, {
    refetchQueries: ["TasksPage"],
    awaitRefetchQueries: true,
  });

  const mineBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (mineBox.current) mineBox.current.checked = mine;
  }, [mine]);
  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  const edges = data?.tasks.edges ?? [];
  // The task being edited as the list has it now, so its blockers update in the open dialog.
  const editing = editingId ? edges.find((edge) => edge.node.id === editingId)?.node : undefined;
  const target: TaskDialogTarget | null = dialog?.kind === "edit" && editing ? { kind: "edit", task: editing } : dialog;
  const taskOptions = (options.data?.tasks.edges ?? []).map((edge) => edge.node);

  const heading = (
    <>
      <div className="crm-heading">
        <h1>Tasks</h1>
        <button type="button" className="primary" onClick={() => setDialog({ kind: "create" })}>
          New task
        </button>
      </div>
      <div className="toolbar" role="group" aria-label="Filters">
        <div className="field">
          <label htmlFor={statusId}>Status</label>
          <select
            id={statusId}
            value={isTaskStatus(status) ? status : ""}
            onChange={(event) => setParam("status", event.target.value || null)}
          >
            <option value="">Any</option>
            {TASK_STATUSES.map((entry) => (
              <option key={entry.status} value={entry.status}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
        <label className="calendar-check">
          {/* Uncontrolled, so it ticks at once; the address follows (a transition), and sets it when it changes. */}
          <input
            ref={mineBox}
            type="checkbox"
            defaultChecked={mine}
            onChange={(event) => setParam("mine", event.target.checked ? "1" : null)}
          />{" "}
          Assigned to me
        </label>
      </div>
    </>
  );
  const dialogs = (
    <TaskDialog
      target={target}
      onOpenChange={(open) => {
        if (!open) {
          setDialog(null);
          setEditingId(null);
        }
      }}
      viewerId={viewerId}
      options={taskOptions}
      onSaved={(words) => {
        setNotice(words);
        void options.refetch();
      }}
    />
  );
  const announcement = (
    <p className={notice ? "notice" : "visually-hidden"} role="status">
      {notice}
    </p>
  );

  if (error && !data) {
    return (
      <section>
        {heading}
        {dialogs}
        <ErrorNotice error={error} onRetry={() => void refetch()} />
      </section>
    );
  }
  if (!data) {
    return (
      <section>
        {heading}
        <Loading label="Loading tasks…" />
      </section>
    );
  }
  const filtered = isTaskStatus(status) || mine;
  return (
    <section>
      {heading}
      {dialogs}
      {announcement}
      <ErrorNotice error={completeError} />
      {edges.length === 0 ? (
        <Empty>
          {filtered ? (
            <p>No task matches these filters.</p>
          ) : (
            <p>No tasks yet. Add one with “New task”; tasks can wait for others, and are done only after them.</p>
          )}
        </Empty>
      ) : (
        <table className="tasks-table">
          <caption className="visually-hidden">Tasks, soonest due first</caption>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Due</th>
              <th scope="col">Progress</th>
              <th scope="col">Blocked by</th>
              <th scope="col">Assignee</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {edges.map((edge) => (
              <TaskRow
                key={edge.node.id}
                task={edge.node}
                completing={completingId === edge.node.id}
                onEdit={() => {
                  setEditingId(edge.node.id);
                  setDialog({ kind: "edit", task: edge.node });
                }}
                onComplete={async () => {
                  setCompleteError(null);
                  setCompletingId(edge.node.id);
                  try {
                    await complete({ variables: { id: edge.node.id } });
                    setNotice(`Marked “${edge.node.title}” done.`);
                  } catch (caught) {
                    setNotice("");
                    setCompleteError(caught);
                  } finally {
                    setCompletingId(null);
                  }
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      <ErrorNotice error={moreError} />
      {data.tasks.pageInfo.hasNextPage ? (
        <button
          type="button"
          disabled={loadingMore}
          onClick={() =>
            void track(
              fetchMore({
                variables: { after: data.tasks.pageInfo.endCursor },
                updateQuery: (shown, { fetchMoreResult }) => ({
                  ...shown,
                  tasks: appendEdges(shown.tasks, fetchMoreResult.tasks),
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
