import { describe, expect, test } from "vitest";
import { LocalProvider, localReply } from "../src/providers/local.provider.ts";
import type { TriageInput } from "../src/providers/provider.ts";
import { matchesRule, ruleSummary } from "../src/services/rule-matching.ts";
import { checkCondition } from "../src/services/rules.service.ts";

const local = new LocalProvider();
const mail = (overrides: Partial<TriageInput> = {}): TriageInput => ({
  from: { name: "Ada Lovelace", email: "ada@acme.example" },
  subject: "Notes",
  text: "Here are my notes from the meeting.",
  headers: {},
  ...overrides,
});

describe("the LOCAL provider", () => {
  test("bulk headers make a newsletter, LOW, whatever the words", () => {
    for (const headers of <Record<string, string>[]>[
      { "list-unsubscribe": "<mailto:u@news.example>" },
      { "list-id": "Weekly <weekly.news.example>" },
      { precedence: "bulk" },
      { precedence: "List" },
    ]) {
      const verdict = local.classifyOne(mail({ headers, subject: "Urgent: can you read this today?" }));
      expect(verdict.category, JSON.stringify(headers)).toBe("NEWSLETTER");
      expect(verdict.urgency).toBe("LOW");
    }
    expect(local.classifyOne(mail({ headers: { "list-unsubscribe": "<x>" } })).reason).toBe(
      "Bulk mail: it has a List-Unsubscribe header",
    );
    expect(local.classifyOne(mail({ headers: { precedence: "first-class" } })).category).toBe("OTHER");
  });

  test("automated senders and Auto-Submitted make FYI", () => {
    for (const email of [
      "noreply@shop.example",
      "no-reply@x.example",
      "do-not-reply@y.example",
      "notifications@github.example",
      "mailer-daemon@mx.example",
    ]) {
      const verdict = local.classifyOne(mail({ from: { name: null, email }, subject: "Please verify your email" }));
      expect(verdict, email).toEqual({ category: "FYI", urgency: "LOW", reason: `Automated mail from ${email}` });
    }
    expect(local.classifyOne(mail({ headers: { "auto-submitted": "auto-generated" } }))).toMatchObject({
      category: "FYI",
      reason: "Automated mail (Auto-Submitted: auto-generated)",
    });
    expect(local.classifyOne(mail({ headers: { "auto-submitted": "no" } })).category).toBe("OTHER");
  });

  test("questions and requests make ACTIONABLE; urgency from words like urgent, asap, today", () => {
    expect(local.classifyOne(mail({ text: "Could you send the contract?" }))).toEqual({
      category: "ACTIONABLE",
      urgency: "NORMAL",
      reason: 'It asks something of you ("could you")',
    });
    expect(local.classifyOne(mail({ subject: "Lunch on Friday?" }))).toMatchObject({
      category: "ACTIONABLE",
      reason: "It asks you a question",
    });
    expect(local.classifyOne(mail({ subject: "ACTION REQUIRED: renew" })).category).toBe("ACTIONABLE");
    expect(local.classifyOne(mail({ text: "The deadline is Monday." })).category).toBe("ACTIONABLE");
    expect(local.classifyOne(mail({ text: "Please sign it ASAP." }))).toEqual({
      category: "ACTIONABLE",
      urgency: "HIGH",
      reason: 'It asks something of you ("please"); it says "asap"',
    });
    expect(local.classifyOne(mail({ subject: "Server down today" })).urgency).toBe("HIGH");
  });

  test("everything else is OTHER; quoted history is not read", () => {
    expect(local.classifyOne(mail())).toEqual({
      category: "OTHER",
      urgency: "NORMAL",
      reason: "Personal mail with nothing asked of you",
    });
    const reply = "Thanks, noted.\n\nOn Mon, 1 Dec 2026, Bob wrote:\n> Can you please review this urgently?\n";
    expect(local.classifyOne(mail({ text: reply })).category).toBe("OTHER");
    expect(local.classifyOne(mail({ text: "Fine.\n> could you check?" })).category).toBe("OTHER");
  });

  test("gives the same verdicts for the same input, in order, as a batch", async () => {
    const batch = [mail(), mail({ headers: { "list-id": "x" } }), mail({ subject: "Can we talk?" })];
    const first = await local.classify(batch);
    expect(first.map((verdict) => verdict.category)).toEqual(["OTHER", "NEWSLETTER", "ACTIONABLE"]);
    expect(await local.classify(batch)).toEqual(first);
  });

  test("writes a reply from a template: greeting, instructions, signature, the original quoted", () => {
    const body = localReply({
      original: { ...mail({ text: "Shall we meet?\n\nAda" }), sentAt: new Date("2026-12-01T10:00:00Z") },
      instructions: "Yes, Tuesday at 10 works for me.",
      signature: "Grace Hopper",
    });
    expect(body).toBe(
      [
        "Hi Ada,",
        "",
        "Yes, Tuesday at 10 works for me.",
        "",
        "Best regards,",
        "Grace Hopper",
        "",
        "On Tue, 01 Dec 2026 10:00:00 GMT, Ada Lovelace <ada@acme.example> wrote:",
        "> Shall we meet?",
        ">",
        "> Ada",
        "",
      ].join("\n"),
    );
    const plain = localReply({
      original: { ...mail({ from: { name: null, email: "bob@x.example" } }), sentAt: new Date(0) },
      instructions: "",
      signature: "me@mary.test",
    });
    expect(plain).toMatch(/^Hi bob,\n\nThank you for your message\./);
  });
});

describe("triage rules", () => {
  const message = (email: string, subject = "Hello", headers: Record<string, string> = {}) => ({
    fromAddress: { email },
    subject,
    headers,
  });

  test("SENDER is the address ignoring case; DOMAIN includes subdomains but not look-alikes", () => {
    const sender = checkCondition({ field: "SENDER", value: " Ada@Acme.Example " });
    expect(sender).toEqual({ field: "SENDER", headerName: null, value: "ada@acme.example" });
    expect(matchesRule(sender, message("ADA@acme.example"))).toBe(true);
    expect(matchesRule(sender, message("ada@acme.example.org"))).toBe(false);

    const domain = checkCondition({ field: "DOMAIN", value: "@Acme.Example" });
    expect(domain.value).toBe("acme.example");
    expect(matchesRule(domain, message("ada@acme.example"))).toBe(true);
    expect(matchesRule(domain, message("bot@mail.eu.acme.example"))).toBe(true);
    expect(matchesRule(domain, message("eve@notacme.example"))).toBe(false);
    expect(matchesRule(domain, message("eve@acme.example.evil"))).toBe(false);
  });

  test("SUBJECT contains ignoring case; HEADER contains, or is present when the value is empty", () => {
    const subject = checkCondition({ field: "SUBJECT", value: "Invoice" });
    expect(matchesRule(subject, message("a@b.example", "Your INVOICE #42"))).toBe(true);
    expect(matchesRule(subject, message("a@b.example", "Receipt"))).toBe(false);

    const listId = checkCondition({ field: "HEADER", headerName: "List-Id", value: "Weekly" });
    expect(listId.headerName).toBe("list-id");
    expect(matchesRule(listId, message("a@b.example", "x", { "list-id": "The weekly <w.example>" }))).toBe(true);
    expect(matchesRule(listId, message("a@b.example", "x", { "list-id": "Daily" }))).toBe(false);
    const present = checkCondition({ field: "HEADER", headerName: "X-Campaign", value: "" });
    expect(matchesRule(present, message("a@b.example", "x", { "x-campaign": "" }))).toBe(true);
    expect(matchesRule(present, message("a@b.example", "x", {}))).toBe(false);
  });

  test("bad conditions are refused with the field named", () => {
    const refused = (input: Parameters<typeof checkCondition>[0]) => {
      try {
        checkCondition(input);
        return null;
      } catch (error) {
        const { code, field } = (error as { extensions: { code: string; field: string } }).extensions;
        return [code, field];
      }
    };
    expect(refused({ field: "SENDER", value: "not an address" })).toEqual(["BAD_USER_INPUT", "value"]);
    expect(refused({ field: "DOMAIN", value: "com" })).toEqual(["BAD_USER_INPUT", "value"]);
    expect(refused({ field: "DOMAIN", value: "exa mple.com" })).toEqual(["BAD_USER_INPUT", "value"]);
    expect(refused({ field: "DOMAIN", value: "ada@acme.example" })).toEqual(["BAD_USER_INPUT", "value"]);
    expect(refused({ field: "SUBJECT", value: "  " })).toEqual(["BAD_USER_INPUT", "value"]);
    expect(refused({ field: "HEADER", value: "x" })).toEqual(["BAD_USER_INPUT", "headerName"]);
    expect(refused({ field: "HEADER", headerName: "Bad:Name", value: "x" })).toEqual(["BAD_USER_INPUT", "headerName"]);
    expect(refused({ field: "SENDER", headerName: "List-Id", value: "a@b.example" })).toEqual([
      "BAD_USER_INPUT",
      "headerName",
    ]);
  });

  test("summaries say the rule in words", () => {
    expect(ruleSummary({ field: "DOMAIN", headerName: null, value: "x.com", category: "FYI" })).toBe(
      "Always put mail from x.com in FYI",
    );
    expect(ruleSummary({ field: "HEADER", headerName: "list-id", value: "", category: "NEWSLETTER" })).toBe(
      "Always put mail with a list-id header in Newsletters",
    );
  });
});
