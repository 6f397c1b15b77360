import { EntitySchema } from "@mikro-orm/postgresql";

/**
 * One edge of a workspace's task graph: `taskId` waits for `blockedById`. No cycles (TaskService
 * checks each addition under a workspace lock); deleting either task deletes the edge.
 */
export class TaskDependency {
  taskId!: string;
  blockedById!: string;
  workspaceId!: string;
  createdAt: Date = new Date();
}

export const TaskDependencySchema = new EntitySchema<TaskDependency>({
  class: TaskDependency,
  tableName: "task_dependencies",
  // Task.blocking, and the other direction of deleteTask.
  indexes: [{ properties: ["blockedById"] }],
  properties: {
    taskId: { type: "uuid", primary: true },
    blockedById: { type: "uuid", primary: true },
    workspaceId: { type: "uuid" },
    createdAt: { type: "datetime", onCreate: () => new Date() },
  },
});
