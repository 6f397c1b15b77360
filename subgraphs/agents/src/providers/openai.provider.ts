import OpenAI from "openai";
import { ProviderError, type ModelChunk, type ModelProvider, type ModelRequest } from "./provider.ts";

/**
 * Any OpenAI-compatible chat completions API, streamed, with function calling. Tool calls
 * arrive in pieces (by index) and are passed on whole once the stream ends.
 */
export class OpenAIProvider implements ModelProvider {
  private readonly client: OpenAI;

  constructor(options: { apiKey: string; baseURL?: string; timeoutMs: number }) {
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs });
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelChunk> {
    try {
      yield* this.chunks(request);
    } catch (error) {
      if (request.signal.aborted) throw error;
      // The SDK's message is the provider's answer (status and reason), which the run's owner may read.
      const message = error instanceof Error ? error.message : String(error);
      throw new ProviderError(`The model provider failed: ${message}`.slice(0, 500));
    }
  }

  private async *chunks(request: ModelRequest): AsyncIterable<ModelChunk> {
    const stream = await this.client.chat.completions.create(
      {
        model: request.model,
        messages: request.messages,
        stream: true,
        stream_options: { include_usage: true },
        ...(request.tools.length
          ? { tools: request.tools.map((tool) => ({ type: "function" as const, function: tool })) }
          : {}),
      },
      { signal: request.signal },
    );
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) yield { kind: "token", text: delta.content };
      for (const piece of delta?.tool_calls ?? []) {
        const call = calls.get(piece.index) ?? { id: "", name: "", arguments: "" };
        call.id ||= piece.id ?? "";
        call.name += piece.function?.name ?? "";
        call.arguments += piece.function?.arguments ?? "";
        calls.set(piece.index, call);
      }
      if (chunk.usage) yield { kind: "usage", tokens: chunk.usage.total_tokens };
    }
    for (const [index, call] of [...calls].sort(([a], [b]) => a - b)) {
      yield { kind: "toolCall", ...call, id: call.id || `call_${index}` };
    }
  }
}
