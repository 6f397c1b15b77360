import "reflect-metadata";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export const RUN_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run in one of these states is over: nothing more happens to it. */
export const FINISHED_STATUSES: readonly RunStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];
export const isFinished = (status: RunStatus) => FINISHED_STATUSES.includes(status);

export const RunStatusEnum = Object.fromEntries(RUN_STATUSES.map((status) => [status, status])) as {
  [S in RunStatus]: S;
};
registerEnumType(RunStatusEnum, {
  name: "AgentRunStatus",
  description: "Where a run is in its life.",
  valuesConfig: {
    QUEUED: { description: "Accepted, waiting for a worker." },
    RUNNING: { description: "The model is generating or a tool is working." },
    SUCCEEDED: { description: "Finished with an answer." },
    FAILED: { description: "Stopped by an error; the output so far is kept." },
    CANCELLED: { description: "Stopped on request; the output so far is kept." },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({ description: "One execution of an agent on an input; its output streams as AgentRunEvents." })
export class AgentRun {
  @Field(() => ID, { name: "id", description: "Stable identifier of the run." })
  _id!: string;

  workspaceId!: string;
  agentId!: string;
  startedById!: string;

  @Field(() => RunStatusEnum, { description: "Where the run is in its life." })
  status!: RunStatus;

  @Field(() => String, { description: "What the run was asked." })
  input!: string;

  @Field(() => String, {
    description: "The answer so far: the text of every TOKEN event (saved about every half second, and at the end).",
  })
  output!: string;

  @Field(() => Int, { description: "Tokens the model consumed and produced, as the provider reported them." })
  tokensUsed!: number;

  @Field(() => String, { nullable: true, description: "Why the run failed; null unless FAILED." })
  error!: string | null;

  @Field(() => GraphQLDateTimeISO, { description: "When the run was asked for." })
  createdAt!: Date;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "When generation began; null while QUEUED." })
  startedAt!: Date | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: "When the run ended; null until it has." })
  finishedAt!: Date | null;

  /** The agents process executing the run; its liveness key in Redis says whether it is still there. */
  workerId!: string | null;
  /** The last time the worker wrote the run (its output): a run also needs to be this quiet to count as abandoned. */
  heartbeatAt!: Date;
  /** Set once the run's events are archived in MongoDB: how many there are. */
  eventCount?: number | null;
}
