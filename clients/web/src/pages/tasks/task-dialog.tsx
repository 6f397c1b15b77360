import { useMutation, useQuery } from "@apollo/client/react";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { type FragmentType, getFragmentData } from "../../__generated__/fragment-masking.ts";
import { graphql } from "../../__generated__/gql.ts";
import type { TaskPriority, TaskStatus, UpdateTaskInput } from "../../__generated__/graphql.ts";
import { fieldErrors } from "../../api/errors.ts";
import { Dialog } from "../../components/dialog.tsx";
import { Field } from "../../components/field.tsx";
import { ErrorNotice } from "../../components/status.tsx";
import { browserTimeZone, instantOf, timeZones } from "../calendar/calendar-time.ts";
import { STATUS_LABEL, TASK_PRIORITIES, TASK_STATUSES } from "./task-format.ts";

/** What the dialog needs of a task it edits, with the tasks it waits for. */
export const TaskDialog_task = graphql(`
  fragment TaskDialog_task on Task {
    id
    title
    description
    status
    priority
    progress
    dueAt
    dueDate
    dueLocal
    dueTimeZone
    assignee {
      id
    }
    blockedBy {
      id
      title
      status
    }
  }
`);

const TaskPeople = graphql(`
  query TaskPeople {
    workspace {
      id
      members(first: 100) {
        edges {
          node {
            user {
              id
              name
            }
          }
        }
      }
    }
  }
`);

const CreateTask = graphql(`
  mutation TasksCreate($input: CreateTaskInput!) {
    createTask(input: $input) {
      id
      title
      ...TaskDialog_task
    }
  }
`);

const UpdateTask = graphql(`
  mutation TasksUpdate($id: ID!, $input: UpdateTaskInput!) {
    updateTask(id: $id, input: $input) {
      id
      title
      ...TaskDialog_task
    }
  }
`);

const AddDependency = graphql(`
  mutation TasksAddDependency($taskId: ID!, $blockedById: ID!) {
    addTaskDependency(taskId: $taskId, blockedById: $blockedById) {
      id
      blockedBy {
        id
        title
        status
      }
    }
  }
`);

const RemoveDependency = graphql(`
  mutation TasksRemoveDependency($taskId: ID!, $blockedById: ID!) {
    removeTaskDependency(taskId: $taskId, blockedById: $blockedById) {
      id
      blockedBy {
        id
        title
        status
      }
    }
  }
`);

type DueKind = "NONE" | "DATE" | "TIME";

interface TaskValues {
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  progress: number;
  dueKind: DueKind;
  dueDate: string;
  dueTime: string;
  dueTimeZone: string;
  assigneeId: string;
}

const SERVER_FIELDS: Record<string, keyof TaskValues> = {
  title: "title",
  description: "description",
  status: "status",
  priority: "priority",
  progress: "progress",
  dueAt: "dueTime",
  dueDate: "dueDate",
  dueTimeZone: "dueTimeZone",
  assigneeId: "assigneeId",
};

export type TaskDialogTarget = { kind: "create" } | { kind: "edit"; task: FragmentType<typeof TaskDialog_task> };

/** Another task of the workspace that could block this one. */
export interface TaskOption {
  id: string;
  title: string;
}

/**
 * Makes or edits a task: title, description, status, priority, progress, a due day or time on
 * the clocks of a zone, whom it is for, and (once it exists) the tasks it waits for. The server's
 * refusals (DONE while a blocker is open, a cycle of blockers) are shown in its words.
 */
export function TaskDialog({
  target,
  onOpenChange,
  viewerId,
  options,
  onSaved,
}: {
  target: TaskDialogTarget | null;
  onOpenChange: (open: boolean) => void;
  viewerId: string;
  options: TaskOption[];
  onSaved: (words: string) => void;
}) {
  return (
    <Dialog
      open={target !== null}
      onOpenChange={onOpenChange}
      title={target?.kind === "edit" ? "Edit task" : "New task"}
    >
      {target ? (
        <>
          <TaskForm
            target={target}
            viewerId={viewerId}
            onCancel={() => onOpenChange(false)}
            onSaved={(words) => {
              onSaved(words);
              onOpenChange(false);
            }}
          />
          {target.kind === "edit" ? <Dependencies task={target.task} options={options} /> : null}
        </>
      ) : null}
    </Dialog>
  );
}

function TaskForm({
  target,
  viewerId,
  onCancel,
  onSaved,
}: {
  target: TaskDialogTarget;
  viewerId: string;
  onCancel: () => void;
  onSaved: (words: string) => void;
}) {
  const task = target.kind === "edit" ? getFragmentData(TaskDialog_task, target.task) : null;
  const people = useQuery(TaskPeople);
  const zone = task?.dueTimeZone ?? browserTimeZone();
  const form = useForm<TaskValues>({
    defaultValues: {
      title: task?.title ?? "",
      description: task?.description ?? "",
      status: task?.status ?? "TODO",
      priority: task?.priority ?? "MEDIUM",
      progress: task?.progress ?? 0,
      dueKind: task?.dueDate ? "DATE" : task?.dueAt ? "TIME" : "NONE",
      dueDate: task?.dueDate ?? task?.dueLocal?.slice(0, 10) ?? "",
      dueTime: task?.dueDate ? "17:00" : (task?.dueLocal?.slice(11, 16) ?? "17:00"),
      dueTimeZone: zone,
      assigneeId: task ? (task.assignee?.id ?? "") : viewerId,
    },
  });
  const { errors, isSubmitting } = form.formState;
  const [error, setError] = useState<unknown>(null);
  const refetch = { refetchQueries: ["TasksPage"], awaitRefetchQueries: true };
  const [createTask] = useMutation(CreateTask, refetch);
  const [updateTask] = useMutation(UpdateTask, refetch);
  const dueKind = form.watch("dueKind");
  const members = people.data?.workspace.members.edges.map((edge) => edge.node.user) ?? [];

  const submit = form.handleSubmit(async (values) => {
    setError(null);
    // Only the part of the due the kind uses: dueAt null clears a due, a day or an instant sets one.
    const due: Pick<UpdateTaskInput, "dueAt" | "dueDate" | "dueTimeZone"> =
      values.dueKind === "DATE"
        ? { dueDate: values.dueDate, dueTimeZone: values.dueTimeZone }
        : values.dueKind === "TIME"
          ? {
              dueAt: instantOf(values.dueDate, values.dueTime, values.dueTimeZone).toISOString(),
              dueTimeZone: values.dueTimeZone,
            }
          : { dueAt: null };
    const input = {
      title: values.title.trim(),
      description: values.description.trim() || null,
      status: values.status,
      priority: values.priority,
      progress: values.status === "DONE" ? 100 : Number(values.progress),
      assigneeId: values.assigneeId || null,
    };
    try {
      if (task) {
        // Only what changed: a DONE refused for an open blocker should not be about the title.
        const dirty = form.formState.dirtyFields;
        const changed: UpdateTaskInput = {};
        if (dirty.title) changed.title = input.title;
        if (dirty.description) changed.description = input.description;
        if (dirty.status) changed.status = input.status;
        if (dirty.priority) changed.priority = input.priority;
        if (dirty.progress || (dirty.status && values.status === "DONE")) changed.progress = input.progress;
        if (dirty.assigneeId) changed.assigneeId = input.assigneeId;
        if (dirty.dueKind || dirty.dueDate || dirty.dueTime || dirty.dueTimeZone) Object.assign(changed, due);
        const { data } = await updateTask({ variables: { id: task.id, input: changed } });
        onSaved(`Saved “${data?.updateTask.title ?? values.title}”.`);
      } else {
        const { data } = await createTask({
          variables: { input: { ...input, ...(values.dueKind === "NONE" ? {} : due) } },
        });
        onSaved(`Added “${data?.createTask.title ?? values.title}”.`);
      }
    } catch (caught) {
      const byField = Object.entries(fieldErrors(caught));
      let placed = byField.length > 0;
      for (const [name, message] of byField) {
        const field = SERVER_FIELDS[name];
        if (field) form.setError(field, { type: "server", message }, { shouldFocus: true });
        else placed = false;
      }
      if (!placed) setError(caught);
    }
  });

  return (
    <form onSubmit={submit} noValidate className="tasks-form">
      <Field label="Title" error={errors.title}>
        {(props) => (
          <input
            {...props}
            {...form.register("title", { validate: (value) => value.trim().length > 0 || "Say what is to be done" })}
          />
        )}
      </Field>
      <Field label="Description" error={errors.description}>
        {(props) => <textarea {...props} rows={3} {...form.register("description")} />}
      </Field>
      <div className="crm-form-row">
        <Field label="Status" error={errors.status}>
          {(props) => (
            <select {...props} {...form.register("status")}>
              {TASK_STATUSES.map(({ status, label }) => (
                <option key={status} value={status}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Priority" error={errors.priority}>
          {(props) => (
            <select {...props} {...form.register("priority")}>
              {TASK_PRIORITIES.map(({ priority, label }) => (
                <option key={priority} value={priority}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Progress (%)" error={errors.progress}>
          {(props) => (
            <input
              {...props}
              type="number"
              min={0}
              max={100}
              step={5}
              {...form.register("progress", {
                valueAsNumber: true,
                min: { value: 0, message: "From 0 to 100" },
                max: { value: 100, message: "From 0 to 100" },
              })}
            />
          )}
        </Field>
      </div>
      <fieldset className="tasks-due">
        <legend>Deadline</legend>
        <div className="crm-form-row">
          <Field label="Due" error={undefined}>
            {(props) => (
              <select {...props} {...form.register("dueKind")}>
                <option value="NONE">No due date</option>
                <option value="DATE">By the end of a day</option>
                <option value="TIME">At a time</option>
              </select>
            )}
          </Field>
          {dueKind !== "NONE" ? (
            <Field label="Due date" error={errors.dueDate}>
              {(props) => (
                <input {...props} type="date" {...form.register("dueDate", { required: "Pick the day it is due" })} />
              )}
            </Field>
          ) : null}
          {dueKind === "TIME" ? (
            <Field label="Due time" error={errors.dueTime}>
              {(props) => (
                <input {...props} type="time" {...form.register("dueTime", { required: "Pick the time it is due" })} />
              )}
            </Field>
          ) : null}
          {dueKind !== "NONE" ? (
            <Field label="Due time zone" error={errors.dueTimeZone}>
              {(props) => (
                <select {...props} {...form.register("dueTimeZone")}>
                  {timeZones().map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : null}
        </div>
      </fieldset>
      <Field label="Assignee" error={errors.assigneeId}>
        {(props) => (
          <select {...props} {...form.register("assigneeId")}>
            <option value="">Nobody</option>
            <option value={viewerId}>Me</option>
            {members
              .filter((member) => member.id !== viewerId)
              .map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name}
                </option>
              ))}
            {task?.assignee &&
            task.assignee.id !== viewerId &&
            !members.some((member) => member.id === task.assignee?.id) ? (
              <option value={task.assignee.id}>Someone outside the workspace</option>
            ) : null}
          </select>
        )}
      </Field>
      <ErrorNotice error={error ?? (people.error && !people.data ? people.error : null)} />
      <div className="row dialog-actions">
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : task ? "Save" : "Add task"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The tasks this one waits for: each with Remove, and a picker to add another. */
function Dependencies({
  task: masked,
  options,
}: {
  task: FragmentType<typeof TaskDialog_task>;
  options: TaskOption[];
}) {
  const task = getFragmentData(TaskDialog_task, masked);
  const pickerId = useId();
  const [picked, setPicked] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState("");
  const refetch = { refetchQueries: ["TasksPage"], awaitRefetchQueries: true };
  const [addDependency, adding] = useMutation(AddDependency, refetch);
  const [removeDependency, removing] = useMutation(RemoveDependency, refetch);
  const blockerIds = new Set(task.blockedBy.map((blocker) => blocker.id));
  const candidates = options.filter((option) => option.id !== task.id && !blockerIds.has(option.id));
  const choice = candidates.some((option) => option.id === picked) ? picked : (candidates[0]?.id ?? "");

  return (
    <section className="tasks-dependencies" aria-labelledby={`${pickerId}-heading`}>
      <h3 id={`${pickerId}-heading`}>Blocked by</h3>
      {task.blockedBy.length === 0 ? (
        <p className="hint">Nothing: this task waits for no other.</p>
      ) : (
        <ul aria-label="Tasks it waits for">
          {task.blockedBy.map((blocker) => (
            <li key={blocker.id} className="row">
              <span>
                {blocker.title} <span className="badge">{STATUS_LABEL[blocker.status]}</span>
              </span>
              <button
                type="button"
                disabled={removing.loading}
                aria-label={`Remove the blocker ${blocker.title}`}
                onClick={async () => {
                  setError(null);
                  try {
                    await removeDependency({ variables: { taskId: task.id, blockedById: blocker.id } });
                    setAnnouncement(`“${task.title}” no longer waits for “${blocker.title}”.`);
                  } catch (caught) {
                    setError(caught);
                  }
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {candidates.length ? (
        <div className="row tasks-add-blocker">
          <div className="field">
            <label htmlFor={pickerId}>Add a blocker</label>
            <select id={pickerId} value={choice} onChange={(event) => setPicked(event.target.value)}>
              {candidates.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.title}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            disabled={adding.loading || !choice}
            onClick={async () => {
              setError(null);
              try {
                await addDependency({ variables: { taskId: task.id, blockedById: choice } });
                const title = options.find((option) => option.id === choice)?.title ?? "the task";
                setAnnouncement(`“${task.title}” now waits for “${title}”.`);
              } catch (caught) {
                setAnnouncement("");
                setError(caught);
              }
            }}
          >
            {adding.loading ? "Adding…" : "Add blocker"}
          </button>
        </div>
      ) : null}
      <ErrorNotice error={error} />
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </section>
  );
}
