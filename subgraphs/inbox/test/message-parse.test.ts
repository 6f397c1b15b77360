import { describe, expect, test } from "vitest";
import { attachmentsOf, messageIds, parseFetched, sanitizeHtml, snippetOf } from "../src/services/message-parse.ts";

const RAW = [
  'From: "Ada Lovelace" <Ada@Example.COM>',
  "To: Bob <bob@example.com>, undisclosed: carol@example.com;",
  "Cc: dave@example.com",
  "Subject: Re: The  engine",
  "Date: Tue, 01 Dec 2026 10:00:00 +0000",
  "Message-ID: <reply-1@example.com>",
  "In-Reply-To: <root@example.com>",
  "References: <older@example.com>\r\n <root@example.com>",
  "List-Unsubscribe: <mailto:unsub@example.com>,\r\n <https://example.com/unsub>",
  "List-ID: Engines <engines.example.com>",
  "X-Mailer: Babbage 1.0",
  "Received: from somewhere",
  "DKIM-Signature: v=1; a=rsa-sha256",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="b1"',
  "",
  "--b1",
  'Content-Type: multipart/alternative; boundary="b2"',
  "",
  "--b2",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Hello Bob,\r\n\r\nthe   analytical engine\r\nworks.",
  "--b2",
  "Content-Type: text/html; charset=utf-8",
  "",
  '<p onclick="x()">Hello <b>Bob</b><script>alert(1)</script><a href="https://example.com">site</a>' +
    '<a href="javascript:alert(1)">bad</a><iframe src="https://evil"></iframe><form><input></form></p>',
  "--b2--",
  "--b1",
  "Content-Type: application/pdf; name=notes.pdf",
  "Content-Disposition: attachment; filename=notes.pdf",
  "Content-Transfer-Encoding: base64",
  "",
  "JVBERi0xLjQK",
  "--b1--",
  "",
].join("\r\n");

describe("message parsing (pure)", () => {
  test("a multipart message becomes a row's columns", async () => {
    const parsed = await parseFetched({
      uid: 42,
      source: Buffer.from(RAW),
      flags: new Set(["\\Seen"]),
      internalDate: new Date("2026-12-01T10:00:05Z"),
      size: RAW.length,
      bodyStructure: {
        type: "multipart/mixed",
        childNodes: [
          {
            part: "1",
            type: "multipart/alternative",
            childNodes: [
              { part: "1.1", type: "text/plain", size: 40 },
              { part: "1.2", type: "text/html", size: 200 },
            ],
          },
          {
            part: "2",
            type: "application/pdf",
            parameters: { name: "notes.pdf" },
            disposition: "attachment",
            dispositionParameters: { filename: "notes.pdf" },
            encoding: "base64",
            size: 12,
          },
        ],
      },
    });
    expect(parsed).toMatchObject({
      uid: 42,
      messageIdHeader: "reply-1@example.com",
      inReplyTo: "root@example.com",
      references: ["older@example.com", "root@example.com"],
      subject: "Re: The engine",
      fromAddress: { email: "ada@example.com", name: "Ada Lovelace" },
      toAddresses: [
        { email: "bob@example.com", name: "Bob" },
        { email: "carol@example.com", name: null },
      ],
      ccAddresses: [{ email: "dave@example.com", name: null }],
      correspondents: ["ada@example.com", "bob@example.com", "carol@example.com", "dave@example.com"],
      sentAt: new Date("2026-12-01T10:00:00Z"),
      snippet: "Hello Bob, the analytical engine works.",
      seen: true,
      flagged: false,
      size: RAW.length,
      attachments: [{ part: "2", filename: "notes.pdf", contentType: "application/pdf", size: 9 }],
    });
    expect(parsed.textBody).toContain("analytical engine");
    expect(parsed.headers).toEqual({
      from: '"Ada Lovelace" <Ada@Example.COM>',
      to: "Bob <bob@example.com>, undisclosed: carol@example.com;",
      cc: "dave@example.com",
      subject: "Re: The engine",
      "list-unsubscribe": "<mailto:unsub@example.com>, <https://example.com/unsub>",
      "list-id": "Engines <engines.example.com>",
      "x-mailer": "Babbage 1.0",
    });
    expect(parsed.htmlBody).toContain(
      '<p>Hello <b>Bob</b><a href="https://example.com" target="_blank" rel="noopener noreferrer">site</a>' +
        '<a target="_blank" rel="noopener noreferrer">bad</a>',
    );
    expect(parsed.htmlBody).not.toMatch(/script|onclick|javascript|iframe|form|input/i);
  });

  test("In-Reply-To without References still threads; no Date falls back to the internal date", async () => {
    const raw = "From: a@x.test\r\nIn-Reply-To: <p@x.test>\r\nSubject: hi\r\n\r\nbody\r\n";
    const parsed = await parseFetched({ uid: 1, source: Buffer.from(raw), internalDate: "2026-11-30T08:00:00Z" });
    expect(parsed.messageIdHeader).toBeNull();
    expect(parsed.references).toEqual(["p@x.test"]);
    expect(parsed.sentAt).toEqual(new Date("2026-11-30T08:00:00Z"));
    expect(parsed.htmlBody).toBeNull();
    expect(parsed.attachments).toEqual([]);
  });

  test("an HTML-only message gets its text (and snippet) from the HTML", async () => {
    const raw = "From: a@x.test\r\nContent-Type: text/html\r\n\r\n<h1>Big</h1><p>news   today</p>\r\n";
    const parsed = await parseFetched({ uid: 1, source: Buffer.from(raw) });
    expect(parsed.snippet).toMatch(/BIG\s*news today|Big\s*news today/i);
    expect(parsed.textBody).toContain("news");
  });

  test("message ids lose their angle brackets and duplicates", () => {
    expect(messageIds("<a@x> <b@x>\r\n <a@x>")).toEqual(["a@x", "b@x"]);
    expect(messageIds(["<a@x>", "<c@x>"])).toEqual(["a@x", "c@x"]);
    expect(messageIds("bare@x")).toEqual(["bare@x"]);
    expect(messageIds(undefined)).toEqual([]);
  });

  test("a snippet is one line of at most 200 characters", () => {
    const snippet = snippetOf(`a\n\n b\t${"x".repeat(500)}`);
    expect(snippet.startsWith("a b x")).toBe(true);
    expect(snippet).toHaveLength(200);
  });

  test("sanitized HTML keeps formatting and safe images, drops active content", () => {
    const html = sanitizeHtml(
      '<div style="background:url(https://t)"><img src="https://img/x.png" onerror="x()"><img src="http://t/p.gif">' +
        '<table><tr><td colspan="2">cell</td></tr></table><style>p{}</style><object></object><svg><script/></svg></div>',
    );
    expect(html).toBe(
      '<div><img src="https://img/x.png" /><img /><table><tr><td colspan="2">cell</td></tr></table></div>',
    );
  });

  test("a single-part message's attachment is part 1; inline text is not an attachment", () => {
    expect(attachmentsOf({ type: "image/png", size: 400, encoding: "base64" })).toEqual([
      { part: "1", filename: null, contentType: "image/png", size: 300 },
    ]);
    expect(attachmentsOf({ type: "text/plain", size: 10 })).toEqual([]);
    expect(
      attachmentsOf({
        type: "multipart/mixed",
        childNodes: [
          { part: "1", type: "text/plain" },
          { part: "2", type: "message/rfc822", size: 100 },
          {
            part: "3",
            type: "text/csv",
            disposition: "attachment",
            dispositionParameters: { filename: "a.csv" },
            size: 5,
          },
        ],
      }),
    ).toEqual([
      { part: "2", filename: null, contentType: "message/rfc822", size: 100 },
      { part: "3", filename: "a.csv", contentType: "text/csv", size: 5 },
    ]);
  });
});
