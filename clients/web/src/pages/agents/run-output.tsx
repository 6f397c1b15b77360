import { useSubscription } from "@apollo/client/react";
import { useRef, useState } from "react";
import { graphql } from "../../__generated__/gql.ts";
import type { AgentRunStatus, RunOutputEventsSubscription } from "../../__generated__/graphql.ts";
import type { Resume } from "../../api/resumable-ws-link.ts";
import { ErrorNotice } from "../../components/status.tsx";

const RunOutputEvents = graphql(`
  subscription RunOutputEvents($runId: ID!, $after: String) {
    agentRunEvents(runId: $runId, after: $after) {
      cursor
      type
      delta
      status
      error
      at
      toolCall {
        id
        name
        arguments
        result
        error
      }
    }
  }
`);

type RunEvent = RunOutputEventsSubscription["agentRunEvents"];
type ToolCall = NonNullable<RunEvent["toolCall"]>;

/** One piece of the output as shown: answer text, a tool's call or its result, or an error. */
type Block =
  | { kind: "text"; key: string; text: string }
  | { kind: "call" | "result"; key: string; call: ToolCall }
  | { kind: "error"; key: string; message: string };

interface Stream {
  blocks: Block[];
  /** The status the newest STATUS event gave; null before the first. */
  status: AgentRunStatus | null;
}

/** Adds an event to what is shown (a pure update: the caller has already dropped repeats). */
function apply(stream: Stream, event: RunEvent): Stream {
  const blocks = stream.blocks;
  switch (event.type) {
    case "TOKEN": {
      const delta = event.delta ?? "";
      const last = blocks.at(-1);
      if (last?.kind === "text")
        return { ...stream, blocks: [...blocks.slice(0, -1), { ...last, text: last.text + delta }] };
      return { ...stream, blocks: [...blocks, { kind: "text", key: event.cursor, text: delta }] };
    }
    case "TOOL_CALL":
    case "TOOL_RESULT":
      if (!event.toolCall) return stream;
      return {
        ...stream,
        blocks: [
          ...blocks,
          { kind: event.type === "TOOL_CALL" ? "call" : "result", key: event.cursor, call: event.toolCall },
        ],
      };
    case "ERROR":
      return {
        ...stream,
        blocks: [...blocks, { kind: "error", key: event.cursor, message: event.error ?? "The run failed." }],
      };
    case "STATUS":
      return event.status ? { ...stream, status: event.status } : stream;
    default:
      return stream;
  }
}

/** JSON as the tool sent it, indented when it parses. */
function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function BlockView({ block }: { block: Block }) {
  switch (block.kind) {
    case "text":
      return <div className="run-text">{block.text}</div>;
    case "call":
      return (
        <div className="run-tool run-tool-call" role="group" aria-label={`Tool call: ${block.call.name}`}>
          <p className="run-tool-title">
            Called tool <code>{block.call.name}</code>
          </p>
          <pre>{prettyJson(block.call.arguments)}</pre>
        </div>
      );
    case "result":
      return (
        <div className="run-tool run-tool-result" role="group" aria-label={`Tool result: ${block.call.name}`}>
          <p className="run-tool-title">
            {block.call.error ? "Tool failed: " : "Tool answered: "}
            <code>{block.call.name}</code>
          </p>
          {block.call.error ? (
            <p className="field-error">{block.call.error}</p>
          ) : (
            <pre>{prettyJson(block.call.result ?? "null")}</pre>
          )}
        </div>
      );
    case "error":
      return (
        <div className="run-error" role="group" aria-label="Run error">
          <strong>Error:</strong> {block.message}
        </div>
      );
  }
}

/** Where to resume after a reconnect: after the last event received. */
const resume: Resume = (data) => ({
  after: (data as unknown as RunOutputEventsSubscription).agentRunEvents.cursor,
});

/**
 * A run's output as it streams: every event of the run from its first (the gateway replays what
 * came before this page opened), each applied once however often it arrives (a reconnect, a
 * restart after an error), text token by token and each tool call and result as its own block.
 * Mount it with `key={runId}`: its state is that one run's.
 */
export function RunOutput({
  runId,
  fallbackOutput,
  onStatus,
  onEnd,
  children,
}: {
  runId: string;
  /** The output the run's query read, shown if the stream cannot be followed. */
  fallbackOutput: string;
  /** Each status the stream announces, as it arrives. */
  onStatus: (status: AgentRunStatus) => void;
  /** The stream has ended (after the run's final status). */
  onEnd: () => void;
  /** The status line, given the status the stream last announced. */
  children: (streamStatus: AgentRunStatus | null) => React.ReactNode;
}) {
  const [stream, setStream] = useState<Stream>({ blocks: [], status: null });
  const [ended, setEnded] = useState(false);
  // The cursors already applied: a replay (after a restart, or a shared subscription joined
  // late) may repeat events, and none is applied twice.
  const applied = useRef(new Set<string>());
  const { error, restart } = useSubscription(RunOutputEvents, {
    variables: { runId },
    fetchPolicy: "no-cache",
    context: { resume },
    onData: ({ data }) => {
      const event = data.data?.agentRunEvents;
      if (!event || applied.current.has(event.cursor)) return;
      applied.current.add(event.cursor);
      setStream((previous) => apply(previous, event));
      if (event.type === "STATUS" && event.status) onStatus(event.status);
    },
    onComplete: () => {
      setEnded(true);
      onEnd();
    },
  });

  const blocks =
    error && stream.blocks.length === 0 && fallbackOutput
      ? [{ kind: "text" as const, key: "fallback", text: fallbackOutput }]
      : stream.blocks;

  return (
    <>
      {children(stream.status)}
      {error ? <ErrorNotice error={error} onRetry={restart} /> : null}
      <div role="region" aria-label="Run output" className="output run-output" tabIndex={0}>
        {blocks.map((block) => (
          <BlockView key={block.key} block={block} />
        ))}
      </div>
      {blocks.length === 0 ? (
        <p className="hint">{ended ? "The run produced no output." : "Waiting for the agent's first words…"}</p>
      ) : null}
    </>
  );
}
