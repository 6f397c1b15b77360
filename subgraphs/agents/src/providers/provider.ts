import type OpenAI from "openai";

/** The conversation a model continues, in OpenAI's chat format (which LOCAL reads too). */
export type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** A tool as the model sees it: a name, what it does, and a JSON Schema of its arguments. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** What a model streams back. */
export type ModelChunk =
  | { kind: "token"; text: string }
  | { kind: "toolCall"; id: string; name: string; arguments: string }
  | { kind: "usage"; tokens: number };

export interface ModelRequest {
  model: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  /** Aborted when the run is cancelled: the provider stops at once. */
  signal: AbortSignal;
}

/** One turn of a model: its answer's tokens and tool calls, streamed as they come. */
export interface ModelProvider {
  stream(request: ModelRequest): AsyncIterable<ModelChunk>;
}

/** A failure of the model or its provider, or a limit of the run: its message is meant for the run's owner. */
export class ProviderError extends Error {}
