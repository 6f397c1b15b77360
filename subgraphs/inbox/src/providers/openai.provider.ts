import OpenAI from "openai";
import { z } from "zod";
import type { Logger } from "@mary/kit";
import { MESSAGE_CATEGORIES, URGENCIES } from "../entities/message.entity.ts";
import { actionItemKey, findActionItems, LocalProvider, localReply, quoteOriginal } from "./local.provider.ts";
import {
  MAX_ACTION_ITEMS,
  oneLineReason,
  type ActionItem,
  type MailProvider,
  type ProviderVerdict,
  type ReplyInput,
  type TriageInput,
} from "./provider.ts";

export interface OpenAIProviderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  log: Logger;
}

/** Messages per chat completion: one request classifies a batch. */
const BATCH = 20;
/** How much of each body the model reads. */
const BODY_CHARS = 1_500;
/** The headers that tell bulk and automated mail apart. */
const TOLD_HEADERS = ["list-unsubscribe", "list-id", "precedence", "auto-submitted", "reply-to"];

const CLASSIFY_PROMPT = `You triage email. For each message, choose:
- category: IMPORTANT (needs the user's attention, from someone who matters), ACTIONABLE (asks the user to do or answer something), FYI (worth knowing, nothing to do; automated notices), NEWSLETTER (bulk mail the user subscribed to), OTHER (everything else)
- urgency: HIGH (wants an answer today), NORMAL, LOW (whenever, or never)
- reason: one short line saying why, in English, at most 20 words.
Answer with a JSON object only: {"verdicts":[{"index":0,"category":"...","urgency":"...","reason":"..."}]}, one entry per message, by its index.`;

const REPLY_PROMPT = `You write email replies for the user. Write only the body of the reply in plain text: a greeting, the reply itself following the user's instructions, and a sign-off with the user's name. No subject line, no quoted original, no placeholders in brackets.`;

const ACTION_ITEMS_PROMPT = `You find action items in email: what the message asks its reader to do (requests, questions asking for something, to-do lists). For each, write a short task title in the message's language, in the imperative ("Send the signed contract to Ada"), at most 200 characters, keeping names, dates and amounts. Leave out polite formulas that ask nothing ("let me know if you have questions"), quoted earlier messages and signatures. No action items: an empty list. Answer with the JSON asked for only.`;

/** The structured output action items are asked for (OpenAI's json_schema response format, strict). */
const ACTION_ITEMS_FORMAT = {
  type: "json_schema" as const,
  json_schema: {
    name: "action_items",
    strict: true,
    schema: {
      type: "object",
      properties: {
        items: {
          type: "array",
          items: {
            type: "object",
            properties: { title: { type: "string", description: "The task, in the imperative." } },
            required: ["title"],
            additionalProperties: false,
          },
        },
      },
      required: ["items"],
      additionalProperties: false,
    },
  },
};

const actionItemsSchema = z.object({ items: z.array(z.object({ title: z.string() })) });

const answerSchema = z.object({
  verdicts: z.array(
    z.object({
      index: z.number().int().min(0),
      category: z.enum(MESSAGE_CATEGORIES),
      urgency: z.enum(URGENCIES),
      reason: z.string().min(1).max(2_000),
    }),
  ),
});

/**
 * Any OpenAI-compatible chat completions API (OPENAI_BASE_URL), with JSON output for triage.
 * Whatever fails (unreachable, refused, an answer that is not the JSON asked for) falls back to
 * the LOCAL provider's rules, with the failure noted in the reason.
 */
export class OpenAIProvider implements MailProvider {
  readonly name = "OPENAI" as const;
  private readonly client: OpenAI;
  private readonly local = new LocalProvider();

  constructor(private readonly options: OpenAIProviderOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: 1,
    });
  }

  async classify(messages: TriageInput[]): Promise<ProviderVerdict[]> {
    const verdicts: ProviderVerdict[] = [];
    for (let start = 0; start < messages.length; start += BATCH) {
      verdicts.push(...(await this.classifyBatch(messages.slice(start, start + BATCH))));
    }
    return verdicts;
  }

  async draftReply(input: ReplyInput): Promise<string> {
    try {
      const original = describe(input.original, 0);
      const text = await this.complete(
        [
          { role: "system", content: REPLY_PROMPT },
          {
            role: "user",
            content: JSON.stringify({
              message: original,
              instructions: input.instructions || "Acknowledge the message politely.",
              signature: input.signature,
            }),
          },
        ],
        false,
      );
      if (!text.trim()) throw new Error("the model answered nothing");
      // The original goes below the model's text as LOCAL quotes it, so the reply always carries it.
      return `${text.trim()}\n\n${quoteOriginal(input.original)}`;
    } catch (error) {
      this.options.log.warn({ err: error }, "the AI provider failed to draft a reply; used LOCAL's template");
      return localReply(input);
    }
  }

  /** The model's action items (JSON-schema structured output); LOCAL's when it fails. */
  async actionItems(message: TriageInput): Promise<ActionItem[]> {
    let answer: z.infer<typeof actionItemsSchema>["items"];
    try {
      const text = await this.complete(
        [
          { role: "system", content: ACTION_ITEMS_PROMPT },
          { role: "user", content: JSON.stringify({ message: describe(message, 0) }) },
        ],
        ACTION_ITEMS_FORMAT,
      );
      answer = actionItemsSchema.parse(JSON.parse(stripFence(text))).items;
    } catch (error) {
      this.options.log.warn({ err: error }, "the AI provider failed to find action items; used LOCAL's rules");
      return findActionItems(message);
    }
    const items: ActionItem[] = [];
    const seen = new Set<string>();
    for (const { title: raw } of answer) {
      const title = raw.replace(/\s+/g, " ").trim().slice(0, 500).trim();
      const key = actionItemKey(title);
      if (!title || seen.has(key)) continue;
      seen.add(key);
      items.push({ title });
      if (items.length >= MAX_ACTION_ITEMS) break;
    }
    return items;
  }

  private async classifyBatch(messages: TriageInput[]): Promise<ProviderVerdict[]> {
    let answer: z.infer<typeof answerSchema>["verdicts"];
    try {
      const text = await this.complete(
        [
          { role: "system", content: CLASSIFY_PROMPT },
          { role: "user", content: JSON.stringify({ messages: messages.map(describe) }) },
        ],
        true,
      );
      answer = answerSchema.parse(JSON.parse(stripFence(text))).verdicts;
    } catch (error) {
      this.options.log.warn({ err: error }, "the AI provider failed to triage; used LOCAL's rules");
      return this.fallback(messages, failureOf(error));
    }
    const byIndex = new Map(answer.map((verdict) => [verdict.index, verdict]));
    return messages.map((message, index) => {
      const verdict = byIndex.get(index);
      if (!verdict) return this.fallback([message], "no verdict for this message")[0]!;
      return { category: verdict.category, urgency: verdict.urgency, reason: oneLineReason(verdict.reason) };
    });
  }

  /**
   * Streams one completion and returns its text (streamed: some compatible servers only stream).
   * `format`: true for any JSON object, a response format (a JSON schema) for that, false for text.
   */
  private async complete(
    messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[],
    format: boolean | typeof ACTION_ITEMS_FORMAT,
  ) {
    const responseFormat = format === true ? { type: "json_object" as const } : format || undefined;
    const stream = await this.client.chat.completions.create({
      model: this.options.model,
      messages,
      stream: true,
      temperature: 0,
      ...(responseFormat ? { response_format: responseFormat } : {}),
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    return text;
  }

  private fallback(messages: TriageInput[], why: string): ProviderVerdict[] {
    return messages.map((message) => {
      const verdict = this.local.classifyOne(message);
      return { ...verdict, reason: oneLineReason(`${verdict.reason} (LOCAL rules: the AI provider failed: ${why})`) };
    });
  }
}

function describe(message: TriageInput, index: number) {
  const headers = Object.fromEntries(
    TOLD_HEADERS.filter((name) => message.headers[name] !== undefined).map((name) => [name, message.headers[name]]),
  );
  return {
    index,
    from: message.from ? { name: message.from.name, email: message.from.email } : null,
    subject: message.subject,
    headers,
    text: message.text.slice(0, BODY_CHARS),
  };
}

/** Some models wrap JSON in a Markdown fence even when asked not to. */
const stripFence = (text: string) =>
  text
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");

function failureOf(error: unknown): string {
  if (error instanceof SyntaxError) return "its answer was not JSON";
  if (error instanceof z.ZodError) return "its answer was not the JSON asked for";
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, " ").slice(0, 120);
}
