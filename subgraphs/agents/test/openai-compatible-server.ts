import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "@mary/kit";

/** What the server streams for one chat completion request. */
export interface ScriptedReply {
  /** Content pieces, one chunk each. */
  text?: string[];
  /** Tool calls, each streamed in several chunks (name first, then the arguments in halves). */
  toolCalls?: { name: string; arguments: string }[];
  /** Drops the connection after this many chunks: a provider failing mid-stream. */
  breakAfterChunks?: number;
  /** Pause before each chunk. */
  chunkDelayMs?: number;
}

/** A chat completion request as the server received it. */
export interface ReceivedRequest {
  model: string;
  stream: boolean;
  messages: { role: string; content: string | null; tool_call_id?: string; tool_calls?: unknown[] }[];
  tools?: { type: string; function: { name: string } }[];
  authorization: string | undefined;
}

/**
 * A local server speaking OpenAI's chat completions wire protocol (POST /v1/chat/completions with
 * `stream: true`, answered as server-sent events), standing in for OpenAI at the HTTP boundary.
 * Each test scripts the replies from the requests it gets.
 */
export class OpenAICompatibleServer {
  readonly requests: ReceivedRequest[] = [];
  /** Decides the reply to each request; tests replace it. */
  script: (request: ReceivedRequest) => ScriptedReply = () => ({ text: ["Hello", " world"] });
  private server!: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        async (reply) => {
          if (!reply) {
            res.writeHead(404, { "content-type": "application/json" });
            return res.end(JSON.stringify({ error: { message: "Not found", type: "invalid_request_error" } }));
          }
          res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
          const chunks = toChunks(reply.request.model, reply.scripted);
          for (const [index, chunk] of chunks.entries()) {
            if (reply.scripted.breakAfterChunks !== undefined && index >= reply.scripted.breakAfterChunks) {
              res.socket?.destroy();
              return;
            }
            if (reply.scripted.chunkDelayMs) await new Promise((r) => setTimeout(r, reply.scripted.chunkDelayMs));
            if (res.destroyed) return;
            // Each chunk reaches the socket before the next step, so a break comes after what was sent.
            await new Promise<void>((resolve) => res.write(`data: ${JSON.stringify(chunk)}\n\n`, () => resolve()));
          }
          res.end("data: [DONE]\n\n");
        },
        (error: unknown) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: String(error), type: "server_error" } }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage) {
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") return null;
    const body = JSON.parse((await readBody(req)).toString("utf8")) as Omit<ReceivedRequest, "authorization">;
    const request = { ...body, authorization: req.headers.authorization };
    this.requests.push(request);
    return { request, scripted: this.script(request) };
  }
}

let counter = 0;

function toChunks(model: string, reply: ScriptedReply): object[] {
  const id = `chatcmpl-${++counter}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish: string | null = null) => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const chunks: object[] = [chunk({ role: "assistant", content: "" })];
  for (const text of reply.text ?? []) chunks.push(chunk({ content: text }));
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    const half = Math.ceil(call.arguments.length / 2);
    chunks.push(
      chunk({
        tool_calls: [
          { index, id: `call_${counter}_${index}`, type: "function", function: { name: call.name, arguments: "" } },
        ],
      }),
      chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(0, half) } }] }),
      chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(half) } }] }),
    );
  }
  chunks.push(chunk({}, reply.toolCalls?.length ? "tool_calls" : "stop"));
  const completion = (reply.text ?? []).length + (reply.toolCalls ?? []).length * 3;
  chunks.push({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [],
    usage: { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion },
  });
  return chunks;
}
