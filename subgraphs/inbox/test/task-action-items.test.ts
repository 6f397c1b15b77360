import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createLogger } from "@mary/kit";
import { OpenAICompatibleServer } from "../../agents/test/openai-compatible-server.ts";
import { findActionItems, LocalProvider } from "../src/providers/local.provider.ts";
import { OpenAIProvider } from "../src/providers/openai.provider.ts";
import { MAX_ACTION_ITEMS, type TriageInput } from "../src/providers/provider.ts";

const mail = (text: string, overrides: Partial<TriageInput> = {}): TriageInput => ({
  from: { name: "Ada Lovelace", email: "ada@acme.example" },
  subject: "Next week",
  text,
  headers: {},
  ...overrides,
});
const titles = (text: string) => findActionItems(mail(text)).map((item) => item.title);

describe("the LOCAL provider's action items", () => {
  test("requests, markers, questions asking for something and verb-led list items, in order, openers dropped", () => {
    const text = [
      "Hi Grace,",
      "",
      "Thanks for yesterday. Could you send me the signed contract by Friday? Please book the meeting room for Tuesday.",
      "Can you review the budget, please?",
      "Would you mind checking the figures on page 3?",
      "Let's schedule a call with the vendor.",
      "TODO: update the roadmap slide",
      "Action: forward the invoice to accounting.",
      "Also, don't forget to renew the domain.",
      "",
      "For the launch:",
      "- Prepare the press release",
      "* Email the beta testers",
      "1. Order the banners",
      "- The venue is confirmed",
      "",
      "The weather was lovely.",
      "Best,",
      "Ada",
    ].join("\n");
    expect(titles(text)).toEqual([
      "Send me the signed contract by Friday",
      "Book the meeting room for Tuesday",
      "Review the budget",
      "Would you mind checking the figures on page 3",
      "Schedule a call with the vendor",
      "Update the roadmap slide",
      "Forward the invoice to accounting",
      "Renew the domain",
      "Prepare the press release",
      "Email the beta testers",
      "Order the banners",
    ]);
  });

  test("polite formulas, statements, quoted history and signatures are not action items", () => {
    const text = [
      "Please find attached the minutes.",
      "Please let me know if you have any questions.",
      "Feel free to call.",
      "We shipped the release yesterday.",
      "Is the office open?",
      "- The budget was approved",
      "",
      "On Mon, 1 Dec 2026 at 10:00, Grace <grace@mary.test> wrote:",
      "> Could you send the slides?",
      "Please ignore this: it is quoted history.",
    ].join("\n");
    expect(titles(text)).toEqual([]);
    expect(titles("Thanks!\n-- \nAda\nPlease visit our website.")).toEqual([]);
    expect(titles("> Please send the report\nOK, will do.")).toEqual([]);
  });

  test("is deterministic, counts repeats once (ignoring case), and takes at most MAX_ACTION_ITEMS", () => {
    const text = "Please send the report.\nplease SEND the report!\nCould you send the report?";
    expect(titles(text)).toEqual(["Send the report"]);
    const many = Array.from({ length: 30 }, (_, i) => `- Call customer ${i + 1}`).join("\n");
    const items = titles(many);
    expect(items).toHaveLength(MAX_ACTION_ITEMS);
    expect(items[0]).toBe("Call customer 1");
    expect(titles(many)).toEqual(items);
    expect(titles(`Please ${"write ".repeat(200)}`)[0]!.length).toBe(500);
    // Curly apostrophes count as straight ones.
    expect(titles("Let’s meet on Monday. Don’t forget to bring the keys.")).toEqual([
      "Meet on Monday",
      "Bring the keys",
    ]);
  });

  test("the provider's actionItems is the same finder", async () => {
    expect(await new LocalProvider().actionItems(mail("Please call Bob."))).toEqual([{ title: "Call Bob" }]);
  });
});

describe("the OpenAI provider's action items", () => {
  let openAI: OpenAICompatibleServer;
  beforeAll(async () => {
    openAI = await new OpenAICompatibleServer().start();
  });
  afterAll(async () => {
    await openAI?.stop();
  });
  const log = createLogger("inbox-test", "silent");
  const provider = (baseURL = openAI.url) =>
    new OpenAIProvider({ apiKey: "sk-test", baseURL, model: "gpt-test", timeoutMs: 5_000, log });

  test("asks with a strict JSON-schema response format and keeps the items, trimmed and without repeats", async () => {
    openAI.requests.length = 0;
    openAI.script = () => ({
      text: [
        '{"items":[{"title":"  Send the\\ncontract "},',
        '{"title":"send the contract"},{"title":"Book a room"}]}',
      ],
    });
    const items = await provider().actionItems(mail("Could you send the contract and book a room?"));
    expect(items).toEqual([{ title: "Send the contract" }, { title: "Book a room" }]);
    expect(openAI.requests).toHaveLength(1);
    const request = openAI.requests[0] as unknown as {
      response_format: { type: string; json_schema: { name: string; strict: boolean; schema: object } };
      messages: { content: string }[];
    };
    expect(request.response_format.type).toBe("json_schema");
    expect(request.response_format.json_schema).toMatchObject({ name: "action_items", strict: true });
    expect(request.response_format.json_schema.schema).toMatchObject({ required: ["items"] });
    expect(JSON.parse(request.messages[1]!.content).message.text).toBe("Could you send the contract and book a room?");
  });

  test("falls back to LOCAL's finder on an answer that is not the JSON asked for, or no answer", async () => {
    const text = "Please call Bob.";
    openAI.script = () => ({ text: ["Here are the items: call Bob"] });
    expect(await provider().actionItems(mail(text))).toEqual([{ title: "Call Bob" }]);
    openAI.script = () => ({ text: ['{"tasks":["call Bob"]}'] });
    expect(await provider().actionItems(mail(text))).toEqual([{ title: "Call Bob" }]);
    expect(await provider("http://127.0.0.1:9/v1").actionItems(mail(text))).toEqual([{ title: "Call Bob" }]);
  });
});
