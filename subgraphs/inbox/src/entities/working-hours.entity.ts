import { EntitySchema } from "@mikro-orm/postgresql";
import type { WorkingHours } from "../scheduling/types.ts";

/** A member's working hours, which freeSlots keeps meetings inside; members without a row get the default. */
export class WorkingHoursRow {
  workspaceId!: string;
  userId!: string;
  timeZone!: string;
  weekly!: WorkingHours["weekly"];
  exceptions!: WorkingHours["exceptions"];
  updatedAt: Date = new Date();
}

export const WorkingHoursSchema = new EntitySchema<WorkingHoursRow>({
  class: WorkingHoursRow,
  tableName: "working_hours",
  properties: {
    workspaceId: { type: "uuid", primary: true },
    userId: { type: "uuid", primary: true },
    timeZone: { type: "string", length: 64 },
    weekly: { type: "jsonb" },
    exceptions: { type: "jsonb" },
    updatedAt: { type: "datetime", onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
