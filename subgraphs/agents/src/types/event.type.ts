import "reflect-metadata";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { badUserInput } from "@mary/kit";
import { RunStatusEnum, type RunStatus } from "./run.type.ts";

export const EVENT_TYPES = ["TOKEN", "TOOL_CALL", "TOOL_RESULT", "STATUS", "ERROR"] as const;
export type RunEventType = (typeof EVENT_TYPES)[number];
export const RunEventTypeEnum = Object.fromEntries(EVENT_TYPES.map((type) => [type, type])) as {
  [T in RunEventType]: T;
};
registerEnumType(RunEventTypeEnum, {
  name: "AgentRunEventType",
  description: "What an event of a run's stream carries.",
  valuesConfig: {
    TOKEN: { description: "A piece of the answer, in `delta`." },
    TOOL_CALL: { description: "The model called a tool, in `toolCall` (name and arguments)." },
    TOOL_RESULT: { description: "A tool's answer or error, in `toolCall`." },
    STATUS: { description: "The run's status changed, in `status`." },
    ERROR: { description: "The run hit an error, in `error`; a FAILED status follows." },
  },
});

@ObjectType({ description: "A tool the model called during a run, and what came of it." })
export class ToolCall {
  @Field(() => String, { description: "The call's id, which pairs a TOOL_CALL with its TOOL_RESULT." })
  id!: string;

  @Field(() => String, { description: "The tool's name as the model sees it (search_contacts, log_activity, whoami)." })
  name!: string;

  @Field(() => String, { description: "The arguments the model gave, as JSON." })
  arguments!: string;

  @Field(() => String, { nullable: true, description: "The tool's answer as JSON; null on TOOL_CALL and on errors." })
  result?: string | null;

  @Field(() => String, { nullable: true, description: "Why the tool failed; null when it worked." })
  error?: string | null;
}

/** An event as its run's stream in Redis holds it, and as archived in MongoDB. */
export interface RunEventDocument {
  runId: string;
  workspaceId: string;
  /** 1, 2, 3… within the run: the order of the stream. */
  seq: number;
  type: RunEventType;
  delta?: string | null;
  toolCall?: ToolCall | null;
  status?: RunStatus | null;
  error?: string | null;
  at: Date;
}

/** One archived page of a finished run's events: page p holds seq p·size+1 … (p+1)·size. */
export interface RunEventPage {
  /** `<runId>:<page>`, so a replay finds its page by `_id` without scanning. */
  _id: string;
  runId: string;
  workspaceId: string;
  page: number;
  /**
   * The page's events as one JSON text: FerretDB on SQLite reads a document in time proportional to
   * its fields, and one string reads twenty times faster than a thousand nested documents.
   */
  eventsJson: string;
}

@ObjectType({ description: "One piece of a run's output stream, in order." })
export class AgentRunEvent {
  runId!: string;
  seq!: number;

  @Field(() => String, {
    description: "Opaque position in the run's stream: subscribe or page with `after` to get every later event once.",
  })
  cursor!: string;

  @Field(() => RunEventTypeEnum, { description: "What the event carries." })
  type!: RunEventType;

  @Field(() => String, { nullable: true, description: "TOKEN: the text to append to the output." })
  delta!: string | null;

  @Field(() => ToolCall, { nullable: true, description: "TOOL_CALL and TOOL_RESULT: the call." })
  toolCall!: ToolCall | null;

  @Field(() => RunStatusEnum, { nullable: true, description: "STATUS: the run's new status." })
  status!: RunStatus | null;

  @Field(() => String, { nullable: true, description: "ERROR: what went wrong." })
  error!: string | null;

  @Field(() => GraphQLDateTimeISO, { description: "When the agent emitted the event." })
  at!: Date;
}

const CURSOR_PREFIX = "run-event:";

export const eventCursor = (seq: number) => Buffer.from(`${CURSOR_PREFIX}${seq}`).toString("base64url");

/** The sequence number a cursor stands for; 0 (the start) for none. */
export function seqOfCursor(cursor: string | null | undefined): number {
  if (cursor == null) return 0;
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const seq = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 0)
    throw badUserInput("`after` is not a cursor of this run's events", "after");
  return seq;
}

/** The GraphQL shape of a stored or published event. */
export function toRunEvent(document: RunEventDocument): AgentRunEvent {
  return {
    runId: document.runId,
    seq: document.seq,
    cursor: eventCursor(document.seq),
    type: document.type,
    delta: document.delta ?? null,
    toolCall: document.toolCall ?? null,
    status: document.status ?? null,
    error: document.error ?? null,
    at: new Date(document.at),
  };
}
