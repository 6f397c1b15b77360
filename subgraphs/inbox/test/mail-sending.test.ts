import { describe, expect, test } from "vitest";
import { classify } from "../src/services/mail-sending.ts";

describe("what an SMTP failure means for a send", () => {
  test("5xx and refused credentials: refused for good, nothing was sent", () => {
    expect(classify({ responseCode: 550, response: "550 5.1.1 no such user", command: "RCPT TO" }).kind).toBe(
      "refused",
    );
    expect(classify({ code: "EAUTH", response: "535 5.7.8 bad credentials" }).kind).toBe("refused");
  });

  test("4xx and no connection: deferred, nothing was sent", () => {
    expect(classify({ responseCode: 451, response: "451 4.3.0 try later", command: "DATA" }).kind).toBe("deferred");
    expect(classify({ code: "ECONNREFUSED", command: "CONN" }).kind).toBe("deferred");
  });

  test("a connection lost after the message went out, without an answer: unknown (it may have been delivered)", () => {
    const result = classify({ code: "ECONNECTION", command: "DATA", message: "Connection closed" });
    expect(result.kind).toBe("unknown");
    expect(classify({ code: "ETIMEDOUT", command: "MESSAGE" }).kind).toBe("unknown");
  });
});
