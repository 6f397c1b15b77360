import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { ChatMessage, ModelChunk, ModelProvider, ModelRequest } from "./provider.ts";

/** The models the built-in provider knows. */
export const LOCAL_MODELS = ["local-echo"] as const;

const textOf = (message: ChatMessage | undefined): string =>
  typeof message?.content === "string"
    ? message.content
    : (message?.content ?? []).map((part) => ("text" in part ? part.text : "")).join("");

/**
 * Mary's built-in model, for working offline and for tests: `local-echo` answers with the
 * words of the last user message, one token per word (with its trailing space), at a steady
 * pace (LOCAL_TOKEN_INTERVAL_MS apart on average). The same input always streams the same tokens. It calls no tools.
 */
export class LocalProvider implements ModelProvider {
  constructor(private readonly tokenIntervalMs: number) {}

  async *stream(request: ModelRequest): AsyncIterable<ModelChunk> {
    const input = textOf(request.messages.findLast((message) => message.role === "user"));
    const tokens = input.match(/\S+\s*/g) ?? [];
    // Paced by deadline, not by sleeping the interval after each token: timers fire late (never
    // under a millisecond), and a late one is made up by the tokens that are due, so 1 ms gives
    // 1,000 tokens a second.
    const started = performance.now();
    for (const [index, text] of tokens.entries()) {
      const wait = started + (index + 1) * this.tokenIntervalMs - performance.now();
      if (this.tokenIntervalMs > 0 && wait >= 1) await sleep(wait, undefined, { signal: request.signal });
      request.signal.throwIfAborted();
      yield { kind: "token", text };
    }
    yield { kind: "usage", tokens: tokens.length * 2 };
  }
}
